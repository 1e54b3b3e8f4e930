package staking

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// GenesisConfig is the "staking" section of the genesis JSON:
//
//	{
//	  "validatorCount": 4,            // seats to elect (u32)
//	  "minimumValidatorCount": 1,     // fewer winners: the election fails, the old set stays
//	  "sessionsPerEra": 6,            // default Config.SessionsPerEra
//	  "bondingDuration": 28,          // eras, default Config.BondingDuration
//	  "slashDeferDuration": 27,       // eras, default Config.SlashDeferDuration; < bondingDuration
//	  "minValidatorBond": "0",        // optional, planck (at least the ED is enforced)
//	  "minNominatorBond": "0",        // optional, planck
//	  "stakers": [{"stash": "5Grw…" or "0x…", "bond": "1000000000000000" or 1e15,
//	               "role": "validator" | "nominator" | "idle",
//	               "commission": 50000000 /* perbill, validators */,
//	               "targets": ["5FHn…"] /* nominators */}],
//	  "rewardsPool": "1000000000000000000", // planck moved into RewardsPoolAccount() at genesis
//	  "rewardsPoolSource": "5Grw…",         // the endowed account it is moved from (required if rewardsPool > 0)
//	  "eraPayout": "100000000000000"        // the most the pool pays per era (plus the era's fees)
//	}
//
// Every field is optional; unknown fields are refused. Each staker's stash
// must be endowed by the balances section (staking is registered after
// Balances); its payee is Staked. Nominators' targets must be validators
// of this list. No era is planned here: session's genesis calls
// NewSession(0) (the first election) and StartSession(0).
type GenesisConfig struct {
	ValidatorCount        uint32          `json:"validatorCount"`
	MinimumValidatorCount uint32          `json:"minimumValidatorCount"`
	SessionsPerEra        *uint32         `json:"sessionsPerEra,omitempty"`
	BondingDuration       *uint32         `json:"bondingDuration,omitempty"`
	SlashDeferDuration    *uint32         `json:"slashDeferDuration,omitempty"`
	MinValidatorBond      scale.U128      `json:"minValidatorBond"`
	MinNominatorBond      scale.U128      `json:"minNominatorBond"`
	Stakers               []GenesisStaker `json:"stakers"`
	RewardsPool           scale.U128      `json:"rewardsPool"`
	RewardsPoolSource     string          `json:"rewardsPoolSource,omitempty"`
	EraPayout             scale.U128      `json:"eraPayout"`
}

// GenesisStaker is one entry of "stakers".
type GenesisStaker struct {
	Stash      string     `json:"stash"`
	Bond       scale.U128 `json:"bond"`
	Role       string     `json:"role"`
	Commission uint32     `json:"commission,omitempty"`
	Targets    []string   `json:"targets,omitempty"`
}

