package abi

import (
	"bytes"
	"strings"
	"testing"
)

func TestPtrSize(t *testing.T) {
	for _, c := range []struct{ ptr, size uint32 }{{0, 0}, {1, 2}, {0xffff_ffff, 0xffff_ffff}, {0x8000_0000, 7}} {
		p, s := SplitPtrSize(PtrSize(c.ptr, c.size))
		if p != c.ptr || s != c.size {
			t.Fatalf("%v -> %d %d", c, p, s)
		}
	}
	if PtrSize(0xffff_ffff, 0xffff_ffff) != -1 || uint64(PtrSize(0xffff_ffff, 0xffff_ffff)) != NonePtrSize {
		t.Fatal("all-ones pointer-size must be the absent value")
	}
}

func TestCodec(t *testing.T) {
	kvs := [][2][]byte{{[]byte("k"), []byte("v")}, {nil, bytes.Repeat([]byte{1}, 70)}}
	got, err := DecodeKVs(EncodeKVs(kvs))
	if err != nil || len(got) != 2 || !bytes.Equal(got[1][1], kvs[1][1]) || string(got[0][0]) != "k" {
		t.Fatalf("%v %v", got, err)
	}
	vs := [][]byte{{}, []byte("a"), bytes.Repeat([]byte{2}, 300)}
	gv, err := DecodeValues(EncodeValues(vs))
	if err != nil || len(gv) != 3 || !bytes.Equal(gv[2], vs[2]) {
		t.Fatalf("%v %v", gv, err)
	}
	// Vec<(k,v)> of one pair: 04 ++ (04 'k') ++ (04 'v').
	if enc := EncodeKVs(kvs[:1]); !bytes.Equal(enc, []byte{0x04, 0x04, 'k', 0x04, 'v'}) {
		t.Fatalf("%x", enc)
	}
	for _, bad := range [][]byte{{0x04}, {0x08, 0x00}, {0x04, 0x00, 0x00, 0xff}, {0xff, 0xff, 0xff, 0xff, 0xff}} {
		if _, err := DecodeKVs(bad); err == nil {
			t.Errorf("DecodeKVs(%x) accepted", bad)
		}
		if _, err := DecodeValues(append(bad, 0x09)); err == nil {
			t.Errorf("DecodeValues(%x) accepted", bad)
		}
	}
}

func TestSignatures(t *testing.T) {
	for name, sig := range Signatures {
		if !strings.HasPrefix(name, "ext_") || !strings.Contains(name, "_version_") {
			t.Errorf("%s: not an ext_*_version_n name", name)
		}
		for _, v := range append(append([]ValType(nil), sig.Params...), sig.Results...) {
			if v != I32 && v != I64 {
				t.Errorf("%s: value type %x", name, v)
			}
		}
		if len(sig.Results) > 1 {
			t.Errorf("%s: %d results", name, len(sig.Results))
		}
	}
}

func FuzzDecodeKVs(f *testing.F) {
	f.Add(EncodeKVs([][2][]byte{{[]byte("a"), []byte("b")}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		kvs, err := DecodeKVs(b)
		if err == nil && !bytes.Equal(EncodeKVs(kvs), b) {
			t.Fatalf("re-encoding differs: %x", b)
		}
		vs, err := DecodeValues(b)
		if err == nil && !bytes.Equal(EncodeValues(vs), b) {
			t.Fatalf("re-encoding differs: %x", b)
		}
	})
}
