package state

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/metamars/mars/host/trie"
)

// Readers at retained roots run while blocks are committed, finalized and
// pruned. A read may only fail if its state was pruned meanwhile. Run with
// -race to check the locking.
func TestConcurrentReadsDuringImport(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s, err := New(b.open(t), Config{KeepFinalized: 4})
			must(t, err)
			var latest atomic.Pointer[[32]byte]
			empty := trie.EmptyRoot
			latest.Store(&empty)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var reads atomic.Int64
			for g := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(g), 0))
					for {
						select {
						case <-stop:
							return
						default:
						}
						root := *latest.Load()
						k := []byte{byte(r.IntN(8)), byte(r.IntN(16)), byte(r.IntN(256))}
						_, _, err := s.Get(root, k)
						if err != nil {
							if ok, _ := s.HasState(root); ok || !errors.Is(err, trie.ErrMissingNode) {
								t.Errorf("read at retained root %x: %v", root, err)
								return
							}
						}
						reads.Add(1)
					}
				}()
			}
			r := rand.New(rand.NewPCG(7, 7))
			root, m := trie.EmptyRoot, map[string][]byte{}
			for i := range 30 {
				o := s.NewOverlay(root)
				randBlock(r, o, m, 50)
				root = commit(t, o, trie.V1)
				published := root
				latest.Store(&published)
				u, err := s.Finalize(root, uint32(i))
				must(t, err)
				must(t, u.Write())
			}
			close(stop)
			wg.Wait()
			checkState(t, s, root, m)
		})
	}
}
