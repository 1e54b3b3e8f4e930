package staking

import (
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/runtime/scale"
)

// TestTryStateCatchesBrokenInvariants checks that each invariant can fail.
func TestTryStateCatchesBrokenInvariants(t *testing.T) {
	r := payoutRuntime(t).Build()
	ctx := r.ctx()
	if err := r.p.TryState(ctx, 1); err != nil {
		t.Fatal(err)
	}
	check := func(name string, mutate, restore func()) {
		t.Helper()
		mutate()
		if err := r.p.TryState(ctx, 1); !errors.Is(err, ErrInvariant) {
			t.Errorf("%s: TryState = %v", name, err)
		}
		restore()
		if err := r.p.TryState(ctx, 1); err != nil {
			t.Fatalf("%s: not restored: %v", name, err)
		}
	}
	l := r.ledger(va)
	check("total != active + chunks", func() {
		bad := l
		bad.Active = bad.Active.SaturatingSub(u(1))
		r.p.s.ledger.Set(ctx, va, bad)
	}, func() { r.p.s.ledger.Set(ctx, va, l) })
	check("lock != total", func() {
		r.bal.SetLock(ctx, StakingLockID, va, u(5), balances.ReasonsAll)
	}, func() { r.bal.SetLock(ctx, StakingLockID, va, l.Total, balances.ReasonsAll) })
	check("ledger without Bonded", func() { r.p.s.bonded.Remove(ctx, va) }, func() { r.p.s.bonded.Set(ctx, va, va) })
	check("validator without ledger", func() { r.p.s.validators.Set(ctx, stranger, ValidatorPrefs{}) },
		func() { r.p.s.validators.Remove(ctx, stranger) })
	check("pool below commitments", func() { r.p.s.poolCommitted.Set(ctx, scale.FromUint64(1<<40)) },
		func() { r.p.s.poolCommitted.Set(ctx, scale.U128{}) })
}
