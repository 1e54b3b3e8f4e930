package relay

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/pallets/transactionpayment"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// GenesisValidator is one genesis validator: its stash (the validator's
// account, also its session validator id), its session keys (Aura
// sr25519, GRANDPA ed25519) and the MSCA it bonds (planck).
type GenesisValidator struct {
	Stash         types.AccountID
	Aura, Grandpa [32]byte
	Bond          scale.U128
}

// Staking genesis of the presets and of ValidatorsGenesisConfig: a
// rewards pool set aside from the genesis reserve (no inflation: the
// supply stays 84,000,000 MSCA) that pays at most EraPayoutMSCA per era on
// top of the era's fees.
const (
	RewardsPoolMSCA    = 1_000_000
	EraPayoutMSCA      = 1_000
	DefaultBondMSCA    = 100_000
	DefaultSessionsEra = 6
)

// Staking periods of ValidatorsGenesisConfig's chains, in eras, and their
// minimum bonds in MSCA.
const (
	LocalBondingDuration    = 4
	LocalSlashDeferDuration = 1
	MinValidatorBondMSCA    = 10_000
	MinNominatorBondMSCA    = 100
)

// ErrValidators reports an unusable validator list.
var ErrValidators = errors.New("relay: invalid genesis validators")

// DevValidator returns the dev validator i (0 Alice … 5 Ferdie, as
// DevAccounts): stash and Aura key sr25519 //Name, GRANDPA key ed25519
// //Name, bonding DefaultBondMSCA. i must be below len(DevAccounts).
func DevValidator(i int) GenesisValidator {
	return GenesisValidator{Stash: DevAccounts[i], Aura: DevAccounts[i], Grandpa: devGrandpa[i], Bond: msca(DefaultBondMSCA)}
}

// devGrandpa are the ed25519 public keys of //Alice .. //Ferdie.
var devGrandpa = func() [][32]byte {
	hexes := []string{
		"88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee", // Alice
		"d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69", // Bob
		"439660b36c6c03afafca027b910b4fecf99801834c62a5e6006f27d978de234f", // Charlie
		"5e639b43e0052c47447dac87d6fd2b6ec50bdd4d0f614e4299c665249bbd09d9", // Dave
		"1dfe3e22cc0d45c70779c1095f7489a8ef3cf52d62fbd8c2fa38c9f1723502b5", // Eve
		"568cb4a574c6d178feb39c27dfc8b3f789e5f5423e19c71633c748b9acf086b5", // Ferdie
	}
	out := make([][32]byte, len(hexes))
	for i, h := range hexes {
		a, _ := types.ParseAccountID("0x" + h)
		out[i] = a
	}
	return out
}()

