package balances

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

func TestBurn(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	r.requireNoop(frame.ErrFundsUnavailable, frame.Signed(alice), CallBurn, &BurnArgs{Value: u(995), KeepAlive: true})
	r.requireNoop(frame.ErrBadOrigin, frame.Root(), CallBurn, &BurnArgs{Value: u(1)})
	r.requireOK(frame.Signed(alice), CallBurn, &BurnArgs{Value: u(300), KeepAlive: true})
	r.requireLastEvent(EventAccount{Index: EvBurned, Who: alice, Amount: u(300)})
	r.requireIssuance(800)
	r.requireOK(frame.Signed(bob), CallBurn, &BurnArgs{Value: u(100)})
	r.requireIssuance(700)
	if r.sys.AccountExists(r.ctx(), bob) {
		t.Fatal("bob not reaped")
	}
}

func TestForceAdjustTotalIssuance(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(alice), CallForceAdjustTotalIssuance, &AdjustIssuanceArgs{Delta: u(1)})
	r.requireNoop(ErrDeltaZero, frame.Root(), CallForceAdjustTotalIssuance, &AdjustIssuanceArgs{})
	r.p.s.inactiveIssuance.Set(r.ctx(), u(900))
	r.requireNoop(ErrIssuanceDeactivated, frame.Root(), CallForceAdjustTotalIssuance,
		&AdjustIssuanceArgs{Direction: AdjustDecrease, Delta: u(101)})
	r.requireOK(frame.Root(), CallForceAdjustTotalIssuance, &AdjustIssuanceArgs{Direction: AdjustIncrease, Delta: u(5)})
	r.requireLastEvent(EventTotalIssuanceForced{Old: u(1_000), New: u(1_005)})
	// Put it back, or the issuance invariant (rightly) fails at the end.
	r.requireOK(frame.Root(), CallForceAdjustTotalIssuance, &AdjustIssuanceArgs{Direction: AdjustDecrease, Delta: u(5)})
	r.requireIssuance(1_000)
}

func TestUpgradeAccounts(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	// An account stored without the flag (imported state).
	_ = r.sys.TryMutateAccountData(r.ctx(), bob, func(d *AccountData, _ bool) error { d.Flags = u(0); return nil })
	if err := r.dispatch(frame.Signed(alice), CallUpgradeAccounts, &UpgradeAccountsArgs{Who: []types.AccountID{bob}}); err != nil {
		t.Fatal(err)
	}
	r.requireLastEvent(EventUpgraded{Who: bob})
	if r.sys.Account(r.ctx(), bob).Data.Flags != newLogicFlag {
		t.Fatal("not upgraded")
	}
	c, err := r.env.RT.DecodeCallBytes(call(CallUpgradeAccounts, &UpgradeAccountsArgs{Who: []types.AccountID{bob, alice}}))
	if err != nil || c.Info().Weight != WeightUpgradeAccounts(2) {
		t.Fatalf("weight %+v %v", c.Info(), err)
	}
	post, err := c.Dispatch(r.ctx(), frame.Signed(alice))
	if err != nil || post.PaysFee != frame.PaysYes {
		t.Fatalf("nothing to upgrade must pay: %+v %v", post, err)
	}
}
