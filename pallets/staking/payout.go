package staking

import (
	"slices"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// payout_stakers: anyone pays validator's reward for era to it and its
// nominators, once. The validator's share of the era reward is its share
// of the era's points; the commission comes off first, the rest is split
// by stake over the exposure (own and nominators'). Arithmetic is
// Substrate's (Perbill::from_rational rounded down, Perbill × balance
// rounded to nearest), and the total never exceeds the era's reward.
func (p *Pallet) payoutStakers(ctx *frame.Context, o frame.Origin, a PayoutStakersArgs) error {
	if _, err := o.EnsureSigned(); err != nil {
		return err
	}
	cur, ok := p.s.currentEra.TryGet(ctx)
	if !ok || a.Era > cur || a.Era+HistoryDepth < cur {
		return ErrInvalidEraToReward
	}
	v := a.ValidatorStash
	if !p.s.bonded.Exists(ctx, v) {
		return ErrNotStash
	}
	reward, ok := p.s.erasReward.TryGet(ctx, a.Era)
	if !ok || !p.s.erasStakers.Exists(ctx, a.Era, v) {
		return ErrInvalidEraToReward
	}
	claimed := p.s.claimedRewards.Get(ctx, a.Era, v)
	if slices.Contains(claimed, 0) {
		return ErrAlreadyClaimed
	}
	p.s.claimedRewards.Set(ctx, a.Era, v, append(slices.Clone(claimed), 0))

	points := p.s.erasPoints.Get(ctx, a.Era)
	vp := points.get(v)
	if vp == 0 {
		return nil
	}
	p.emit(ctx, EventPayoutStarted{Era: a.Era, Validator: v})
	vTotal := mulPerbill(perbillFromRational(scale.FromUint64(uint64(vp)), scale.FromUint64(uint64(points.Total))), reward)
	prefs := p.s.erasPrefs.Get(ctx, a.Era, v)
	commission := mulPerbill(prefs.Commission, vTotal)
	leftover := vTotal.SaturatingSub(commission)
	x := p.s.erasStakers.Get(ctx, a.Era, v)
	own := mulPerbill(perbillFromRational(x.Own, x.Total), leftover)
	p.pay(ctx, a.Era, reward, v, commission.SaturatingAdd(own))
	for i, n := range x.Others {
		if i >= MaxExposureOthers {
			break
		}
		p.pay(ctx, a.Era, reward, n.Who, mulPerbill(perbillFromRational(n.Value, x.Total), leftover))
	}
	return nil
}

// pay moves amount of era's reward from the pool to stash's payee (capped
// at what is left of the reward). Staked adds it to the bond. A payee of
// None, a Staked payee without a ledger, or a transfer the destination
// cannot take (below the ED) pays nothing: the amount stays in the pool.
func (p *Pallet) pay(ctx *frame.Context, era uint32, reward scale.U128, stash types.AccountID, amount scale.U128) {
	paid := p.s.erasRewardPaid.Get(ctx, era)
	amount = minU128(amount, reward.SaturatingSub(paid))
	if amount.IsZero() {
		return
	}
	dest, ok := p.s.payee.TryGet(ctx, stash)
	if !ok || dest.Kind == PayeeNone {
		return
	}
	to := stash
	if dest.Kind == PayeeAccount {
		to = dest.Account
	}
	l, bonded := p.s.ledger.TryGet(ctx, stash)
	if dest.Kind == PayeeStaked && !bonded {
		return
	}
	err := ctx.Transactional(func() error {
		if err := p.cfg.Currency.Transfer(ctx, RewardsPoolAccount(), to, amount, true); err != nil {
			return err
		}
		if dest.Kind == PayeeStaked {
			p.addBond(ctx, l, amount)
		}
		return nil
	})
	if err != nil {
		return
	}
	p.s.erasRewardPaid.Set(ctx, era, paid.SaturatingAdd(amount))
	p.s.poolCommitted.Set(ctx, p.s.poolCommitted.Get(ctx).SaturatingSub(amount))
	p.s.poolLastBalance.Set(ctx, p.s.poolLastBalance.Get(ctx).SaturatingSub(amount))
	p.emit(ctx, EventRewarded{Stash: stash, Dest: dest, Amount: amount})
}
