package state

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/pebbledb"
	"github.com/metamars/mars/host/trie"
)

type backend struct {
	name string
	open func(t *testing.T) db.Database
}

var backends = []backend{
	{"memory", func(t *testing.T) db.Database { return db.NewMemory() }},
	{"pebble", func(t *testing.T) db.Database {
		p, err := pebbledb.NewPebbleMemory()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}},
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// dump returns every key/value in the database, in order.
func dump(t *testing.T, d db.Database) []string {
	t.Helper()
	it := d.NewIterator(nil, nil)
	defer it.Release()
	var out []string
	for it.Next() {
		out = append(out, fmt.Sprintf("%x=%x", it.Key(), it.Value()))
	}
	must(t, it.Error())
	return out
}

func countPrefix(t *testing.T, d db.Database, p byte) int {
	t.Helper()
	it := d.NewIterator([]byte{p}, []byte{p + 1})
	defer it.Release()
	n := 0
	for it.Next() {
		n++
	}
	return n
}

// reachable returns the hashes of the stored nodes and values reachable from roots.
func reachable(t *testing.T, s *State, roots [][32]byte) map[[32]byte]bool {
	t.Helper()
	seen := map[[32]byte]bool{}
	var walk func(h [32]byte, isValue bool)
	walk = func(h [32]byte, isValue bool) {
		if seen[h] {
			return
		}
		seen[h] = true
		if isValue {
			return
		}
		enc, err := s.store.GetNode(h)
		must(t, err)
		children, vh, err := trie.ChildHashes(enc)
		must(t, err)
		for _, c := range children {
			walk(c, false)
		}
		if vh != nil {
			walk(*vh, true)
		}
	}
	for _, r := range roots {
		if r != trie.EmptyRoot {
			walk(r, false)
		}
	}
	return seen
}

func randBlock(r *rand.Rand, o *Overlay, m map[string][]byte, n int) {
	for range n {
		k := []byte{byte(r.IntN(8)), byte(r.IntN(16)), byte(r.IntN(256))}
		switch r.IntN(5) {
		case 0:
			_ = o.Delete(k)
			delete(m, string(k))
		default:
			v := bytes.Repeat([]byte{byte(r.IntN(256))}, []int{1, 8, 40, 100}[r.IntN(4)])
			_ = o.Set(k, v)
			m[string(k)] = v
		}
	}
}

func commit(t *testing.T, o *Overlay, ver trie.Version) [32]byte {
	t.Helper()
	u, err := o.Commit(ver)
	must(t, err)
	must(t, u.Write())
	return u.Root()
}

func checkState(t *testing.T, s *State, root [32]byte, m map[string][]byte) {
	t.Helper()
	n := 0
	err := s.Trie(root).Iterate(nil, func(k, v []byte) bool {
		n++
		if !bytes.Equal(m[string(k)], v) {
			t.Fatalf("state %x: key %x = %x, want %x", root, k, v, m[string(k)])
		}
		return true
	})
	must(t, err)
	if n != len(m) {
		t.Fatalf("state %x has %d keys, want %d", root, n, len(m))
	}
}

// TestCommitChainDifferential builds the same chain of blocks on every
// backend: roots must equal fresh tries of the model, and both databases
// must end byte-for-byte identical.
func TestCommitChainDifferential(t *testing.T) {
	var dumps [][]string
	for _, b := range backends {
		for _, ver := range []trie.Version{trie.V0, trie.V1} {
			t.Run(fmt.Sprintf("%s/V%d", b.name, ver), func(t *testing.T) {
				kv := b.open(t)
				s, err := New(kv, Config{Archive: true})
				must(t, err)
				r := rand.New(rand.NewPCG(1, 2))
				root, m := trie.EmptyRoot, map[string][]byte{}
				var roots [][32]byte
				var models []map[string][]byte
				for range 15 {
					o := s.NewOverlay(root)
					randBlock(r, o, m, 60)
					want := modelRoot(t, m, ver)
					if got, _ := o.Root(uint8(ver)); got != want {
						t.Fatalf("overlay root %x != fresh %x", got, want)
					}
					root = commit(t, o, ver)
					if root != want {
						t.Fatalf("committed root %x != fresh %x", root, want)
					}
					roots, models = append(roots, root), append(models, maps.Clone(m))
				}
				for i, r := range roots {
					checkState(t, s, r, models[i])
				}
				// Archive: nothing unreachable, nothing missing.
				if got, want := countPrefix(t, kv, db.PrefixTrieNode), len(reachable(t, s, roots)); got != want {
					t.Fatalf("%d nodes stored, %d reachable", got, want)
				}
				if ver == trie.V1 {
					dumps = append(dumps, dump(t, kv))
				}
			})
		}
	}
	if len(dumps) == 2 && fmt.Sprint(dumps[0]) != fmt.Sprint(dumps[1]) {
		t.Fatal("memory and pebble databases differ after the same blocks")
	}
}

func TestPruningKeepsWindowAndFreesTheRest(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			kv := b.open(t)
			const keep = 3
			s, err := New(kv, Config{KeepFinalized: keep})
			must(t, err)
			r := rand.New(rand.NewPCG(3, 4))
			root, m := trie.EmptyRoot, map[string][]byte{}
			var roots [][32]byte
			var models []map[string][]byte
			for i := range 12 {
				o := s.NewOverlay(root)
				randBlock(r, o, m, 40)
				root = commit(t, o, trie.V1)
				// A fork off the same parent, later discarded.
				fork := s.NewOverlay(roots0(roots, i))
				_ = fork.Set([]byte("fork"), []byte(fmt.Sprint(i)))
				forkRoot := commit(t, fork, trie.V1)
				u, err := s.Discard(forkRoot)
				must(t, err)
				must(t, u.Write())
				u, err = s.Finalize(root, uint32(i))
				must(t, err)
				must(t, u.Write())
				roots, models = append(roots, root), append(models, maps.Clone(m))
			}
			retained := roots[len(roots)-keep:]
			for i, r := range roots {
				ok, err := s.HasState(r)
				must(t, err)
				if i >= len(roots)-keep {
					if !ok {
						t.Fatalf("state %d pruned too early", i)
					}
					checkState(t, s, r, models[i])
				} else if ok {
					t.Fatalf("state %d not pruned", i)
				}
			}
			want := reachable(t, s, retained)
			if got := countPrefix(t, kv, db.PrefixTrieNode); got != len(want) {
				t.Fatalf("%d nodes stored, %d reachable from the window", got, len(want))
			}
			if got := countPrefix(t, kv, db.PrefixState); got != len(want)+keep {
				t.Fatalf("%d bookkeeping keys, want %d refcounts + %d window", got, len(want), keep)
			}
			// Reopening restores the window.
			s2, err := New(kv, Config{KeepFinalized: keep})
			must(t, err)
			nums, rs := s2.Finalized()
			if len(nums) != keep || nums[0] != 9 || rs[keep-1] != root {
				t.Fatalf("reloaded window %v", nums)
			}
			if _, err := s2.Finalize(root, 5); !errors.Is(err, ErrFinalizeOrder) {
				t.Fatalf("out-of-order finalize: %v", err)
			}
			if _, err := s2.Discard(root); err == nil {
				t.Fatal("discarding a finalized state succeeded")
			}
		})
	}
}

