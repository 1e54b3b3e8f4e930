package metadata

// Types of the standard runtime APIs (V15 `apis`), with sp_runtime paths.

// Header is sp_runtime::generic::header::Header<u32, BlakeTwo256>.
func (r *Registry) Header() TypeID {
	h := r.H256()
	u32 := r.Prim(U32)
	hasher := r.Composite(path("sp_runtime", "traits", "BlakeTwo256"), nil, nil)
	return r.Composite(path("sp_runtime", "generic", "header", "Header"), []Param{P("Number", u32), P("Hash", hasher)}, []Field{
		{Name: "parent_hash", Type: h, TypeName: "Hash::Output"},
		{Name: "number", Type: r.Compact(u32), TypeName: "Number"},
		{Name: "state_root", Type: h, TypeName: "Hash::Output"},
		{Name: "extrinsics_root", Type: h, TypeName: "Hash::Output"},
		{Name: "digest", Type: r.Digest(), TypeName: "Digest"},
	})
}

// Block is sp_runtime::generic::block::Block<Header, uxt>.
func (r *Registry) Block(uxt TypeID) TypeID {
	hdr := r.Header()
	return r.Composite(path("sp_runtime", "generic", "block", "Block"), []Param{P("Header", hdr), P("Extrinsic", uxt)}, []Field{
		{Name: "header", Type: hdr, TypeName: "Header"},
		{Name: "extrinsics", Type: r.Sequence(uxt), TypeName: "Vec<Extrinsic>"},
	})
}

// TransactionValidityError is sp_runtime's, with InvalidTransaction and
// UnknownTransaction.
func (r *Registry) TransactionValidityError() TypeID {
	u8 := r.Prim(U8)
	inv := unitVariants("Call", "Payment", "Future", "Stale", "BadProof", "AncientBirthBlock",
		"ExhaustsResources", "Custom", "BadMandatory", "MandatoryValidation", "BadSigner",
		"IndeterminateImplicit", "UnknownOrigin")
	inv[7].Fields = []Field{{Type: u8, TypeName: "u8"}}
	unk := unitVariants("CannotLookup", "NoUnsignedValidator", "Custom")
	unk[2].Fields = []Field{{Type: u8, TypeName: "u8"}}
	invT := r.Variant(path("sp_runtime", "transaction_validity", "InvalidTransaction"), nil, inv)
	unkT := r.Variant(path("sp_runtime", "transaction_validity", "UnknownTransaction"), nil, unk)
	return r.Variant(path("sp_runtime", "transaction_validity", "TransactionValidityError"), nil, []Variant{
		{Name: "Invalid", Index: 0, Fields: []Field{{Type: invT, TypeName: "InvalidTransaction"}}},
		{Name: "Unknown", Index: 1, Fields: []Field{{Type: unkT, TypeName: "UnknownTransaction"}}},
	})
}

// ApplyExtrinsicResult is Result<Result<(), DispatchError>, TransactionValidityError>.
func (r *Registry) ApplyExtrinsicResult() TypeID {
	return r.Result(r.Result(r.Unit(), r.DispatchError()), r.TransactionValidityError())
}

// TransactionValidity is Result<ValidTransaction, TransactionValidityError>.
func (r *Registry) TransactionValidity() TypeID {
	tags := r.Sequence(r.Bytes())
	u64 := r.Prim(U64)
	valid := r.Composite(path("sp_runtime", "transaction_validity", "ValidTransaction"), nil, []Field{
		{Name: "priority", Type: u64, TypeName: "TransactionPriority"},
		{Name: "requires", Type: tags, TypeName: "Vec<TransactionTag>"},
		{Name: "provides", Type: tags, TypeName: "Vec<TransactionTag>"},
		{Name: "longevity", Type: u64, TypeName: "TransactionLongevity"},
		{Name: "propagate", Type: r.Prim(Bool), TypeName: "bool"},
	})
	return r.Result(valid, r.TransactionValidityError())
}

// TransactionSource is sp_runtime::transaction_validity::TransactionSource.
func (r *Registry) TransactionSource() TypeID {
	return r.Variant(path("sp_runtime", "transaction_validity", "TransactionSource"), nil, unitVariants("InBlock", "Local", "External"))
}

// InherentData is sp_inherents::InherentData (a BTreeMap<[u8;8], Vec<u8>>).
func (r *Registry) InherentData() TypeID {
	k, v := r.bytesN(8), r.Bytes()
	m := r.Composite(path("BTreeMap"), []Param{P("K", k), P("V", v)}, []Field{{Type: r.Sequence(r.Tuple(k, v))}})
	return r.Composite(path("sp_inherents", "InherentData"), nil, []Field{
		{Name: "data", Type: m, TypeName: "BTreeMap<InherentIdentifier, Vec<u8>>"},
	})
}

// CheckInherentsResult is sp_inherents::CheckInherentsResult.
func (r *Registry) CheckInherentsResult() TypeID {
	b := r.Prim(Bool)
	return r.Composite(path("sp_inherents", "CheckInherentsResult"), nil, []Field{
		{Name: "okay", Type: b, TypeName: "bool"},
		{Name: "fatal_error", Type: b, TypeName: "bool"},
		{Name: "errors", Type: r.InherentData(), TypeName: "InherentData"},
	})
}

