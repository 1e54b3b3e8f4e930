package metadata

// Describer is implemented by pallets that describe themselves. call is
// the (reserved) RuntimeCall type, for pallets whose calls contain calls.
// The returned Pallet's Index is ignored (the runtime sets it).
type Describer interface {
	Metadata(r *Registry, call TypeID) Pallet
}

// RuntimeInfo names the runtime for the outer types' paths.
type RuntimeInfo struct {
	// Crate is the path prefix of the runtime's types, e.g.
	// "mars_relay_runtime".
	Crate string
	// Version is the SCALE RuntimeVersion, added as the System pallet's
	// Version constant.
	Version []byte
}

// IndexedDescriber is a pallet with its index in the runtime.
type IndexedDescriber struct {
	Index  uint8
	Pallet Describer
}

// Build assembles a runtime's metadata from its pallets (in index order):
// the outer RuntimeCall/RuntimeEvent/RuntimeError enums, the v4 extrinsic
// with MSC's signed extensions, and the Runtime type.
func Build(info RuntimeInfo, pallets []IndexedDescriber) *Metadata {
	r := NewRegistry()
	callID := r.Reserve()
	m := &Metadata{Types: r}
	var calls, events, errs []Variant
	for _, ip := range pallets {
		p := ip.Pallet.Metadata(r, callID)
		p.Index = ip.Index
		if p.Name == "System" && info.Version != nil {
			p.Constants = append(p.Constants, Constant{Name: "Version", Type: r.RuntimeVersion(), Value: info.Version,
				Docs: []string{" Get the chain's in-code version."}})
		}
		m.Pallets = append(m.Pallets, p)
		wrap := func(t *TypeID, tn string) []Variant {
			return []Variant{{Name: p.Name, Index: p.Index, Fields: []Field{{Type: *t, TypeName: tn}}}}
		}
		if p.Calls != nil {
			calls = append(calls, wrap(p.Calls, "CallableCallFor<"+p.Name+", Runtime>")...)
		}
		if p.Event != nil {
			events = append(events, wrap(p.Event, p.Name+"::Event<Runtime>")...)
		}
		if p.Error != nil {
			errs = append(errs, wrap(p.Error, p.Name+"::Error<Runtime>")...)
		}
	}
	r.DefineVariant(callID, path(info.Crate, "RuntimeCall"), nil, calls)
	m.CallEnum = callID
	m.EventEnum = r.Variant(path(info.Crate, "RuntimeEvent"), nil, events)
	m.ErrorEnum = r.Variant(path(info.Crate, "RuntimeError"), nil, errs)
	m.RuntimeType = r.Composite(path(info.Crate, "Runtime"), nil, nil)
	// System.Events holds records of this runtime's RuntimeEvent.
	for i := range m.Pallets {
		if m.Pallets[i].Name != "System" {
			continue
		}
		for j := range m.Pallets[i].Storage {
			if s := &m.Pallets[i].Storage[j]; s.Name == "Events" && s.Key == nil {
				s.Value = r.Sequence(r.EventRecord(m.EventEnum))
			}
		}
	}

	addr, sig := r.MultiAddress(), r.MultiSignature()
	unit, u32, h256 := r.Unit(), r.Prim(U32), r.H256()
	ext := func(p []string, fields []Field) TypeID {
		return r.Composite(p, []Param{{Name: "T"}}, fields)
	}
	mode := r.Variant(path("frame_metadata_hash_extension", "Mode"), nil, unitVariants("Disabled", "Enabled"))
	exts := []SignedExtension{
		{"CheckNonZeroSender", ext(path("frame_system", "extensions", "check_non_zero_sender", "CheckNonZeroSender"), nil), unit},
		{"CheckSpecVersion", ext(path("frame_system", "extensions", "check_spec_version", "CheckSpecVersion"), nil), u32},
		{"CheckTxVersion", ext(path("frame_system", "extensions", "check_tx_version", "CheckTxVersion"), nil), u32},
		{"CheckGenesis", ext(path("frame_system", "extensions", "check_genesis", "CheckGenesis"), nil), h256},
		{"CheckMortality", ext(path("frame_system", "extensions", "check_mortality", "CheckMortality"),
			[]Field{{Type: r.Era(), TypeName: "Era"}}), h256},
		{"CheckNonce", ext(path("frame_system", "extensions", "check_nonce", "CheckNonce"),
			[]Field{{Type: r.Compact(u32), TypeName: "T::Nonce"}}), unit},
		{"CheckWeight", ext(path("frame_system", "extensions", "check_weight", "CheckWeight"), nil), unit},
		{"ChargeTransactionPayment", ext(path("pallet_transaction_payment", "ChargeTransactionPayment"),
			[]Field{{Type: r.Compact(r.Prim(U128)), TypeName: "BalanceOf<T>"}}), unit},
		{"CheckMetadataHash", r.Composite(path("frame_metadata_hash_extension", "CheckMetadataHash"), []Param{{Name: "T"}},
			[]Field{{Name: "mode", Type: mode, TypeName: "Mode"}}), r.Option(r.bytesN(32))},
	}
	extraTypes := make([]TypeID, len(exts))
	for i, x := range exts {
		extraTypes[i] = x.Type
	}
	extra := r.Tuple(extraTypes...)
	uxt := r.Composite(path("sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"),
		[]Param{P("Address", addr), P("Call", callID), P("Signature", sig), P("Extra", extra)},
		[]Field{{Type: r.Bytes()}})
	m.Extrinsic = Extrinsic{Type: uxt, Version: 4, Address: addr, Call: callID, Signature: sig, ExtraTy: extra, SignedExtensions: exts}
	return m
}
