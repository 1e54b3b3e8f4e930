package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

func trieVersion(v uint8) (trie.Version, error) {
	switch v {
	case 0:
		return trie.V0, nil
	case 1:
		return trie.V1, nil
	}
	return 0, fmt.Errorf("--state-version must be 0 or 1, not %d", v)
}

// loadVersioned checks the --state-version flag and loads FILE with load.
func loadVersioned[T any](ver uint8, path string, load func(io.Reader) (T, error)) (T, trie.Version, error) {
	var zero T
	v, err := trieVersion(ver)
	if err != nil {
		return zero, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return zero, 0, err
	}
	defer f.Close()
	out, err := load(f)
	if err != nil {
		return zero, 0, fmt.Errorf("%s: %w", path, err)
	}
	return out, v, nil
}

func newTrieCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "trie", Short: "Substrate trie tools"}
	var ver uint8
	root := &cobra.Command{
		Use:   "root FILE",
		Short: "Print the state root of a state_getPairs JSON dump",
		Long: `Reads a JSON-RPC state_getPairs response (or a bare [[key, value], ...] array)
and prints the Substrate trie root of those pairs under the given state version.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pairs, v, err := loadVersioned(ver, args[0], trie.LoadStatePairs)
			if err != nil {
				return err
			}
			r, err := trie.RootOfPairs(pairs, v)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pairs:      %d\nstate root: %s\n", len(pairs), types.Hash(r))
			return nil
		},
	}
	root.Flags().Uint8Var(&ver, "state-version", 1, "trie layout: 0 (V0, values inline) or 1 (V1, values ≥ 33 bytes hashed)")
	cmd.AddCommand(root)
	return cmd
}

func newChainSpecCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "chain-spec", Short: "Build and inspect chain specs (Substrate's raw JSON format)"}
	var ver uint8
	inspect := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Print the name, genesis state root and genesis hash of a raw chain spec",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, v, err := loadVersioned(ver, args[0], trie.LoadRawChainSpec)
			if err != nil {
				return err
			}
			root, err := spec.StateRoot(v)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "name:         %s\nid:           %s\ntop keys:     %d\nchild tries:  %d\n", spec.Name, spec.ID, len(spec.Top), len(spec.Children))
			fmt.Fprintf(w, "state root:   %s\ngenesis hash: %s\n", types.Hash(root), types.Hash(trie.GenesisHash(root)))
			return nil
		},
	}
	inspect.Flags().Uint8Var(&ver, "state-version", 1, "trie layout of the genesis state: 0 or 1")
	cmd.AddCommand(inspect)
	cmd.AddCommand(newChainSpecBuildCmd())
	return cmd
}
