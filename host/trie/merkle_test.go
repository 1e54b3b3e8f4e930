package trie

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Hand-encoded tries: the expected Merkle values are written out byte by
// byte from the node format, not computed by the trie.
func TestClosestDescendantMerkleValueVectors(t *testing.T) {
	long := bytes.Repeat([]byte{0x5a}, 40) // inline under V0, hashed under V1
	pairs := map[string][]byte{
		"\x01\x02\x03\x04\x05": []byte("x"),
		"\x01\x02\x03\x04\x06": []byte("y"),
		"\xaa":                 long,
		"\xff":                 {},
	}
	// Root: branch, empty partial key, children 0, a, f.
	// Child 0: branch 0x88 (8 nibbles 1,0,2,0,3,0,4,0), bitmap 0x0060,
	// children 5 and 6: leaves 0x40 with values "x" and "y" (inline, 3 bytes).
	child0 := mustHex(t, "88"+"10203040"+"6000"+"0c"+"400478"+"0c"+"400479")
	leafX := mustHex(t, "400478")
	// Child a: leaf, partial key [a] (header 0x41, odd nibble 0x0a),
	// holding the 40-byte value inline (compact(40) = 0xa0) under V0, by
	// hash under V1 (header 0x21).
	leafLongV0 := append(mustHex(t, "41"+"0a"+"a0"), long...)
	leafLongV1 := append(mustHex(t, "21"+"0a"), blake2(long)...)
	// Child f: leaf, partial key [f], empty value: 0x41 0x0f 0x00.
	leafEmpty := mustHex(t, "410f00")

	for _, ver := range []Version{V0, V1} {
		tr := New()
		for k, v := range pairs {
			if err := tr.Put([]byte(k), v); err != nil {
				t.Fatal(err)
			}
		}
		root, err := tr.Hash(ver)
		if err != nil {
			t.Fatal(err)
		}
		leafLong := blake2(leafLongV0)
		if ver == V1 {
			leafLong = blake2(leafLongV1)
		}
		cases := []struct {
			key  string
			want []byte // nil: absent
		}{
			{"", root[:]},                         // the root, always hashed
			{"\x01", child0},                      // ends inside child 0's partial key
			{"\x01\x02", child0},                  // idem, deeper
			{"\x01\x02\x03\x04", child0},          // ends exactly at child 0's full key
			{"\x01\x02\x03\x04\x05", leafX},       // a leaf, inline (< 32 bytes)
			{"\x01\x02\x03\x04\x05\x00", nil},     // below a leaf
			{"\x01\x02\x03\x04\x07", nil},         // free slot of a branch
			{"\x01\x03", nil},                     // diverges inside a partial key
			{"\x02", nil},                         // no child 0 then 2… below root's child 0
			{"\xaa", leafLong},                    // hashed leaf (>= 32 bytes)
			{"\xff", leafEmpty},                   // empty value still a node
			{"\xab", nil},                         // diverges after the branch nibble
			{"\x01\x02\x03\x04\x05\x06\x07", nil}, // longer than any key
		}
		for _, c := range cases {
			got, ok, err := tr.ClosestDescendantMerkleValue([]byte(c.key), ver)
			if err != nil {
				t.Fatalf("V%d %x: %v", ver, c.key, err)
			}
			if ok != (c.want != nil) || !bytes.Equal(got, c.want) {
				t.Errorf("V%d %x: got %x (%v), want %x", ver, c.key, got, ok, c.want)
			}
		}
	}
}

// A root shorter than 32 bytes is still reported by its hash, and a
// single-leaf trie answers for every prefix of its key.
func TestClosestDescendantMerkleValueSmallRoot(t *testing.T) {
	tr := New()
	if _, ok, err := tr.ClosestDescendantMerkleValue(nil, V0); ok || err != nil {
		t.Fatalf("empty trie: %v %v", ok, err)
	}
	if err := tr.Put([]byte{0x12, 0x34}, []byte{1}); err != nil {
		t.Fatal(err)
	}
	// Leaf, 4 nibbles: 0x44 0x12 0x34, value compact(1)=0x04 0x01.
	want := blake2(mustHex(t, "4412340401"))
	for _, k := range [][]byte{nil, {0x12}, {0x12, 0x34}} {
		got, ok, err := tr.ClosestDescendantMerkleValue(k, V1)
		if err != nil || !ok || !bytes.Equal(got, want) {
			t.Errorf("%x: %x %v %v, want %x", k, got, ok, err, want)
		}
	}
	for _, k := range [][]byte{{0x13}, {0x12, 0x34, 0x00}, {0x02}} {
		if got, ok, err := tr.ClosestDescendantMerkleValue(k, V1); ok || err != nil {
			t.Errorf("%x: %x %v %v, want absent", k, got, ok, err)
		}
	}
	if _, _, err := tr.ClosestDescendantMerkleValue(nil, Version(7)); err == nil {
		t.Error("invalid version accepted")
	}
}

