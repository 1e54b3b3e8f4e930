package state

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
)

// naiveAppend is the reference: decode, add one item, re-encode.
func naiveAppend(old []byte, exists bool, item []byte) []byte {
	e := scale.NewEncoder(0)
	if exists {
		d := scale.NewDecoder(old)
		if n := d.Compact(); d.Err() == nil {
			e.PutCompact(n + 1)
			e.PutRaw(old[d.Offset():])
			e.PutRaw(item)
			return e.Bytes()
		}
	}
	e.PutCompact(1)
	e.PutRaw(item)
	return e.Bytes()
}

// TestAppendMatchesNaive runs random appends, sets, reads and nested
// transactions on an overlay and on a reference model and requires equal
// values and roots throughout.
func TestAppendMatchesNaive(t *testing.T) {
	st, err := New(db.NewMemory(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		ov := st.NewOverlay(trie.EmptyRoot)
		ref := st.NewOverlay(trie.EmptyRoot) // the model: Set only
		keys := [][]byte{[]byte("events"), []byte("topics"), []byte("other")}
		if err := ov.Set(keys[2], []byte{0xff}); err != nil { // undecodable Vec
			t.Fatal(err)
		}
		_ = ref.Set(keys[2], []byte{0xff})
		depth := 0
		for step := 0; step < 300; step++ {
			k := keys[rng.IntN(len(keys))]
			switch op := rng.IntN(10); {
			case op < 6:
				item := bytes.Repeat([]byte{byte(step)}, 1+rng.IntN(40))
				if err := ov.Append(k, item); err != nil {
					t.Fatal(err)
				}
				old, ok, _ := ref.Get(k)
				_ = ref.Set(k, naiveAppend(old, ok, item))
			case op == 6:
				got, ok1, _ := ov.Get(k)
				want, ok2, _ := ref.Get(k)
				if ok1 != ok2 || !bytes.Equal(got, want) {
					t.Fatalf("round %d step %d: get %q = %x, want %x", round, step, k, got, want)
				}
			case op == 7:
				ov.StartTransaction()
				ref.StartTransaction()
				depth++
			case op == 8 && depth > 0:
				if rng.IntN(2) == 0 {
					_ = ov.RollbackTransaction()
					_ = ref.RollbackTransaction()
				} else {
					_ = ov.CommitTransaction()
					_ = ref.CommitTransaction()
				}
				depth--
			case op == 9:
				if rng.IntN(3) == 0 {
					_ = ov.Set(k, []byte{0x04, byte(step)})
					_ = ref.Set(k, []byte{0x04, byte(step)})
				}
				next1, ok1, _ := ov.NextKey([]byte("a"))
				next2, ok2, _ := ref.NextKey([]byte("a"))
				if ok1 != ok2 || !bytes.Equal(next1, next2) {
					t.Fatalf("next key %q vs %q", next1, next2)
				}
			}
		}
		r1, _ := ov.Root(1)
		r2, _ := ref.Root(1)
		if r1 != r2 {
			t.Fatalf("round %d: roots differ", round)
		}
	}
}

// BenchmarkAppendEvents appends 5,000 events of 80 bytes, as a block of
// 1,000 transfers does, then computes the root.
func BenchmarkAppendEvents(b *testing.B) {
	st, _ := New(db.NewMemory(), Config{})
	item := bytes.Repeat([]byte{7}, 80)
	for i := 0; i < b.N; i++ {
		ov := st.NewOverlay(trie.EmptyRoot)
		for j := 0; j < 5000; j++ {
			ov.StartTransaction()
			_ = ov.Append([]byte("events"), item)
			_ = ov.CommitTransaction()
		}
		if _, err := ov.Root(1); err != nil {
			b.Fatal(err)
		}
	}
}
