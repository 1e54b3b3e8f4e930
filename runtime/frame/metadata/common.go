package metadata

import "strconv"

// Well-known Substrate types, with the paths @polkadot/api keys on.

func path(s ...string) []string { return s }

// Unit is ().
func (r *Registry) Unit() TypeID { return r.Tuple() }

// Bytes is Vec<u8>.
func (r *Registry) Bytes() TypeID { return r.Sequence(r.Prim(U8)) }

// Option is core::option::Option<t>.
func (r *Registry) Option(t TypeID) TypeID {
	return r.Variant(path("Option"), []Param{P("T", t)}, []Variant{
		{Name: "None", Index: 0},
		{Name: "Some", Index: 1, Fields: []Field{{Type: t}}},
	})
}

// Result is core::result::Result<ok, err>.
func (r *Registry) Result(ok, err TypeID) TypeID {
	return r.Variant(path("Result"), []Param{P("T", ok), P("E", err)}, []Variant{
		{Name: "Ok", Index: 0, Fields: []Field{{Type: ok}}},
		{Name: "Err", Index: 1, Fields: []Field{{Type: err}}},
	})
}

func (r *Registry) bytesN(n uint32) TypeID { return r.Array(n, r.Prim(U8)) }

func (r *Registry) newtypeBytes(n uint32, p ...string) TypeID {
	return r.Composite(p, nil, []Field{{Type: r.bytesN(n), TypeName: "[u8; " + strconv.Itoa(int(n)) + "]"}})
}

// AccountID32 is sp_core::crypto::AccountId32.
func (r *Registry) AccountID32() TypeID {
	return r.newtypeBytes(32, "sp_core", "crypto", "AccountId32")
}

// H256 is primitive_types::H256.
func (r *Registry) H256() TypeID { return r.newtypeBytes(32, "primitive_types", "H256") }

// Weight is sp_weights::weight_v2::Weight.
func (r *Registry) Weight() TypeID {
	c := r.Compact(r.Prim(U64))
	return r.Composite(path("sp_weights", "weight_v2", "Weight"), nil, []Field{
		{Name: "ref_time", Type: c, TypeName: "u64"},
		{Name: "proof_size", Type: c, TypeName: "u64"},
	})
}

func unitVariants(names ...string) []Variant {
	vs := make([]Variant, len(names))
	for i, n := range names {
		vs[i] = Variant{Name: n, Index: uint8(i)}
	}
	return vs
}

// DispatchClass is frame_support::dispatch::DispatchClass.
func (r *Registry) DispatchClass() TypeID {
	return r.Variant(path("frame_support", "dispatch", "DispatchClass"), nil, unitVariants("Normal", "Operational", "Mandatory"))
}

// Pays is frame_support::dispatch::Pays.
func (r *Registry) Pays() TypeID {
	return r.Variant(path("frame_support", "dispatch", "Pays"), nil, unitVariants("Yes", "No"))
}

// DispatchEventInfo is frame_system::DispatchEventInfo (the dispatch_info
// of ExtrinsicSuccess/ExtrinsicFailed).
func (r *Registry) DispatchEventInfo() TypeID {
	return r.Composite(path("frame_system", "DispatchEventInfo"), nil, []Field{
		{Name: "weight", Type: r.Weight(), TypeName: "Weight"},
		{Name: "class", Type: r.DispatchClass(), TypeName: "DispatchClass"},
		{Name: "pays_fee", Type: r.Pays(), TypeName: "Pays"},
	})
}

