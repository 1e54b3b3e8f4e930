package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// chainSpecOptions say which chain spec to build.
type chainSpecOptions struct {
	Preset    string
	Name      string
	ID        string
	ChainType string
	// Validators > 0 builds a chain of that many dev validators (//Alice,
	// //Bob, …, //Validator7, …) instead of a preset.
	Validators     int
	SessionPeriod  uint32
	SessionsPerEra uint32
}

// defaults fills Name, ID and ChainType from the preset where unset.
func (o *chainSpecOptions) defaults() error {
	var name, id, ct string
	switch {
	case o.Validators > 0:
		name, id, ct = fmt.Sprintf("MSC Local Testnet (%d validators)", o.Validators), "mars_local", "Local"
		if o.Validators > 256 {
			return fmt.Errorf("--validators %d: at most 256", o.Validators)
		}
		if o.SessionPeriod == 0 || o.SessionsPerEra == 0 {
			return fmt.Errorf("--session-period and --sessions-per-era must be positive")
		}
	case o.Validators < 0:
		return fmt.Errorf("--validators must not be negative")
	}
	switch {
	case o.Validators > 0:
	default:
		switch o.Preset {
		case relay.PresetDevelopment:
			name, id, ct = "MSC Development", "mars_dev", "Development" // as `marsd dev` names its built-in chain
		case relay.PresetLocalTestnet:
			name, id, ct = "MSC Local Testnet", "mars_local", "Local"
		default:
			return fmt.Errorf("--preset must be one of %v, not %q", relay.PresetNames(), o.Preset)
		}
	}
	if o.Name == "" {
		o.Name = name
	}
	if o.ID == "" {
		o.ID = id
	}
	if o.ChainType == "" {
		o.ChainType = ct
	}
	switch o.ChainType {
	case "Development", "Local", "Live":
	default:
		return fmt.Errorf("--chain-type must be Development, Local or Live, not %q", o.ChainType)
	}
	return nil
}

