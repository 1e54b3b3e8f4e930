package txpool

import (
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

func TestWatcherReadyInBlockFinalized(t *testing.T) {
	h := newHarness(t, Config{})
	ext := fx("a", 1, "", "a")
	w := h.watch(ext)
	b1, b2 := types.Hash{1}, types.Hash{2}
	h.pool.Prune(b1, 1, [][]byte{ext})
	h.pool.BlockIncluded(b1, []types.Hash{w.Hash()})
	h.pool.BlockRetracted(b1)
	if _, err := h.pool.Submit(t.Context(), types.SourceInBlock, ext); err != nil {
		t.Fatalf("resubmit: %v", err)
	}
	h.pool.Prune(b2, 1, [][]byte{ext})
	h.pool.BlockIncluded(b2, []types.Hash{w.Hash()})
	h.pool.BlockFinalized(b2)
	var got []string
	for s := range w.Updates() { // closed after finalized
		got = append(got, s.String())
	}
	want := []string{"ready", "inBlock(" + b1.Hex() + ")", "retracted(" + b1.Hex() + ")", "ready",
		"inBlock(" + b2.Hex() + ")", "finalized(" + b2.Hex() + ")"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	h.pool.BlockFinalized(b2) // again: nothing to do, must not panic
	w.Stop()                  // after the end: no-op
}

func TestWatcherFinalityTimeout(t *testing.T) {
	h := newHarness(t, Config{FinalityTimeout: 2})
	var ws []*Watcher
	for i, id := range []string{"a", "b", "c"} {
		ext := fx(id, 1, "", id)
		w := h.watch(ext)
		ws = append(ws, w)
		blk := types.Hash{byte(i + 1)}
		h.pool.Prune(blk, types.BlockNumber(i+1), [][]byte{ext})
		h.pool.BlockIncluded(blk, []types.Hash{w.Hash()})
	}
	expectStatuses(t, ws[0], "ready inBlock finalityTimeout", true)
	expectStatuses(t, ws[1], "ready inBlock", false)
	h.pool.BlockFinalized(types.Hash{2})
	expectStatuses(t, ws[1], "finalized", true)
	h.pool.BlockIncluded(types.Hash{4}, nil)
	expectStatuses(t, ws[2], "ready inBlock", false)
}

func TestWatcherDroppedAndInvalid(t *testing.T) {
	h := newHarness(t, Config{ReadyCount: 1})
	low := h.watch(fx("low", 1, "", "low"))
	high := h.watch(fx("high", 2, "", "high"))
	expectStatuses(t, low, "ready dropped", true)

	inv := h.watch(fx("inv", 3, "", "inv")) // evicts high
	expectStatuses(t, high, "ready dropped", true)
	h.pool.RemoveInvalid(inv.Hash())
	expectStatuses(t, inv, "ready invalid", true)
}

func TestWatcherSlowReaderNeverBlocks(t *testing.T) {
	h := newHarness(t, Config{WatcherBuffer: 2})
	ext := fx("a", 1, "", "a")
	w := h.watch(ext)
	for i := range 50 { // many non-final updates, nobody reading
		blk := types.Hash{byte(i + 1)}
		h.pool.BlockIncluded(blk, []types.Hash{w.Hash()})
		h.pool.BlockRetracted(blk)
	}
	h.pool.BlockIncluded(types.Hash{0xff}, []types.Hash{w.Hash()})
	h.pool.BlockFinalized(types.Hash{0xff})
	got, closed := drain(w)
	if !closed || len(got) != 2 || got[1] != "finalized" {
		t.Fatalf("slow reader got %v closed=%v", got, closed)
	}
}

func TestWatcherStop(t *testing.T) {
	h := newHarness(t, Config{})
	w1 := h.watch(fx("a", 1, "", "a"))
	w1.Stop()
	w1.Stop()
	if _, closed := drain(w1); !closed {
		t.Fatal("stopped watcher still open")
	}
	h.pool.RemoveInvalid(w1.Hash()) // no watcher left: must not send on a closed channel
}
