package sudo

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

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
	who, err := parseAccount(*cfg.Key)
	if err != nil {
		return fmt.Errorf("sudo genesis: %w", err)
	}
	key.Set(ctx, who)
	return nil
}

func parseAccount(s string) (types.AccountID, error) {
	var id types.AccountID
	if strings.HasPrefix(s, "0x") {
		b, err := hex.DecodeString(s[2:])
		if err != nil || len(b) != 32 {
			return id, fmt.Errorf("sudo: bad account %q", s)
		}
		copy(id[:], b)
		return id, nil
	}
	id, _, err := types.ParseSS58(s)
	return id, err
}
