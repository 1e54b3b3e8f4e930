package relay

import (
	"github.com/metamars/mars/pallets/aura"
	"github.com/metamars/mars/pallets/grandpa"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
)

// Crate is the path prefix of the runtime's outer types in metadata.
const Crate = "mars_relay_runtime"

// Metadata builds the runtime's metadata from the pallets that describe
// themselves (metadata.Describer) and lists those that do not: the
// Metadata runtime API is exported only once missing is empty (a partial
// metadata would make @polkadot/api misdecode events).
func (r *Runtime) Metadata() (m *metadata.Metadata, missing []string) {
	var ds []metadata.IndexedDescriber
	for _, ip := range r.Pallets() {
		d, ok := ip.Pallet.(metadata.Describer)
		if !ok {
			missing = append(missing, ip.Pallet.Name())
			continue
		}
		ds = append(ds, metadata.IndexedDescriber{Index: ip.Index, Pallet: d})
	}
	v := r.Version()
	m = metadata.Build(metadata.RuntimeInfo{Crate: Crate, Version: scale.Encode(&v)}, ds)
	m.APIs = append(m.Types.StandardAPIs(m.Extrinsic.Type), consensusAPIs(m.Types)...)
	return m, missing
}

// consensusAPIs describes the Aura, GRANDPA, session-keys and
// equivocation-report runtime APIs (consensus_api.go) for V15.
func consensusAPIs(r *metadata.Registry) []metadata.API {
	in := func(name string, t metadata.TypeID) metadata.APIParam { return metadata.APIParam{Name: name, Type: t} }
	m := func(name string, out metadata.TypeID, ins ...metadata.APIParam) metadata.APIMethod {
		return metadata.APIMethod{Name: name, Inputs: ins, Output: out}
	}
	u64, bytes, arr := r.Prim(metadata.U64), r.Bytes(), r.Array(32, r.Prim(metadata.U8))
	pub := func(scheme string, app []string) metadata.TypeID {
		inner := r.Composite([]string{"sp_core", scheme, "Public"}, nil, []metadata.Field{{Type: arr, TypeName: "[u8; 32]"}})
		return r.Composite(app, nil, []metadata.Field{{Type: inner, TypeName: scheme + "::Public"}})
	}
	auraID := pub("sr25519", []string{"sp_consensus_aura", "sr25519", "app_sr25519", "Public"})
	granID := pub("ed25519", []string{"sp_consensus_grandpa", "app", "Public"})
	slotDur := r.Composite([]string{"sp_consensus_slots", "SlotDuration"}, nil, []metadata.Field{{Type: u64, TypeName: "u64"}})
	keyType := r.Composite([]string{"sp_core", "crypto", "KeyTypeId"}, nil,
		[]metadata.Field{{Type: r.Array(4, r.Prim(metadata.U8)), TypeName: "[u8; 4]"}})
	return []metadata.API{
		{Name: "AuraApi", Methods: []metadata.APIMethod{
			m("slot_duration", slotDur),
			m("authorities", r.Sequence(auraID)),
		}},
		{Name: "GrandpaApi", Methods: []metadata.APIMethod{
			m("grandpa_authorities", r.Sequence(r.Tuple(granID, u64))),
			m("current_set_id", u64),
		}},
		{Name: "SessionKeys", Methods: []metadata.APIMethod{
			m("generate_session_keys", bytes, in("seed", r.Option(bytes))),
			m("decode_session_keys", r.Option(r.Sequence(r.Tuple(bytes, keyType))), in("encoded", bytes)),
		}},
		{Name: "AuraEquivocationApi", Methods: []metadata.APIMethod{
			m("report_extrinsic", r.Option(bytes), in("proof", aura.ProofType(r))),
		}},
		{Name: "GrandpaEquivocationApi", Methods: []metadata.APIMethod{
			m("report_extrinsic", r.Option(bytes), in("proof", grandpa.ProofType(r))),
		}},
	}
}
