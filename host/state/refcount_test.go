package state

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
)

// The reference-count cache is exact: the same blocks, forks, abandoned
// updates, finalizations and discards give byte-for-byte the database of a
// State without caches. Tiny caches make entries rotate out mid-update.
func TestRefcountCacheMatchesDatabase(t *testing.T) {
	var dumps []string
	for _, cacheBytes := range []int{-1, 0, 4 * refcountEntryBytes * 8} {
		kv := db.NewMemory()
		s, err := New(kv, Config{KeepFinalized: 3, CacheBytes: cacheBytes})
		must(t, err)
		r := rand.New(rand.NewPCG(5, 6))
		root, m := trie.EmptyRoot, map[string][]byte{}
		for i := range 30 {
			parent := root
			o := s.NewOverlay(parent)
			randBlock(r, o, m, 30)
			// Some values return to earlier ones, so new nodes can
			// match stored ones.
			m["flip"] = []byte(fmt.Sprint(i % 3))
			must(t, o.Set([]byte("flip"), m["flip"]))
			root = commit(t, o, trie.V1)
			fork := s.NewOverlay(parent)
			must(t, fork.Set([]byte("fork"), []byte(fmt.Sprint(i%2))))
			if i%4 == 0 {
				u, err := fork.Commit(trie.V1)
				must(t, err)
				u.Abandon()
			} else {
				u, err := s.Discard(commit(t, fork, trie.V1))
				must(t, err)
				must(t, u.Write())
			}
			u, err := s.Finalize(root, uint32(i+1))
			must(t, err)
			must(t, u.Write())
			checkState(t, s, root, m)
		}
		dumps = append(dumps, fmt.Sprint(dump(t, kv)))
	}
	for i := 1; i < len(dumps); i++ {
		if dumps[i] != dumps[0] {
			t.Fatalf("database %d differs from the one without caches", i)
		}
	}
}
