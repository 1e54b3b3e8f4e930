package sudo

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// GenesisConfig is the "sudo" section of the genesis JSON:
// {"key": "<SS58 or 0x-hex account>"} or {"key": null}.
type GenesisConfig struct {
	Key *string `json:"key"`
}

// BuildGenesis implements frame.GenesisBuilder: sets Sudo.Key.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	var cfg GenesisConfig
	if config != nil {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return fmt.Errorf("sudo genesis: %w", err)
		}
	}
	if cfg.Key == nil {
		return nil
	}
	who, err := types.ParseAccountID(*cfg.Key)
	if err != nil {
		return fmt.Errorf("sudo genesis: %w", err)
	}
	key.Set(ctx, who)
	return nil
}
