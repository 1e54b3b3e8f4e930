package transactionpayment

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// GenesisConfig is the "transactionPayment" section of the genesis JSON:
// {"multiplier": "<FixedU128 inner, decimal>"} (optional; default 1.0 =
// 1000000000000000000), as Substrate's.
type GenesisConfig struct {
	Multiplier *scale.U128 `json:"multiplier,omitempty"`
}

// BuildGenesis implements frame.GenesisBuilder: StorageVersion = V2,
// NextFeeMultiplier = the configured multiplier.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	var cfg GenesisConfig
	if config != nil {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return fmt.Errorf("transactionPayment genesis: %w", err)
		}
	}
	m := MultiplierOne
	if cfg.Multiplier != nil {
		m = Multiplier{Inner: *cfg.Multiplier}
	}
	p.s.storageVersion.Set(ctx, releasesV2)
	p.s.nextFeeMultiplier.Set(ctx, m)
	return nil
}