func roots0(roots [][32]byte, i int) [32]byte {
	if i == 0 {
		return trie.EmptyRoot
	}
	return roots[i-1]
}

// Identical subtrees within a state and across forks are stored once and
// survive until their last user is gone.
func TestSharedNodesRefcounted(t *testing.T) {
	s, err := New(db.NewMemory(), Config{})
	must(t, err)
	big := bytes.Repeat([]byte{7}, 64)
	o := s.NewOverlay(trie.EmptyRoot)
	// The same leaf (partial key and value) under two different branches.
	must(t, o.Set([]byte{0x10, 0xaa}, big))
	must(t, o.Set([]byte{0x10, 0xbb}, big))
	must(t, o.Set([]byte{0x20, 0xaa}, big))
	must(t, o.Set([]byte{0x20, 0xbb}, big))
	a := commit(t, o, trie.V1)
	o = s.NewOverlay(a)
	must(t, o.Delete([]byte{0x10, 0xaa}))
	b := commit(t, o, trie.V1)
	u, err := s.Discard(a)
	must(t, err)
	must(t, u.Write())
	checkState(t, s, b, map[string][]byte{"\x10\xbb": big, "\x20\xaa": big, "\x20\xbb": big})
	u, err = s.Discard(b)
	must(t, err)
	must(t, u.Write())
	if n := countPrefix(t, s.kv, db.PrefixTrieNode) + countPrefix(t, s.kv, db.PrefixState); n != 0 {
		t.Fatalf("%d keys left after discarding every state", n)
	}
}

