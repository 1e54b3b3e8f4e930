package relay

import (
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// stakingLocks adapts Balances' locks (keyed by balances.LockID) to
// staking.Locks (keyed by [8]byte): pallets do not import each other.
// Staking's lock freezes for all reasons.
type stakingLocks struct{ b *balances.Pallet }

func (l stakingLocks) SetLock(ctx *frame.Context, id [8]byte, who types.AccountID, amount scale.U128) {
	l.b.SetLock(ctx, balances.LockID(id), who, amount, balances.ReasonsAll)
}

func (l stakingLocks) LockAmount(st frame.Store, id [8]byte, who types.AccountID) scale.U128 {
	for _, x := range l.b.Locks(st, who) {
		if x.ID == balances.LockID(id) {
			return x.Amount
		}
	}
	return scale.U128{}
}
