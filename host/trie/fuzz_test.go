package trie

import (
	"bytes"
	"testing"
)

func FuzzDecodeNode(f *testing.F) {
	tr, _ := buildRandom(f, 1, 60)
	proof, _ := tr.Prove([][]byte{{0x11}, {0x22, 0x33}, {}}, V1)
	for _, p := range proof {
		f.Add(p)
	}
	f.Add([]byte{0x00})
	f.Add([]byte{0x7f, 0xff, 0x00})
	f.Add([]byte{0x80, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, enc []byte) {
		n, err := nodeFromEncoding(enc)
		if err != nil {
			return
		}
		if len(n.partial) >= nibbleSizeBound {
			return
		}
		// A node that decodes re-encodes to the same bytes.
		n.mvVer = mvNone
		var t0 Trie
		got, err := t0.encode(n, V0, nil)
		if err != nil {
			if n.valForm == formHashed {
				return
			}
			t.Fatalf("re-encode: %v", err)
		}
		if !bytes.Equal(got, enc) {
			t.Fatalf("re-encoding %x gave %x", enc, got)
		}
		_, _, _ = ChildHashes(enc)
	})
}

func FuzzVerifyProof(f *testing.F) {
	tr, _ := buildRandom(f, 2, 60)
	root, _ := tr.Hash(V0)
	key := []byte{0x11, 0x22}
	proof, _ := tr.Prove([][]byte{key}, V0)
	f.Add(root[:], bytes.Join(proof, []byte{0xfe, 0xfe}), key, []byte{1})
	f.Fuzz(func(t *testing.T, root, joined, key, value []byte) {
		var r [32]byte
		copy(r[:], root)
		parts := bytes.Split(joined, []byte{0xfe, 0xfe})
		_ = VerifyProof(r, parts, key, value)
		pt := NewFromProof(r, parts)
		_, _, _ = pt.NextKey(key)
		_ = pt.Put(key, value)
		_, _ = pt.Hash(V1)
	})
}