// DispatchError is sp_runtime::DispatchError with its nested enums.
func (r *Registry) DispatchError() TypeID {
	module := r.Composite(path("sp_runtime", "ModuleError"), nil, []Field{
		{Name: "index", Type: r.Prim(U8), TypeName: "u8"},
		{Name: "error", Type: r.bytesN(4), TypeName: "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]"},
	})
	token := r.Variant(path("sp_runtime", "TokenError"), nil, unitVariants("FundsUnavailable", "OnlyProvider",
		"BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen", "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked"))
	arith := r.Variant(path("sp_arithmetic", "ArithmeticError"), nil, unitVariants("Underflow", "Overflow", "DivisionByZero"))
	txl := r.Variant(path("sp_runtime", "TransactionalError"), nil, unitVariants("LimitReached", "NoLayer"))
	trie := r.Variant(path("sp_runtime", "proving_trie", "TrieError"), nil, unitVariants("InvalidStateRoot",
		"IncompleteDatabase", "ValueAtIncompleteKey", "DecoderError", "InvalidHash", "DuplicateKey",
		"ExtraneousNode", "ExtraneousValue", "ExtraneousHashReference", "InvalidChildReference",
		"ValueMismatch", "IncompleteProof", "RootMismatch", "DecodeError"))
	one := func(name string, i uint8, t TypeID, tn string) Variant {
		return Variant{Name: name, Index: i, Fields: []Field{{Type: t, TypeName: tn}}}
	}
	vs := unitVariants("Other", "CannotLookup", "BadOrigin", "Module", "ConsumerRemaining", "NoProviders",
		"TooManyConsumers", "Token", "Arithmetic", "Transactional", "Exhausted", "Corruption", "Unavailable",
		"RootNotAllowed", "Trie")
	vs[3] = one("Module", 3, module, "ModuleError")
	vs[7] = one("Token", 7, token, "TokenError")
	vs[8] = one("Arithmetic", 8, arith, "ArithmeticError")
	vs[9] = one("Transactional", 9, txl, "TransactionalError")
	vs[14] = one("Trie", 14, trie, "TrieError")
	return r.Variant(path("sp_runtime", "DispatchError"), nil, vs)
}

// Phase is frame_system::Phase.
func (r *Registry) Phase() TypeID {
	return r.Variant(path("frame_system", "Phase"), nil, []Variant{
		{Name: "ApplyExtrinsic", Index: 0, Fields: []Field{{Type: r.Prim(U32), TypeName: "u32"}}},
		{Name: "Finalization", Index: 1},
		{Name: "Initialization", Index: 2},
	})
}

// EventRecord is frame_system::EventRecord<event, H256>.
func (r *Registry) EventRecord(event TypeID) TypeID {
	h := r.H256()
	return r.Composite(path("frame_system", "EventRecord"), []Param{P("E", event), P("T", h)}, []Field{
		{Name: "phase", Type: r.Phase(), TypeName: "Phase"},
		{Name: "event", Type: event, TypeName: "E"},
		{Name: "topics", Type: r.Sequence(h), TypeName: "Vec<T>"},
	})
}

// MultiAddress is sp_runtime::multiaddress::MultiAddress<AccountId32, ()>.
func (r *Registry) MultiAddress() TypeID {
	acc, unit := r.AccountID32(), r.Unit()
	return r.Variant(path("sp_runtime", "multiaddress", "MultiAddress"), []Param{P("AccountId", acc), P("AccountIndex", unit)}, []Variant{
		{Name: "Id", Index: 0, Fields: []Field{{Type: acc, TypeName: "AccountId"}}},
		{Name: "Index", Index: 1, Fields: []Field{{Type: r.Compact(unit), TypeName: "AccountIndex"}}},
		{Name: "Raw", Index: 2, Fields: []Field{{Type: r.Bytes(), TypeName: "Vec<u8>"}}},
		{Name: "Address32", Index: 3, Fields: []Field{{Type: r.bytesN(32), TypeName: "[u8; 32]"}}},
		{Name: "Address20", Index: 4, Fields: []Field{{Type: r.bytesN(20), TypeName: "[u8; 20]"}}},
	})
}

// MultiSignature is sp_runtime::MultiSignature.
func (r *Registry) MultiSignature() TypeID {
	ed := r.newtypeBytes(64, "sp_core", "ed25519", "Signature")
	sr := r.newtypeBytes(64, "sp_core", "sr25519", "Signature")
	ec := r.newtypeBytes(65, "sp_core", "ecdsa", "Signature")
	return r.Variant(path("sp_runtime", "MultiSignature"), nil, []Variant{
		{Name: "Ed25519", Index: 0, Fields: []Field{{Type: ed, TypeName: "ed25519::Signature"}}},
		{Name: "Sr25519", Index: 1, Fields: []Field{{Type: sr, TypeName: "sr25519::Signature"}}},
		{Name: "Ecdsa", Index: 2, Fields: []Field{{Type: ec, TypeName: "ecdsa::Signature"}}},
	})
}

