package staking

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Currency is what staking needs from Balances to move funds;
// *balances.Pallet implements it as is.
type Currency interface {
	// Free is who's free balance.
	Free(ctx *frame.Context, who types.AccountID) scale.U128
	// Reducible is how much of who's free balance can leave (keeping the
	// ED if keepAlive; force ignores locks).
	Reducible(ctx *frame.Context, who types.AccountID, keepAlive, force bool) scale.U128
	// Transfer moves amount (frame Token errors when it cannot).
	Transfer(ctx *frame.Context, from, to types.AccountID, amount scale.U128, keepAlive bool) error
	// ExistentialDeposit is the minimum balance of a live account.
	ExistentialDeposit() scale.U128
}

// Locks is what staking needs from Balances' locks. Pallets may not import
// each other, and Balances' lock methods take its own LockID type, so the
// runtime wires it with a three-line adapter:
//
//	type stakingLocks struct{ b *balances.Pallet }
//
//	func (l stakingLocks) SetLock(ctx *frame.Context, id [8]byte, who types.AccountID, amount scale.U128) {
//		l.b.SetLock(ctx, balances.LockID(id), who, amount, balances.ReasonsAll)
//	}
//
//	func (l stakingLocks) LockAmount(st frame.Store, id [8]byte, who types.AccountID) scale.U128 {
//		for _, x := range l.b.Locks(st, who) {
//			if x.ID == balances.LockID(id) {
//				return x.Amount
//			}
//		}
//		return scale.U128{}
//	}
type Locks interface {
	// SetLock sets the lock id on who to amount, freezing it (all
	// reasons); a zero amount removes the lock.
	SetLock(ctx *frame.Context, id [8]byte, who types.AccountID, amount scale.U128)
	// LockAmount is the amount of the lock id on who (zero if none).
	LockAmount(st frame.Store, id [8]byte, who types.AccountID) scale.U128
}

// UnixTime gives the current block's time in unix milliseconds, 0 before
// it is set (*timestamp.Pallet implements it).
type UnixTime interface {
	Get(st frame.Store) uint64
}
