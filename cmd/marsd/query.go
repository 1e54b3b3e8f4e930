package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func newQueryCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "query", Short: "Read chain state from a running node over JSON-RPC"}
	cmd.AddCommand(newQueryAccountCmd(), newQueryStorageCmd())
	return cmd
}

func newQueryAccountCmd() *cobra.Command {
	var rpcURL, atHex string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "account ADDRESS",
		Short: "Print an account's nonce and balances (System.Account)",
		Long: `Reads System.Account of ADDRESS with state_getStorage and prints its nonce,
reference counts and balances (free, reserved, frozen) in planck and MSCA.
An account that does not exist prints zeros.
ADDRESS is an SS58 address, 0x + 64 hex digits, or a secret URI such as //Alice.`,
		Example: `  marsd query account --rpc ws://127.0.0.1:9944 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
  marsd query account //Bob --at 0x<block hash>`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseAddress(args[0])
			if err != nil {
				return err
			}
			var at *types.Hash
			if atHex != "" {
				h, err := types.HashFromHex(atHex)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				at = &h
			}
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			c, err := rpcclient.Dial(ctx, rpcURL)
			if err != nil {
				return err
			}
			defer c.Close()
			return queryAccount(ctx, cmd.OutOrStdout(), c, id, at)
		},
	}
	cmd.Flags().StringVar(&rpcURL, "rpc", "ws://127.0.0.1:9944", "node JSON-RPC URL (ws:// or http://)")
	cmd.Flags().StringVar(&atHex, "at", "", "block hash to read at (default: best block)")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "give up after this long")
	return cmd
}

// accountInfo is frame_system::AccountInfo with pallet_balances' AccountData.
type accountInfo struct {
	Nonce, Consumers, Providers, Sufficients uint32
	Free, Reserved, Frozen, Flags            scale.U128
}

func decodeAccountInfo(b []byte) (accountInfo, error) {
	d := scale.NewDecoder(b)
	a := accountInfo{Nonce: d.U32(), Consumers: d.U32(), Providers: d.U32(), Sufficients: d.U32()}
	a.Free, a.Reserved, a.Frozen, a.Flags = d.U128(), d.U128(), d.U128(), d.U128()
	if err := d.Finish(); err != nil {
		return accountInfo{}, fmt.Errorf("System.Account value (%d bytes): %w", len(b), err)
	}
	return a, nil
}

// systemAccountKey is twox128("System") ++ twox128("Account") ++
// blake2_128concat(id).
func systemAccountKey(id types.AccountID) []byte {
	k := make([]byte, 0, 32+16+32)
	p, s := types.Twox128([]byte("System")), types.Twox128([]byte("Account"))
	k = append(k, p[:]...)
	k = append(k, s[:]...)
	return append(k, types.Blake2_128Concat(id[:])...)
}

func queryAccount(ctx context.Context, w io.Writer, c *rpcclient.Client, id types.AccountID, at *types.Hash) error {
	raw, found, err := c.Storage(ctx, systemAccountKey(id), at)
	if err != nil {
		return fmt.Errorf("state_getStorage: %w", err)
	}
	var a accountInfo
	if found {
		if a, err = decodeAccountInfo(raw); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "account:     %s\n", id.SS58(types.SS58Generic))
	fmt.Fprintf(w, "account id:  %s\n", id.Hex())
	if !found {
		fmt.Fprintln(w, "exists:      no")
	}
	fmt.Fprintf(w, "nonce:       %d\n", a.Nonce)
	fmt.Fprintf(w, "consumers:   %d\nproviders:   %d\nsufficients: %d\n", a.Consumers, a.Providers, a.Sufficients)
	fmt.Fprintf(w, "free:        %s\n", formatAmount(a.Free))
	fmt.Fprintf(w, "reserved:    %s\n", formatAmount(a.Reserved))
	fmt.Fprintf(w, "frozen:      %s\n", formatAmount(a.Frozen))
	return nil
}

// parseAddress reads an account: an SS58 address (any prefix), 0x + 64 hex
// digits, or a secret URI starting with '/' (e.g. //Bob, sr25519).
func parseAddress(s string) (types.AccountID, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return types.AccountID{}, errors.New("empty address")
	case strings.HasPrefix(s, "/"):
		kp, err := keystore.FromURI(keystore.Sr25519, s)
		if err != nil {
			return types.AccountID{}, fmt.Errorf("address %q: %w", s, err)
		}
		return kp.AccountID(), nil
	case strings.HasPrefix(s, "0x"):
		b, err := rpcclient.DecodeHex(s)
		if err != nil || len(b) != 32 {
			return types.AccountID{}, fmt.Errorf("address %q: want 0x and 64 hex digits", s)
		}
		return types.AccountID(b), nil
	}
	id, _, err := types.ParseSS58(s)
	if err != nil {
		return types.AccountID{}, fmt.Errorf("address %q: %w", s, err)
	}
	return id, nil
}
