package state

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
)

// TestOverlayJournalDifferential drives the overlay's flat change map and
// undo journal through every path that moves changes into the trie inside
// transactions (Root, NextKey, ClearPrefix with limit and cursor, Append
// placeholders) followed by rollbacks, against a model with a stack of
// saved maps. Each step checks a read, and often NextKey, the root and
// Changes; the end commits and reads the state back.
func TestOverlayJournalDifferential(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 4242))
		s, _ := New(db.NewMemory(), Config{})
		randKey := func() []byte { return []byte{byte(r.IntN(3)), byte(r.IntN(4) * 16), byte(r.IntN(3))} }
		randVal := func() []byte { return bytes.Repeat([]byte{byte(r.IntN(256))}, r.IntN(50)) } // V1 hashes >= 33 bytes
		base := map[string][]byte{}
		bo := s.NewOverlay(trie.EmptyRoot)
		for range 60 {
			k, v := randKey(), randVal()
			must(t, bo.Set(k, v))
			base[string(k)] = v
		}
		// Stored nodes keep their layout, so one version throughout.
		ver := uint8(seed % 2)
		baseRoot := commit(t, bo, trie.Version(ver))

		o := s.NewOverlay(baseRoot)
		if seed%4 == 0 {
			o = s.NewRecordingOverlay(baseRoot)
		}
		model := maps.Clone(base)
		var saved []map[string][]byte
		for step := range 600 {
			switch op := r.IntN(32); {
			case op < 8:
				k, v := randKey(), randVal()
				must(t, o.Set(k, v))
				model[string(k)] = v
			case op < 10:
				k := randKey()
				must(t, o.Delete(k))
				delete(model, string(k))
			case op < 14:
				k, item := randKey(), randVal()
				must(t, o.Append(k, item))
				old, ok := model[string(k)]
				model[string(k)] = naiveAppend(old, ok, item)
			case op == 14:
				prefix := randKey()[:1+r.IntN(2)]
				limit := r.IntN(4) - 1
				var cursor []byte
				if r.IntN(2) == 0 {
					cursor = randKey()
				}
				n, done, next, err := o.ClearPrefix(prefix, limit, cursor)
				must(t, err)
				removed := 0
				var left []byte
				for _, k := range sortedModelKeys(model) {
					if !strings.HasPrefix(k, string(prefix)) || (cursor != nil && k < string(cursor)) {
						continue
					}
					if limit >= 0 && removed == limit {
						left = []byte(k)
						break
					}
					delete(model, k)
					removed++
				}
				if removed != n || done != (left == nil) || !bytes.Equal(next, left) {
					t.Fatalf("seed %d step %d: clear %x limit %d cursor %x: %d %v %x, model %d %x", seed, step, prefix, limit, cursor, n, done, next, removed, left)
				}
			case op < 18:
				o.StartTransaction()
				saved = append(saved, maps.Clone(model))
			case op < 21 && len(saved) > 0:
				must(t, o.RollbackTransaction())
				model, saved = saved[len(saved)-1], saved[:len(saved)-1]
			case op < 24 && len(saved) > 0:
				must(t, o.CommitTransaction())
				saved = saved[:len(saved)-1]
			case op < 27:
				root, err := o.Root(ver)
				if err != nil || root != modelRoot(t, model, trie.Version(ver)) {
					t.Fatalf("seed %d step %d: root V%d differs from the model (%v)", seed, step, ver, err)
				}
			case op < 30:
				k := randKey()
				got, ok, err := o.NextKey(k)
				var want []byte
				for _, mk := range sortedModelKeys(model) {
					if mk > string(k) {
						want = []byte(mk)
						break
					}
				}
				if err != nil || ok != (want != nil) || !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d: NextKey(%x) = %x %v %v, model %x", seed, step, k, got, ok, err, want)
				}
			default:
				checkChanges(t, o, base, model)
			}
			k := randKey()
			got, ok, err := o.Get(k)
			want, wok := model[string(k)]
			if err != nil || ok != wok || !bytes.Equal(got, want) {
				t.Fatalf("seed %d step %d: Get(%x) = %x %v %v, model %x %v", seed, step, k, got, ok, err, want, wok)
			}
			if o.TransactionDepth() != len(saved) {
				t.Fatalf("seed %d step %d: depth %d, model %d", seed, step, o.TransactionDepth(), len(saved))
			}
		}
		for len(saved) > 0 {
			must(t, o.CommitTransaction())
			saved = saved[:len(saved)-1]
		}
		checkChanges(t, o, base, model)
		want, err := o.Root(ver)
		must(t, err)
		if o.rec != nil {
			// The proof holds everything the same calls need: a stateless
			// overlay over it reaches the same root from the same changes.
			st := &Overlay{t: trie.NewFromProof(baseRoot, o.Proof())}
			ch, err := o.Changes()
			must(t, err)
			for _, c := range ch {
				if c.Deleted {
					must(t, st.Delete(c.Key))
				} else {
					must(t, st.Set(c.Key, c.Value))
				}
			}
			if got, err := st.Root(ver); err != nil || got != want {
				t.Fatalf("seed %d: stateless root %x (%v), want %x", seed, got, err, want)
			}
		}
		if root := commit(t, o, trie.Version(ver)); root != modelRoot(t, model, trie.Version(ver)) || root != want {
			t.Fatalf("seed %d: committed root differs from the model", seed)
		}
		checkState(t, s, want, model)
	}
}