// ValidatorsGenesisConfig returns the genesis JSON of a chain run by vals:
// endowed accounts (and every stash not among them) get DevEndowmentMSCA
// each, the team and reserve accounts the rest of the supply as in the dev
// presets; the sudo key is endowed[0] (or the first stash); session keys
// are the validators' keys with the given session period (blocks); staking
// elects len(vals) validators every sessionsPerEra sessions from the
// stashes' bonds, with a rewards pool of RewardsPoolMSCA from the reserve.
func ValidatorsGenesisConfig(vals []GenesisValidator, endowed []types.AccountID, sessionPeriod uint32, sessionsPerEra uint32) ([]byte, error) {
	if len(vals) == 0 {
		return nil, fmt.Errorf("%w: none", ErrValidators)
	}
	if sessionPeriod == 0 || sessionsPerEra == 0 {
		return nil, fmt.Errorf("%w: session period and sessions per era must be positive", ErrValidators)
	}
	accounts := append([]types.AccountID(nil), endowed...)
	seen := map[types.AccountID]bool{}
	for _, a := range accounts {
		if seen[a] {
			return nil, fmt.Errorf("%w: %s endowed twice", ErrValidators, a)
		}
		seen[a] = true
	}
	keys := make([]session.GenesisKeys, len(vals))
	stakers := make([]map[string]any, len(vals))
	keySeen := map[[32]byte]bool{}
	endowment := msca(DevEndowmentMSCA)
	for i, v := range vals {
		if keySeen[v.Aura] || keySeen[v.Grandpa] {
			return nil, fmt.Errorf("%w: validator %d reuses a session key", ErrValidators, i)
		}
		keySeen[v.Aura], keySeen[v.Grandpa] = true, true
		if !v.Bond.Lt(endowment) || v.Bond.IsZero() {
			return nil, fmt.Errorf("%w: validator %s bonds %s, must be positive and below its endowment %s", ErrValidators, v.Stash, v.Bond, endowment)
		}
		if !seen[v.Stash] {
			seen[v.Stash] = true
			accounts = append(accounts, v.Stash)
		} else {
			for j := 0; j < i; j++ {
				if vals[j].Stash == v.Stash {
					return nil, fmt.Errorf("%w: stash %s listed twice", ErrValidators, v.Stash)
				}
			}
		}
		keys[i] = session.GenesisKeys{Account: v.Stash, Validator: v.Stash, Keys: session.Keys{Aura: v.Aura, Grandpa: v.Grandpa}}
		stakers[i] = map[string]any{"stash": v.Stash.SS58(42), "bond": json.Number(v.Bond.String()), "role": "validator"}
	}
	bals, err := endowments(accounts)
	if err != nil {
		return nil, err
	}
	sudo := vals[0].Stash
	if len(endowed) > 0 {
		sudo = endowed[0]
	}
	cfg := map[string]any{
		"system":             map[string]any{},
		"balances":           map[string]any{"balances": bals},
		"sudo":               map[string]any{"key": sudo.SS58(42)},
		"transactionPayment": map[string]any{},
		"session":            session.GenesisConfig{Keys: keys, Period: sessionPeriod},
		"staking": map[string]any{
			"validatorCount":        len(vals),
			"minimumValidatorCount": 1,
			"sessionsPerEra":        sessionsPerEra,
			// Networks of dev validators are for trying things out: short
			// unbonding, and slashes applied one era after the offence (so
			// root can still cancel them) rather than 27 eras later.
			"bondingDuration":    LocalBondingDuration,
			"slashDeferDuration": LocalSlashDeferDuration,
			// Minimum bonds keep the era election's input small: every
			// nominator costs the session block work (sequential Phragmén).
			"minValidatorBond":  json.Number(msca(MinValidatorBondMSCA).String()),
			"minNominatorBond":  json.Number(msca(MinNominatorBondMSCA).String()),
			"stakers":           stakers,
			"rewardsPool":       json.Number(msca(RewardsPoolMSCA).String()),
			"rewardsPoolSource": ReserveAccount().SS58(42),
			"eraPayout":         json.Number(msca(EraPayoutMSCA).String()),
		},
	}
	return json.Marshal(cfg) // map keys are sorted: deterministic
}

// endowments gives each account DevEndowmentMSCA, the treasury its
// existential deposit, the team its share and the reserve the rest.
func endowments(accounts []types.AccountID) ([][2]any, error) {
	team, _ := TotalSupply().Mul64(TeamPercent)
	team, _ = team.Div64(100)
	rest, ok := TotalSupply().Sub(team)
	var out [][2]any
	for _, a := range accounts {
		if rest, ok = rest.Sub(msca(DevEndowmentMSCA)); !ok {
			return nil, fmt.Errorf("%w: %d accounts exceed the supply", ErrValidators, len(accounts))
		}
		out = append(out, [2]any{a.SS58(42), json.Number(msca(DevEndowmentMSCA).String())})
	}
	treasuryED := scale.FromUint64(balances.DefaultExistentialDeposit)
	if rest, ok = rest.Sub(treasuryED); !ok {
		return nil, fmt.Errorf("%w: supply exhausted", ErrValidators)
	}
	out = append(out, [2]any{transactionpayment.TreasuryAccount().SS58(42), json.Number(treasuryED.String())})
	out = append(out, [2]any{TeamAccount().SS58(42), json.Number(team.String())})
	out = append(out, [2]any{ReserveAccount().SS58(42), json.Number(rest.String())})
	return out, nil
}