// descendantsOf lists the model's keys starting with prefix.
func descendantsOf(m model, prefix []byte) [][]byte {
	var out [][]byte
	for k := range m {
		if bytes.HasPrefix([]byte(k), prefix) {
			out = append(out, []byte(k))
		}
	}
	return out
}

// lcpNibbles is the longest common nibble prefix of keys.
func lcpNibbles(keys [][]byte) []byte {
	p := keyToNibbles(keys[0])
	for _, k := range keys[1:] {
		p = p[:commonPrefix(p, keyToNibbles(k))]
	}
	return p
}

// Random tries, both versions: the answer is cross-checked against the
// model (present exactly when some key starts with the queried key), the
// root hash, the trie's own proof of the key (the node is in it, or inline
// in a node that is), the same trie reloaded from a store, and the partial
// trie the proof builds.
func TestClosestDescendantMerkleValueRandom(t *testing.T) {
	for _, ver := range []Version{V0, V1} {
		tr, m := buildRandom(t, uint64(ver)+40, 300)
		root, err := tr.Hash(ver)
		if err != nil {
			t.Fatal(err)
		}
		st := newMemStore()
		if _, err := tr.Copy().Commit(ver, st); err != nil {
			t.Fatal(err)
		}
		stored := NewFromRoot(root, st)
		r := rand.New(rand.NewPCG(9, uint64(ver)))
		var queries [][]byte
		for k := range m {
			queries = append(queries, []byte(k))
			for i := 0; i < len(k); i++ {
				queries = append(queries, []byte(k[:i]))
			}
		}
		for range 300 {
			queries = append(queries, randKey(r))
		}
		for _, q := range queries {
			got, ok, err := tr.ClosestDescendantMerkleValue(q, ver)
			if err != nil {
				t.Fatal(err)
			}
			desc := descendantsOf(m, q)
			if ok != (len(desc) > 0) {
				t.Fatalf("V%d %x: present %v, %d descendants", ver, q, ok, len(desc))
			}
			g2, ok2, err := stored.ClosestDescendantMerkleValue(q, ver)
			if err != nil || ok2 != ok || !bytes.Equal(g2, got) {
				t.Fatalf("V%d %x: stored trie %x %v %v, want %x", ver, q, g2, ok2, err, got)
			}
			proof, err := tr.Prove([][]byte{q}, ver)
			if err != nil {
				t.Fatal(err)
			}
			g3, ok3, err := NewFromProof(root, proof).ClosestDescendantMerkleValue(q, ver)
			if err != nil || ok3 != ok || !bytes.Equal(g3, got) {
				t.Fatalf("V%d %x: proof trie %x %v %v, want %x", ver, q, g3, ok3, err, got)
			}
			if !ok {
				continue
			}
			if len(q) == 0 || bytes.Equal(got, root[:]) {
				if !bytes.Equal(got, root[:]) {
					t.Fatalf("V%d empty key: %x, want root %x", ver, got, root)
				}
				continue
			}
			checkNodeInProof(t, ver, q, got, proof, lcpNibbles(desc), m)
		}
	}
}

// checkNodeInProof finds the node with Merkle value mv in proof (as a
// hashed entry, or inline in an entry) and checks it is the node at full
// key want: its partial key ends want, and as a leaf it holds m's value.
func checkNodeInProof(t *testing.T, ver Version, q, mv []byte, proof [][]byte, want []byte, m model) {
	t.Helper()
	var enc []byte
	for _, p := range proof {
		if len(mv) == 32 && bytes.Equal(blake2(p), mv) {
			enc = p
		}
		if len(mv) < 32 && bytes.Contains(p, mv) {
			enc = mv
		}
	}
	if enc == nil {
		t.Fatalf("V%d %x: Merkle value %x not found in the key's proof", ver, q, mv)
	}
	var dn decodedNode
	if ok, err := decodeNodeBytes(&dn, enc); err != nil || !ok {
		t.Fatalf("V%d %x: node %x: %v", ver, q, enc, err)
	}
	if !bytes.HasSuffix(want, dn.partial) || len(want) < 2*len(q) {
		t.Fatalf("V%d %x: node partial %x, want a suffix of %x", ver, q, dn.partial, want)
	}
	if !dn.branch {
		v := m[string(nibblesToKey(want))]
		if dn.valueHash != nil && !bytes.Equal(dn.valueHash, blake2(v)) || dn.valueHash == nil && !bytes.Equal(dn.value, v) {
			t.Fatalf("V%d %x: leaf value does not match", ver, q)
		}
	}
}
