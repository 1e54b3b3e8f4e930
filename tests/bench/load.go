package bench

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// txRec is what the load phase learned about one transfer.
type txRec struct {
	sent     time.Time // just before the submit call
	accepted bool      // the node's pool took it
	included time.Time // the client learnt of the block holding it
	final    time.Time // finalized (MSC) or mined (geth, = included)
	block    string    // the block holding it
	failed   string    // why it did not make it, "" if it did
}

// fillFigures computes the load figures of res from recs (a row per
// sender).
func fillFigures(res *Result, recs [][]txRec) {
	var first, last time.Time
	var lat []time.Duration
	perBlock := map[string]int{}
	blockSeen := map[string]time.Time{}
	for _, row := range recs {
		for _, r := range row {
			if r.sent.IsZero() {
				res.Failed++ // never sent: its sender stopped early
				continue
			}
			if first.IsZero() || r.sent.Before(first) {
				first = r.sent
			}
			if r.accepted {
				res.Submitted++
			}
			if r.final.IsZero() {
				res.Failed++
				continue
			}
			res.Included++
			if r.final.After(last) {
				last = r.final
			}
			if !r.included.IsZero() {
				lat = append(lat, r.included.Sub(r.sent))
			}
			perBlock[r.block]++
			if t, ok := blockSeen[r.block]; !ok || r.final.Before(t) {
				blockSeen[r.block] = r.final
			}
		}
	}
	if res.Included > 0 {
		res.Duration = last.Sub(first)
		if res.Duration > 0 {
			res.TPS = float64(res.Included) / res.Duration.Seconds()
		}
	}
	res.Latency = Summarize(lat)
	res.Blocks = len(perBlock)
	blocks := make([]string, 0, len(perBlock))
	for b, n := range perBlock {
		res.MaxPerBlock = max(res.MaxPerBlock, n)
		blocks = append(blocks, b)
	}
	slices.SortFunc(blocks, func(a, b string) int { return blockSeen[a].Compare(blockSeen[b]) })
	res.PerBlock = res.PerBlock[:0]
	for _, b := range blocks {
		res.PerBlock = append(res.PerBlock, perBlock[b])
	}
}

// failureReasons counts the transfers of recs that did not make it, by
// reason.
func failureReasons(recs [][]txRec) map[string]int {
	m := map[string]int{}
	for _, row := range recs {
		for _, r := range row {
			switch {
			case r.sent.IsZero():
				m["not sent (sender stopped after an error)"]++
			case r.failed != "":
				m[r.failed]++
			case r.final.IsZero():
				m["no final status"]++
			}
		}
	}
	return m
}

// Bounds of the wait for the load to land.
const (
	loadGrace = 3 * time.Second  // MSC: for the last statuses once the chain shows every transfer
	loadStall = 30 * time.Second // without a new transfer on chain: give up
)

// waitLoad waits until done closes (every watch ended; nil: never), or
// observed reaches want and grace has passed, or observed stops growing for
// loadStall, or ctx ends, or the observer fails. It returns "" when done
// closed, else why it stopped waiting.
func waitLoad(ctx context.Context, done <-chan struct{}, obsErr <-chan error, observed *atomic.Int64, want int64,
	grace time.Duration) string {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	last, lastChange := observed.Load(), time.Now()
	var allSince time.Time
	for {
		select {
		case <-done:
			return ""
		case err := <-obsErr:
			if err == nil {
				return "block observer stopped"
			}
			return "block observer: " + err.Error()
		case <-ctx.Done():
			return "load timeout reached"
		case <-t.C:
		}
		n := observed.Load()
		now := time.Now()
		if n != last {
			last, lastChange = n, now
		}
		if n >= want {
			if allSince.IsZero() {
				allSince = now
			} else if now.Sub(allSince) >= grace {
				return "" // on chain; missing statuses are reported by the caller
			}
		}
		if now.Sub(lastChange) > loadStall {
			return fmt.Sprintf("no new transfer on chain for %s: stopped waiting", loadStall)
		}
	}
}
