package state

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
)

// storage mirrors host/executor.Storage; the assertion below keeps Overlay's
// method set exactly that interface without importing the executor.
type storage interface {
	Get(key []byte) ([]byte, bool, error)
	Set(key, value []byte) error
	Delete(key []byte) error
	ClearPrefix(prefix []byte, limit int, cursor []byte) (removed int, done bool, next []byte, err error)
	NextKey(key []byte) ([]byte, bool, error)
	Root(version uint8) ([32]byte, error)
	StartTransaction()
	RollbackTransaction() error
	CommitTransaction() error
}

var _ storage = (*Overlay)(nil)

func arg(s string) []byte {
	switch s {
	case "<empty>":
		return []byte{}
	case "<nil>":
		return nil
	}
	return []byte(s)
}

func show(b []byte, ok bool) string {
	switch {
	case !ok:
		return "<none>"
	case len(b) == 0:
		return "<empty>"
	}
	return string(b)
}

func modelRoot(t *testing.T, m map[string][]byte, ver trie.Version) [32]byte {
	t.Helper()
	var pairs []trie.Pair
	for k, v := range m {
		pairs = append(pairs, trie.Pair{Key: []byte(k), Value: v})
	}
	r, err := trie.RootOfPairs(pairs, ver)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOverlayScript(t *testing.T) {
	f, err := os.Open("testdata/overlay.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, _ := New(db.NewMemory(), Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	model := map[string][]byte{}
	var saved []map[string][]byte
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cmd, want, hasWant := strings.Cut(text, " => ")
		f := strings.Fields(cmd)
		var got string
		var err error
		switch f[0] {
		case "get":
			var v []byte
			var ok bool
			v, ok, err = o.Get(arg(f[1]))
			got = show(v, ok)
		case "set":
			err = o.Set(arg(f[1]), arg(f[2]))
			if err == nil {
				model[f[1]] = arg(f[2])
			}
		case "delete":
			err = o.Delete(arg(f[1]))
			delete(model, f[1])
		case "next":
			var k []byte
			var ok bool
			k, ok, err = o.NextKey(arg(f[1]))
			got = show(k, ok)
		case "clear":
			limit, _ := strconv.Atoi(f[2])
			var cursor []byte
			if len(f) > 3 {
				cursor = arg(f[3])
			}
			var n int
			var done bool
			var next []byte
			n, done, next, err = o.ClearPrefix(arg(f[1]), limit, cursor)
			got = fmt.Sprintf("removed=%d done=%v next=%s", n, done, show(next, next != nil))
			for _, k := range sortedKeys(model) {
				if strings.HasPrefix(k, f[1]) && (cursor == nil || k >= string(cursor)) && (next == nil || k < string(next)) {
					delete(model, k)
				}
			}
		case "start":
			o.StartTransaction()
			saved = append(saved, maps.Clone(model))
		case "rollback":
			err = o.RollbackTransaction()
			if err == nil {
				model, saved = saved[len(saved)-1], saved[:len(saved)-1]
			}
		case "commit":
			err = o.CommitTransaction()
			if err == nil {
				saved = saved[:len(saved)-1]
			}
		default:
			t.Fatalf("line %d: unknown command %q", line, f[0])
		}
		if err != nil {
			got = "error"
		}
		if hasWant && got != want {
			t.Fatalf("line %d: %s: got %q, want %q", line, cmd, got, want)
		}
		if !hasWant && err != nil {
			t.Fatalf("line %d: %s: %v", line, cmd, err)
		}
		for _, ver := range []trie.Version{trie.V0, trie.V1} {
			r, err := o.Root(uint8(ver))
			if err != nil || r != modelRoot(t, model, ver) {
				t.Fatalf("line %d: %s: root V%d differs from a fresh trie of the model (%v)", line, cmd, ver, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestOverlayCommitRules(t *testing.T) {
	s, _ := New(db.NewMemory(), Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	_ = o.Set([]byte("k"), []byte("v"))
	o.StartTransaction()
	if _, err := o.Commit(trie.V0); err != ErrOpenTransaction {
		t.Fatalf("commit with an open transaction: %v", err)
	}
	_ = o.CommitTransaction()
	u, err := o.Commit(trie.V0)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Set([]byte("x"), nil); err != ErrCommitted {
		t.Fatalf("write after commit: %v", err)
	}
	if _, err := s.NewOverlay(u.Root()).Commit(trie.V0); err != ErrUpdatePending {
		t.Fatalf("second pending update: %v", err)
	}
	if err := u.Write(); err != nil {
		t.Fatal(err)
	}
	if err := u.Write(); err != ErrUpdateDone {
		t.Fatalf("double write: %v", err)
	}
	if v, ok, err := s.Get(u.Root(), []byte("k")); err != nil || !ok || string(v) != "v" {
		t.Fatalf("read committed state: %q %v %v", v, ok, err)
	}
}

func TestOverlayChanges(t *testing.T) {
	s, _ := New(db.NewMemory(), Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	_ = o.Set([]byte("a"), []byte("1"))
	_ = o.Set([]byte("b"), []byte("2"))
	_ = o.Set([]byte("c"), []byte("3"))
	u, _ := o.Commit(trie.V0)
	_ = u.Write()
	o = s.NewOverlay(u.Root())
	_ = o.Set([]byte("a"), []byte("1")) // same value: no change
	_ = o.Set([]byte("b"), []byte("20"))
	_ = o.Delete([]byte("c"))
	o.StartTransaction()
	_ = o.Set([]byte("d"), []byte("4")) // rolled back: no change
	_ = o.RollbackTransaction()
	_ = o.Set([]byte("e"), []byte{})
	ch, err := o.Changes()
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(len(ch))
	for _, c := range ch {
		got += fmt.Sprintf(" %s=%q/%v", c.Key, c.Value, c.Deleted)
	}
	if want := `3 b="20"/false c=""/true e=""/false`; got != want {
		t.Fatalf("changes: %s, want %s", got, want)
	}
}

// Random operation sequences with nested transactions against a model with a
// stack of saved maps, over a committed base state (so reads fall through).
func TestOverlayRandomTransactions(t *testing.T) {
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 77))
		s, _ := New(db.NewMemory(), Config{})
		base := s.NewOverlay(trie.EmptyRoot)
		model := map[string][]byte{}
		randKey := func() []byte { return []byte{byte(r.IntN(3)), byte(r.IntN(4) * 16), byte(r.IntN(3))} }
		for range 100 {
			k, v := randKey(), []byte{byte(r.IntN(256))}
			_ = base.Set(k, v)
			model[string(k)] = v
		}
		u, _ := base.Commit(trie.V0)
		_ = u.Write()
		o := s.NewOverlay(u.Root())
		var saved []map[string][]byte
		for step := range 400 {
			switch op := r.IntN(20); {
			case op < 8:
				k, v := randKey(), make([]byte, r.IntN(40))
				must(t, o.Set(k, v))
				model[string(k)] = v
			case op < 11:
				k := randKey()
				must(t, o.Delete(k))
				delete(model, string(k))
			case op == 11:
				prefix := randKey()[:1+r.IntN(2)]
				limit := r.IntN(4) - 1
				n, done, next, err := o.ClearPrefix(prefix, limit, nil)
				must(t, err)
				removed := 0
				for _, k := range sortedModelKeys(model) {
					if strings.HasPrefix(k, string(prefix)) && (next == nil || k < string(next)) {
						delete(model, k)
						removed++
					}
				}
				if removed != n || done != (next == nil) {
					t.Fatalf("seed %d step %d: clear %x limit %d: removed %d (model %d) done %v", seed, step, prefix, limit, n, removed, done)
				}
			case op < 15:
				o.StartTransaction()
				saved = append(saved, maps.Clone(model))
			case op < 17 && len(saved) > 0:
				must(t, o.RollbackTransaction())
				model, saved = saved[len(saved)-1], saved[:len(saved)-1]
			case op < 20 && len(saved) > 0:
				must(t, o.CommitTransaction())
				saved = saved[:len(saved)-1]
			}
			k := randKey()
			got, ok, err := o.Get(k)
			want, wok := model[string(k)]
			if err != nil || ok != wok || !bytes.Equal(got, want) {
				t.Fatalf("seed %d step %d: Get(%x) = %x %v %v, model %x %v", seed, step, k, got, ok, err, want, wok)
			}
			if step%25 == 0 {
				root, err := o.Root(uint8(step % 2))
				if err != nil || root != modelRoot(t, model, trie.Version(step%2)) {
					t.Fatalf("seed %d step %d: root differs from the model (%v)", seed, step, err)
				}
			}
		}
		for len(saved) > 0 {
			must(t, o.CommitTransaction())
			saved = saved[:len(saved)-1]
		}
		u, err := o.Commit(trie.V1)
		must(t, err)
		must(t, u.Write())
		if u.Root() != modelRoot(t, model, trie.V1) {
			t.Fatalf("seed %d: committed root differs from the model", seed)
		}
		checkState(t, s, u.Root(), model)
	}
}

func sortedModelKeys(m map[string][]byte) []string {
	keys := sortedKeys(m)
	slices.Sort(keys)
	return keys
}
