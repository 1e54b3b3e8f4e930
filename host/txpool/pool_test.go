package txpool

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

func TestReadyOrderRespectsTagsThenPriority(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 1, "", "a"))
	h.submit(fx("b", 100, "a", "b"))
	h.submit(fx("c", 50, "", "c"))
	h.submit(fx("d", 50, "", "d")) // same priority as c, younger
	h.submit(fx("e", 75, "b,c", "e"))
	got := strings.Join(h.readyIDs(), " ")
	// b outranks everything but must wait for a; e waits for b and c.
	if want := "c d a b e"; got != want {
		t.Fatalf("order %q, want %q", got, want)
	}
}

func TestFuturePromotedWhenTagAppears(t *testing.T) {
	h := newHarness(t, Config{})
	w3 := h.watch(fx("n3", 1, "n2", "n3"))
	w2 := h.watch(fx("n2", 1, "n1", "n2"))
	if s := h.pool.Stats(); s.Ready != 0 || s.Future != 2 {
		t.Fatalf("stats %+v", s)
	}
	expectStatuses(t, w3, "future", false)
	h.submit(fx("n1", 1, "", "n1"))
	if s := h.pool.Stats(); s.Ready != 3 || s.Future != 0 {
		t.Fatalf("stats %+v", s)
	}
	expectStatuses(t, w3, "ready", false)
	expectStatuses(t, w2, "future ready", false)
	if got := strings.Join(h.readyIDs(), " "); got != "n1 n2 n3" {
		t.Fatalf("order %q", got)
	}
}

func TestReplacement(t *testing.T) {
	h := newHarness(t, Config{})
	wOld := h.watch(fx("old", 10, "", "n0"))
	wDep := h.watch(fx("dep", 5, "n0", "n1"))
	newer := fx("new", 11, "", "n0")
	h.submit(newer)
	expectStatuses(t, wOld, "ready usurped", true)
	expectStatuses(t, wDep, "ready", false) // still ready: the usurper provides n0
	if got := strings.Join(h.readyIDs(), " "); got != "new dep" {
		t.Fatalf("order %q", got)
	}
	if err := h.submitErr(fx("same", 11, "", "n0")); !errors.Is(err, ErrTooLowPriority) {
		t.Fatalf("equal priority: %v", err)
	}
	// Replacing two holders needs more than their summed priority (11+5).
	if err := h.submitErr(fx("both", 16, "", "n0,n1")); !errors.Is(err, ErrTooLowPriority) {
		t.Fatalf("sum: %v", err)
	}
	h.submit(fx("both", 17, "", "n0,n1"))
	expectStatuses(t, wDep, "usurped", true)
	if got := strings.Join(h.readyIDs(), " "); got != "both" {
		t.Fatalf("order %q", got)
	}
}

func TestUsurpedByFutureDemotesDependants(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 1, "", "a"))
	w := h.watch(fx("b", 1, "a", "b"))
	h.submit(fx("a2", 5, "z", "a")) // usurps a but waits for z
	expectStatuses(t, w, "ready future", false)
	if s := h.pool.Stats(); s.Ready != 0 || s.Future != 2 {
		t.Fatalf("stats %+v", s)
	}
	h.submit(fx("z", 1, "", "z"))
	expectStatuses(t, w, "ready", false)
	if got := strings.Join(h.readyIDs(), " "); got != "z a2 b" {
		t.Fatalf("order %q", got)
	}
}

func TestSubmitErrors(t *testing.T) {
	h := newHarness(t, Config{MaxTxBytes: 64})
	var ve *ValidityError
	err := h.submitErr([]byte("id=x;bad=4"))
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Err.Kind != types.InvalidBadProof {
		t.Fatalf("invalid: %v", err)
	}
	if err := h.submitErr([]byte("id=x;unk=0")); !errors.Is(err, ErrUnknownValidity) {
		t.Fatalf("unknown: %v", err)
	}
	if err := h.submitErr([]byte("id=x;p=1")); !errors.Is(err, ErrNoProvides) {
		t.Fatalf("no provides: %v", err)
	}
	if err := h.submitErr([]byte(strings.Repeat("x", 65))); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	h.submit(fx("a", 1, "", "a"))
	if err := h.submitErr(fx("a", 1, "", "a")); !errors.Is(err, ErrAlreadyImported) {
		t.Fatalf("duplicate: %v", err)
	}
	h.chain.err = errFakeRuntime
	if err := h.submitErr(fx("b", 1, "", "b")); !errors.Is(err, ErrValidator) || !errors.Is(err, errFakeRuntime) {
		t.Fatalf("validator failure: %v", err)
	}
	if h.pool.IsBanned(hashOf(fx("b", 1, "", "b"))) {
		t.Fatal("a validator failure must not ban")
	}
}

