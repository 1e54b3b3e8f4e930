package staking

import (
	"slices"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// TestElectionAndRotation: validators A 1000, B 500, C 300; nominators
// N1 1000 → B, C and N2 500 → C; two seats. Approvals A 1000, B 1500,
// C 1800: C wins round 0 (score 1/1800); then A scores 1/1000 and B
// (1 + 1000/1800)/1500 ≈ 1/964, so A wins. C's exposure is its 300 plus
// N1's 1000 and N2's 500. D then bonds 5000 and validates: the next era
// elects D and C, announced to session one session before the era starts.
func TestElectionAndRotation(t *testing.T) {
	r := newTestRuntime(t).Validator(va, 1_000, 0).Validator(vb, 500, 0).Validator(vc, 300, 0).
		Nominator(n1, 1_000, vb, vc).Nominator(n2, 500, vc).Funded(vd, 10_000).Build()
	ctx := r.ctx()
	if !slices.Equal(r.active, []types.AccountID{vc, va}) {
		t.Fatalf("era 0 validators %v", r.active)
	}
	if a, ok := r.p.ActiveEra(ctx); !ok || a.Index != 0 {
		t.Fatalf("active era %+v", a)
	}
	x := r.p.Exposure(ctx, 0, vc)
	if x.Total != u(1_800) || x.Own != u(300) || !slices.Equal(x.Others, []IndividualExposure{{n1, u(1_000)}, {n2, u(500)}}) {
		t.Fatalf("exposure of C %+v", x)
	}
	if x := r.p.Exposure(ctx, 0, va); x.Total != u(1_000) || len(x.Others) != 0 {
		t.Fatalf("exposure of A %+v", x)
	}
	if r.p.s.erasTotalStake.Get(ctx, 0) != u(2_800) {
		t.Fatal("total stake")
	}
	r.requireOK(frame.Signed(vd), CallBond, &BondArgs{Value: u(5_000)})
	r.requireOK(frame.Signed(vd), CallValidate, &ValidateArgs{})
	r.rotate() // session 1
	r.rotate() // session 2 starts; NewSession(3) plans era 1
	if cur, _ := r.p.CurrentEra(r.ctx()); cur != 1 {
		t.Fatalf("current era %d", cur)
	}
	r.requireEvent(EventUnit(EvStakersElected))
	if !slices.Equal(r.queued, []types.AccountID{vd, vc}) || !slices.Equal(r.active, []types.AccountID{vc, va}) {
		t.Fatalf("queued %v active %v", r.queued, r.active)
	}
	if a, _ := r.p.ActiveEra(r.ctx()); a.Index != 0 {
		t.Fatal("era 1 active too early")
	}
	r.rotate() // session 3: era 1 active
	if a, _ := r.p.ActiveEra(r.ctx()); a.Index != 1 || !slices.Equal(r.active, []types.AccountID{vd, vc}) {
		t.Fatalf("active era %+v, validators %v", a, r.active)
	}
	if r.p.s.erasStartSession.Get(r.ctx(), 1) != 3 {
		t.Fatal("era 1 start session")
	}
}

// TestElectionFailureKeepsTheSet: with fewer candidates than the minimum
// the election fails and no era is planned; session keeps its set.
func TestElectionFailureKeepsTheSet(t *testing.T) {
	r := base(t).Build()
	r.p.s.minValidatorCount.Set(r.ctx(), 3)
	r.rotate()
	r.rotate() // NewSession(3) fails
	r.requireEvent(EventUnit(EvStakingElectionFailed))
	if cur, _ := r.p.CurrentEra(r.ctx()); cur != 0 || len(r.queued) != 2 {
		t.Fatalf("current era %d, queued %v", cur, r.queued)
	}
	r.rotate() // retried every session
	r.requireEvent(EventUnit(EvStakingElectionFailed))
	r.p.s.minValidatorCount.Set(r.ctx(), 2)
	r.rotate()
	if cur, _ := r.p.CurrentEra(r.ctx()); cur != 1 {
		t.Fatalf("current era %d after recovery", cur)
	}
}

func payoutRuntime(t testing.TB) *testRuntime {
	return newTestRuntime(t).Validator(va, 1_000, 100_000_000).Validator(vb, 1_000, 0).
		Nominator(n1, 1_000, va).Pool(100_000)
}

// TestPayoutExact: A (10% commission) is backed by itself and N1 (1000
// each), B by itself. In era 0 A authors 3 blocks (60 points), B 1 (20).
// The era's reward is EraPayout = 1000. A's share: 60/80 = 750; commission
// 75; the 675 left splits 1/2 – 1/2: 337.5 each, rounded to the nearest
// with halves down (Perbill × balance) = 337. A gets 75 + 337 = 412, N1
// 337 (both Staked: added to their bonds), B gets 250.
func TestPayoutExact(t *testing.T) {
	r := payoutRuntime(t).Build()
	pool := RewardsPoolAccount()
	r.requireFree(pool, 100_000)
	r.author(va, 3)
	r.author(vb, 1)
	r.requireNoop(ErrInvalidEraToReward, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 0})
	r.rotateTo(1)
	r.requireEvent(EventEraPaid{Era: 0, ValidatorPayout: u(1_000), Remainder: u(100_000 - 1 - 1_000)})

	r.requireNoop(ErrNotStash, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: stranger, Era: 0})
	r.requireNoop(ErrInvalidEraToReward, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 5})
	r.requireNoop(ErrInvalidEraToReward, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: n1, Era: 0})
	r.requireOK(frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 0})
	staked := RewardDestination{Kind: PayeeStaked}
	r.requireEvent(EventPayoutStarted{Era: 0, Validator: va})
	r.requireEvent(EventRewarded{Stash: va, Dest: staked, Amount: u(412)})
	r.requireLastEvent(EventRewarded{Stash: n1, Dest: staked, Amount: u(337)})
	r.requireLedger(va, 1_412, 1_412)
	r.requireLedger(n1, 1_337, 1_337)
	r.requireNoop(ErrAlreadyClaimed, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 0})

	// B pays to its stash as free balance.
	r.requireOK(frame.Signed(vb), CallSetPayee, &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeStash}})
	r.requireOK(frame.Signed(va), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: vb, Era: 0})
	r.requireLastEvent(EventRewarded{Stash: vb, Dest: RewardDestination{Kind: PayeeStash}, Amount: u(250)})
	r.requireFree(vb, 10_250)
	r.requireLedger(vb, 1_000, 1_000)
	r.requireFree(pool, 100_000-999)
	if c := r.p.s.poolCommitted.Get(r.ctx()); c != u(1) {
		t.Fatalf("committed %s, want the 1 planck of rounding", c)
	}

	// Fees reaching the pool during era 1 are paid on top of EraPayout.
	if err := r.bal.Transfer(r.ctx(), funder, pool, u(500), true); err != nil {
		t.Fatal(err)
	}
	r.author(vb, 1)
	r.rotateTo(2)
	r.requireEvent(EventEraPaid{Era: 1, ValidatorPayout: u(1_500), Remainder: u(99_501 - 1 - 1 - 1_500)})
	r.requireOK(frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: vb, Era: 1})
	r.requireLastEvent(EventRewarded{Stash: vb, Dest: RewardDestination{Kind: PayeeStash}, Amount: u(1_500)})
	// A had no points in era 1: its claim pays nothing but is recorded.
	r.requireOK(frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 1})
	r.requireNoop(ErrAlreadyClaimed, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 1})
}

