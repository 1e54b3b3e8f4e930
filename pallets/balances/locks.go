package balances

import "github.com/metamars/mars/runtime/scale"

// LockReasons says which kinds of withdrawal a lock restricts (Substrate's
// Reasons). Since the fungible rewrite of pallet_balances every lock freezes
// the whole amount whatever its reasons; the field is kept for encoding.
type LockReasons uint8

// Lock reasons in Substrate's variant order.
const (
	ReasonsFee  LockReasons = 0
	ReasonsMisc LockReasons = 1
	ReasonsAll  LockReasons = 2
)

// union returns the reasons covering both r and o (Substrate's BitOr).
func (r LockReasons) union(o LockReasons) LockReasons {
	if r == o {
		return r
	}
	return ReasonsAll
}

// LockID names a lock (Substrate's LockIdentifier, 8 bytes, e.g. "staking ").
type LockID [8]byte

// BalanceLock is one entry of Balances.Locks.
type BalanceLock struct {
	ID      LockID
	Amount  scale.U128
	Reasons LockReasons
}

// lockSize is the encoded size of a BalanceLock.
const lockSize = 8 + 16 + 1

func encodeLock(e *scale.Encoder, l BalanceLock) {
	e.PutRaw(l.ID[:])
	e.PutU128(l.Amount)
	e.PutU8(uint8(l.Reasons))
}

func decodeLock(d *scale.Decoder) BalanceLock {
	var l BalanceLock
	copy(l.ID[:], d.Raw(8))
	l.Amount = d.U128()
	r := d.U8()
	if r > uint8(ReasonsAll) {
		d.Fail(ErrBadEncoding)
	}
	l.Reasons = LockReasons(r)
	return l
}

// Reason identifies a hold or a freeze as the runtime's composite
// RuntimeHoldReason / RuntimeFreezeReason enum does: the pallet's index in
// the runtime, then the pallet's own reason variant (two bytes for unit
// variants, which are the only ones MSC uses).
type Reason struct {
	Pallet, Variant uint8
}

// IDAmount is one entry of Balances.Holds or Balances.Freezes.
type IDAmount struct {
	ID     Reason
	Amount scale.U128
}

const idAmountSize = 2 + 16

func encodeIDAmount(e *scale.Encoder, x IDAmount) {
	e.PutU8(x.ID.Pallet)
	e.PutU8(x.ID.Variant)
	e.PutU128(x.Amount)
}

func decodeIDAmount(d *scale.Decoder) IDAmount {
	var x IDAmount
	x.ID.Pallet = d.U8()
	x.ID.Variant = d.U8()
	x.Amount = d.U128()
	return x
}

// withLock returns locks with the lock id set to amount/reasons, replacing an
// existing one; a zero amount removes it (Substrate's set_lock).
func withLock(locks []BalanceLock, id LockID, amount scale.U128, reasons LockReasons) []BalanceLock {
	if amount.IsZero() {
		return withoutLock(locks, id)
	}
	out := make([]BalanceLock, 0, len(locks)+1)
	found := false
	for _, l := range locks {
		if l.ID == id {
			l.Amount, l.Reasons, found = amount, reasons, true
		}
		out = append(out, l)
	}
	if !found {
		out = append(out, BalanceLock{ID: id, Amount: amount, Reasons: reasons})
	}
	return out
}

// extendedLock returns locks with the lock id raised to at least amount and
// its reasons widened (Substrate's extend_lock); a zero amount is a no-op.
func extendedLock(locks []BalanceLock, id LockID, amount scale.U128, reasons LockReasons) []BalanceLock {
	if amount.IsZero() {
		return locks
	}
	out := make([]BalanceLock, 0, len(locks)+1)
	found := false
	for _, l := range locks {
		if l.ID == id {
			l.Amount = maxU128(l.Amount, amount)
			l.Reasons = l.Reasons.union(reasons)
			found = true
		}
		out = append(out, l)
	}
	if !found {
		out = append(out, BalanceLock{ID: id, Amount: amount, Reasons: reasons})
	}
	return out
}

// withoutLock returns locks without the lock id.
func withoutLock(locks []BalanceLock, id LockID) []BalanceLock {
	out := make([]BalanceLock, 0, len(locks))
	for _, l := range locks {
		if l.ID != id {
			out = append(out, l)
		}
	}
	return out
}

// frozenAmount is the frozen balance implied by locks and freezes: the
// largest single amount (locks and freezes overlap, they do not add up).
func frozenAmount(locks []BalanceLock, freezes []IDAmount) scale.U128 {
	var f scale.U128
	for _, l := range locks {
		f = maxU128(f, l.Amount)
	}
	for _, x := range freezes {
		f = maxU128(f, x.Amount)
	}
	return f
}

// findID returns the index of the entry for id, or -1.
func findID(xs []IDAmount, id Reason) int {
	for i, x := range xs {
		if x.ID == id {
			return i
		}
	}
	return -1
}
