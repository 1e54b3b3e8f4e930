package staking

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func base(t testing.TB) *testRuntime {
	return newTestRuntime(t).Validator(va, 1_000, 0).Validator(vb, 1_000, 0).Pool(100_000)
}

func TestBond(t *testing.T) {
	r := base(t).Funded(stranger, 500).Build()
	r.requireNoop(frame.ErrBadOrigin, frame.Root(), CallBond, &BondArgs{Value: u(10)})
	r.requireNoop(ErrControllerDeprecated, frame.Signed(stranger), CallBond, &BondArgs{Value: u(10), Payee: RewardDestination{Kind: PayeeController}})
	r.requireNoop(ErrInsufficientBond, frame.Signed(stranger), CallBond, &BondArgs{Value: u(0)})
	r.requireNoop(ErrInsufficientBond, frame.Signed(acc(99)), CallBond, &BondArgs{Value: u(10)}) // no funds
	r.requireNoop(ErrAlreadyBonded, frame.Signed(va), CallBond, &BondArgs{Value: u(10)})
	// More than the free balance bonds everything free.
	r.requireOK(frame.Signed(stranger), CallBond, &BondArgs{Value: u(900), Payee: RewardDestination{Kind: PayeeAccount, Account: acc(7)}})
	r.requireLastEvent(EventStash{Index: EvBonded, Stash: stranger, Amount: u(500)})
	r.requireLedger(stranger, 500, 500)
	locks := r.bal.Locks(r.ctx(), stranger)
	if len(locks) != 1 || locks[0].ID != StakingLockID || locks[0].Amount != u(500) {
		t.Fatalf("locks %+v", locks)
	}
	// Bonded funds cannot move.
	if err := r.bal.Transfer(r.ctx(), stranger, va, u(1), false); err == nil {
		t.Fatal("bonded funds moved")
	}
}

func TestBondExtra(t *testing.T) {
	r := base(t).Build()
	r.requireNoop(ErrNotStash, frame.Signed(stranger), CallBondExtra, &ValueArgs{Value: u(5)})
	r.requireNoop(frame.ErrBadOrigin, frame.None(), CallBondExtra, &ValueArgs{Value: u(5)})
	r.requireOK(frame.Signed(va), CallBondExtra, &ValueArgs{Value: u(500)})
	r.requireLastEvent(EventStash{Index: EvBonded, Stash: va, Amount: u(500)})
	r.requireLedger(va, 1_500, 1_500)
	// Capped at the free balance (10_000).
	r.requireOK(frame.Signed(va), CallBondExtra, &ValueArgs{Value: u(1 << 40)})
	r.requireLedger(va, 10_000, 10_000)
}

func TestUnbondAndWithdraw(t *testing.T) {
	r := base(t).Build() // bonding duration 2, 3 sessions an era
	r.requireNoop(ErrNotController, frame.Signed(stranger), CallUnbond, &ValueArgs{Value: u(5)})
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(300)})
	r.requireLastEvent(EventStash{Index: EvUnbonded, Stash: va, Amount: u(300)})
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(100)}) // same era: merged
	r.requireLedger(va, 1_000, 600, chunk(400, 2))
	// Too early: nothing is freed.
	r.requireOK(frame.Signed(va), CallWithdrawUnbonded, &WithdrawUnbondedArgs{})
	r.requireLedger(va, 1_000, 600, chunk(400, 2))
	r.rotateToPlanned(2)
	if cur, _ := r.p.CurrentEra(r.ctx()); cur < 2 {
		t.Fatalf("current era %d", cur)
	}
	r.requireOK(frame.Signed(va), CallWithdrawUnbonded, &WithdrawUnbondedArgs{})
	r.requireLastEvent(EventStash{Index: EvWithdrawn, Stash: va, Amount: u(400)})
	r.requireLedger(va, 600, 600)
	// Unbonding everything chills; withdrawing it kills the stash.
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(1 << 50)})
	r.requireEvent(EventChilled{Stash: va})
	if r.p.IsValidator(r.ctx(), va) {
		t.Fatal("still a validator")
	}
	r.rotateTo(5)
	r.requireOK(frame.Signed(va), CallWithdrawUnbonded, &WithdrawUnbondedArgs{})
	r.requireLastEvent(EventStash{Index: EvWithdrawn, Stash: va, Amount: u(600)})
	if _, ok := r.p.Ledger(r.ctx(), va); ok || len(r.bal.Locks(r.ctx(), va)) != 0 {
		t.Fatal("stash not killed")
	}
}