func TestBans(t *testing.T) {
	h := newHarness(t, Config{BanTime: 10e9})
	bad := []byte("id=x;bad=0")
	if err := h.submitErr(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("first: %v", err)
	}
	calls := h.chain.callCount()
	if err := h.submitErr(bad); !errors.Is(err, ErrBanned) {
		t.Fatalf("banned: %v", err)
	}
	if h.chain.callCount() != calls {
		t.Fatal("a banned transaction was validated again")
	}
	h.clock.advance(10e9)
	if err := h.submitErr(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("after ban expiry: %v", err)
	}
	// Included transactions are banned too, except for SourceInBlock.
	ok := fx("ok", 1, "", "ok")
	h.submit(ok)
	h.pool.Prune(types.Hash{1}, 1, [][]byte{ok})
	if err := h.submitErr(ok); !errors.Is(err, ErrBanned) {
		t.Fatalf("included: %v", err)
	}
	if _, err := h.pool.Submit(context.Background(), types.SourceInBlock, ok); err != nil {
		t.Fatalf("resubmit from retracted block: %v", err)
	}
}

func TestBanListBounded(t *testing.T) {
	h := newHarness(t, Config{MaxBanned: 3})
	for i := range 10 {
		h.clock.advance(1e9)
		h.submitErr([]byte("id=" + string(rune('a'+i)) + ";bad=0"))
	}
	h.pool.mu.Lock()
	n := len(h.pool.mu.banned)
	h.pool.mu.Unlock()
	if n != 3 {
		t.Fatalf("%d bans kept", n)
	}
	if !h.pool.IsBanned(hashOf([]byte("id=j;bad=0"))) || h.pool.IsBanned(hashOf([]byte("id=a;bad=0"))) {
		t.Fatal("the oldest bans must go first")
	}
}

func TestPruneAfterBlock(t *testing.T) {
	h := newHarness(t, Config{})
	a, b := fx("a", 1, "", "a"), fx("b", 1, "a", "b")
	wa := h.watch(a)
	wb := h.watch(b)
	c := fx("c", 1, "x", "c") // future: x comes from an extrinsic in the same block
	wc := h.watch(c)
	x := fx("x", 1, "w", "x") // future in the pool, but the chain had w
	h.submit(x)

	h.chain.provide("a", "w", "x")
	h.pool.Prune(types.Hash{1}, 1, [][]byte{a, x})
	h.pool.BlockIncluded(types.Hash{1}, []types.Hash{hashOf(a), hashOf(x)})
	checkInvariants(t, h.pool)
	expectStatuses(t, wa, "ready inBlock", false)
	expectStatuses(t, wb, "ready", false)
	expectStatuses(t, wc, "future ready", false)
	if got := strings.Join(h.readyIDs(), " "); got != "b c" {
		t.Fatalf("order %q", got)
	}
	// Pruned tags stay satisfied for two blocks.
	h.submit(fx("late", 1, "a", "late"))
	if tx, _ := h.pool.Get(hashOf(fx("late", 1, "a", "late"))); !tx.Ready {
		t.Fatal("a pruned tag should satisfy a new requirement")
	}
	h.pool.BlockFinalized(types.Hash{1})
	expectStatuses(t, wa, "finalized", true)
}

func TestPruneForeignExtrinsicThenRevalidate(t *testing.T) {
	h := newHarness(t, Config{})
	w := h.watch(fx("n1", 1, "n0", "n1"))
	conflict := h.watch(fx("mine", 1, "", "n0"))
	foreign := fx("theirs", 1, "", "n0") // a different tx with the same nonce, gossiped elsewhere
	h.pool.Prune(types.Hash{1}, 1, [][]byte{foreign})
	expectStatuses(t, w, "future ready", false)
	expectStatuses(t, conflict, "ready", false)
	h.chain.provide("n0")
	removed, err := h.pool.Revalidate(context.Background(), types.Hash{1}, 1)
	if err != nil || removed != 1 {
		t.Fatalf("revalidate: %d %v", removed, err)
	}
	checkInvariants(t, h.pool)
	expectStatuses(t, conflict, "invalid", true)
	// n1 no longer requires n0 (the chain provides it) and stays ready.
	expectStatuses(t, w, "", false)
	if tx, _ := h.pool.Get(w.Hash()); !tx.Ready || len(tx.Requires) != 0 {
		t.Fatalf("after revalidation: %+v", tx)
	}
	if !h.pool.IsBanned(conflict.Hash()) {
		t.Fatal("revalidated invalid transaction not banned")
	}
}

func TestRevalidateIsBatchedOldestFirst(t *testing.T) {
	h := newHarness(t, Config{RevalidateBatch: 2})
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		h.submit(fx(id, 1, "", id))
	}
	h.chain.provide("a", "b", "c", "d", "e") // all stale now
	var removedPerCall []int
	for range 3 {
		calls := h.chain.callCount()
		n, err := h.pool.Revalidate(context.Background(), types.Hash{1}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if h.chain.callCount()-calls > 2 {
			t.Fatal("batch bound exceeded")
		}
		removedPerCall = append(removedPerCall, n)
		checkInvariants(t, h.pool)
	}
	if got := removedPerCall; got[0] != 2 || got[1] != 2 || got[2] != 1 {
		t.Fatalf("removed per call %v", got)
	}
}