func TestAbandonedUpdateLeavesNothing(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			kv := b.open(t)
			s, _ := New(kv, Config{})
			o := s.NewOverlay(trie.EmptyRoot)
			must(t, o.Set([]byte("a"), []byte("1")))
			base := commit(t, o, trie.V0)
			before := dump(t, kv)
			o = s.NewOverlay(base)
			for i := range 100 {
				must(t, o.Set([]byte{byte(i)}, bytes.Repeat([]byte{1}, 50)))
			}
			u, err := o.Commit(trie.V0)
			must(t, err)
			must(t, u.Put(db.HeaderKey([32]byte{9}), []byte("header")))
			u.Abandon()
			if fmt.Sprint(dump(t, kv)) != fmt.Sprint(before) {
				t.Fatal("abandoned update changed the database")
			}
			if ok, _ := s.HasState(u.Root()); ok {
				t.Fatal("abandoned state is readable")
			}
			// The state is usable again.
			o = s.NewOverlay(base)
			must(t, o.Set([]byte("b"), []byte("2")))
			commit(t, o, trie.V0)
		})
	}
}

func TestUnwrittenUpdateLostOnCrash(t *testing.T) {
	dir := t.TempDir()
	p, err := pebbledb.OpenPebble(dir, pebbledb.PebbleOptions{})
	must(t, err)
	s, _ := New(p, Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	must(t, o.Set([]byte("a"), []byte("1")))
	base := commit(t, o, trie.V0)
	o = s.NewOverlay(base)
	must(t, o.Set([]byte("b"), bytes.Repeat([]byte{2}, 40)))
	u, err := o.Commit(trie.V0)
	must(t, err)
	must(t, u.Put(db.HeaderKey([32]byte{1}), []byte("h")))
	must(t, p.Close()) // "crash" before Write
	p, err = pebbledb.OpenPebble(dir, pebbledb.PebbleOptions{})
	must(t, err)
	defer p.Close()
	s, _ = New(p, Config{})
	if ok, _ := s.HasState(u.Root()); ok {
		t.Fatal("unwritten state survived")
	}
	if ok, _ := p.Has(db.HeaderKey([32]byte{1})); ok {
		t.Fatal("unwritten header survived")
	}
	checkState(t, s, base, map[string][]byte{"a": []byte("1")})
}

// A recording overlay's proof replays the same block statelessly.
func TestRecordedProofReplays(t *testing.T) {
	s, _ := New(db.NewMemory(), Config{})
	r := rand.New(rand.NewPCG(8, 8))
	o := s.NewOverlay(trie.EmptyRoot)
	m := map[string][]byte{}
	randBlock(r, o, m, 500)
	base := commit(t, o, trie.V1)

	rec := s.NewRecordingOverlay(base)
	ops := rand.New(rand.NewPCG(9, 9))
	play := func(st storage) [32]byte {
		for range 40 {
			k := []byte{byte(ops.IntN(8)), byte(ops.IntN(16)), byte(ops.IntN(256))}
			switch ops.IntN(4) {
			case 0:
				must(t, st.Delete(k))
			case 1:
				_, _, err := st.Get(k)
				must(t, err)
			case 2:
				_, _, err := st.NextKey(k)
				must(t, err)
			default:
				must(t, st.Set(k, []byte{1, 2, 3}))
			}
		}
		root, err := st.Root(1)
		must(t, err)
		return root
	}
	want := play(rec)
	proof := rec.Proof()
	if len(proof) == 0 {
		t.Fatal("nothing recorded")
	}
	ops = rand.New(rand.NewPCG(9, 9))
	stateless := &Overlay{t: trie.NewFromProof(base, proof)}
	if got := play(stateless); got != want {
		t.Fatalf("stateless replay root %x, want %x", got, want)
	}
}

// Two blocks with the same state root (identical siblings) hold one
// reference each: discarding one keeps the finalized other readable.
func TestIdenticalStatesDiscardOne(t *testing.T) {
	s, _ := New(db.NewMemory(), Config{KeepFinalized: 2})
	mk := func() [32]byte {
		o := s.NewOverlay(trie.EmptyRoot)
		must(t, o.Set([]byte("same"), bytes.Repeat([]byte{1}, 40)))
		return commit(t, o, trie.V1)
	}
	a, b := mk(), mk()
	if a != b {
		t.Fatal("identical blocks gave different roots")
	}
	u, err := s.Finalize(a, 1)
	must(t, err)
	must(t, u.Write())
	u, err = s.Discard(b)
	must(t, err)
	must(t, u.Write())
	if _, err := s.Discard(a); !errors.Is(err, ErrUnknownState) {
		t.Fatalf("discarding the window's last reference: %v", err)
	}
	checkState(t, s, a, map[string][]byte{"same": bytes.Repeat([]byte{1}, 40)})
	if _, err := s.Discard([32]byte{9}); !errors.Is(err, ErrUnknownState) {
		t.Fatalf("discarding an unknown root: %v", err)
	}
}
