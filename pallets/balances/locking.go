package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Locks (LockableCurrency), holds (fungible::hold) and freezes
// (fungible::freeze). A lock or freeze makes part of free + reserved
// unspendable; the largest one wins (they overlap). A hold moves funds to
// reserved under a reason.

// SetLock creates or replaces the lock id on who (a zero amount removes
// it). Emits Locked/Unlocked when the frozen amount changes.
func (p *Pallet) SetLock(ctx *frame.Context, id LockID, who types.AccountID, amount scale.U128, reasons LockReasons) {
	p.updateLocks(ctx, who, withLock(p.s.locks.Get(ctx, who), id, amount, reasons))
}

// ExtendLock raises the lock id on who to at least amount, creating it if
// needed.
func (p *Pallet) ExtendLock(ctx *frame.Context, id LockID, who types.AccountID, amount scale.U128, reasons LockReasons) {
	p.updateLocks(ctx, who, extendedLock(p.s.locks.Get(ctx, who), id, amount, reasons))
}

// RemoveLock removes the lock id from who.
func (p *Pallet) RemoveLock(ctx *frame.Context, id LockID, who types.AccountID) {
	p.updateLocks(ctx, who, withoutLock(p.s.locks.Get(ctx, who), id))
}

// updateLocks mirrors pallet_balances::update_locks: recompute frozen, keep
// a consumer reference while any lock exists.
func (p *Pallet) updateLocks(ctx *frame.Context, who types.AccountID, locks []BalanceLock) {
	prev, after := p.refreeze(ctx, who, locks, p.s.freezes.Get(ctx, who))
	existed := p.s.locks.Exists(ctx, who)
	sys := p.cfg.Accounts
	if len(locks) == 0 {
		p.s.locks.Remove(ctx, who)
		if existed {
			sys.DecConsumers(ctx, who)
		}
	} else {
		p.s.locks.Set(ctx, who, locks)
		if !existed {
			// Substrate only logs a failure here (the account has no provider).
			_ = sys.IncConsumers(ctx, who)
		}
	}
	p.emitFrozenChange(ctx, who, prev, after, EvLocked, EvUnlocked)
}

// refreeze recomputes who's frozen amount from locks and freezes and
// returns it before and after.
func (p *Pallet) refreeze(ctx *frame.Context, who types.AccountID, locks []BalanceLock, freezes []IDAmount) (prev, after scale.U128) {
	// Frozen does not move funds, so this cannot create dust; the only
	// failure (the account has no provider) leaves it unchanged, as in
	// Substrate where it is a debug assertion.
	_, _ = p.mutateAccount(ctx, who, func(a *AccountData, _ bool) error {
		prev = a.Frozen
		a.Frozen = frozenAmount(locks, freezes)
		after = a.Frozen
		return nil
	})
	return prev, after
}

func (p *Pallet) emitFrozenChange(ctx *frame.Context, who types.AccountID, prev, after scale.U128, up, down uint8) {
	switch after.Cmp(prev) {
	case 1:
		p.emit(ctx, EventAccount{Index: up, Who: who, Amount: after.SaturatingSub(prev)})
	case -1:
		p.emit(ctx, EventAccount{Index: down, Who: who, Amount: prev.SaturatingSub(after)})
	}
}

// SetFreeze sets the freeze id on who to amount (zero thaws it): TooManyFreezes
// beyond MaxFreezes. Emits Frozen/Thawed when the frozen amount changes.
func (p *Pallet) SetFreeze(ctx *frame.Context, id Reason, who types.AccountID, amount scale.U128) error {
	fs := append([]IDAmount(nil), p.s.freezes.Get(ctx, who)...)
	i := findID(fs, id)
	switch {
	case amount.IsZero() && i >= 0:
		fs = append(fs[:i], fs[i+1:]...)
	case amount.IsZero():
		return nil
	case i >= 0:
		fs[i].Amount = amount
	default:
		if uint32(len(fs)) >= p.cfg.MaxFreezes {
			return ErrTooManyFreezes
		}
		fs = append(fs, IDAmount{ID: id, Amount: amount})
	}
	prev, after := p.refreeze(ctx, who, p.s.locks.Get(ctx, who), fs)
	if len(fs) == 0 {
		p.s.freezes.Remove(ctx, who)
	} else {
		p.s.freezes.Set(ctx, who, fs)
	}
	p.emitFrozenChange(ctx, who, prev, after, EvFrozen, EvThawed)
	return nil
}