// TestPayoutDestinations: Account and None payees.
func TestPayoutDestinations(t *testing.T) {
	r := payoutRuntime(t).Build()
	r.requireOK(frame.Signed(va), CallSetPayee, &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeAccount, Account: acc(77)}})
	r.requireOK(frame.Signed(n1), CallSetPayee, &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeNone}})
	r.author(va, 1)
	r.rotateTo(1)
	r.requireOK(frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 0})
	// A's share is all 1000: commission 100, 450 own; N1's 450 stays.
	r.requireFree(acc(77), 550)
	r.requireFree(RewardsPoolAccount(), 100_000-550)
	if c := r.p.s.poolCommitted.Get(r.ctx()); c != u(450) {
		t.Fatalf("committed %s", c)
	}
}

// TestPoolLimitsTheReward: the pool pays at most what it holds beyond its
// existential deposit, and an era without points pays nothing.
func TestPoolLimitsTheReward(t *testing.T) {
	r := payoutRuntime(t).With(func(g *GenesisConfig) { g.RewardsPool = u(300) }).Build()
	r.rotateTo(1)
	r.requireEvent(EventEraPaid{Era: 0, ValidatorPayout: u(0), Remainder: u(299)})
	r.author(vb, 2)
	r.rotateTo(2)
	r.requireEvent(EventEraPaid{Era: 1, ValidatorPayout: u(299), Remainder: u(0)})
	r.author(vb, 2)
	r.rotateTo(3)
	r.requireEvent(EventEraPaid{Era: 2, ValidatorPayout: u(0), Remainder: u(0)})
	r.requireOK(frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: vb, Era: 1})
	r.requireFree(RewardsPoolAccount(), 1)
}

