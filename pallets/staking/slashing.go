package staking

import (
	"slices"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Slashing, simplified from pallet_staking's: no slashing spans. An
// offence in the active era slashes fraction × the offender's exposure in
// that era (its own stake and each nominator's, pro rata). Within one era
// only the largest fraction counts: a second, larger offence slashes the
// difference, a smaller one nothing (ValidatorSlashInEra keeps the
// fraction, NominatorSlashInEra the running total). The slash is deferred
// by SlashDeferDuration eras (UnappliedSlashes, cancellable by root) and
// then taken from the stakers' ledgers into the rewards pool (MSCA supply
// is fixed: nothing is burnt). The offender is chilled at once, so it is
// not a candidate in later elections.

// OnOffence implements offences.OnOffenceHandler: slash each offender by
// slashFraction (parts per billion) of its exposure in the active era.
// Offenders that were not elected in that era are ignored.
func (p *Pallet) OnOffence(ctx *frame.Context, offenders []types.AccountID, slashFraction uint32) {
	active, ok := p.s.activeEra.TryGet(ctx)
	if !ok {
		return
	}
	era := active.Index
	fraction := min(Perbill(slashFraction), Billion)
	for _, v := range offenders {
		if !p.s.erasStakers.Exists(ctx, era, v) {
			continue
		}
		x := p.s.erasStakers.Get(ctx, era, v)
		p.chill(ctx, v)
		prior, _ := p.s.validatorSlash.TryGet(ctx, era, v)
		if fraction <= prior.Fraction {
			continue
		}
		own := mulPerbill(fraction, x.Own)
		s := UnappliedSlash{Validator: v, Own: own.SaturatingSub(prior.Amount)}
		p.s.validatorSlash.Set(ctx, era, v, SlashRecord{Fraction: fraction, Amount: own})
		for _, n := range x.Others {
			diff := mulPerbill(fraction, n.Value).SaturatingSub(mulPerbill(prior.Fraction, n.Value))
			if diff.IsZero() {
				continue
			}
			sofar, _ := p.s.nominatorSlash.TryGet(ctx, era, n.Who)
			p.s.nominatorSlash.Set(ctx, era, n.Who, sofar.SaturatingAdd(diff))
			s.Others = append(s.Others, OtherSlash{Who: n.Who, Amount: diff})
		}
		p.emit(ctx, EventSlashReported{Validator: v, Fraction: fraction, SlashEra: era})
		if deferBy := p.s.slashDeferDuration.Get(ctx); deferBy > 0 {
			at := era + deferBy
			p.s.unappliedSlashes.Set(ctx, at, append(slices.Clone(p.s.unappliedSlashes.Get(ctx, at)), s))
		} else {
			p.applySlash(ctx, s)
		}
	}
}

// applySlash takes an unapplied slash from the validator and its
// nominators.
func (p *Pallet) applySlash(ctx *frame.Context, s UnappliedSlash) {
	p.slashStaker(ctx, s.Validator, s.Own)
	for _, o := range s.Others {
		p.slashStaker(ctx, o.Who, o.Amount)
	}
}

// slashStaker lowers stash's ledger by up to amount (active first, then
// the newest unlocking chunks) and moves that much of its balance to the
// pool. Emits Slashed with what was moved.
func (p *Pallet) slashStaker(ctx *frame.Context, stash types.AccountID, amount scale.U128) {
	l, ok := p.s.ledger.TryGet(ctx, stash)
	if !ok || amount.IsZero() {
		return
	}
	value := minU128(amount, l.Total)
	left := value
	take := minU128(left, l.Active)
	l.Active = l.Active.SaturatingSub(take)
	left = left.SaturatingSub(take)
	chunks := slices.Clone(l.Unlocking)
	for i := len(chunks) - 1; i >= 0 && !left.IsZero(); i-- {
		take := minU128(left, chunks[i].Value)
		chunks[i].Value = chunks[i].Value.SaturatingSub(take)
		left = left.SaturatingSub(take)
	}
	l.Unlocking = slices.DeleteFunc(chunks, func(c UnlockChunk) bool { return c.Value.IsZero() })
	l.Total = l.Total.SaturatingSub(value)
	p.putLedger(ctx, l)
	pool := RewardsPoolAccount()
	moved := minU128(value, p.cfg.Currency.Reducible(ctx, stash, false, false))
	if p.cfg.Currency.Transfer(ctx, stash, pool, moved, false) != nil {
		moved = minU128(value, p.cfg.Currency.Reducible(ctx, stash, true, false))
		if p.cfg.Currency.Transfer(ctx, stash, pool, moved, true) != nil {
			moved = scale.U128{}
		}
	}
	p.s.poolLastBalance.Set(ctx, p.s.poolLastBalance.Get(ctx).SaturatingAdd(moved))
	p.emit(ctx, EventStash{Index: EvSlashed, Stash: stash, Amount: moved})
}

// cancel_deferred_slash: root cancels the slashes due at era with the
// given indices (sorted, unique).
func (p *Pallet) cancelDeferredSlash(ctx *frame.Context, o frame.Origin, a CancelDeferredSlashArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	if len(a.SlashIndices) == 0 {
		return ErrEmptyTargets
	}
	for i := 1; i < len(a.SlashIndices); i++ {
		if a.SlashIndices[i] <= a.SlashIndices[i-1] {
			return ErrNotSortedAndUnique
		}
	}
	slashes := slices.Clone(p.s.unappliedSlashes.Get(ctx, a.Era))
	if int(a.SlashIndices[len(a.SlashIndices)-1]) >= len(slashes) {
		return ErrInvalidSlashIndex
	}
	for i := len(a.SlashIndices) - 1; i >= 0; i-- {
		k := a.SlashIndices[i]
		slashes = append(slashes[:k], slashes[k+1:]...)
	}
	if len(slashes) == 0 {
		p.s.unappliedSlashes.Remove(ctx, a.Era)
	} else {
		p.s.unappliedSlashes.Set(ctx, a.Era, slashes)
	}
	return nil
}
