package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/consensus/manual"
	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/node"
	"github.com/metamars/mars/host/txpool"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/types"
)

type devFlags struct {
	basePath    string
	chainSpec   string
	rpcPort     int
	rpcExternal bool
	rpcCors     []string
	rpcMaxConns int
	blockTime   time.Duration
	pruning     string
}

func newDevCmd() *cobra.Command {
	var f devFlags
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run a single-node development chain that authors a block every --block-time",
		Long: `Runs a development relay chain on this machine: one node that authors and
finalizes a block every --block-time, with the well-known dev accounts (//Alice,
//Bob, …) funded from the MSCA genesis allocation and //Alice as sudo.

Without --base-path the chain lives in a temporary folder removed on exit. With
an existing --base-path it continues where it stopped. JSON-RPC (HTTP and
WebSocket) listens on 127.0.0.1:--rpc-port.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDev(cmd.Context(), f) },
	}
	cmd.Flags().StringVar(&f.basePath, "base-path", "", "folder for the database (default: a temporary folder, removed on exit)")
	cmd.Flags().StringVar(&f.chainSpec, "chain", "", "raw chain spec JSON file to run instead of the built-in development chain")
	cmd.Flags().IntVar(&f.rpcPort, "rpc-port", 9944, "JSON-RPC port (HTTP and WebSocket); 0 picks a free port")
	cmd.Flags().BoolVar(&f.rpcExternal, "rpc-external", false, "listen on all interfaces (unsafe RPC methods are then refused)")
	cmd.Flags().StringSliceVar(&f.rpcCors, "rpc-cors", nil, "browser origins allowed to call the RPC (default: none)")
	cmd.Flags().IntVar(&f.rpcMaxConns, "rpc-max-connections", 100, "maximum WebSocket connections plus in-flight HTTP requests")
	cmd.Flags().DurationVar(&f.blockTime, "block-time", time.Second, "interval between authored blocks")
	cmd.Flags().StringVar(&f.pruning, "pruning", "256", "finalized states to keep, or 'archive' to keep all")
	return cmd
}

func runDev(ctx context.Context, f devFlags) error {
	log := slog.Default()
	base := f.basePath
	if base == "" {
		tmp, err := os.MkdirTemp("", "marsd-dev-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		base = tmp
		log.Info("using a temporary base path", "path", base)
	}
	keep, archive := 0, false
	if f.pruning == "archive" {
		archive = true
	} else {
		n, err := strconv.Atoi(f.pruning)
		if err != nil || n < 1 {
			return fmt.Errorf("--pruning: want a positive number or 'archive', got %q", f.pruning)
		}
		keep = n
	}
	if f.blockTime < 50*time.Millisecond {
		return fmt.Errorf("--block-time %s is too short (minimum 50ms)", f.blockTime)
	}
	spec, err := loadOrBuildSpec(ctx, f.chainSpec, base)
	if err != nil {
		return err
	}
	host := "127.0.0.1"
	if f.rpcExternal {
		host = "0.0.0.0"
	}
	n, err := node.New(ctx, node.Config{
		BasePath: base, Spec: spec, RPCAddr: net.JoinHostPort(host, strconv.Itoa(f.rpcPort)),
		RPCExternal: f.rpcExternal, RPCCors: f.rpcCors, RPCMaxConnections: f.rpcMaxConns, KeepFinalized: keep, Archive: archive, Logger: log,
	})
	if err != nil {
		return err
	}
	defer n.Close()
	author := manual.New(n.Chain(), &authorPool{n.Pool()}, manual.Config{
		BlockTime: f.blockTime, Finalize: true, Logger: log.With("target", "author")})
	n.AddService("author", author.Run)
	return n.Run(ctx)
}

// loadOrBuildSpec reads --chain, or builds the development chain's genesis
// by running the embedded relay runtime's GenesisBuilder.
func loadOrBuildSpec(ctx context.Context, path, base string) (*node.Spec, error) {
	if path != "" {
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		return node.LoadSpec(fh)
	}
	ex, err := executor.New(ctx, executor.Config{CacheDir: filepath.Join(base, "wasm-cache")})
	if err != nil {
		return nil, err
	}
	defer ex.Close(ctx)
	gen, err := chain.GenesisFromPreset(ctx, ex, blobs.Relay(), relay.PresetDevelopment)
	if err != nil {
		return nil, err
	}
	return &node.Spec{Name: "MSC Development", ID: "mars_dev", ChainType: "Development",
		Properties: node.DefaultProperties(), Genesis: gen}, nil
}

// authorPool offers the pool's ready transactions to the block author.
type authorPool struct{ p *txpool.Pool }

func (a *authorPool) Ready() []manual.Tx {
	return readyTxs(a.p, func(h types.Hash, ext []byte) manual.Tx { return manual.Tx{Hash: h, Ext: ext} })
}

// readyTxs lists the pool's ready transactions in inclusion order, in the
// author's own transaction type.
func readyTxs[T any](p *txpool.Pool, mk func(h types.Hash, ext []byte) T) []T {
	it := p.Ready()
	var out []T
	for {
		tx, ok := it.Next()
		if !ok {
			return out
		}
		out = append(out, mk(tx.Hash, tx.Ext))
	}
}

func (a *authorPool) Refused(hashes []types.Hash, _ []error) { a.p.RemoveInvalid(hashes...) }
