package staking

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

type lcg uint64

func (r *lcg) next(n int) int {
	*r = *r*6364136223846793005 + 1442695040888963407
	return int((uint64(*r) >> 33) % uint64(n))
}

// TestRandomOperationsKeepInvariants runs random staking operations,
// offences, payouts and session rotations. After every block TryState
// checks the ledgers, locks and pool (frametest runs it), and here: the
// total issuance never changes (MSCA supply is fixed: rewards and slashes
// only move funds), and no era pays more than its reward.
func TestRandomOperationsKeepInvariants(t *testing.T) {
	var payouts, slashed int
	for seed := range 6 {
		rng := lcg(seed + 7)
		one := uint32(1)
		r := newTestRuntime(t).Validator(va, 1_000, 50_000_000).Validator(vb, 2_000, 0).Validator(vc, 1_500, 1_000_000_000).
			Validator(vd, 800, 0).Nominator(n1, 1_000, va, vb).Nominator(n2, 3_000, vc, vd, va).Funded(stranger, 5_000).
			Pool(50_000).With(func(g *GenesisConfig) { g.ValidatorCount = 3; g.SessionsPerEra = &one }).Build()
		issuance := r.bal.TotalIssuance(r.ctx())
		people := []types.AccountID{va, vb, vc, vd, n1, n2, stranger}
		for step := range 400 {
			who := people[rng.next(len(people))]
			o := frame.Signed(who)
			amt := u(uint64(rng.next(1_500)))
			switch rng.next(14) {
			case 0:
				_ = r.dispatch(o, CallBond, &BondArgs{Value: amt, Payee: RewardDestination{Kind: uint8(rng.next(2))}})
			case 1:
				_ = r.dispatch(o, CallBondExtra, &ValueArgs{Value: amt})
			case 2:
				_ = r.dispatch(o, CallUnbond, &ValueArgs{Value: amt})
			case 3:
				_ = r.dispatch(o, CallRebond, &ValueArgs{Value: amt})
			case 4:
				_ = r.dispatch(o, CallWithdrawUnbonded, &WithdrawUnbondedArgs{})
			case 5:
				_ = r.dispatch(o, CallValidate, &ValidateArgs{Prefs: ValidatorPrefs{Commission: Perbill(rng.next(int(Billion)))}})
			case 6:
				_ = r.dispatch(o, CallNominate, addrs(people[rng.next(4)], people[rng.next(4)]))
			case 7:
				_ = r.dispatch(o, CallChill, &NoArgs{})
			case 8, 9:
				r.author(people[rng.next(4)], 1+rng.next(3))
			case 10:
				cur, _ := r.p.CurrentEra(r.ctx())
				pool := r.free(RewardsPoolAccount())
				if r.dispatch(o, CallPayoutStakers, &PayoutStakersArgs{ValidatorStash: people[rng.next(4)], Era: uint32(rng.next(int(cur) + 1))}) == nil &&
					r.free(RewardsPoolAccount()).Lt(pool) {
					payouts++
				}
			case 11:
				_ = r.off.ReportOffence(r.ctx(), kind, []byte{byte(step)}, []types.AccountID{people[rng.next(4)]}, uint32(rng.next(300_000_000)))
			case 12:
				cur, _ := r.p.CurrentEra(r.ctx())
				_ = r.dispatch(frame.Root(), CallCancelDeferredSlash, &CancelDeferredSlashArgs{Era: cur + 1, SlashIndices: []uint32{0}})
			case 13:
				pool := r.free(RewardsPoolAccount())
				r.rotate()
				if pool.Lt(r.free(RewardsPoolAccount())) {
					slashed++
				}
			}
			if got := r.bal.TotalIssuance(r.ctx()); got != issuance {
				t.Fatalf("seed %d step %d: issuance %s, was %s", seed, step, got, issuance)
			}
		}
		ctx := r.ctx()
		_ = r.p.s.erasReward.Iterate(ctx, func(era uint32, reward scale.U128) bool {
			if paid := r.p.s.erasRewardPaid.Get(ctx, era); reward.Lt(paid) {
				t.Fatalf("seed %d: era %d paid %s of %s", seed, era, paid, reward)
			}
			return true
		})
		if a, _ := r.p.ActiveEra(ctx); a.Index < 5 {
			t.Fatalf("seed %d: only %d eras", seed, a.Index)
		}
		r.env.FinishBlock()
		if err := r.p.TryState(ctx, 0); err != nil {
			t.Fatal(err)
		}
		r.env.StartBlock()
	}
	if payouts < 10 || slashed < 3 {
		t.Fatalf("the random runs paid %d times and applied slashes %d times: too few to test anything", payouts, slashed)
	}
	t.Logf("%d payouts, %d eras with slashes applied", payouts, slashed)
}
