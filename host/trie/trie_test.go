package trie

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

// memStore is a NodeStore and NodeWriter over a map, for tests.
type memStore struct {
	m      map[[32]byte][]byte
	writes int
}

func newMemStore() *memStore { return &memStore{m: map[[32]byte][]byte{}} }

func (s *memStore) GetNode(h [32]byte) ([]byte, error) {
	if b, ok := s.m[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("%w: %x", ErrMissingNode, h)
}

func (s *memStore) WriteNode(h [32]byte, enc []byte) error {
	if [32]byte(blake2(enc)) != h {
		return fmt.Errorf("node hash mismatch")
	}
	s.m[h] = bytes.Clone(enc)
	s.writes++
	return nil
}

func (s *memStore) WriteValue(h [32]byte, v []byte) error {
	if [32]byte(blake2(v)) != h {
		return fmt.Errorf("value hash mismatch")
	}
	s.m[h] = bytes.Clone(v)
	s.writes++
	return nil
}

// model is the reference: a plain map.
type model map[string][]byte

func (m model) pairs() []Pair {
	ps := make([]Pair, 0, len(m))
	for k, v := range m {
		ps = append(ps, Pair{[]byte(k), v})
	}
	SortPairs(ps)
	return ps
}

func randKey(r *rand.Rand) []byte {
	// Small alphabets and lengths create shared prefixes, splits and merges.
	k := make([]byte, r.IntN(5))
	for i := range k {
		k[i] = byte(r.IntN(4)) * 0x11
		if r.IntN(4) == 0 {
			k[i] = byte(r.IntN(256))
		}
	}
	return k
}

func randValue(r *rand.Rand) []byte {
	sizes := []int{0, 1, 5, 31, 32, 33, 34, 100}
	v := make([]byte, sizes[r.IntN(len(sizes))])
	for i := range v {
		v[i] = byte(r.IntN(256))
	}
	return v
}

func checkAgainstModel(t *testing.T, tr *Trie, m model, ver Version) {
	t.Helper()
	want, err := RootOfPairs(m.pairs(), ver)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Hash(ver)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("incremental root %x != fresh root %x (%d keys)", got, want, len(m))
	}
	var keys []string
	err = tr.Iterate(nil, func(k, v []byte) bool {
		keys = append(keys, string(k))
		if !bytes.Equal(m[string(k)], v) {
			t.Fatalf("iterate %x: value %x, model %x", k, v, m[string(k)])
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != len(m) || !sort.StringsAreSorted(keys) {
		t.Fatalf("iterate gave %d keys (sorted=%v), model %d", len(keys), sort.StringsAreSorted(keys), len(m))
	}
	for k, v := range m {
		got, ok, err := tr.Get([]byte(k))
		if err != nil || !ok || !bytes.Equal(got, v) {
			t.Fatalf("Get(%x) = %x %v %v, want %x", k, got, ok, err, v)
		}
	}
	// NextKey against the sorted model, from each key and from probes between keys.
	for i, k := range keys {
		next, ok, err := tr.NextKey([]byte(k))
		if err != nil {
			t.Fatal(err)
		}
		if i+1 < len(keys) {
			if !ok || string(next) != keys[i+1] {
				t.Fatalf("NextKey(%x) = %x %v, want %x", k, next, ok, keys[i+1])
			}
		} else if ok {
			t.Fatalf("NextKey(last %x) = %x", k, next)
		}
	}
}

func TestRandomOpsAgainstModel(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		ver := Version(seed % 2)
		tr, m := New(), model{}
		for step := range 300 {
			k := randKey(r)
			if r.IntN(3) == 0 {
				if err := tr.Delete(k); err != nil {
					t.Fatal(err)
				}
				delete(m, string(k))
			} else {
				v := randValue(r)
				if err := tr.Put(k, v); err != nil {
					t.Fatal(err)
				}
				m[string(k)] = v
			}
			if step%37 == 0 {
				checkAgainstModel(t, tr, m, ver)
			}
			if _, ok, _ := tr.Get(randKey(r)); ok && len(m) == 0 {
				t.Fatal("found a key in an empty trie")
			}
		}
		checkAgainstModel(t, tr, m, ver)
	}
}

func TestCommitReloadAndContinue(t *testing.T) {
	for _, ver := range []Version{V0, V1} {
		r := rand.New(rand.NewPCG(uint64(ver), 99))
		store := newMemStore()
		tr, m := New(), model{}
		for round := range 6 {
			for range 80 {
				k, v := randKey(r), randValue(r)
				if r.IntN(4) == 0 {
					_ = tr.Delete(k)
					delete(m, string(k))
					continue
				}
				if err := tr.Put(k, v); err != nil {
					t.Fatal(err)
				}
				m[string(k)] = v
			}
			root, err := tr.Commit(ver, store)
			if err != nil {
				t.Fatal(err)
			}
			// Everything must now be readable from the store alone.
			tr = NewFromRoot(root, store)
			checkAgainstModel(t, tr, m, ver)
			if round == 0 && store.writes == 0 {
				t.Fatal("commit wrote nothing")
			}
		}
	}
}

func TestCopyIsolation(t *testing.T) {
	a := New()
	_ = a.Put([]byte("alpha"), []byte("1"))
	_ = a.Put([]byte("alpine"), []byte("2"))
	ra, _ := a.Hash(V0)
	b := a.Copy()
	_ = b.Put([]byte("alpha"), []byte("changed"))
	_ = b.Delete([]byte("alpine"))
	if r, _ := a.Hash(V0); r != ra {
		t.Fatal("writes to a copy changed the original's root")
	}
	if v, _, _ := a.Get([]byte("alpha")); string(v) != "1" {
		t.Fatalf("original sees %q", v)
	}
	if _, ok, _ := b.Get([]byte("alpine")); ok {
		t.Fatal("copy still has a deleted key")
	}
}

func TestDeleteAllGivesEmptyRoot(t *testing.T) {
	tr := New()
	keys := [][]byte{{}, {0x01}, {0x01, 0x02}, {0x10}, {0xff, 0xff}}
	for _, k := range keys {
		_ = tr.Put(k, []byte{7})
	}
	for _, k := range keys {
		_ = tr.Delete(k)
	}
	if r, _ := tr.Hash(V0); r != EmptyRoot || !tr.IsEmpty() {
		t.Fatalf("root after deleting all = %x", r)
	}
}

func TestHeaderLengths(t *testing.T) {
	for _, n := range []int{0, 1, 30, 31, 62, 63, 64, 316, 317, 318, 600, 65535} {
		for _, pf := range []struct {
			prefix byte
			bits   uint
		}{{prefixLeaf, 2}, {prefixBranch, 2}, {prefixHashedLeaf, 3}, {prefixHashedBranch, 4}} {
			enc := appendHeader(nil, pf.prefix, pf.bits, n)
			d := newTestDecoder(enc)
			p, got, err := decodeHeader(d)
			if err != nil || p != pf.prefix || got != n || d.Remaining() != 0 {
				t.Fatalf("n=%d prefix=%08b: enc %x decoded (%08b, %d, %v) rem %d", n, pf.prefix, enc, p, got, err, d.Remaining())
			}
		}
	}
	// Spot vectors from trie-db's size_and_prefix_iterator.
	if got := appendHeader(nil, prefixLeaf, 2, 63); !bytes.Equal(got, []byte{0x7f, 0x00}) {
		t.Fatalf("63 → %x", got)
	}
	if got := appendHeader(nil, prefixLeaf, 2, 318); !bytes.Equal(got, []byte{0x7f, 0xff, 0x00}) {
		t.Fatalf("318 → %x", got)
	}
}

func TestSmallVectors(t *testing.T) {
	// A single short leaf: the root is the hash of its (inline) encoding.
	tr := New()
	_ = tr.Put([]byte{0xaa}, []byte{0x01})
	enc, _ := tr.encode(tr.root, V0, nil)
	// leaf, 2 nibbles: 0x42, partial aa, value compact(1) 01.
	if !bytes.Equal(enc, []byte{0x42, 0xaa, 0x04, 0x01}) {
		t.Fatalf("leaf encoding %x", enc)
	}
	if r, _ := tr.Hash(V0); r != [32]byte(blake2(enc)) {
		t.Fatal("root of an inline root node is not its hash")
	}
	// V1 hashes values of >= 33 bytes only.
	long := bytes.Repeat([]byte{1}, 33)
	_ = tr.Put([]byte{0xaa}, long)
	enc, _ = tr.encode(tr.root, V1, nil)
	if enc[0] != prefixHashedLeaf|2 || !bytes.Equal(enc[2:], blake2(long)) {
		t.Fatalf("hashed leaf encoding %x", enc)
	}
	_ = tr.Put([]byte{0xaa}, long[:32])
	enc, _ = tr.encode(tr.root, V1, nil)
	if enc[0] != prefixLeaf|2 {
		t.Fatalf("32-byte value hashed: %x", enc)
	}
}

func TestOrderedRoot(t *testing.T) {
	values := make([][]byte, 130) // crosses the 1-byte compact boundary at 64
	pairs := make([]Pair, len(values))
	for i := range values {
		values[i] = []byte(fmt.Sprintf("extrinsic-%d", i))
		key := []byte{byte(i << 2)}
		if i >= 64 {
			key = []byte{byte(i<<2) | 1, byte(i >> 6)}
		}
		pairs[i] = Pair{key, values[i]}
	}
	a, _ := OrderedRoot(values, V0)
	b, _ := RootOfPairs(pairs, V0)
	if a != b {
		t.Fatal("ordered root differs from the root of compact-keyed pairs")
	}
}

func TestIteratePrefixAndSeek(t *testing.T) {
	tr := New()
	for _, k := range []string{"a", "ab", "abc", "abd", "b", "ba", "c"} {
		_ = tr.Put([]byte(k), []byte(k))
	}
	var got []string
	_ = tr.IteratePrefix([]byte("ab"), nil, func(k, _ []byte) bool { got = append(got, string(k)); return true })
	if fmt.Sprint(got) != "[ab abc abd]" {
		t.Fatalf("prefix ab: %v", got)
	}
	got = nil
	_ = tr.IteratePrefix([]byte("ab"), []byte("abc\x00"), func(k, _ []byte) bool { got = append(got, string(k)); return true })
	if fmt.Sprint(got) != "[abd]" {
		t.Fatalf("prefix ab from abc\\0: %v", got)
	}
	if k, ok, _ := tr.SeekKey([]byte("abe")); !ok || string(k) != "b" {
		t.Fatalf("SeekKey(abe) = %q %v", k, ok)
	}
	if k, ok, _ := tr.NextKey([]byte("c")); ok {
		t.Fatalf("NextKey(c) = %q", k)
	}
	if k, _, _ := tr.NextKey(nil); string(k) != "a" {
		t.Fatalf("NextKey(nil) = %q", k)
	}
}

func TestMissingNode(t *testing.T) {
	tr := NewFromRoot([32]byte{1}, newMemStore())
	if _, _, err := tr.Get([]byte("x")); !errors.Is(err, ErrMissingNode) {
		t.Fatalf("err = %v", err)
	}
}

func TestAppendCompactMatchesScale(t *testing.T) {
	for _, v := range []int{0, 1, 63, 64, 16383, 16384, 1<<30 - 1, 1 << 30, 1 << 40} {
		e := scaleEncoder()
		e.PutCompact(uint64(v))
		if got := appendCompact(nil, v); !bytes.Equal(got, e.Bytes()) {
			t.Fatalf("compact %d: %x, want %x", v, got, e.Bytes())
		}
	}
}

// Tries that share nodes through Copy evolve independently, however their
// writes interleave (nodes are changed in place only by their owner).
func TestCopiesEvolveIndependently(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 42))
	tries := []*Trie{New()}
	models := []model{{}}
	for step := range 3000 {
		i := r.IntN(len(tries))
		switch op := r.IntN(10); {
		case op == 0 && len(tries) < 8:
			tries = append(tries, tries[i].Copy())
			c := model{}
			for k, v := range models[i] {
				c[k] = v
			}
			models = append(models, c)
		case op < 4:
			k := randKey(r)
			_ = tries[i].Delete(k)
			delete(models[i], string(k))
		default:
			k, v := randKey(r), randValue(r)
			_ = tries[i].Put(k, v)
			models[i][string(k)] = v
		}
		if step%50 == 0 {
			_, _ = tries[r.IntN(len(tries))].Hash(Version(step % 2))
		}
	}
	for i := range tries {
		checkAgainstModel(t, tries[i], models[i], Version(i%2))
	}
}
