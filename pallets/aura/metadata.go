package aura

import (
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
)

var _ metadata.Describer = (*Pallet)(nil)

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// metaTypes registers the authority id, slot and equivocation proof types.
func metaTypes(r *metadata.Registry) (pub, slot, proof metadata.TypeID) {
	arr := r.Array(32, r.Prim(metadata.U8))
	sr := r.Composite([]string{"sp_core", "sr25519", "Public"}, nil, []metadata.Field{{Type: arr, TypeName: "[u8; 32]"}})
	pub = r.Composite([]string{"sp_consensus_aura", "sr25519", "app_sr25519", "Public"}, nil,
		[]metadata.Field{{Type: sr, TypeName: "sr25519::Public"}})
	slot = r.Composite([]string{"sp_consensus_slots", "Slot"}, nil, []metadata.Field{{Type: r.Prim(metadata.U64), TypeName: "u64"}})
	hdr := r.Header()
	proof = r.Composite([]string{"mars_relay_runtime", "AuraEquivocationProof"}, nil, []metadata.Field{
		field("offender", pub, "AuthorityId"), field("slot", slot, "Slot"),
		field("first_header", hdr, "Header"), field("second_header", hdr, "Header"),
	})
	return pub, slot, proof
}

// ProofType registers EquivocationProof's type (for the runtime API's
// metadata) and returns its id.
func ProofType(r *metadata.Registry) metadata.TypeID {
	_, _, proof := metaTypes(r)
	return proof
}

// Metadata describes pallet_aura (with MSC's equivocation call and errors).
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	pub, slot, proof := metaTypes(r)
	u64 := r.Prim(metadata.U64)
	params := []metadata.Param{{Name: "T"}}
	path := func(name string) []string { return []string{"pallet_aura", "pallet", name} }
	calls := r.Variant(path("Call"), params, []metadata.Variant{{
		Name: "report_equivocation_unsigned", Index: CallReportEquivocationUnsigned,
		Fields: []metadata.Field{field("equivocation_proof", proof, "Box<AuraEquivocationProof>")},
		Docs:   doc("Report an author who sealed two blocks in one slot (unsigned, submitted by the node that saw them)."),
	}}, " Contains a variant per dispatchable extrinsic that this pallet has.")
	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), params, errVariants, " The `Error` enum of this pallet.")
	bounded := r.Composite([]string{"bounded_collections", "bounded_vec", "BoundedVec"},
		[]metadata.Param{metadata.P("T", pub), {Name: "S"}}, []metadata.Field{{Type: r.Sequence(pub), TypeName: "Vec<T>"}})
	e := scale.NewEncoder(8)
	e.PutU64(p.cfg.SlotDuration)
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{
			{Name: authorities.Name(), Value: bounded, Default: authorities.DefaultBytes(), Docs: doc("The current authority set.")},
			{Name: currentSlot.Name(), Value: slot, Default: currentSlot.DefaultBytes(),
				Docs: doc("The current slot of this block. This will be set in `on_initialize`.")},
		},
		Calls: tid(calls), Error: tid(errs),
		Constants: []metadata.Constant{{Name: "SlotDuration", Type: u64, Value: e.Bytes(),
			Docs: doc("The slot duration Aura should run with, expressed in milliseconds.")}},
		Docs: doc("MSC's pallet_aura: the Aura authorities and the current slot."),
	}
}
