package session

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
)

var _ metadata.Describer = (*Pallet)(nil)

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// KeysType registers the runtime's SessionKeys type (aura sr25519 public
// ++ grandpa ed25519 public) with Substrate's paths.
func KeysType(r *metadata.Registry, crate string) metadata.TypeID {
	arr := r.Array(32, r.Prim(metadata.U8))
	sr := r.Composite([]string{"sp_core", "sr25519", "Public"}, nil, []metadata.Field{{Type: arr, TypeName: "[u8; 32]"}})
	ed := r.Composite([]string{"sp_core", "ed25519", "Public"}, nil, []metadata.Field{{Type: arr, TypeName: "[u8; 32]"}})
	aura := r.Composite([]string{"sp_consensus_aura", "sr25519", "app_sr25519", "Public"}, nil,
		[]metadata.Field{{Type: sr, TypeName: "sr25519::Public"}})
	gran := r.Composite([]string{"sp_consensus_grandpa", "app", "Public"}, nil,
		[]metadata.Field{{Type: ed, TypeName: "ed25519::Public"}})
	return r.Composite([]string{crate, "SessionKeys"}, nil, []metadata.Field{
		field("aura", aura, "<Aura as $crate::BoundToRuntimeAppPublic>::Public"),
		field("grandpa", gran, "<Grandpa as $crate::BoundToRuntimeAppPublic>::Public"),
	})
}

// Metadata describes pallet_session exactly as this package encodes it.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	acc, u32, b := r.AccountID32(), r.Prim(metadata.U32), r.Prim(metadata.Bool)
	keys := KeysType(r, "mars_relay_runtime")
	params := []metadata.Param{{Name: "T"}}
	path := func(name string) []string { return []string{"pallet_session", "pallet", name} }
	v := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	calls := r.Variant(path("Call"), params, []metadata.Variant{
		v("set_keys", CallSetKeys, "Sets the session key(s) of the function caller to `keys`.",
			field("keys", keys, "T::Keys"), field("proof", r.Bytes(), "Vec<u8>")),
		v("purge_keys", CallPurgeKeys, "Removes any session key(s) of the function caller."),
	}, " Contains a variant per dispatchable extrinsic that this pallet has.")
	events := r.Variant(path("Event"), nil, []metadata.Variant{
		v("NewSession", EvNewSession, "New session has happened. Note that the argument is the session index, not the block number as the type might suggest.",
			field("session_index", u32, "SessionIndex")),
	}, " The `Event` enum of this pallet")
	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), params, errVariants, " Error for the session pallet.")

	keyType := r.Composite([]string{"sp_core", "crypto", "KeyTypeId"}, nil,
		[]metadata.Field{{Type: r.Array(4, r.Prim(metadata.U8)), TypeName: "[u8; 4]"}})
	s := &p.s
	plain := func(name string, q frame.QueryKind, def []byte, val metadata.TypeID, d string) metadata.StorageEntry {
		return metadata.StorageEntry{Name: name, Optional: q == frame.OptionQuery, Value: val, Default: def, Docs: doc(d)}
	}
	storage := []metadata.StorageEntry{
		plain(s.validators.Name(), s.validators.Query(), s.validators.DefaultBytes(), r.Sequence(acc), "The current set of validators."),
		plain(s.currentIndex.Name(), s.currentIndex.Query(), s.currentIndex.DefaultBytes(), u32, "Current index of the session."),
		plain(s.queuedChanged.Name(), s.queuedChanged.Query(), s.queuedChanged.DefaultBytes(), b,
			"True if the underlying economic identities or weighting behind the validators has changed in the queued validator set."),
		plain(s.queuedKeys.Name(), s.queuedKeys.Query(), s.queuedKeys.DefaultBytes(), r.Sequence(r.Tuple(acc, keys)),
			"The queued keys for the next session. When the next session begins, these keys will be used to determine the validator's session keys."),
		{Name: s.nextKeys.Name(), Optional: true, Hashers: []uint8{uint8(s.nextKeys.Hasher())}, Key: tid(acc), Value: keys,
			Default: s.nextKeys.DefaultBytes(), Docs: doc("The next session keys for a validator.")},
		{Name: s.keyOwner.Name(), Optional: true, Hashers: []uint8{uint8(s.keyOwner.Hasher())}, Key: tid(r.Tuple(keyType, r.Bytes())),
			Value: acc, Default: s.keyOwner.DefaultBytes(), Docs: doc("The owner of a key. The key is the `KeyTypeId` + the encoded key.")},
		plain(s.period.Name(), s.period.Query(), s.period.DefaultBytes(), u32, "MSC: the session length in blocks, set at genesis."),
	}
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName, Storage: storage,
		Calls: tid(calls), Event: tid(events), Error: tid(errs),
		Docs: doc("MSC's pallet_session: validators, session keys and their rotation every Period blocks."),
	}
}