// BuildGenesis implements frame.GenesisBuilder.
func (p *Pallet) BuildGenesis(ctx *frame.Context, config []byte) error {
	if p.cfg.Currency == nil || p.cfg.Locks == nil {
		return fmt.Errorf("%w: Config.Currency or Config.Locks is nil (Locks: see the adapter in expected.go)", ErrGenesis)
	}
	var cfg GenesisConfig
	if config != nil {
		dec := json.NewDecoder(bytes.NewReader(config))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return fmt.Errorf("%w: %w", ErrGenesis, err)
		}
		if dec.More() {
			return fmt.Errorf("%w: trailing data", ErrGenesis)
		}
	}
	if cfg.ValidatorCount > MaxValidatorsCount || cfg.MinimumValidatorCount > cfg.ValidatorCount && cfg.ValidatorCount > 0 {
		return fmt.Errorf("%w: validatorCount %d, minimumValidatorCount %d", ErrGenesis, cfg.ValidatorCount, cfg.MinimumValidatorCount)
	}
	orDefault := func(v *uint32, d uint32) uint32 {
		if v != nil {
			return *v
		}
		return d
	}
	spe := orDefault(cfg.SessionsPerEra, p.cfg.SessionsPerEra)
	if spe == 0 {
		return fmt.Errorf("%w: sessionsPerEra must be positive", ErrGenesis)
	}
	bd := orDefault(cfg.BondingDuration, p.cfg.BondingDuration)
	sdd := orDefault(cfg.SlashDeferDuration, p.cfg.SlashDeferDuration)
	if bd != 0 && sdd >= bd {
		// A slash must land before the slashed stake can be withdrawn.
		return fmt.Errorf("%w: slashDeferDuration %d must be below bondingDuration %d", ErrGenesis, sdd, bd)
	}
	p.s.validatorCount.Set(ctx, cfg.ValidatorCount)
	p.s.minValidatorCount.Set(ctx, cfg.MinimumValidatorCount)
	p.s.sessionsPerEra.Set(ctx, spe)
	p.s.bondingDuration.Set(ctx, bd)
	p.s.slashDeferDuration.Set(ctx, sdd)
	p.s.minValidatorBond.Set(ctx, cfg.MinValidatorBond)
	p.s.minNominatorBond.Set(ctx, cfg.MinNominatorBond)
	p.s.eraPayout.Set(ctx, cfg.EraPayout)

	stashes := make([]types.AccountID, len(cfg.Stakers))
	for i, s := range cfg.Stakers {
		who, err := types.ParseAccountID(s.Stash)
		if err != nil {
			return fmt.Errorf("%w: staker %d: %w", ErrGenesis, i, err)
		}
		stashes[i] = who
		if err := p.bondStash(ctx, who, s.Bond, RewardDestination{Kind: PayeeStaked}); err != nil {
			return fmt.Errorf("%w: staker %s: bond: %w", ErrGenesis, who, err)
		}
		if l, _ := p.s.ledger.TryGet(ctx, who); l.Active != s.Bond {
			return fmt.Errorf("%w: staker %s: bond %s exceeds its free balance", ErrGenesis, who, s.Bond)
		}
		switch s.Role {
		case "validator":
			if s.Commission > uint32(Billion) || len(s.Targets) > 0 {
				return fmt.Errorf("%w: validator %s: commission %d > 1e9 or targets given", ErrGenesis, who, s.Commission)
			}
			if s.Bond.Lt(p.minValidatorBond(ctx)) {
				return fmt.Errorf("%w: validator %s: bond below the minimum", ErrGenesis, who)
			}
			p.s.validators.Set(ctx, who, ValidatorPrefs{Commission: Perbill(s.Commission)})
		case "nominator", "idle", "":
		default:
			return fmt.Errorf("%w: staker %s: unknown role %q", ErrGenesis, who, s.Role)
		}
	}
	for i, s := range cfg.Stakers {
		if s.Role != "nominator" {
			continue
		}
		if len(s.Targets) == 0 || len(s.Targets) > MaxNominations || s.Bond.Lt(p.minNominatorBond(ctx)) {
			return fmt.Errorf("%w: nominator %s: 1..%d targets and the minimum bond needed", ErrGenesis, stashes[i], MaxNominations)
		}
		var targets []types.AccountID
		for _, t := range s.Targets {
			who, err := types.ParseAccountID(t)
			if err != nil {
				return fmt.Errorf("%w: nominator %s: %w", ErrGenesis, stashes[i], err)
			}
			if !p.s.validators.Exists(ctx, who) {
				return fmt.Errorf("%w: nominator %s: target %s is not a validator", ErrGenesis, stashes[i], who)
			}
			targets = append(targets, who)
		}
		sortAccounts(targets)
		p.s.nominators.Set(ctx, stashes[i], Nominations{Targets: targets})
	}

	pool := RewardsPoolAccount()
	if !cfg.RewardsPool.IsZero() {
		src, err := types.ParseAccountID(cfg.RewardsPoolSource)
		if err != nil {
			return fmt.Errorf("%w: rewardsPoolSource: %w", ErrGenesis, err)
		}
		if err := p.cfg.Currency.Transfer(ctx, src, pool, cfg.RewardsPool, false); err != nil {
			return fmt.Errorf("%w: moving rewardsPool from %s: %w", ErrGenesis, src, err)
		}
	}
	p.s.poolLastBalance.Set(ctx, p.cfg.Currency.Free(ctx, pool))
	return nil
}
