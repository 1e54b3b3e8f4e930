package txpool

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// TestConcurrentUse runs submitters, a block author, block import with
// revalidation and watchers at once; run it with -race. It checks the
// invariants at the end and that every watcher ended or is still live in a
// consistent state.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Config{ReadyCount: 200, FutureCount: 50, RevalidateBatch: 20})
	ctx := context.Background()
	var wg, readers sync.WaitGroup
	var watchersMu sync.Mutex
	var watchers []*Watcher
	const senders, perSender = 8, 40
	for s := range senders {
		wg.Go(func() {
			for n := range perSender {
				req := ""
				if n > 0 {
					req = fmt.Sprintf("s%d-%d", s, n-1)
				}
				ext := fx(fmt.Sprintf("s%d-%d", s, n), uint64(n%7), req, fmt.Sprintf("s%d-%d", s, n))
				if n%3 == 0 {
					if w, err := h.pool.SubmitAndWatch(ctx, types.SourceExternal, ext); err == nil {
						watchersMu.Lock()
						watchers = append(watchers, w)
						watchersMu.Unlock()
						readers.Go(func() {
							for range w.Updates() {
							}
						})
						if n%2 == 0 {
							w.Stop()
						}
					}
				} else {
					_, _ = h.pool.Submit(ctx, types.SourceExternal, ext)
				}
			}
		})
	}
	wg.Go(func() { // block author and importer
		for num := types.BlockNumber(1); num <= 30; num++ {
			it := h.pool.Ready()
			var included [][]byte
			var hashes []types.Hash
			for tx, ok := it.Next(); ok && len(included) < 10; tx, ok = it.Next() {
				if tx.Priority == 6 {
					it.ReportInvalid(tx.Hash)
					h.pool.RemoveInvalid(tx.Hash)
					continue
				}
				included = append(included, tx.Ext)
				hashes = append(hashes, tx.Hash)
			}
			for _, ext := range included {
				f, _ := parseFake(ext)
				h.chain.provide(f["v"])
			}
			blk := types.Hash{byte(num)}
			h.pool.Prune(blk, num, included)
			h.pool.BlockIncluded(blk, hashes)
			if num > 2 {
				h.pool.BlockFinalized(types.Hash{byte(num - 2)})
			}
			if _, err := h.pool.Revalidate(ctx, blk, num); err != nil {
				t.Error(err)
			}
			_ = h.pool.Stats()
			time.Sleep(time.Millisecond) // let submitters interleave; correctness does not depend on it
		}
	})
	wg.Wait()
	checkInvariants(t, h.pool)
	for _, w := range watchers { // those still waiting for a block or finality
		w.Stop()
	}
	readers.Wait()
}

// TestValidationOutsideLock shows a blocked validator does not block the
// pool: while one submission waits inside Validate, others are served.
func TestValidationOutsideLock(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 1, "", "a"))
	h.chain.gate = make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := h.pool.Submit(context.Background(), types.SourceExternal, fx("b", 1, "", "b"))
		done <- err
	}()
	// The pool answers while the validator is stuck.
	if it := h.pool.Ready(); it == nil {
		t.Fatal("no iterator")
	}
	h.pool.Prune(types.Hash{1}, 1, nil)
	_ = h.pool.Stats()
	h.chain.gate <- struct{}{}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := h.pool.Stats(); s.Ready != 2 {
		t.Fatalf("stats %+v", s)
	}
}
