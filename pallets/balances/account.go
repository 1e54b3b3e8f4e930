package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// AccountData is the balance part of System.Account (pallet_balances'
// AccountData<u128>: free, reserved, frozen, flags), declared by frame
// because System stores it.
//
// Free is the balance that can be spent unless frozen, Reserved is held
// (reserved or on hold) and still counts toward the account's total, and
// Frozen is the amount that free + reserved may not drop below: the largest
// lock or freeze.
type AccountData = frame.AccountData

// newLogicFlag is bit 127 of AccountData.Flags (Substrate's IS_NEW_LOGIC).
// Substrate's default AccountData carries it, so an untouched or reaped
// account reads as flags 0x8000…00 on Polkadot; MSC has no old-logic
// accounts, so every data value this pallet reads gets the flag.
var newLogicFlag = scale.U128{Hi: 1 << 63}

// DefaultAccountData is the data of an account that holds nothing.
func DefaultAccountData() AccountData { return AccountData{Flags: newLogicFlag} }

// isDefault reports whether a is the data of an account that holds nothing.
func isDefault(a AccountData) bool { d := DefaultAccountData(); return a.Equal(&d) }

// total is free + reserved (saturating; the issuance invariant keeps it
// below 2^128 anyway).
func total(a AccountData) scale.U128 { return a.Free.SaturatingAdd(a.Reserved) }

// usable is the free balance not covered by the frozen amount. A freeze
// applies to free + reserved, so reserved funds count toward it first.
func usable(a AccountData) scale.U128 {
	return a.Free.SaturatingSub(a.Frozen.SaturatingSub(a.Reserved))
}

// providing reports whether the balance keeps the pallet's provider
// reference on the account: free must be at least the existential deposit.
func providing(a AccountData, ed scale.U128) bool { return !a.Free.Lt(ed) }

// consuming reports whether the account needs a consumer reference because
// some of its funds are reserved or frozen.
func consuming(a AccountData) bool { return !a.Reserved.IsZero() || !a.Frozen.IsZero() }

// maxU128 returns the larger of a and b.
func maxU128(a, b scale.U128) scale.U128 {
	if a.Lt(b) {
		return b
	}
	return a
}

// minU128 returns the smaller of a and b.
func minU128(a, b scale.U128) scale.U128 {
	if a.Lt(b) {
		return a
	}
	return b
}
