package txpool

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

// TestRandomOperations drives small pools through random submissions
// (nonce chains of a few senders, replacements, garbage), blocks, removals
// and revalidations, checking the indexes after every step and that each
// iteration respects dependencies and yields every ready transaction.
func TestRandomOperations(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			h := newHarness(t, Config{ReadyCount: 12, FutureCount: 5, RevalidateBatch: 4,
				FinalityTimeout: 3, WatcherBuffer: 2})
			ctx := context.Background()
			num := types.BlockNumber(0)
			readySum := 0
			for step := range 400 {
				switch op := rng.IntN(20); {
				case op < 15:
					s := rng.IntN(4)
					n := h.chain.nextNonce(s) + rng.IntN(3)
					if rng.IntN(8) == 0 {
						n -= 2 // stale or replacing
					}
					req := ""
					if n < 0 {
						n = 0
					}
					if n > 0 {
						req = fmt.Sprintf("s%d-%d", s, n-1)
					}
					ext := fmt.Appendf(nil, "id=%d;p=%d;r=%s;v=s%d-%d;l=%d", step, rng.IntN(5), req, s, n, 1+rng.IntN(20))
					if rng.IntN(20) == 0 {
						ext = []byte{byte(rng.IntN(256))}
					}
					if w, err := h.pool.SubmitAndWatch(ctx, types.SourceExternal, ext); err == nil && rng.IntN(2) == 0 {
						w.Stop()
					}
				case op < 18:
					num++
					it := h.pool.Ready()
					var inc [][]byte
					var hs []types.Hash
					for tx, ok := it.Next(); ok && len(inc) < 2; tx, ok = it.Next() {
						inc = append(inc, tx.Ext)
						hs = append(hs, tx.Hash)
						for _, tag := range tx.Provides {
							h.chain.provide(string(tag))
						}
					}
					blk := types.Hash{byte(num), byte(num >> 8)}
					h.pool.Prune(blk, num, inc)
					h.pool.BlockIncluded(blk, hs)
					if rng.IntN(3) == 0 {
						h.pool.BlockFinalized(blk)
					}
				case op < 19:
					if _, err := h.pool.Revalidate(ctx, types.Hash{byte(num)}, num); err != nil {
						t.Fatal(err)
					}
				default:
					it := h.pool.Ready()
					if tx, ok := it.Next(); ok {
						h.pool.RemoveInvalid(tx.Hash)
					}
				}
				checkInvariants(t, h.pool)
				checkIteration(t, h.pool)
				readySum += h.pool.Stats().Ready
			}
			if readySum < 400 { // the walk must keep the ready queue busy to mean anything
				t.Fatalf("average ready size %.2f", float64(readySum)/400)
			}
		})
	}
}

// checkIteration drains a ReadyIterator: every ready transaction comes out
// once, after the pooled ready providers of its requirements.
func checkIteration(t *testing.T, p *Pool) {
	t.Helper()
	it := p.Ready()
	yielded := map[string]bool{}
	n := 0
	for tx, ok := it.Next(); ok; tx, ok = it.Next() {
		n++
		for _, tag := range tx.Requires {
			p.mu.Lock()
			q := p.mu.providers[string(tag)]
			dep := q != nil && q.ready && q.hash != tx.Hash
			p.mu.Unlock()
			if dep && !yielded[string(tag)] {
				t.Fatalf("%s yielded before the provider of %q", tx.Ext, tag)
			}
		}
		for _, tag := range tx.Provides {
			yielded[string(tag)] = true
		}
	}
	if s := p.Stats(); s.Ready != n {
		t.Fatalf("iterated %d of %d ready", n, s.Ready)
	}
}

// nextNonce is the first nonce of sender s the chain has not seen.
func (c *fakeChain) nextNonce(s int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for c.onChain[fmt.Sprintf("s%d-%d", s, n)] {
		n++
	}
	return n
}
