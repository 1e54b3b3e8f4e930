package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// This file is the pallet's API for other pallets (Substrate's fungible
// Inspect/Mutate/Balanced and ReservableCurrency): transaction payment
// withdraws and deposits fees, staking and vesting lock and reserve.
// Consumers declare the subset they need in their own expected.go.

// Account returns who's balance data.
func (p *Pallet) Account(ctx *frame.Context, who types.AccountID) AccountData {
	a, _ := p.account(ctx, who)
	return a
}

// Free returns who's free balance.
func (p *Pallet) Free(ctx *frame.Context, who types.AccountID) scale.U128 {
	return p.Account(ctx, who).Free
}

// Total returns who's free + reserved balance.
func (p *Pallet) Total(ctx *frame.Context, who types.AccountID) scale.U128 {
	return total(p.Account(ctx, who))
}

// Reducible returns how much of who's free balance can be withdrawn
// (keeping the ED if keepAlive); force ignores freezes and locks.
func (p *Pallet) Reducible(ctx *frame.Context, who types.AccountID, keepAlive, force bool) scale.U128 {
	a, r := p.account(ctx, who)
	return reducible(a, r, p.cfg.ExistentialDeposit, keepAliveTo(keepAlive), force)
}

// keepAliveTo maps the keepAlive flag of the exported API to Preserve or
// Expendable.
func keepAliveTo(keepAlive bool) preservation {
	if keepAlive {
		return preserve
	}
	return expendable
}

// Transfer moves amount from one account to another (fungible::Mutate::
// transfer): Token(FundsUnavailable|Frozen|NotExpendable|OnlyProvider) when
// the source cannot pay (keeping the ED if keepAlive), Token(BelowMinimum) when the
// destination would end below the existential deposit. A source that falls
// below the ED is reaped (DustLost, System.KilledAccount); a new
// destination is created (System.NewAccount, Endowed). Emits Transfer.
func (p *Pallet) Transfer(ctx *frame.Context, from, to types.AccountID, amount scale.U128, keepAlive bool) error {
	pres := keepAliveTo(keepAlive)
	ed := p.cfg.ExistentialDeposit
	issuance := p.s.totalIssuance.Get(ctx)
	fa, fr := p.account(ctx, from)
	if err := canWithdraw(fa, fr, ed, issuance, amount).err(pres != expendable); err != nil {
		return err
	}
	ta, tr := p.account(ctx, to)
	if err := canDeposit(ta, ed, issuance, amount, false).err(); err != nil {
		return err
	}
	if amount.IsZero() && ta.Free.Lt(ed) {
		// can_deposit passes zero, but increase_balance then refuses a
		// destination below the ED; refuse before anything is written.
		return frame.ErrBelowMinimum
	}
	if from.Equal(&to) {
		return nil
	}
	if err := p.decreaseBalance(ctx, from, fa, fr, amount, pres, false); err != nil {
		return err
	}
	if _, err := p.increaseBalance(ctx, to, ta, tr, amount, false); err != nil {
		// Unreachable after the checks above (Substrate ignores it). Refuse
		// rather than burn the amount; the caller's transaction rolls the
		// decrease back.
		return err
	}
	p.emit(ctx, EventTransfer{From: from, To: to, Amount: amount})
	return nil
}

// Withdraw takes exactly amount from who's free balance out of existence
// (fungible::Balanced::withdraw, Polite): total issuance drops by amount.
// Emits Withdraw. The fee pallet uses it with keepAlive.
func (p *Pallet) Withdraw(ctx *frame.Context, who types.AccountID, amount scale.U128, keepAlive bool) error {
	if amount.IsZero() {
		return nil
	}
	a, r := p.account(ctx, who)
	if err := p.decreaseBalance(ctx, who, a, r, amount, keepAliveTo(keepAlive), false); err != nil {
		return err
	}
	p.subIssuance(ctx, amount)
	p.emit(ctx, EventAccount{Index: EvWithdraw, Who: who, Amount: amount})
	return nil
}

