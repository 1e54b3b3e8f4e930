package grandpa

import "github.com/metamars/mars/runtime/frame/metadata"

var _ metadata.Describer = (*Pallet)(nil)

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// proofTypes registers the authority id and EquivocationProof types.
func proofTypes(r *metadata.Registry) (pub, proof metadata.TypeID) {
	arr := r.Array(32, r.Prim(metadata.U8))
	u64, u32 := r.Prim(metadata.U64), r.Prim(metadata.U32)
	ed := r.Composite([]string{"sp_core", "ed25519", "Public"}, nil, []metadata.Field{{Type: arr, TypeName: "[u8; 32]"}})
	pub = r.Composite([]string{"sp_consensus_grandpa", "app", "Public"}, nil, []metadata.Field{{Type: ed, TypeName: "ed25519::Public"}})
	edSig := r.Composite([]string{"sp_core", "ed25519", "Signature"}, nil,
		[]metadata.Field{{Type: r.Array(64, r.Prim(metadata.U8)), TypeName: "[u8; 64]"}})
	sig := r.Composite([]string{"sp_consensus_grandpa", "app", "Signature"}, nil, []metadata.Field{{Type: edSig, TypeName: "ed25519::Signature"}})
	h256 := r.H256()
	vote := func(name string) metadata.TypeID {
		return r.Composite([]string{"finality_grandpa", name}, []metadata.Param{metadata.P("H", h256), metadata.P("N", u32)},
			[]metadata.Field{field("target_hash", h256, "H"), field("target_number", u32, "N")})
	}
	equiv := func(v metadata.TypeID) metadata.TypeID {
		pair := r.Tuple(v, sig)
		return r.Composite([]string{"finality_grandpa", "Equivocation"}, []metadata.Param{metadata.P("Id", pub), metadata.P("V", v), metadata.P("S", sig)},
			[]metadata.Field{field("round_number", u64, "u64"), field("identity", pub, "Id"),
				field("first", pair, "(V, S)"), field("second", pair, "(V, S)")})
	}
	kind := r.Variant([]string{"sp_consensus_grandpa", "Equivocation"}, []metadata.Param{metadata.P("H", h256), metadata.P("N", u32)}, []metadata.Variant{
		{Name: "Prevote", Index: Prevote, Fields: []metadata.Field{{Type: equiv(vote("Prevote")), TypeName: "GrandpaEquivocation<finality_grandpa::Prevote<H, N>>"}}},
		{Name: "Precommit", Index: Precommit, Fields: []metadata.Field{{Type: equiv(vote("Precommit")), TypeName: "GrandpaEquivocation<finality_grandpa::Precommit<H, N>>"}}},
	})
	proof = r.Composite([]string{"sp_consensus_grandpa", "EquivocationProof"}, []metadata.Param{metadata.P("H", h256), metadata.P("N", u32)},
		[]metadata.Field{field("set_id", u64, "SetId"), field("equivocation", kind, "Equivocation<H, N>")})
	return pub, proof
}

// ProofType registers EquivocationProof's type (for the runtime API's
// metadata) and returns its id.
func ProofType(r *metadata.Registry) metadata.TypeID {
	_, proof := proofTypes(r)
	return proof
}

// Metadata describes pallet_grandpa as this package encodes it.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	u64, u32 := r.Prim(metadata.U64), r.Prim(metadata.U32)
	pub, proof := proofTypes(r)
	params := []metadata.Param{{Name: "T"}}
	path := func(name string) []string { return []string{"pallet_grandpa", "pallet", name} }
	v := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	calls := r.Variant(path("Call"), params, []metadata.Variant{
		v("report_equivocation_unsigned", CallReportEquivocationUnsigned,
			"Report voter equivocation/misbehavior (unsigned, submitted by the node that saw it).",
			field("equivocation_proof", proof, "Box<EquivocationProof<T::Hash, BlockNumberFor<T>>>")),
	}, " Contains a variant per dispatchable extrinsic that this pallet has.")
	list := r.Sequence(r.Tuple(pub, u64))
	events := r.Variant(path("Event"), nil, []metadata.Variant{
		v("NewAuthorities", EvNewAuthorities, "New authority set has been applied.", field("authority_set", list, "AuthorityList")),
		v("Paused", EvPaused, "Current authority set has been paused."),
		v("Resumed", EvResumed, "Current authority set has been resumed."),
	}, " The `Event` enum of this pallet")
	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), params, errVariants, " The `Error` enum of this pallet.")
	bounded := r.Composite([]string{"bounded_collections", "weak_bounded_vec", "WeakBoundedVec"},
		[]metadata.Param{metadata.P("T", r.Tuple(pub, u64)), {Name: "S"}}, []metadata.Field{{Type: list, TypeName: "Vec<T>"}})
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{
			{Name: currentSetID.Name(), Value: u64, Default: currentSetID.DefaultBytes(),
				Docs: doc("The number of changes (both in terms of keys and underlying economic responsibilities) in the \"set\" of Grandpa validators from genesis.")},
			{Name: setIDSession.Name(), Optional: true, Hashers: []uint8{uint8(setIDSession.Hasher())}, Key: tid(u64), Value: u32,
				Default: setIDSession.DefaultBytes(), Docs: doc("A mapping from grandpa set ID to the index of the *most recent* session for which its members were responsible.")},
			{Name: authorities.Name(), Value: bounded, Default: authorities.DefaultBytes(), Docs: doc("The current list of authorities.")},
		},
		Calls: tid(calls), Event: tid(events), Error: tid(errs),
		Docs: doc("MSC's pallet_grandpa: the GRANDPA authority set, its id and its changes."),
	}
}