func TestUnbondLimits(t *testing.T) {
	r := base(t).With(func(g *GenesisConfig) { g.MinValidatorBond = u(800) }).Build()
	// A validator must keep the minimum (or leave entirely).
	r.requireNoop(ErrInsufficientBond, frame.Signed(va), CallUnbond, &ValueArgs{Value: u(300)})
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(200)})
	// The chunk limit.
	l := r.ledger(vb)
	for i := range MaxUnlockingChunks {
		l.Unlocking = append(l.Unlocking, chunk(1, uint32(100+i)))
	}
	l.Active = l.Active.SaturatingSub(u(MaxUnlockingChunks))
	r.p.s.ledger.Set(r.ctx(), vb, l)
	r.requireNoop(ErrNoMoreChunks, frame.Signed(vb), CallUnbond, &ValueArgs{Value: u(1)})
}

func TestRebond(t *testing.T) {
	r := base(t).Build()
	r.requireNoop(ErrNoUnlockChunk, frame.Signed(va), CallRebond, &ValueArgs{Value: u(5)})
	r.requireNoop(ErrNotController, frame.Signed(stranger), CallRebond, &ValueArgs{Value: u(5)})
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(100)})
	r.rotateTo(1)
	r.requireOK(frame.Signed(va), CallUnbond, &ValueArgs{Value: u(50)})
	r.requireLedger(va, 1_000, 850, chunk(100, 2), chunk(50, 3))
	// The newest chunk goes first.
	r.requireOK(frame.Signed(va), CallRebond, &ValueArgs{Value: u(70)})
	r.requireLastEvent(EventStash{Index: EvBonded, Stash: va, Amount: u(70)})
	r.requireLedger(va, 1_000, 920, chunk(80, 2))
	r.requireOK(frame.Signed(va), CallRebond, &ValueArgs{Value: u(1_000)})
	r.requireLedger(va, 1_000, 1_000)
}

func TestValidateNominateChill(t *testing.T) {
	r := base(t).Funded(n1, 5_000).Funded(n2, 5_000).With(func(g *GenesisConfig) {
		g.MinValidatorBond, g.MinNominatorBond = u(500), u(100)
	}).Build()
	r.requireNoop(ErrNotController, frame.Signed(n1), CallValidate, &ValidateArgs{})
	r.requireOK(frame.Signed(n1), CallBond, &BondArgs{Value: u(400)})
	r.requireNoop(ErrInsufficientBond, frame.Signed(n1), CallValidate, &ValidateArgs{})
	prefs := ValidatorPrefs{Commission: 50_000_000, Blocked: true}
	r.requireOK(frame.Signed(n1), CallBondExtra, &ValueArgs{Value: u(100)})
	r.requireOK(frame.Signed(n1), CallValidate, &ValidateArgs{Prefs: prefs})
	r.requireLastEvent(EventValidatorPrefsSet{Stash: n1, Prefs: prefs})

	r.requireOK(frame.Signed(n2), CallBond, &BondArgs{Value: u(200)})
	r.requireNoop(ErrEmptyTargets, frame.Signed(n2), CallNominate, addrs())
	many := make([]types.AccountID, MaxNominations+1)
	for i := range many {
		many[i] = va
	}
	r.requireNoop(ErrTooManyTargets, frame.Signed(n2), CallNominate, addrs(many...))
	r.requireNoop(ErrBadTarget, frame.Signed(n2), CallNominate, addrs(va, stranger))
	r.requireNoop(ErrBadTarget, frame.Signed(n2), CallNominate, addrs(n1)) // blocked
	r.requireNoop(frame.ErrCannotLookup, frame.Signed(n2), CallNominate,
		&NominateArgs{Targets: []types.MultiAddress{{Kind: types.AddressIndex, Index: 1}}})
	r.requireOK(frame.Signed(n2), CallNominate, addrs(vb, va, vb))
	if nom, _ := r.p.s.nominators.TryGet(r.ctx(), n2); len(nom.Targets) != 2 || nom.Targets[0] != va {
		t.Fatalf("nominations %+v", nom)
	}
	// Nominating replaces validating, and back.
	r.requireOK(frame.Signed(n1), CallNominate, addrs(va))
	if r.p.IsValidator(r.ctx(), n1) {
		t.Fatal("nominator still validates")
	}
	r.requireOK(frame.Signed(n2), CallChill, &NoArgs{})
	r.requireLastEvent(EventChilled{Stash: n2})
	r.requireNoop(ErrNotController, frame.Signed(stranger), CallChill, &NoArgs{})
}

