package balances

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// GenesisConfig is the "balances" section of the genesis JSON, as
// Substrate's: {"balances": [["<SS58 or 0x-hex account>", amount], ...]},
// amounts as JSON numbers (exact to 128 bits) or decimal strings.
type GenesisConfig struct {
	Balances []GenesisBalance `json:"balances"`
}

// GenesisBalance is one [account, amount] pair.
type GenesisBalance struct {
	Who    types.AccountID
	Amount scale.U128
}

// UnmarshalJSON reads ["account", amount].
func (g *GenesisBalance) UnmarshalJSON(b []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if len(pair) != 2 {
		return fmt.Errorf("balances: genesis entry must be [account, amount], got %d items", len(pair))
	}
	var s string
	if err := json.Unmarshal(pair[0], &s); err != nil {
		return err
	}
	who, err := types.ParseAccountID(s)
	if err != nil {
		return err
	}
	g.Who = who
	return g.Amount.UnmarshalJSON(pair[1])
}

// MarshalJSON writes ["<SS58 generic>", amount].
func (g GenesisBalance) MarshalJSON() ([]byte, error) {
	a, _ := json.Marshal(g.Who.SS58(42))
	return []byte("[" + string(a) + "," + g.Amount.String() + "]"), nil
}

// BuildGenesis implements frame.GenesisBuilder (pallet_balances'
// GenesisConfig::build): every listed account gets a provider reference
// and its free balance, which must be at least the existential deposit;
// duplicates are refused; TotalIssuance is the sum.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	var cfg GenesisConfig
	if config != nil {
		if err := jsonUnmarshalStrict(config, &cfg); err != nil {
			return fmt.Errorf("balances genesis: %w", err)
		}
	}
	var sum scale.U128
	seen := make(map[types.AccountID]bool, len(cfg.Balances))
	for _, b := range cfg.Balances {
		if b.Amount.Lt(p.cfg.ExistentialDeposit) {
			return fmt.Errorf("balances genesis: %s: balance %s below the existential deposit", b.Who, b.Amount)
		}
		if seen[b.Who] {
			return fmt.Errorf("balances genesis: duplicate account %s", b.Who)
		}
		seen[b.Who] = true
		var ok bool
		if sum, ok = sum.Add(b.Amount); !ok {
			return fmt.Errorf("balances genesis: total issuance overflows u128")
		}
	}
	p.s.totalIssuance.Set(ctx, sum)
	for _, b := range cfg.Balances {
		p.cfg.Accounts.IncProviders(ctx, b.Who)
		amount := b.Amount
		if err := p.cfg.Accounts.TryMutateAccountData(ctx, b.Who, func(d *AccountData, _ bool) error {
			*d = DefaultAccountData()
			d.Free = amount
			return nil
		}); err != nil {
			return fmt.Errorf("balances genesis: %s: %w", b.Who, err)
		}
	}
	return nil
}

// jsonUnmarshalStrict decodes one JSON value, rejecting unknown fields and
// trailing data.
func jsonUnmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the genesis section")
	}
	return nil
}
