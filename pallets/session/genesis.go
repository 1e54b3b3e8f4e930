package session

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// GenesisConfig is the "session" section of the genesis JSON, Substrate's
// shape plus MSC's period:
//
//	{"keys": [["<account>", "<validator id = account>", {"aura": "<key>", "grandpa": "<key>"}], ...],
//	 "period": 10}
//
// Accounts and keys are SS58 or 0x-hex.
type GenesisConfig struct {
	Keys   []GenesisKeys `json:"keys"`
	Period uint32        `json:"period,omitempty"`
}

// GenesisKeys is one [account, validator, keys] triple.
type GenesisKeys struct {
	Account, Validator types.AccountID
	Keys               Keys
}

type jsonKeys struct {
	Aura    string `json:"aura"`
	Grandpa string `json:"grandpa"`
}

// UnmarshalJSON reads ["account", "validator", {"aura", "grandpa"}].
func (g *GenesisKeys) UnmarshalJSON(b []byte) error {
	var triple []json.RawMessage
	if err := json.Unmarshal(b, &triple); err != nil {
		return err
	}
	if len(triple) != 3 {
		return fmt.Errorf("%w: keys entry must be [account, validator, keys], got %d items", ErrGenesis, len(triple))
	}
	var acc, val string
	if err := json.Unmarshal(triple[0], &acc); err != nil {
		return err
	}
	if err := json.Unmarshal(triple[1], &val); err != nil {
		return err
	}
	var jk jsonKeys
	dec := json.NewDecoder(bytes.NewReader(triple[2]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jk); err != nil {
		return err
	}
	var err error
	if g.Account, err = types.ParseAccountID(acc); err != nil {
		return err
	}
	if g.Validator, err = types.ParseAccountID(val); err != nil {
		return err
	}
	a, err := types.ParseAccountID(jk.Aura)
	if err != nil {
		return fmt.Errorf("aura key: %w", err)
	}
	gr, err := types.ParseAccountID(jk.Grandpa)
	if err != nil {
		return fmt.Errorf("grandpa key: %w", err)
	}
	g.Keys = Keys{Aura: a, Grandpa: gr}
	return nil
}

// MarshalJSON writes the triple with SS58 (prefix 42) strings.
func (g GenesisKeys) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{g.Account.SS58(42), g.Validator.SS58(42), jsonKeys{
		Aura: types.AccountID(g.Keys.Aura).SS58(42), Grandpa: types.AccountID(g.Keys.Grandpa).SS58(42),
	}})
}

// BuildGenesis implements frame.GenesisBuilder (pallet_session's
// GenesisConfig::build): registers every key set (a provider reference for
// accounts that do not exist yet, a consumer reference for the keys), asks
// the manager for the sets of sessions 0 and 1 (else all key holders),
// tells the handlers session 0's keys and starts session 0.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	var cfg GenesisConfig
	if config != nil {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return fmt.Errorf("%w: %w", ErrGenesis, err)
		}
	}
	if cfg.Period == 0 {
		cfg.Period = DefaultPeriod
	}
	p.s.period.Set(ctx, cfg.Period)
	var all []types.AccountID
	for _, g := range cfg.Keys {
		if g.Account != g.Validator {
			return fmt.Errorf("%w: validator id %s must be the account %s", ErrGenesis, g.Validator, g.Account)
		}
		if p.s.nextKeys.Exists(ctx, g.Account) {
			return fmt.Errorf("%w: duplicate account %s", ErrGenesis, g.Account)
		}
		if p.cfg.Accounts != nil {
			if err := p.cfg.Accounts.IncConsumers(ctx, g.Account); err != nil {
				p.cfg.Accounts.IncProviders(ctx, g.Account)
				if err := p.cfg.Accounts.IncConsumers(ctx, g.Account); err != nil {
					return fmt.Errorf("%w: %s: %w", ErrGenesis, g.Account, err)
				}
			}
		}
		if err := p.innerSetKeys(ctx, g.Account, g.Keys, Keys{}, false); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrGenesis, g.Account, err)
		}
		all = append(all, g.Account)
	}
	if len(all) == 0 {
		return nil // no validators: a chain without sessions (tests)
	}
	v0, v1 := all, []types.AccountID(nil)
	if m := p.cfg.Manager; m != nil {
		if vs, ok := m.NewSession(ctx, 0); ok && len(vs) > 0 {
			v0 = vs
		}
		if vs, ok := m.NewSession(ctx, 1); ok && len(vs) > 0 {
			v1 = vs
		}
	}
	if v1 == nil {
		v1 = v0
	}
	current, err := p.withKeys(ctx, v0)
	if err != nil {
		return err
	}
	queued, err := p.withKeys(ctx, v1)
	if err != nil {
		return err
	}
	validators := make([]types.AccountID, len(current))
	for i, v := range current {
		validators[i] = v.Who
	}
	p.s.validators.Set(ctx, validators)
	p.s.queuedKeys.Set(ctx, queued)
	p.s.queuedChanged.Set(ctx, !sameKeys(current, queued))
	aura, gran := columns(current)
	if h := p.cfg.Aura; h != nil {
		h.OnGenesisSession(ctx, aura)
	}
	if h := p.cfg.Grandpa; h != nil {
		h.OnGenesisSession(ctx, gran)
	}
	if m := p.cfg.Manager; m != nil {
		m.StartSession(ctx, 0)
	}
	return nil
}

// withKeys pairs each genesis validator with its keys, which it must have.
func (p *Pallet) withKeys(ctx *frame.Context, vs []types.AccountID) ([]ValidatorKeys, error) {
	out := make([]ValidatorKeys, len(vs))
	for i, who := range vs {
		k, ok := p.s.nextKeys.TryGet(ctx, who)
		if !ok {
			return nil, fmt.Errorf("%w: genesis validator %s has no session keys", ErrGenesis, who)
		}
		out[i] = ValidatorKeys{Who: who, Keys: k}
	}
	return out, nil
}

// DefaultGenesis implements frame.GenesisPresetter.
func (p *Pallet) DefaultGenesis() []byte { return []byte(`{"keys":[],"period":10}`) }
