package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// storage holds the pallet's storage items. The balances themselves live in
// System.Account's data field (reached through Accounts).
type storage struct {
	// TotalIssuance: u128, the sum of free + reserved over all accounts.
	totalIssuance *frame.StorageValue[scale.U128]
	// InactiveIssuance: u128, issuance not counted for governance (unused
	// by MSC so far; kept for metadata compatibility).
	inactiveIssuance *frame.StorageValue[scale.U128]
	// Locks: Blake2_128Concat(AccountId) → Vec<BalanceLock>.
	locks *frame.StorageMap[types.AccountID, []BalanceLock]
	// Holds: Blake2_128Concat(AccountId) → Vec<IdAmount<RuntimeHoldReason, u128>>.
	holds *frame.StorageMap[types.AccountID, []IDAmount]
	// Freezes: Blake2_128Concat(AccountId) → Vec<IdAmount<RuntimeFreezeReason, u128>>.
	freezes *frame.StorageMap[types.AccountID, []IDAmount]
}

var (
	lockVecCodec     = frame.VecCodec(frame.Codec[BalanceLock]{Encode: encodeLock, Decode: decodeLock}, lockSize)
	idAmountVecCodec = frame.VecCodec(frame.Codec[IDAmount]{Encode: encodeIDAmount, Decode: decodeIDAmount}, idAmountSize)
)

func newStorage() storage {
	return storage{
		totalIssuance:    frame.NewValue(PalletName, "TotalIssuance", frame.U128Codec),
		inactiveIssuance: frame.NewValue(PalletName, "InactiveIssuance", frame.U128Codec),
		locks:            frame.NewMap(PalletName, "Locks", frame.Blake2_128Concat, frame.AccountIDCodec, lockVecCodec),
		holds:            frame.NewMap(PalletName, "Holds", frame.Blake2_128Concat, frame.AccountIDCodec, idAmountVecCodec),
		freezes:          frame.NewMap(PalletName, "Freezes", frame.Blake2_128Concat, frame.AccountIDCodec, idAmountVecCodec),
	}
}

// TotalIssuance returns Balances.TotalIssuance.
func (p *Pallet) TotalIssuance(st frame.Store) scale.U128 { return p.s.totalIssuance.Get(st) }

// Locks returns the locks on who.
func (p *Pallet) Locks(st frame.Store, who types.AccountID) []BalanceLock {
	return p.s.locks.Get(st, who)
}

// Holds returns the holds on who.
func (p *Pallet) Holds(st frame.Store, who types.AccountID) []IDAmount { return p.s.holds.Get(st, who) }

// Freezes returns the freezes on who.
func (p *Pallet) Freezes(st frame.Store, who types.AccountID) []IDAmount {
	return p.s.freezes.Get(st, who)
}
