package offences

import (
	"github.com/metamars/mars/runtime/frame/metadata"
)

var _ metadata.Describer = (*Pallet)(nil)

// Metadata describes pallet_offences: its event and storage (no calls, no
// errors, no constants).
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	acc, u8 := r.AccountID32(), r.Prim(metadata.U8)
	kind := r.Array(16, u8)
	h256 := r.H256()
	details := r.Composite([]string{"sp_staking", "offence", "OffenceDetails"}, nil, []metadata.Field{
		{Name: "offender", Type: acc, TypeName: "Offender"},
		{Name: "reporters", Type: r.Sequence(acc), TypeName: "Vec<Reporter>"},
	})
	event := r.Variant([]string{"pallet_offences", "pallet", "Event"}, nil, []metadata.Variant{{
		Name: "Offence", Index: 0,
		Fields: []metadata.Field{
			{Name: "kind", Type: kind, TypeName: "Kind"},
			{Name: "timeslot", Type: r.Bytes(), TypeName: "OpaqueTimeSlot"},
		},
		Docs: []string{" An offense was reported during the specified time slot. This event is not deposited for duplicate slashes."},
	}}, " Events type.")
	s := &p.s
	key := r.Tuple(kind, r.Bytes())
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{
			{Name: s.reports.Name(), Optional: true, Hashers: []uint8{uint8(s.reports.Hasher())}, Key: &h256, Value: details,
				Default: s.reports.DefaultBytes(), Docs: []string{" The primary structure that holds all offence records keyed by report identifiers."}},
			{Name: s.concurrent.Name(), Hashers: []uint8{uint8(s.concurrent.Hashers()[0]), uint8(s.concurrent.Hashers()[1])},
				Key: &key, Value: r.Sequence(h256), Default: s.concurrent.DefaultBytes(),
				Docs: []string{" A vector of reports of the same kind that happened at the same time slot."}},
		},
		Event: &event,
		Docs:  []string{" MSC's pallet_offences: records consensus offences once and hands the offenders to staking."},
	}
}