func checkChanges(t *testing.T, o *Overlay, base, model map[string][]byte) {
	t.Helper()
	ch, err := o.Changes()
	must(t, err)
	var want []Change
	keys := maps.Clone(base)
	maps.Copy(keys, model)
	for _, k := range sortedModelKeys(keys) {
		now, okNow := model[k]
		was, okWas := base[k]
		if okNow == okWas && bytes.Equal(now, was) {
			continue
		}
		want = append(want, Change{Key: []byte(k), Value: now, Deleted: !okNow})
	}
	if len(ch) != len(want) {
		t.Fatalf("Changes: %d, model %d", len(ch), len(want))
	}
	for i := range ch {
		if !bytes.Equal(ch[i].Key, want[i].Key) || ch[i].Deleted != want[i].Deleted || !bytes.Equal(ch[i].Value, want[i].Value) {
			t.Fatalf("Changes[%d] = %x %x %v, model %x %x %v", i, ch[i].Key, ch[i].Value, ch[i].Deleted, want[i].Key, want[i].Value, want[i].Deleted)
		}
	}
}

// The journal outlives its overlay: a State hands it to the next overlay,
// empty, and two overlays using transactions at once each get their own.
func TestOverlayJournalReuse(t *testing.T) {
	s, _ := New(db.NewMemory(), Config{})
	a, b := s.NewOverlay(trie.EmptyRoot), s.NewOverlay(trie.EmptyRoot)
	a.StartTransaction()
	b.StartTransaction()
	for i := range 100 {
		must(t, a.Set([]byte{byte(i)}, []byte("a")))
		must(t, b.Set([]byte{byte(i)}, []byte("b")))
	}
	must(t, a.CommitTransaction())
	must(t, b.RollbackTransaction())
	c := s.NewOverlay(trie.EmptyRoot)
	c.StartTransaction()
	if len(c.undo) != 0 || cap(c.undo) == 0 {
		t.Fatalf("reused journal: len %d cap %d", len(c.undo), cap(c.undo))
	}
	must(t, c.Set([]byte{1}, []byte("c")))
	must(t, c.RollbackTransaction())
	for _, o := range []*Overlay{a, b, c} {
		v, ok, err := o.Get([]byte{1})
		must(t, err)
		if want := map[*Overlay]string{a: "a"}[o]; string(v) != want || ok != (want != "") {
			t.Fatalf("after reuse: %q %v, want %q", v, ok, want)
		}
	}
}
