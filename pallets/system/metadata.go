package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
)

var _ metadata.Describer = (*Pallet)(nil)

func named(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func variant(name string, idx uint8, fields ...metadata.Field) metadata.Variant {
	return metadata.Variant{Name: name, Index: idx, Fields: fields}
}

func ptr(t metadata.TypeID) *metadata.TypeID { return &t }

// Metadata describes frame_system (calls, events, errors, storage,
// constants) for runtime metadata.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	bytes, h256, acc := r.Bytes(), r.H256(), r.AccountID32()
	u32, u64 := r.Prim(metadata.U32), r.Prim(metadata.U64)
	tparam := []metadata.Param{{Name: "T"}}
	code := named("code", bytes, "Vec<u8>")
	calls := r.Variant([]string{"frame_system", "pallet", "Call"}, tparam, []metadata.Variant{
		variant("remark", CallRemark, named("remark", bytes, "Vec<u8>")),
		variant("set_heap_pages", CallSetHeapPages, named("pages", u64, "u64")),
		variant("set_code", CallSetCode, code),
		variant("set_code_without_checks", CallSetCodeWithoutChecks, code),
		variant("set_storage", CallSetStorage, named("items", r.Sequence(r.Tuple(bytes, bytes)), "Vec<KeyValue>")),
		variant("kill_storage", CallKillStorage, named("keys", r.Sequence(bytes), "Vec<Key>")),
		variant("kill_prefix", CallKillPrefix, named("prefix", bytes, "Key"), named("subkeys", u32, "u32")),
		variant("remark_with_event", CallRemarkWithEvent, named("remark", bytes, "Vec<u8>")),
		variant("authorize_upgrade", CallAuthorizeUpgrade, named("code_hash", h256, "T::Hash")),
		variant("authorize_upgrade_without_checks", CallAuthorizeUpgradeWithoutChecks, named("code_hash", h256, "T::Hash")),
		variant("apply_authorized_upgrade", CallApplyAuthorizedUpgrade, code),
	})
	info, derr := r.DispatchEventInfo(), r.DispatchError()
	events := r.Variant([]string{"frame_system", "pallet", "Event"}, tparam, []metadata.Variant{
		variant("ExtrinsicSuccess", EvExtrinsicSuccess, named("dispatch_info", info, "DispatchEventInfo")),
		variant("ExtrinsicFailed", EvExtrinsicFailed, named("dispatch_error", derr, "DispatchError"), named("dispatch_info", info, "DispatchEventInfo")),
		variant("CodeUpdated", EvCodeUpdated),
		variant("NewAccount", EvNewAccount, named("account", acc, "T::AccountId")),
		variant("KilledAccount", EvKilledAccount, named("account", acc, "T::AccountId")),
		variant("Remarked", EvRemarked, named("sender", acc, "T::AccountId"), named("hash", h256, "T::Hash")),
		variant("UpgradeAuthorized", EvUpgradeAuthorized, named("code_hash", h256, "T::Hash"), named("check_version", r.Prim(metadata.Bool), "bool")),
		variant("RejectedInvalidAuthorizedUpgrade", EvRejectedInvalidAuthorizedUpgrade, named("code_hash", h256, "T::Hash"), named("error", derr, "DispatchError")),
	})
	var errVariants []metadata.Variant
	for _, e := range []*frame.Error{ErrInvalidSpecName, ErrSpecVersionNeedsToIncrease, ErrFailedToExtractRuntimeVersion,
		ErrNonDefaultComposite, ErrNonZeroRefCount, ErrCallFiltered, ErrMultiBlockMigrationsOngoing, ErrNothingAuthorized, ErrUnauthorized} {
		errVariants = append(errVariants, variant(e.Name, e.Index))
	}
	errs := r.Variant([]string{"frame_system", "pallet", "Error"}, tparam, errVariants)

	plain := func(name string, t metadata.TypeID, def []byte, optional bool) metadata.StorageEntry {
		return metadata.StorageEntry{Name: name, Value: t, Default: def, Optional: optional}
	}
	mapped := func(name string, h frame.Hasher, k, v metadata.TypeID, def []byte) metadata.StorageEntry {
		return metadata.StorageEntry{Name: name, Hashers: []uint8{uint8(h)}, Key: ptr(k), Value: v, Default: def}
	}
	phase := r.Phase()
	upgrade := r.Composite([]string{"frame_system", "LastRuntimeUpgradeInfo"}, nil, []metadata.Field{
		named("spec_version", r.Compact(u32), "codec::Compact<u32>"),
		named("spec_name", r.Prim(metadata.Str), "Cow<'static, str>"),
	})
	auth := r.Composite([]string{"frame_system", "CodeUpgradeAuthorization"}, tparam, []metadata.Field{
		named("code_hash", h256, "T::Hash"), named("check_version", r.Prim(metadata.Bool), "bool"),
	})
	// System.Events is typed with the runtime's RuntimeEvent by
	// metadata.Build; the placeholder here records ().
	storage := []metadata.StorageEntry{
		mapped("Account", Account.Hasher(), acc, r.AccountInfo(), Account.DefaultBytes()),
		plain("ExtrinsicCount", u32, ExtrinsicCount.DefaultBytes(), true),
		plain("InherentsApplied", r.Prim(metadata.Bool), InherentsApplied.DefaultBytes(), false),
		plain("BlockWeight", r.PerDispatchClassWeight(), BlockWeight.DefaultBytes(), false),
		plain("AllExtrinsicsLen", u32, AllExtrinsicsLen.DefaultBytes(), true),
		mapped("BlockHash", BlockHash.Hasher(), u32, h256, BlockHash.DefaultBytes()),
		mapped("ExtrinsicData", ExtrinsicData.Hasher(), u32, bytes, ExtrinsicData.DefaultBytes()),
		plain("Number", u32, Number.DefaultBytes(), false),
		plain("ParentHash", h256, ParentHash.DefaultBytes(), false),
		plain("Digest", r.Digest(), Digest.DefaultBytes(), false),
		plain("Events", r.Sequence(r.EventRecord(r.Unit())), []byte{0}, false),
		plain("EventCount", u32, EventCount.DefaultBytes(), false),
		mapped("EventTopics", EventTopics.Hasher(), h256, r.Sequence(r.Tuple(u32, u32)), []byte{0}),
		plain("LastRuntimeUpgrade", upgrade, []byte{0}, true),
		plain("UpgradedToU32RefCount", r.Prim(metadata.Bool), []byte{0}, false),
		plain("UpgradedToTripleRefCount", r.Prim(metadata.Bool), []byte{0}, false),
		plain("ExecutionPhase", phase, []byte{0}, true),
		plain("AuthorizedUpgrade", auth, []byte{0}, true),
	}
	u32le := func(v uint32) []byte { e := scale.NewEncoder(4); e.PutU32(v); return e.Bytes() }
	u16le := func(v uint16) []byte { e := scale.NewEncoder(2); e.PutU16(v); return e.Bytes() }
	return metadata.Pallet{
		Name: Name, StoragePrefix: Name, Storage: storage,
		Calls: ptr(calls), Event: ptr(events), Error: ptr(errs),
		Constants: []metadata.Constant{
			{Name: "BlockHashCount", Type: u32, Value: u32le(BlockHashCount), Docs: []string{" Maximum number of block number to block hash mappings to keep (oldest pruned first)."}},
			{Name: "SS58Prefix", Type: r.Prim(metadata.U16), Value: u16le(SS58Prefix), Docs: []string{" The designated SS58 prefix of this chain."}},
		},
	}
}