func newChainSpecBuildCmd() *cobra.Command {
	var o chainSpecOptions
	var output string
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build a raw chain spec of the relay chain from a genesis preset",
		Long: `Runs the embedded relay runtime's GenesisBuilder (GenesisBuilder_get_preset and
GenesisBuilder_build_state) for --preset and writes a RAW chain spec in
Substrate's JSON format: genesis.raw.top holds every genesis storage pair
(":code" is the zstd-compressed runtime blob), keys sorted. Check it with
'marsd chain-spec inspect FILE'.`,
		Example: `  marsd chain-spec build --preset local_testnet --output local.json
  marsd chain-spec build --preset development --name "My Dev" --id my_dev > dev.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.defaults(); err != nil {
				return err
			}
			spec, err := buildRawChainSpec(cmd.Context(), o)
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = cmd.OutOrStdout().Write(spec)
				return err
			}
			if err := writeFileAtomic(output, spec); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d bytes)\n", output, len(spec))
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Preset, "preset", relay.PresetDevelopment, "genesis preset of the runtime: development or local_testnet")
	cmd.Flags().StringVar(&o.Name, "name", "", "chain name (default from the preset: MSC Development, MSC Local Testnet)")
	cmd.Flags().StringVar(&o.ID, "id", "", "chain id (default from the preset: mars_dev, mars_local)")
	cmd.Flags().StringVar(&o.ChainType, "chain-type", "", "chain type: Development, Local or Live (default from the preset)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (default: standard output)")
	cmd.Flags().IntVar(&o.Validators, "validators", 0, "build a chain of N dev validators (//Alice, //Bob, … with their Aura and GRANDPA keys) instead of --preset")
	cmd.Flags().Uint32Var(&o.SessionPeriod, "session-period", 10, "with --validators: blocks per session")
	cmd.Flags().Uint32Var(&o.SessionsPerEra, "sessions-per-era", 2, "with --validators: sessions per staking era")
	return cmd
}

// buildRawChainSpec returns the raw chain spec JSON (newline-terminated)
// of the embedded relay runtime for o (defaults already applied).
func buildRawChainSpec(ctx context.Context, o chainSpecOptions) ([]byte, error) {
	exec, err := executor.New(ctx, executor.Config{})
	if err != nil {
		return nil, err
	}
	defer exec.Close(ctx)
	var pairs []trie.Pair
	if o.Validators > 0 {
		cfg, err := validatorsGenesis(o.Validators, o.SessionPeriod, o.SessionsPerEra)
		if err != nil {
			return nil, err
		}
		pairs, err = chain.GenesisFromConfig(ctx, exec, blobs.Relay(), cfg)
		if err != nil {
			return nil, err
		}
	} else if pairs, err = chain.GenesisFromPreset(ctx, exec, blobs.Relay(), o.Preset); err != nil {
		return nil, err
	}
	return encodeRawChainSpec(o, pairs)
}

// validatorsGenesis is the genesis JSON of n dev validators: validator i's
// stash and Aura key are sr25519 devValidatorURI(i), its GRANDPA key
// ed25519 of the same URI; the six dev accounts are endowed too.
func validatorsGenesis(n int, sessionPeriod, sessionsPerEra uint32) ([]byte, error) {
	vals := make([]relay.GenesisValidator, n)
	for i := range vals {
		sr, err := keystore.FromURI(keystore.Sr25519, devValidatorURI(i))
		if err != nil {
			return nil, err
		}
		ed, err := keystore.FromURI(keystore.Ed25519, devValidatorURI(i))
		if err != nil {
			return nil, err
		}
		bond, _ := scale.U128{Lo: relay.DefaultBondMSCA}.Mul64(1_000_000_000_000)
		vals[i] = relay.GenesisValidator{Stash: sr.AccountID(), Aura: sr.Public(), Grandpa: ed.Public(), Bond: bond}
	}
	var endowed []types.AccountID
	for _, d := range keystore.DevAccounts() {
		endowed = append(endowed, d.AccountID())
	}
	return relay.ValidatorsGenesisConfig(vals, endowed, sessionPeriod, sessionsPerEra)
}

// buildValidatorsSpec is the raw chain spec of n dev validators with the
// default session period and era length (used by marsd localnet).
func buildValidatorsSpec(ctx context.Context, n int) ([]byte, error) {
	o := chainSpecOptions{Validators: n, SessionPeriod: 10, SessionsPerEra: 2}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	return buildRawChainSpec(ctx, o)
}

// encodeRawChainSpec writes Substrate's raw chain spec JSON for genesis
// storage pairs. Field order follows sc-chain-spec; top keys are sorted
// (byte order of the keys equals the order of their hex).
func encodeRawChainSpec(o chainSpecOptions, pairs []trie.Pair) ([]byte, error) {
	sorted := append([]trie.Pair(nil), pairs...)
	trie.SortPairs(sorted)
	var top bytes.Buffer
	top.WriteString("{")
	for i, p := range sorted {
		if i > 0 && bytes.Equal(p.Key, sorted[i-1].Key) {
			return nil, fmt.Errorf("genesis storage has key 0x%x twice", p.Key)
		}
		if i > 0 {
			top.WriteString(",")
		}
		top.WriteString("\n        \"0x")
		top.WriteString(hex.EncodeToString(p.Key))
		top.WriteString("\": \"0x")
		top.WriteString(hex.EncodeToString(p.Value))
		top.WriteString("\"")
	}
	if len(sorted) > 0 {
		top.WriteString("\n      ")
	}
	top.WriteString("}")

	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var out bytes.Buffer
	fmt.Fprintf(&out, `{
  "name": %s,
  "id": %s,
  "chainType": %s,
  "bootNodes": [],
  "telemetryEndpoints": null,
  "protocolId": null,
  "properties": {
    "ss58Format": 42,
    "tokenDecimals": %d,
    "tokenSymbol": %s
  },
  "codeSubstitutes": {},
  "genesis": {
    "raw": {
      "top": %s,
      "childrenDefault": {}
    }
  }
}
`, str(o.Name), str(o.ID), str(o.ChainType), tokenDecimals, str(tokenSymbol), top.String())
	if !json.Valid(out.Bytes()) {
		return nil, fmt.Errorf("chain spec: produced invalid JSON")
	}
	return out.Bytes(), nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so a reader never sees half a spec.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := io.Copy(f, bytes.NewReader(data))
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp)
		if werr != nil {
			return werr
		}
		return cerr
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
