package relay

import (
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
	m.APIs = m.Types.StandardAPIs(m.Extrinsic.Type)
	return m, missing
}
