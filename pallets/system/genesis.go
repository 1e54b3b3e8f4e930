package system

import (
	"bytes"
	"encoding/json"

	"github.com/metamars/mars/runtime/frame"
)

// GenesisConfig is System's genesis section: {} (no fields, as in current
// Substrate; the code is set by the node).
type GenesisConfig struct{}

// BuildGenesis writes frame_system's genesis state: the placeholder block
// hash of block 0 and parent hash ([0x45;32]), LastRuntimeUpgrade, the
// ref-count upgrade flags and :extrinsic_index = 0.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	if config != nil {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.DisallowUnknownFields()
		var c GenesisConfig
		if err := dec.Decode(&c); err != nil {
			return err
		}
	}
	BlockHash.Set(ctx, 0, hash69)
	ParentHash.Set(ctx, hash69)
	v := ctx.Runtime().Version()
	LastRuntimeUpgrade.Set(ctx, LastRuntimeUpgradeInfo{v.SpecVersion, v.SpecName})
	UpgradedToU32RefCount.Set(ctx, true)
	UpgradedToTripleRefCount.Set(ctx, true)
	ctx.StorageSet(KeyExtrinsicIndex, []byte{0, 0, 0, 0})
	return nil
}

// DefaultGenesis is the empty section.
func (p *Pallet) DefaultGenesis() []byte { return []byte("{}") }