// Deposit creates amount in who's free balance (fungible::Balanced::
// deposit): total issuance rises by what was added. bestEffort adds nothing
// instead of failing when the account would end below the ED. Returns the
// amount added; emits Deposit.
func (p *Pallet) Deposit(ctx *frame.Context, who types.AccountID, amount scale.U128, bestEffort bool) (scale.U128, error) {
	if amount.IsZero() {
		return scale.U128{}, nil
	}
	if !bestEffort {
		if _, ok := p.s.totalIssuance.Get(ctx).Add(amount); !ok {
			return scale.U128{}, frame.ErrOverflow
		}
	}
	a, r := p.account(ctx, who)
	added, err := p.increaseBalance(ctx, who, a, r, amount, bestEffort)
	if err != nil {
		return scale.U128{}, err
	}
	p.addIssuance(ctx, added)
	if !added.IsZero() {
		p.emit(ctx, EventAccount{Index: EvDeposit, Who: who, Amount: added})
	}
	return added, nil
}

// Mint creates exactly amount in who's account (fungible::Mutate::
// mint_into). Emits Minted.
func (p *Pallet) Mint(ctx *frame.Context, who types.AccountID, amount scale.U128) error {
	if _, ok := p.s.totalIssuance.Get(ctx).Add(amount); !ok {
		return frame.ErrOverflow
	}
	a, r := p.account(ctx, who)
	added, err := p.increaseBalance(ctx, who, a, r, amount, false)
	if err != nil {
		return err
	}
	p.addIssuance(ctx, added)
	p.emit(ctx, EventAccount{Index: EvMinted, Who: who, Amount: amount})
	return nil
}

// Burn destroys exactly amount of who's free balance (fungible::Mutate::
// burn_from, Exact, Polite). Emits Burned.
func (p *Pallet) Burn(ctx *frame.Context, who types.AccountID, amount scale.U128, keepAlive bool) error {
	a, r := p.account(ctx, who)
	if err := p.decreaseBalance(ctx, who, a, r, amount, keepAliveTo(keepAlive), false); err != nil {
		return err
	}
	p.subIssuance(ctx, amount)
	p.emit(ctx, EventAccount{Index: EvBurned, Who: who, Amount: amount})
	return nil
}

// Reserve moves amount from free to reserved (ReservableCurrency::reserve):
// InsufficientBalance when free is short, LiquidityRestrictions when the
// rest would not cover the frozen amount, System's ConsumerRemaining when
// free would fall below the ED. Emits Reserved.
func (p *Pallet) Reserve(ctx *frame.Context, who types.AccountID, amount scale.U128) error {
	if amount.IsZero() {
		return nil
	}
	_, err := p.mutateAccount(ctx, who, func(a *AccountData, _ bool) error {
		free, ok := a.Free.Sub(amount)
		if !ok {
			return ErrInsufficientBalance
		}
		res, ok := a.Reserved.Add(amount)
		if !ok {
			return frame.ErrOverflow
		}
		if free.Lt(a.Frozen) {
			return ErrLiquidityRestrictions
		}
		a.Free, a.Reserved = free, res
		return nil
	})
	if err != nil {
		return err
	}
	p.emit(ctx, EventAccount{Index: EvReserved, Who: who, Amount: amount})
	return nil
}

// Unreserve moves up to amount from reserved back to free
// (ReservableCurrency::unreserve) and returns the part it could not move.
// Emits Unreserved.
func (p *Pallet) Unreserve(ctx *frame.Context, who types.AccountID, amount scale.U128) scale.U128 {
	if amount.IsZero() {
		return amount
	}
	if total(p.Account(ctx, who)).IsZero() {
		return amount
	}
	var actual scale.U128
	_, err := p.mutateAccount(ctx, who, func(a *AccountData, _ bool) error {
		actual = minU128(a.Reserved, amount)
		a.Reserved = a.Reserved.SaturatingSub(actual)
		a.Free = a.Free.SaturatingAdd(actual)
		return nil
	})
	if err != nil {
		return amount
	}
	p.emit(ctx, EventAccount{Index: EvUnreserved, Who: who, Amount: actual})
	return amount.SaturatingSub(actual)
}
