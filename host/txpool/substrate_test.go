package txpool

import (
	"errors"
	"strings"
	"testing"
)

// Scenarios from Substrate's base_pool tests, rebuilt on this pool to show
// the same outcomes (or the documented difference).

func TestSubstratePromoteSubgraph(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("1", 5, "0", "1"))
	h.submit(fx("3", 5, "2", "x3"))
	h.submit(fx("2", 5, "1", "3,2"))
	h.submit(fx("4", 1000, "3,4", "x4"))
	if s := h.pool.Stats(); s.Ready != 0 || s.Future != 4 {
		t.Fatalf("stats %+v", s)
	}
	h.submit(fx("5", 5, "", "0,4"))
	if got := strings.Join(h.readyIDs(), " "); got != "5 1 2 4 3" {
		t.Fatalf("order %q", got)
	}
}

func TestSubstrateCycle(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("1", 5, "0", "1"))
	h.submit(fx("3", 5, "1", "2"))
	w2 := h.watch(fx("2", 5, "2", "0")) // closes a cycle: all future
	if s := h.pool.Stats(); s.Ready != 0 || s.Future != 3 {
		t.Fatalf("stats %+v", s)
	}
	// A lower-priority provider of tag 0 is refused outright (Substrate
	// imports it, detects the cycle and drops all four).
	if err := h.submitErr(fx("4", 1, "", "0")); !errors.Is(err, ErrTooLowPriority) {
		t.Fatalf("low priority: %v", err)
	}
	// A higher one usurps 2 and breaks the cycle, as in Substrate.
	h.submit(fx("4", 50, "", "0"))
	expectStatuses(t, w2, "future usurped", true)
	if got := strings.Join(h.readyIDs(), " "); got != "4 1 3" {
		t.Fatalf("order %q", got)
	}
	if s := h.pool.Stats(); s.Future != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestSubstratePruneReady(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("5", 5, "0", "100"))
	one := fx("1", 5, "", "1")
	h.submit(one)
	two := fx("2", 5, "2", "3")
	h.submit(two)
	three := fx("3", 5, "1", "2")
	h.submit(three)
	h.submit(fx("4", 1000, "3,2", "4"))
	if s := h.pool.Stats(); s.Ready != 4 || s.Future != 1 {
		t.Fatalf("stats %+v", s)
	}
	// Substrate prunes by tags 0 and 2; here the block holds 3 (provides 2),
	// its ancestor 1, and a foreign extrinsic providing 0 that the pool
	// learns about at revalidation.
	h.chain.provide("0", "1", "2")
	h.pool.Prune([32]byte{1}, 1, [][]byte{one, three})
	if _, err := h.pool.Revalidate(t.Context(), [32]byte{1}, 1); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, h.pool)
	if got := strings.Join(h.readyIDs(), " "); got != "5 2 4" {
		t.Fatalf("order %q", got)
	}
}