// TestHistoryDepthPrunes: after HistoryDepth eras an era's data is gone,
// its payout refused and its unclaimed reward released to the pool.
func TestHistoryDepthPrunes(t *testing.T) {
	one := uint32(1)
	r := payoutRuntime(t).With(func(g *GenesisConfig) { g.SessionsPerEra = &one }).Build()
	r.author(va, 1)
	r.rotateTo(1)
	if c := r.p.s.poolCommitted.Get(r.ctx()); c != u(1_000) {
		t.Fatalf("committed %s", c)
	}
	r.rotateToPlanned(HistoryDepth + 1)
	ctx := r.ctx()
	if r.p.s.erasStakers.Exists(ctx, 0, va) || r.p.s.erasReward.Exists(ctx, 0) || r.p.s.erasStartSession.Exists(ctx, 0) {
		t.Fatal("era 0 not pruned")
	}
	if !r.p.s.erasStakers.Exists(ctx, 1, va) {
		t.Fatal("era 1 pruned too early")
	}
	if c := r.p.s.poolCommitted.Get(ctx); c != u(0) {
		t.Fatalf("committed %s after pruning", c)
	}
	r.requireNoop(ErrInvalidEraToReward, frame.Signed(stranger), CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: va, Era: 0})
}

func TestRewardPoints(t *testing.T) {
	var p EraRewardPoints
	p.add(acc(5), 20)
	p.add(acc(1), 20)
	p.add(acc(5), 20)
	p.add(acc(3), 1)
	if p.Total != 61 || p.get(acc(5)) != 40 || p.get(acc(9)) != 0 ||
		!slices.Equal(p.Individual, []Points{{acc(1), 20}, {acc(3), 1}, {acc(5), 40}}) {
		t.Fatalf("%+v", p)
	}
	b := pointsCodec.Bytes(p)
	back, err := pointsCodec.Parse(b)
	if err != nil || back.Total != 61 || len(back.Individual) != 3 {
		t.Fatalf("%v %+v", err, back)
	}
	// Unsorted keys are refused.
	p.Individual[0], p.Individual[1] = p.Individual[1], p.Individual[0]
	if _, err := pointsCodec.Parse(pointsCodec.Bytes(p)); err == nil {
		t.Fatal("unsorted points decoded")
	}
}

type fixedTime uint64

func (f fixedTime) Get(frame.Store) uint64 { return uint64(f) }

// TestEraStartTime: the active era's start is recorded at the first
// finalize with a timestamp, once.
func TestEraStartTime(t *testing.T) {
	r := base(t).Build()
	if err := r.p.OnFinalize(r.ctx(), 1); err != nil { // no clock: nothing
		t.Fatal(err)
	}
	r.p.cfg.Time = fixedTime(0)
	_ = r.p.OnFinalize(r.ctx(), 1)
	if a, _ := r.p.ActiveEra(r.ctx()); a.HasStart {
		t.Fatal("start set before the time")
	}
	r.p.cfg.Time = fixedTime(6_000)
	_ = r.p.OnFinalize(r.ctx(), 1)
	r.p.cfg.Time = fixedTime(9_000)
	_ = r.p.OnFinalize(r.ctx(), 2)
	if a, _ := r.p.ActiveEra(r.ctx()); !a.HasStart || a.Start != 6_000 {
		t.Fatalf("active era %+v", a)
	}
}
