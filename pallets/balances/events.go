package balances

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Event variant indices, in pallet_balances' order.
const (
	EvEndowed             uint8 = 0  // {account, free_balance}
	EvDustLost            uint8 = 1  // {account, amount}
	EvTransfer            uint8 = 2  // {from, to, amount}
	EvBalanceSet          uint8 = 3  // {who, free}
	EvReserved            uint8 = 4  // {who, amount}
	EvUnreserved          uint8 = 5  // {who, amount}
	EvReserveRepatriated  uint8 = 6  // {from, to, amount, destination_status}
	EvDeposit             uint8 = 7  // {who, amount}
	EvWithdraw            uint8 = 8  // {who, amount}
	EvSlashed             uint8 = 9  // {who, amount}
	EvMinted              uint8 = 10 // {who, amount}
	EvBurned              uint8 = 11 // {who, amount}
	EvSuspended           uint8 = 12 // {who, amount}
	EvRestored            uint8 = 13 // {who, amount}
	EvUpgraded            uint8 = 14 // {who}
	EvIssued              uint8 = 15 // {amount}
	EvRescinded           uint8 = 16 // {amount}
	EvLocked              uint8 = 17 // {who, amount}
	EvUnlocked            uint8 = 18 // {who, amount}
	EvFrozen              uint8 = 19 // {who, amount}
	EvThawed              uint8 = 20 // {who, amount}
	EvTotalIssuanceForced uint8 = 21 // {old, new}
)

// EventTransfer: transfer succeeded.
type EventTransfer struct {
	From, To types.AccountID
	Amount   scale.U128
}

// EncodeTo writes variant 2 ++ from ++ to ++ amount.
func (e EventTransfer) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvTransfer)
	enc.PutRaw(e.From[:])
	enc.PutRaw(e.To[:])
	enc.PutU128(e.Amount)
}

// EventAccount is every event whose fields are {account/who, amount}:
// Endowed (amount = free_balance), DustLost, BalanceSet (amount = free),
// Reserved, Unreserved, Deposit, Withdraw, Slashed, Minted, Burned,
// Suspended, Restored, Locked, Unlocked, Frozen, Thawed. Index says which.
type EventAccount struct {
	Index  uint8
	Who    types.AccountID
	Amount scale.U128
}

// EncodeTo writes variant ++ who ++ amount.
func (e EventAccount) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(e.Index)
	enc.PutRaw(e.Who[:])
	enc.PutU128(e.Amount)
}

// EventUpgraded: an account was upgraded to the current account logic.
type EventUpgraded struct{ Who types.AccountID }

// EncodeTo writes variant 14 ++ who.
func (e EventUpgraded) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvUpgraded)
	enc.PutRaw(e.Who[:])
}

// EventTotalIssuanceForced: the total issuance was forcefully changed.
type EventTotalIssuanceForced struct{ Old, New scale.U128 }

// EncodeTo writes variant 21 ++ old ++ new.
func (e EventTotalIssuanceForced) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvTotalIssuanceForced)
	enc.PutU128(e.Old)
	enc.PutU128(e.New)
}
