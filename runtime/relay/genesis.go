package relay

import (
	"encoding/hex"
	"encoding/json"

	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Token economics (ARCHITECTURE.md §1): MSCA has 12 decimals and a fixed
// supply of 84,000,000 MSCA; 15% goes to the team/foundation account, each
// dev account gets 1,000,000 MSCA on dev/local chains, the rest goes to
// the genesis reserve.
const (
	Decimals         = 12
	PlanckPerMSCA    = 1_000_000_000_000
	TotalSupplyMSCA  = 84_000_000
	DevEndowmentMSCA = 1_000_000
	TeamPercent      = 15
)

// Preset names (GenesisBuilder_preset_names).
const (
	PresetDevelopment  = "development"
	PresetLocalTestnet = "local_testnet"
	PresetLocal        = "local"
)

// TotalSupply is 84,000,000 MSCA in planck (8.4e19 > u64: a U128).
func TotalSupply() scale.U128 { return msca(TotalSupplyMSCA) }

func msca(n uint64) scale.U128 {
	v, _ := scale.FromUint64(n).Mul64(PlanckPerMSCA)
	return v
}

// PalletAccount is Substrate's PalletId::into_account_truncating:
// "modl" ++ 8-byte id ++ zero padding.
func PalletAccount(id [8]byte) types.AccountID {
	var a types.AccountID
	copy(a[:], "modl")
	copy(a[4:], id[:])
	return a
}

// TeamAccount holds the team/foundation share (PalletId "py/teamf").
func TeamAccount() types.AccountID {
	return PalletAccount([8]byte{'p', 'y', '/', 't', 'e', 'a', 'm', 'f'})
}

// ReserveAccount holds the rest of the supply (PalletId "py/gnrsv").
func ReserveAccount() types.AccountID {
	return PalletAccount([8]byte{'p', 'y', '/', 'g', 'n', 'r', 's', 'v'})
}

// DevAccounts are the sr25519 public keys of //Alice .. //Ferdie.
var DevAccounts = func() []types.AccountID {
	hexes := []string{
		"d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", // Alice
		"8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48", // Bob
		"90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22", // Charlie
		"306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20", // Dave
		"e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e", // Eve
		"1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c", // Ferdie
	}
	out := make([]types.AccountID, len(hexes))
	for i, h := range hexes {
		b, _ := hex.DecodeString(h)
		copy(out[i][:], b)
	}
	return out
}()

// Endowments returns the genesis balances of the dev presets: the dev
// accounts, the treasury's existential deposit, the team share and the
// reserve, summing to TotalSupply. (The treasury receives transaction
// fees; it starts with the existential deposit so that fees smaller than
// the deposit are not dropped.)
func Endowments() [][2]any {
	out, _ := endowments(DevAccounts) // six accounts fit in the supply
	return out
}

// Preset returns the JSON of a named preset, or the default config for ""
// (GenesisBuilder_get_preset(None)); ok is false for an unknown name.
//
// "development" and "local_testnet" have one validator, Alice; "local" has
// four, Alice, Bob, Charlie and Dave (Aura key sr25519 //Name, GRANDPA key
// ed25519 //Name, each bonding DefaultBondMSCA). All end the session every
// session.DefaultPeriod blocks and the era every DefaultSessionsEra
// sessions.
func Preset(name string) ([]byte, bool) {
	switch name {
	case "":
		cfg := map[string]any{
			"system":             map[string]any{},
			"balances":           map[string]any{"balances": [][2]any{}},
			"sudo":               map[string]any{"key": nil},
			"transactionPayment": map[string]any{},
			"session":            map[string]any{"keys": []any{}, "period": session.DefaultPeriod},
			"staking":            map[string]any{},
		}
		b, err := json.Marshal(cfg) // map keys are sorted: deterministic
		return b, err == nil
	case PresetDevelopment, PresetLocalTestnet:
		b, err := ValidatorsGenesisConfig([]GenesisValidator{DevValidator(0)}, DevAccounts, session.DefaultPeriod, DefaultSessionsEra)
		return b, err == nil
	case PresetLocal:
		vals := []GenesisValidator{DevValidator(0), DevValidator(1), DevValidator(2), DevValidator(3)}
		b, err := ValidatorsGenesisConfig(vals, DevAccounts, session.DefaultPeriod, DefaultSessionsEra)
		return b, err == nil
	}
	return nil, false
}

// PresetNames lists the named presets.
func PresetNames() []string { return []string{PresetDevelopment, PresetLocalTestnet, PresetLocal} }