func TestRevalidateRoundRobin(t *testing.T) {
	h := newHarness(t, Config{RevalidateBatch: 2})
	for _, id := range []string{"a", "b", "c"} {
		h.submit(fx(id, 1, "", id))
	}
	seen := map[types.Hash]int{}
	for range 3 {
		h.pool.mu.Lock()
		before := map[types.Hash]uint64{}
		for hash, tx := range h.pool.mu.txs {
			before[hash] = tx.checked
		}
		h.pool.mu.Unlock()
		if _, err := h.pool.Revalidate(context.Background(), types.Hash{1}, 1); err != nil {
			t.Fatal(err)
		}
		h.pool.mu.Lock()
		for hash, tx := range h.pool.mu.txs {
			if tx.checked != before[hash] {
				seen[hash]++
			}
		}
		h.pool.mu.Unlock()
	}
	for hash, n := range seen {
		if n != 2 {
			t.Fatalf("%s revalidated %d times in 3 rounds of 2 over 3 txs", hash, n)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("only %d txs revalidated", len(seen))
	}
}

func TestRevalidateKeepsUnknownAndStopsOnCancel(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 1, "", "a"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.pool.Revalidate(ctx, types.Hash{1}, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if s := h.pool.Stats(); s.Ready != 1 {
		t.Fatalf("cancelled revalidation removed txs: %+v", s)
	}
}

func TestRevalidateAppliesNewValidity(t *testing.T) {
	h := newHarness(t, Config{})
	w := h.watch(fx("a", 1, "", "a"))
	h.submit(fx("b", 5, "", "b"))
	wc := h.watch(fx("c", 1, "a", "c"))
	if got := strings.Join(h.readyIDs(), " "); got != "b a c" {
		t.Fatalf("order %q", got)
	}
	h.chain.setPriority("a", 9)
	if _, err := h.pool.Revalidate(context.Background(), types.Hash{1}, 1); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, h.pool)
	if got := strings.Join(h.readyIDs(), " "); got != "a b c" {
		t.Fatalf("order after re-ranking %q", got)
	}
	expectStatuses(t, w, "ready", false) // no spurious transition
	expectStatuses(t, wc, "ready", false)
	if tx, _ := h.pool.Get(w.Hash()); tx.Priority != 9 || tx.ValidTill != 65 {
		t.Fatalf("new validity not applied: %+v", tx)
	}
}

func TestMortality(t *testing.T) {
	h := newHarness(t, Config{})
	w := h.watch([]byte("id=m;p=1;v=m;l=2"))
	h.submit([]byte("id=k;p=1;v=k;l=3"))
	h.pool.Prune(types.Hash{1}, 1, nil)
	expectStatuses(t, w, "ready", false)
	h.pool.Prune(types.Hash{2}, 2, nil)
	checkInvariants(t, h.pool)
	expectStatuses(t, w, "invalid", true)
	if s := h.pool.Stats(); s.Ready != 1 {
		t.Fatalf("stats %+v", s)
	}
	if !h.pool.IsBanned(w.Hash()) {
		t.Fatal("stale transaction not banned")
	}
}

func TestRemoveInvalidDemotesDependants(t *testing.T) {
	h := newHarness(t, Config{})
	a := h.watch(fx("a", 1, "", "a"))
	b := h.watch(fx("b", 1, "a", "b"))
	h.pool.RemoveInvalid(a.Hash())
	checkInvariants(t, h.pool)
	expectStatuses(t, a, "ready invalid", true)
	expectStatuses(t, b, "ready future", false)
}

func TestRevalidateValidatorFailures(t *testing.T) {
	h := newHarness(t, Config{})
	w := h.watch(fx("a", 1, "", "a"))
	revalidate := func() int {
		t.Helper()
		removed, err := h.pool.Revalidate(context.Background(), types.Hash{1}, 1)
		if (h.chain.err != nil) != errors.Is(err, ErrValidator) {
			t.Fatalf("revalidate error %v with validator error %v", err, h.chain.err)
		}
		return removed
	}
	h.chain.err = errFakeRuntime
	revalidate()
	h.chain.err = nil
	revalidate() // a success resets the count
	h.chain.err = errFakeRuntime
	for range maxValidatorFailures - 1 {
		if revalidate() != 0 {
			t.Fatal("removed before the failure limit")
		}
	}
	expectStatuses(t, w, "ready", false)
	if revalidate() != 1 {
		t.Fatal("not removed at the failure limit")
	}
	expectStatuses(t, w, "invalid", true)
	checkInvariants(t, h.pool)
}
