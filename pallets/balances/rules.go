package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// This file holds the pure balance rules of pallet_balances' fungible
// implementation (impl_fungible.rs): what may be withdrawn from an account,
// what may be deposited into one. They read no storage, so they are tested
// on their own.

// preservation says whether a withdrawal may kill the account
// (frame_support::traits::tokens::preservation).
type preservation uint8

const (
	// expendable: the account may be reaped.
	expendable preservation = iota
	// protect: the account may be reaped only if another provider keeps it.
	protect
	// preserve: the account must stay alive (keep at least the ED).
	preserve
)

// refs are the System reference counts of an account that the rules need.
type refs struct {
	providers, consumers uint32
	// info is the whole System.Account record read at write mark mark
	// (known): a later mutation of the account reuses it when nothing was
	// written since, instead of reading it again.
	info  frame.AccountInfo
	mark  uint64
	known bool
}

// canDecProvider mirrors frame_system::can_dec_provider: the last provider
// may go only if nothing consumes the account.
func (r refs) canDecProvider() bool { return r.consumers == 0 || r.providers > 1 }

// reducible is the amount of free balance that may be withdrawn, as
// Substrate's reducible_balance: frozen funds (beyond what is reserved) stay
// unless force, and the ED stays when the account must or has to live.
func reducible(a AccountData, r refs, ed scale.U128, p preservation, force bool) scale.U128 {
	var untouchable scale.U128
	if !force {
		untouchable = a.Frozen.SaturatingSub(a.Reserved)
	}
	needED := p == preserve ||
		(p == protect && !a.Free.IsZero() && r.providers == 1) ||
		(p == expendable && !a.Free.IsZero() && !r.canDecProvider())
	if needED {
		untouchable = maxU128(untouchable, ed)
	}
	return a.Free.SaturatingSub(untouchable)
}

// withdrawConsequence is the outcome of checking a withdrawal
// (frame_support WithdrawConsequence).
type withdrawConsequence uint8

const (
	wdSuccess       withdrawConsequence = iota
	wdReducedToZero                     // the rest (below ED) would be dust
	wdBalanceLow
	wdWouldDie
	wdUnderflow
	wdFrozen
)

// canWithdraw mirrors Inspect::can_withdraw of pallet_balances.
func canWithdraw(a AccountData, r refs, ed, issuance, amount scale.U128) withdrawConsequence {
	if amount.IsZero() {
		return wdSuccess
	}
	if _, ok := issuance.Sub(amount); !ok {
		return wdUnderflow
	}
	newFree, ok := a.Free.Sub(amount)
	if !ok {
		return wdBalanceLow
	}
	res := wdSuccess
	if newFree.Lt(ed) {
		if !r.canDecProvider() {
			return wdWouldDie
		}
		res = wdReducedToZero
	}
	if newFree.SaturatingAdd(a.Reserved).Lt(a.Frozen) {
		return wdFrozen
	}
	return res
}

// err turns a consequence into the dispatch error Substrate returns
// (WithdrawConsequence::into_result); keepAlive refuses ReducedToZero.
func (c withdrawConsequence) err(keepAlive bool) error {
	switch c {
	case wdBalanceLow:
		return frame.ErrFundsUnavailable
	case wdWouldDie:
		return frame.ErrOnlyProvider
	case wdUnderflow:
		return frame.ErrUnderflow
	case wdFrozen:
		return frame.ErrFrozen
	case wdReducedToZero:
		if keepAlive {
			return frame.ErrNotExpendable
		}
	}
	return nil
}

// depositConsequence is the outcome of checking a deposit
// (frame_support DepositConsequence).
type depositConsequence uint8

const (
	depSuccess depositConsequence = iota
	depBelowMinimum
	depOverflow
)

// canDeposit mirrors Inspect::can_deposit of pallet_balances; minted says
// the amount is new money (so total issuance must not overflow).
func canDeposit(a AccountData, ed, issuance, amount scale.U128, minted bool) depositConsequence {
	if amount.IsZero() {
		return depSuccess
	}
	if minted {
		if _, ok := issuance.Add(amount); !ok {
			return depOverflow
		}
	}
	newFree, ok := a.Free.Add(amount)
	if !ok {
		return depOverflow
	}
	if newFree.Lt(ed) {
		return depBelowMinimum
	}
	if _, ok := a.Reserved.Add(newFree); !ok {
		return depOverflow
	}
	return depSuccess
}

func (c depositConsequence) err() error {
	switch c {
	case depBelowMinimum:
		return frame.ErrBelowMinimum
	case depOverflow:
		return frame.ErrOverflow
	}
	return nil
}
