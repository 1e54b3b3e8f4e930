package staking

import (
	"errors"
	"slices"
	"testing"

	"github.com/metamars/mars/pallets/offences"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

var kind = [16]byte{'t', 'e', 's', 't', ':', 'e', 'q', 'u', 'i', 'v'}

func (r *testRuntime) report(slot byte, fraction uint32, who ...types.AccountID) error {
	return r.off.ReportOffence(r.ctx(), kind, []byte{slot, 0, 0, 0, 0, 0, 0, 0}, who, fraction)
}

// TestSlashDeferredThenApplied: A (own 1000, N1 1000) equivocates in era
// 0 for 10%: 100 from each is due at era 1 (defer 1), A is chilled at
// once (era 1 elects only B). A second offence of 20% in the same era adds
// the difference (another 100 each); a smaller one adds nothing. At era
// 1's start the slashes move 400 into the pool.
func TestSlashDeferredThenApplied(t *testing.T) {
	r := payoutRuntime(t).Build()
	pool := RewardsPoolAccount()
	if err := r.report(1, 100_000_000, va); err != nil {
		t.Fatal(err)
	}
	r.env.RequireLastEvent(t, offences.PalletName, offences.EventOffence{Kind: kind, TimeSlot: []byte{1, 0, 0, 0, 0, 0, 0, 0}})
	r.requireEvent(EventChilled{Stash: va})
	r.requireEvent(EventSlashReported{Validator: va, Fraction: 100_000_000, SlashEra: 0})
	want := []UnappliedSlash{{Validator: va, Own: u(100), Others: []OtherSlash{{n1, u(100)}}}}
	if got := r.p.UnappliedSlashes(r.ctx(), 1); !slicesEqualSlash(got, want) {
		t.Fatalf("unapplied %+v", got)
	}
	if err := r.report(2, 200_000_000, va); err != nil {
		t.Fatal(err)
	}
	if err := r.report(3, 50_000_000, va); err != nil {
		t.Fatal(err)
	}
	want = append(want, want[0])
	if got := r.p.UnappliedSlashes(r.ctx(), 1); !slicesEqualSlash(got, want) {
		t.Fatalf("unapplied %+v", got)
	}
	r.requireLedger(va, 1_000, 1_000)
	r.rotateTo(1)
	if !slices.Equal(r.active, []types.AccountID{vb}) {
		t.Fatalf("era 1 validators %v", r.active)
	}
	r.requireEvent(EventStash{Index: EvSlashed, Stash: va, Amount: u(100)})
	r.requireEvent(EventStash{Index: EvSlashed, Stash: n1, Amount: u(100)})
	r.requireLedger(va, 800, 800)
	r.requireLedger(n1, 800, 800)
	r.requireFree(va, 9_800)
	r.requireFree(pool, 100_400)
	if len(r.p.UnappliedSlashes(r.ctx(), 1)) != 0 {
		t.Fatal("slashes not consumed")
	}
}

func slicesEqualSlash(a, b []UnappliedSlash) bool {
	return slices.EqualFunc(a, b, func(x, y UnappliedSlash) bool {
		return x.Validator == y.Validator && x.Own == y.Own && slices.Equal(x.Others, y.Others) && x.Payout == y.Payout
	})
}

func TestCancelDeferredSlash(t *testing.T) {
	r := payoutRuntime(t).Build()
	if err := r.report(1, 100_000_000, va); err != nil {
		t.Fatal(err)
	}
	cancel := func(era uint32, idx ...uint32) *CancelDeferredSlashArgs {
		return &CancelDeferredSlashArgs{Era: era, SlashIndices: idx}
	}
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(va), CallCancelDeferredSlash, cancel(1, 0))
	r.requireNoop(ErrEmptyTargets, frame.Root(), CallCancelDeferredSlash, cancel(1))
	r.requireNoop(ErrNotSortedAndUnique, frame.Root(), CallCancelDeferredSlash, cancel(1, 0, 0))
	r.requireNoop(ErrInvalidSlashIndex, frame.Root(), CallCancelDeferredSlash, cancel(1, 1))
	r.requireNoop(ErrInvalidSlashIndex, frame.Root(), CallCancelDeferredSlash, cancel(2, 0))
	r.requireOK(frame.Root(), CallCancelDeferredSlash, cancel(1, 0))
	r.rotateTo(2)
	r.requireLedger(va, 1_000, 1_000)
	r.requireLedger(n1, 1_000, 1_000)
	r.requireFree(RewardsPoolAccount(), 100_000)
}

// TestImmediateSlashTakesUnlockingChunks: without deferral the slash is
// applied at once, from the active bond first and then from the newest
// unlocking chunks.
func TestImmediateSlashTakesUnlockingChunks(t *testing.T) {
	zero := uint32(0)
	r := payoutRuntime(t).With(func(g *GenesisConfig) { g.SlashDeferDuration = &zero }).Build()
	r.requireOK(frame.Signed(n1), CallUnbond, &ValueArgs{Value: u(950)})
	if err := r.report(1, 100_000_000, va); err != nil {
		t.Fatal(err)
	}
	r.requireLedger(n1, 900, 0, chunk(900, 2))
	r.requireLedger(va, 900, 900)
	r.requireFree(RewardsPoolAccount(), 100_200)
	// Not elected in the era: not slashed.
	if err := r.report(2, 100_000_000, stranger); err != nil {
		t.Fatal(err)
	}
	r.requireFree(RewardsPoolAccount(), 100_200)
}

func TestOffenceDedup(t *testing.T) {
	r := payoutRuntime(t).Build()
	if err := r.report(1, 100_000_000, va); err != nil {
		t.Fatal(err)
	}
	err := r.env.RequireNoop(t, func() error { return r.report(1, 100_000_000, va) })
	if !errors.Is(err, offences.ErrDuplicateReport) {
		t.Fatalf("repeat report: %v", err)
	}
	// A report naming a known and a new offender reports the new one only.
	if err := r.report(1, 100_000_000, va, vb); err != nil {
		t.Fatal(err)
	}
	r.requireEvent(EventSlashReported{Validator: vb, Fraction: 100_000_000, SlashEra: 0})
	if !r.off.IsKnownOffence(r.ctx(), kind, []byte{1, 0, 0, 0, 0, 0, 0, 0}, vb) {
		t.Fatal("vb not recorded")
	}
	for _, bad := range []func() error{
		func() error { return r.report(9, 100) },
		func() error { return r.report(9, 1_000_000_001, va) },
		func() error { return r.off.ReportOffence(r.ctx(), kind, make([]byte, 65), []types.AccountID{va}, 1) },
	} {
		if err := r.env.RequireNoop(t, bad); !errors.Is(err, offences.ErrBadReport) {
			t.Fatalf("bad report: %v", err)
		}
	}
}
