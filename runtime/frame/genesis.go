package frame

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// BuildGenesis builds the genesis state from a JSON config (GenesisBuilder
// build_state): the top-level object has one section per pallet under
// GenesisKey(name); every pallet that is a GenesisBuilder builds its
// section (nil when absent), in index order; every pallet's storage
// version is written (StorageVersioned, else 0). Unknown sections are an error.
func (r *Runtime) BuildGenesis(ctx *Context, config []byte) error {
	sections := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(config)) > 0 {
		if err := json.Unmarshal(config, &sections); err != nil {
			return fmt.Errorf("%w: %w", ErrGenesis, err)
		}
	}
	known := map[string]bool{}
	for _, e := range r.order {
		known[GenesisKey(e.pallet.Name())] = true
	}
	for k := range sections {
		if !known[k] {
			return fmt.Errorf("%w: unknown section %q", ErrGenesis, k)
		}
	}
	for _, e := range r.order {
		if gb, ok := e.pallet.(GenesisBuilder); ok {
			var sec []byte
			if raw, ok := sections[GenesisKey(e.pallet.Name())]; ok && string(bytes.TrimSpace(raw)) != "null" {
				sec = raw
			}
			if err := gb.BuildGenesis(ctx, sec); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrGenesis, e.pallet.Name(), err)
			}
		}
		// Like FRAME's OnGenesis, every pallet's storage version is
		// written (0 when it declares none).
		var v uint16
		if sv, ok := e.pallet.(StorageVersioned); ok {
			v = sv.StorageVersion()
		}
		SetStorageVersion(ctx, e.pallet.Name(), v)
	}
	return nil
}