// ExtrinsicInclusionMode is sp_runtime::ExtrinsicInclusionMode.
func (r *Registry) ExtrinsicInclusionMode() TypeID {
	return r.Variant(path("sp_runtime", "ExtrinsicInclusionMode"), nil, unitVariants("AllExtrinsics", "OnlyInherents"))
}

// OpaqueMetadata is sp_core::OpaqueMetadata.
func (r *Registry) OpaqueMetadata() TypeID {
	return r.Composite(path("sp_core", "OpaqueMetadata"), nil, []Field{{Type: r.Bytes(), TypeName: "Vec<u8>"}})
}

// RuntimeDispatchInfo is pallet_transaction_payment's query_info result.
func (r *Registry) RuntimeDispatchInfo() TypeID {
	u128, w := r.Prim(U128), r.Weight()
	return r.Composite(path("pallet_transaction_payment", "types", "RuntimeDispatchInfo"), []Param{P("Balance", u128), P("Weight", w)}, []Field{
		{Name: "weight", Type: w, TypeName: "Weight"},
		{Name: "class", Type: r.DispatchClass(), TypeName: "DispatchClass"},
		{Name: "partial_fee", Type: u128, TypeName: "Balance"},
	})
}

// FeeDetails is pallet_transaction_payment's query_fee_details result.
func (r *Registry) FeeDetails() TypeID {
	u128 := r.Prim(U128)
	incl := r.Composite(path("pallet_transaction_payment", "types", "InclusionFee"), []Param{P("Balance", u128)}, []Field{
		{Name: "base_fee", Type: u128, TypeName: "Balance"},
		{Name: "len_fee", Type: u128, TypeName: "Balance"},
		{Name: "adjusted_weight_fee", Type: u128, TypeName: "Balance"},
	})
	return r.Composite(path("pallet_transaction_payment", "types", "FeeDetails"), []Param{P("Balance", u128)}, []Field{
		{Name: "inclusion_fee", Type: r.Option(incl), TypeName: "Option<InclusionFee<Balance>>"},
		{Name: "tip", Type: u128, TypeName: "Balance"},
	})
}

// StandardAPIs returns the V15 descriptions of the runtime APIs MSC
// runtimes implement (the relay's list): Core, Metadata, BlockBuilder,
// TaggedTransactionQueue, AccountNonceApi, TransactionPaymentApi,
// GenesisBuilder. uxt is the UncheckedExtrinsic type.
func (r *Registry) StandardAPIs(uxt TypeID) []API {
	in := func(name string, t TypeID) APIParam { return APIParam{Name: name, Type: t} }
	m := func(name string, out TypeID, ins ...APIParam) APIMethod {
		return APIMethod{Name: name, Inputs: ins, Output: out}
	}
	unit, u32, bytes := r.Unit(), r.Prim(U32), r.Bytes()
	block, hdr := r.Block(uxt), r.Header()
	str := r.Prim(Str)
	return []API{
		{Name: "Core", Methods: []APIMethod{
			m("version", r.RuntimeVersion()),
			m("execute_block", unit, in("block", block)),
			m("initialize_block", r.ExtrinsicInclusionMode(), in("header", hdr)),
		}},
		{Name: "Metadata", Methods: []APIMethod{
			m("metadata", r.OpaqueMetadata()),
			m("metadata_at_version", r.Option(r.OpaqueMetadata()), in("version", u32)),
			m("metadata_versions", r.Sequence(u32)),
		}},
		{Name: "BlockBuilder", Methods: []APIMethod{
			m("apply_extrinsic", r.ApplyExtrinsicResult(), in("extrinsic", uxt)),
			m("finalize_block", hdr),
			m("inherent_extrinsics", r.Sequence(uxt), in("inherent", r.InherentData())),
			m("check_inherents", r.CheckInherentsResult(), in("block", block), in("data", r.InherentData())),
		}},
		{Name: "TaggedTransactionQueue", Methods: []APIMethod{
			m("validate_transaction", r.TransactionValidity(),
				in("source", r.TransactionSource()), in("tx", uxt), in("block_hash", r.H256())),
		}},
		{Name: "AccountNonceApi", Methods: []APIMethod{
			m("account_nonce", u32, in("account", r.AccountID32())),
		}},
		{Name: "TransactionPaymentApi", Methods: []APIMethod{
			m("query_info", r.RuntimeDispatchInfo(), in("uxt", uxt), in("len", u32)),
			m("query_fee_details", r.FeeDetails(), in("uxt", uxt), in("len", u32)),
			m("query_weight_to_fee", r.Prim(U128), in("weight", r.Weight())),
			m("query_length_to_fee", r.Prim(U128), in("length", u32)),
		}},
		{Name: "GenesisBuilder", Methods: []APIMethod{
			m("build_state", r.Result(unit, str), in("json", bytes)),
			m("get_preset", r.Option(bytes), in("id", r.Option(str))),
			m("preset_names", r.Sequence(str)),
		}},
	}
}
