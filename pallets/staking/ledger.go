package staking

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func (p *Pallet) emit(ctx *frame.Context, ev scale.Encodable) { ctx.Deposit(PalletName, ev) }

// ledgerOf returns the ledger of the signed stash (controller == stash):
// NotController when it is not bonded.
func (p *Pallet) ledgerOf(ctx *frame.Context, stash types.AccountID) (StakingLedger, error) {
	l, ok := p.s.ledger.TryGet(ctx, stash)
	if !ok {
		return l, ErrNotController
	}
	return l, nil
}

// putLedger writes the ledger and sets the staking lock to its total.
func (p *Pallet) putLedger(ctx *frame.Context, l StakingLedger) {
	p.cfg.Locks.SetLock(ctx, StakingLockID, l.Stash, l.Total)
	p.s.ledger.Set(ctx, l.Stash, l)
}

// killStash removes every trace of a stash: its bond, ledger, payee, role
// and lock (pallet_staking::kill_stash).
func (p *Pallet) killStash(ctx *frame.Context, stash types.AccountID) {
	p.s.bonded.Remove(ctx, stash)
	p.s.ledger.Remove(ctx, stash)
	p.s.payee.Remove(ctx, stash)
	p.s.validators.Remove(ctx, stash)
	p.s.nominators.Remove(ctx, stash)
	p.cfg.Locks.SetLock(ctx, StakingLockID, stash, scale.U128{})
}

// chill removes stash's validator or nominator role; Chilled if it had one.
func (p *Pallet) chill(ctx *frame.Context, stash types.AccountID) {
	was := false
	if p.s.validators.Exists(ctx, stash) {
		p.s.validators.Remove(ctx, stash)
		was = true
	}
	if p.s.nominators.Exists(ctx, stash) {
		p.s.nominators.Remove(ctx, stash)
		was = true
	}
	if was {
		p.emit(ctx, EventChilled{Stash: stash})
	}
}

// minActiveBond is the least active bond stash's role allows.
func (p *Pallet) minActiveBond(ctx *frame.Context, stash types.AccountID) scale.U128 {
	switch {
	case p.s.validators.Exists(ctx, stash):
		return p.minValidatorBond(ctx)
	case p.s.nominators.Exists(ctx, stash):
		return p.minNominatorBond(ctx)
	}
	return scale.U128{}
}

// minValidatorBond and minNominatorBond are the configured minimums, at
// least the existential deposit.
func (p *Pallet) minValidatorBond(ctx *frame.Context) scale.U128 {
	return maxU128(p.s.minValidatorBond.Get(ctx), p.cfg.Currency.ExistentialDeposit())
}

func (p *Pallet) minNominatorBond(ctx *frame.Context) scale.U128 {
	return maxU128(p.s.minNominatorBond.Get(ctx), p.cfg.Currency.ExistentialDeposit())
}

func maxU128(a, b scale.U128) scale.U128 {
	if a.Lt(b) {
		return b
	}
	return a
}

// bondStash bonds value of stash's free balance (capped at what is free)
// with payee: the work of bond and of the genesis stakers.
func (p *Pallet) bondStash(ctx *frame.Context, stash types.AccountID, value scale.U128, payee RewardDestination) error {
	if p.cfg.Locks == nil {
		return ErrBadState // miswired runtime: bonded funds could not be locked
	}
	if p.s.bonded.Exists(ctx, stash) {
		return ErrAlreadyBonded
	}
	if p.s.ledger.Exists(ctx, stash) {
		return ErrAlreadyPaired
	}
	if payee.Kind == PayeeController {
		return ErrControllerDeprecated
	}
	if value.Lt(p.cfg.Currency.ExistentialDeposit()) {
		return ErrInsufficientBond
	}
	value = minU128(value, p.cfg.Currency.Free(ctx, stash))
	if value.Lt(p.cfg.Currency.ExistentialDeposit()) {
		return ErrInsufficientBond
	}
	p.s.bonded.Set(ctx, stash, stash)
	p.s.payee.Set(ctx, stash, payee)
	p.putLedger(ctx, StakingLedger{Stash: stash, Total: value, Active: value})
	p.emit(ctx, EventStash{Index: EvBonded, Stash: stash, Amount: value})
	return nil
}

// addBond adds extra to stash's active bond (rewards paid as Staked).
func (p *Pallet) addBond(ctx *frame.Context, l StakingLedger, extra scale.U128) StakingLedger {
	l.Total = l.Total.SaturatingAdd(extra)
	l.Active = l.Active.SaturatingAdd(extra)
	p.putLedger(ctx, l)
	return l
}
