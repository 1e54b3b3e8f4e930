package transactionpayment

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
)

var _ metadata.Describer = (*Pallet)(nil)

func doc(s string) []string { return []string{" " + s} }

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// Metadata describes pallet_transaction_payment: no calls and no errors,
// the TransactionFeePaid event, NextFeeMultiplier and StorageVersion, and
// the OperationalFeeMultiplier constant.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	acc, u128, u8 := r.AccountID32(), r.Prim(metadata.U128), r.Prim(metadata.U8)
	events := r.Variant([]string{"pallet_transaction_payment", "pallet", "Event"}, []metadata.Param{{Name: "T"}}, []metadata.Variant{
		{Name: "TransactionFeePaid", Index: EvTransactionFeePaid, Fields: []metadata.Field{
			{Name: "who", Type: acc, TypeName: "T::AccountId"},
			{Name: "actual_fee", Type: u128, TypeName: "BalanceOf<T>"},
			{Name: "tip", Type: u128, TypeName: "BalanceOf<T>"},
		}, Docs: doc("A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee, has been paid by `who`.")},
	}, " The `Event` enum of this pallet")
	fixed := r.Composite([]string{"sp_arithmetic", "fixed_point", "FixedU128"}, nil,
		[]metadata.Field{{Type: u128, TypeName: "u128"}})
	releases := r.Variant([]string{"pallet_transaction_payment", "Releases"}, nil, []metadata.Variant{
		{Name: "V1Ancient", Index: releasesV1Ancient}, {Name: "V2", Index: releasesV2},
	})
	s := &p.s
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{
			{Name: s.nextFeeMultiplier.Name(), Optional: s.nextFeeMultiplier.Query() == frame.OptionQuery,
				Value: fixed, Default: s.nextFeeMultiplier.DefaultBytes(),
				Docs: doc("The multiplier applied to weight fees (FixedU128, 1.0 = 10^18).")},
			{Name: s.storageVersion.Name(), Optional: s.storageVersion.Query() == frame.OptionQuery,
				Value: releases, Default: s.storageVersion.DefaultBytes(),
				Docs: doc("The pallet's storage layout version (V2 since genesis).")},
		},
		Event: tid(events),
		Constants: []metadata.Constant{{Name: "OperationalFeeMultiplier", Type: u8, Value: []byte{p.cfg.OperationalFeeMultiplier},
			Docs: doc("A fee multiplier for `Operational` extrinsics to compute \"virtual tip\" to boost their `priority`.")}},
		Docs: doc("pallet_transaction_payment: fees from weight and length, paid by the signer."),
	}
}