// Era is sp_runtime::generic::era::Era: Immortal, then Mortal1..Mortal255
// (each carrying the second byte).
func (r *Registry) Era() TypeID {
	vs := make([]Variant, 256)
	vs[0] = Variant{Name: "Immortal", Index: 0}
	u8 := r.Prim(U8)
	for i := 1; i < 256; i++ {
		vs[i] = Variant{Name: "Mortal" + strconv.Itoa(i), Index: uint8(i), Fields: []Field{{Type: u8}}}
	}
	return r.Variant(path("sp_runtime", "generic", "era", "Era"), nil, vs)
}

// DigestItem and Digest (sp_runtime::generic::digest).
func (r *Registry) Digest() TypeID {
	eng, b := r.bytesN(4), r.Bytes()
	two := []Field{{Type: eng, TypeName: "ConsensusEngineId"}, {Type: b, TypeName: "Vec<u8>"}}
	item := r.Variant(path("sp_runtime", "generic", "digest", "DigestItem"), nil, []Variant{
		{Name: "PreRuntime", Index: 6, Fields: two},
		{Name: "Consensus", Index: 4, Fields: two},
		{Name: "Seal", Index: 5, Fields: two},
		{Name: "Other", Index: 0, Fields: []Field{{Type: b, TypeName: "Vec<u8>"}}},
		{Name: "RuntimeEnvironmentUpdated", Index: 8},
	})
	return r.Composite(path("sp_runtime", "generic", "digest", "Digest"), nil, []Field{
		{Name: "logs", Type: r.Sequence(item), TypeName: "Vec<DigestItem>"},
	})
}

// AccountInfo is frame_system::AccountInfo<u32, pallet_balances AccountData<u128>>.
func (r *Registry) AccountInfo() TypeID {
	u32, u128 := r.Prim(U32), r.Prim(U128)
	flags := r.Composite(path("pallet_balances", "types", "ExtraFlags"), nil, []Field{{Type: u128, TypeName: "u128"}})
	data := r.Composite(path("pallet_balances", "types", "AccountData"), []Param{P("Balance", u128)}, []Field{
		{Name: "free", Type: u128, TypeName: "Balance"},
		{Name: "reserved", Type: u128, TypeName: "Balance"},
		{Name: "frozen", Type: u128, TypeName: "Balance"},
		{Name: "flags", Type: flags, TypeName: "ExtraFlags"},
	})
	return r.Composite(path("frame_system", "AccountInfo"), []Param{P("Nonce", u32), P("AccountData", data)}, []Field{
		{Name: "nonce", Type: u32, TypeName: "Nonce"},
		{Name: "consumers", Type: u32, TypeName: "RefCount"},
		{Name: "providers", Type: u32, TypeName: "RefCount"},
		{Name: "sufficients", Type: u32, TypeName: "RefCount"},
		{Name: "data", Type: data, TypeName: "AccountData"},
	})
}

// PerDispatchClassWeight is frame_support::dispatch::PerDispatchClass<Weight>
// (System.BlockWeight).
func (r *Registry) PerDispatchClassWeight() TypeID {
	w := r.Weight()
	return r.Composite(path("frame_support", "dispatch", "PerDispatchClass"), []Param{P("T", w)}, []Field{
		{Name: "normal", Type: w, TypeName: "T"},
		{Name: "operational", Type: w, TypeName: "T"},
		{Name: "mandatory", Type: w, TypeName: "T"},
	})
}

// RuntimeVersion is sp_version::RuntimeVersion (the System.Version constant).
func (r *Registry) RuntimeVersion() TypeID {
	u32 := r.Prim(U32)
	str := r.Prim(Str)
	api := r.Tuple(r.bytesN(8), u32)
	return r.Composite(path("sp_version", "RuntimeVersion"), nil, []Field{
		{Name: "spec_name", Type: str, TypeName: "Cow<'static, str>"},
		{Name: "impl_name", Type: str, TypeName: "Cow<'static, str>"},
		{Name: "authoring_version", Type: u32, TypeName: "u32"},
		{Name: "spec_version", Type: u32, TypeName: "u32"},
		{Name: "impl_version", Type: u32, TypeName: "u32"},
		{Name: "apis", Type: r.Composite(path("Cow"), []Param{P("T", r.Sequence(api))},
			[]Field{{Type: r.Sequence(api)}}), TypeName: "ApisVec"},
		{Name: "transaction_version", Type: u32, TypeName: "u32"},
		{Name: "system_version", Type: r.Prim(U8), TypeName: "u8"},
	})
}