func TestSetPayee(t *testing.T) {
	r := base(t).Build()
	r.requireNoop(ErrControllerDeprecated, frame.Signed(va), CallSetPayee, &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeController}})
	r.requireNoop(ErrNotController, frame.Signed(stranger), CallSetPayee, &SetPayeeArgs{})
	r.requireOK(frame.Signed(va), CallSetPayee, &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeAccount, Account: acc(9)}})
	if d, _ := r.p.s.payee.TryGet(r.ctx(), va); d.Kind != PayeeAccount || d.Account != acc(9) {
		t.Fatalf("payee %+v", d)
	}
}

func TestRootCalls(t *testing.T) {
	r := base(t).Build()
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(va), CallSetValidatorCount, &SetValidatorCountArgs{New: 5})
	r.requireNoop(ErrTooManyValidators, frame.Root(), CallSetValidatorCount, &SetValidatorCountArgs{New: MaxValidatorsCount + 1})
	r.requireOK(frame.Root(), CallSetValidatorCount, &SetValidatorCountArgs{New: 5})
	if r.p.s.validatorCount.Get(r.ctx()) != 5 {
		t.Fatal("count not set")
	}
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(va), CallForceNewEra, &NoArgs{})
	r.requireOK(frame.Root(), CallForceNewEra, &NoArgs{})
	r.requireLastEvent(EventForceEra{Mode: ForceNew})
	// The next session plans era 1 although era 0 has just begun.
	r.rotate()
	if cur, _ := r.p.CurrentEra(r.ctx()); cur != 1 || r.p.s.forceEra.Get(r.ctx()) != NotForcing {
		t.Fatalf("current era %d, force %d", cur, r.p.s.forceEra.Get(r.ctx()))
	}
}

// TestNoopOrigins: every call checks its origin first.
func TestNoopOrigins(t *testing.T) {
	r := base(t).Build()
	for _, c := range []struct {
		idx  uint8
		args scale.Encodable
	}{
		{CallUnbond, &ValueArgs{Value: u(1)}}, {CallWithdrawUnbonded, &WithdrawUnbondedArgs{}},
		{CallValidate, &ValidateArgs{}}, {CallNominate, addrs(va)}, {CallChill, &NoArgs{}},
		{CallSetPayee, &SetPayeeArgs{}}, {CallRebond, &ValueArgs{Value: u(1)}},
		{CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va}},
	} {
		r.requireNoop(frame.ErrBadOrigin, frame.Root(), c.idx, c.args)
	}
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(va), CallCancelDeferredSlash, &CancelDeferredSlashArgs{SlashIndices: []uint32{0}})
}