// Thaw removes the freeze id from who.
func (p *Pallet) Thaw(ctx *frame.Context, id Reason, who types.AccountID) error {
	return p.SetFreeze(ctx, id, who, scale.U128{})
}

// Hold moves amount of who's free balance on hold for reason
// (fungible::hold::Mutate::hold): Token(FundsUnavailable) if it is not
// reducible while keeping the account alive (freezes do not matter: they
// cover held funds too), TooManyHolds beyond MaxHolds.
func (p *Pallet) Hold(ctx *frame.Context, reason Reason, who types.AccountID, amount scale.U128) error {
	if amount.IsZero() {
		return nil
	}
	hs := append([]IDAmount(nil), p.s.holds.Get(ctx, who)...)
	i := findID(hs, reason)
	if i < 0 {
		if uint32(len(hs)) >= p.cfg.MaxHolds {
			return ErrTooManyHolds
		}
		hs = append(hs, IDAmount{ID: reason})
		i = len(hs) - 1
	}
	var ok bool
	if hs[i].Amount, ok = hs[i].Amount.Add(amount); !ok {
		return frame.ErrOverflow
	}
	if a, r := p.account(ctx, who); reducible(a, r, p.cfg.ExistentialDeposit, protect, true).Lt(amount) {
		return frame.ErrFundsUnavailable
	}
	_, err := p.mutateAccount(ctx, who, func(a *AccountData, _ bool) error {
		res, ok := a.Reserved.Add(amount)
		if !ok {
			return frame.ErrOverflow
		}
		a.Free, a.Reserved = a.Free.SaturatingSub(amount), res
		return nil
	})
	if err != nil {
		return err
	}
	p.s.holds.Set(ctx, who, hs)
	return nil
}

// Release returns up to amount held for reason to who's free balance and
// returns how much it released (fungible::hold::Mutate::release, best
// effort).
func (p *Pallet) Release(ctx *frame.Context, reason Reason, who types.AccountID, amount scale.U128) (scale.U128, error) {
	hs := append([]IDAmount(nil), p.s.holds.Get(ctx, who)...)
	i := findID(hs, reason)
	if i < 0 || amount.IsZero() {
		return scale.U128{}, nil
	}
	actual := minU128(hs[i].Amount, amount)
	_, err := p.mutateAccount(ctx, who, func(a *AccountData, _ bool) error {
		free, ok := a.Free.Add(actual)
		if !ok {
			return frame.ErrOverflow
		}
		a.Free, a.Reserved = free, a.Reserved.SaturatingSub(actual)
		return nil
	})
	if err != nil {
		return scale.U128{}, err
	}
	hs[i].Amount = hs[i].Amount.SaturatingSub(actual)
	if hs[i].Amount.IsZero() {
		hs = append(hs[:i], hs[i+1:]...)
	}
	if len(hs) == 0 {
		p.s.holds.Remove(ctx, who)
	} else {
		p.s.holds.Set(ctx, who, hs)
	}
	return actual, nil
}

// HeldBalance returns the amount held for reason on who.
func (p *Pallet) HeldBalance(ctx *frame.Context, reason Reason, who types.AccountID) scale.U128 {
	hs := p.s.holds.Get(ctx, who)
	if i := findID(hs, reason); i >= 0 {
		return hs[i].Amount
	}
	return scale.U128{}
}
