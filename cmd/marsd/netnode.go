package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/node"
)

// netFlags are the flags of `marsd validator` and `marsd full`.
type netFlags struct {
	chainSpec   string
	basePath    string
	port        int
	listen      []string
	bootnodes   []string
	mdns        bool
	noDHT       bool
	sync        string
	rpcPort     int
	rpcExternal bool
	rpcCors     []string
	rpcMaxConns int
	pruning     string
	maxPeers    int
	// equivocate is a test-only switch: the validator double-signs blocks
	// and GRANDPA votes so that the network's slashing can be exercised.
	equivocate bool
}

func addNetFlags(cmd *cobra.Command, f *netFlags) {
	cmd.Flags().StringVar(&f.chainSpec, "chain", "", "raw chain spec JSON file (required; e.g. from `marsd chain-spec build --validators N`)")
	cmd.Flags().StringVar(&f.basePath, "base-path", "", "folder for the database, the keystore and the node key (required)")
	cmd.Flags().IntVar(&f.port, "port", 30333, "libp2p port (TCP and QUIC on all interfaces unless --listen-addr is given); 0 picks one")
	cmd.Flags().StringSliceVar(&f.listen, "listen-addr", nil, "libp2p listen multiaddrs (overrides --port), e.g. /ip4/127.0.0.1/tcp/0 for a loopback-only node")
	cmd.Flags().StringSliceVar(&f.bootnodes, "bootnodes", nil, "multiaddrs of peers to connect to first, ending in /p2p/<peer id> (added to the chain spec's)")
	cmd.Flags().BoolVar(&f.mdns, "mdns", false, "discover peers on the local network with mDNS")
	cmd.Flags().BoolVar(&f.noDHT, "no-dht", false, "do not use Kademlia discovery (bootnodes only)")
	cmd.Flags().StringVar(&f.sync, "sync", "full", "how to catch up with the chain: full (every block from genesis) or warp (finality proofs, then the latest state)")
	cmd.Flags().IntVar(&f.rpcPort, "rpc-port", 9944, "JSON-RPC port (HTTP and WebSocket); 0 picks a free port")
	cmd.Flags().BoolVar(&f.rpcExternal, "rpc-external", false, "listen on all interfaces (unsafe RPC methods are then refused)")
	cmd.Flags().StringSliceVar(&f.rpcCors, "rpc-cors", nil, "browser origins allowed to call the RPC (default: none)")
	cmd.Flags().IntVar(&f.rpcMaxConns, "rpc-max-connections", 100, "maximum WebSocket connections plus in-flight HTTP requests")
	cmd.Flags().StringVar(&f.pruning, "pruning", "256", "finalized states to keep, or 'archive' to keep all")
	cmd.Flags().IntVar(&f.maxPeers, "max-peers", 50, "maximum connected peers")
	cmd.Flags().BoolVar(&f.equivocate, "unsafe-test-equivocate", false, "TEST ONLY: double-sign blocks and GRANDPA votes (gets this validator slashed)")
	_ = cmd.Flags().MarkHidden("unsafe-test-equivocate")
	_ = cmd.MarkFlagRequired("chain")
	_ = cmd.MarkFlagRequired("base-path")
}

func newValidatorCmd() *cobra.Command {
	var f netFlags
	cmd := &cobra.Command{
		Use:   "validator --chain SPEC --base-path DIR",
		Short: "Run a relay-chain validator: author blocks in its Aura slots and vote in GRANDPA",
		Long: `Runs a validator of the chain in SPEC. Its session keys must be in the
keystore under DIR (marsd key insert --key-type aura|gran, or author_rotateKeys
followed by session.setKeys): the Aura key authors the blocks of the slots the
validator owns, the GRANDPA key signs finality votes. A validator that is not
in the current set follows the chain like a full node and starts authoring and
voting once the set includes it.`,
		Example: `  marsd chain-spec build --validators 4 --output spec.json
  marsd key insert --base-path v1 --suri //Alice --key-type aura
  marsd key insert --base-path v1 --suri //Alice --key-type gran
  marsd validator --chain spec.json --base-path v1 --port 30333 --rpc-port 9944`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runNetNode(cmd.Context(), f, true) },
	}
	addNetFlags(cmd, &f)
	return cmd
}

func newFullCmd() *cobra.Command {
	var f netFlags
	cmd := &cobra.Command{
		Use:     "full --chain SPEC --base-path DIR",
		Short:   "Run a full node: sync, verify and serve the chain without validating",
		Args:    cobra.NoArgs,
		Example: `  marsd full --chain spec.json --base-path full1 --bootnodes /ip4/127.0.0.1/tcp/30333/p2p/12D3Koo… --sync warp`,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runNetNode(cmd.Context(), f, false) },
	}
	addNetFlags(cmd, &f)
	return cmd
}

func parsePruning(s string) (keep int, archive bool, err error) {
	if s == "archive" {
		return 0, true, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, false, fmt.Errorf("--pruning: want a positive number or 'archive', got %q", s)
	}
	return n, false, nil
}

func runNetNode(ctx context.Context, f netFlags, validator bool) error {
	log := slog.Default()
	keep, archive, err := parsePruning(f.pruning)
	if err != nil {
		return err
	}
	if f.sync != "full" && f.sync != "warp" {
		return fmt.Errorf("--sync must be full or warp, not %q", f.sync)
	}
	fh, err := os.Open(f.chainSpec)
	if err != nil {
		return err
	}
	spec, err := node.LoadSpec(fh)
	fh.Close()
	if err != nil {
		return fmt.Errorf("--chain %s: %w", f.chainSpec, err)
	}
	listen := f.listen
	if len(listen) == 0 {
		// All interfaces, as Substrate: peers elsewhere must reach a
		// validator. Loopback-only networks pass --listen-addr.
		listen = []string{
			fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", f.port),
			fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", f.port),
		}
	}
	ks, err := keystore.Open(f.basePath)
	if err != nil {
		return err
	}
	host := "127.0.0.1"
	if f.rpcExternal {
		host = "0.0.0.0"
	}
	cons := newConsensus(log, ks, validator, f.equivocate)
	n, err := node.New(ctx, node.Config{
		BasePath: f.basePath, Spec: spec, RPCAddr: net.JoinHostPort(host, strconv.Itoa(f.rpcPort)),
		RPCExternal: f.rpcExternal, RPCCors: f.rpcCors, RPCMaxConnections: f.rpcMaxConns,
		KeepFinalized: keep, Archive: archive, Logger: log, Keystore: ks,
		Verifier: cons.verifier,
		Network: &node.NetworkConfig{
			ListenAddrs: listen, Bootnodes: f.bootnodes, Authority: validator, MDNS: f.mdns, NoDHT: f.noDHT,
			MaxPeers: f.maxPeers, Sync: f.sync,
			VerifyJustification: cons.verifyJustification, WarpVerifier: cons.verifyWarpFragment,
		},
	})
	if err != nil {
		return err
	}
	defer n.Close()
	if err := cons.attach(ctx, n); err != nil {
		return err
	}
	return n.Run(ctx)
}

// errNotReady is returned by consensus hooks called before attach.
var errNotReady = fmt.Errorf("consensus: not attached to the node yet: %w", chain.ErrRetryLater)
