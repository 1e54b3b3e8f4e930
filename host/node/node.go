package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/pebbledb"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/rpc"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/txpool"
	"github.com/metamars/mars/runtime/types"
)

// Version is the node software version reported by system_version.
const Version = "0.1.0"

// Config is how a node is run.
type Config struct {
	// BasePath holds the database and the compilation cache.
	BasePath string
	Spec     *Spec
	// RPCAddr is the JSON-RPC listen address (host:port; port 0 picks one).
	RPCAddr string
	// RPCExternal allows a non-loopback RPCAddr (unsafe methods are then refused).
	RPCExternal bool
	// RPCCors lists allowed browser origins (nil: CORS off).
	RPCCors []string
	// RPCMaxConnections bounds WebSocket connections plus in-flight HTTP
	// requests (0: the RPC server's default, 100).
	RPCMaxConnections int
	// KeepFinalized and Archive set state pruning.
	KeepFinalized int
	Archive       bool
	// Verifier checks imported headers (a consensus engine, e.g. Aura);
	// nil accepts any header (dev chains).
	Verifier chain.Verifier
	// Network makes the node a network peer (nil: a standalone dev node).
	Network *NetworkConfig
	// Keystore holds the node's session keys (default: <BasePath>/keystore).
	Keystore *keystore.Keystore
	// StatusInterval is how often a status line is logged (default 5 s).
	StatusInterval time.Duration
	Logger         *slog.Logger
}

// Node is a running node.
type Node struct {
	cfg   Config
	log   *slog.Logger
	kv    db.Database
	exec  *executor.Executor
	chain *chain.Chain
	pool  *txpool.Pool
	rpc   *rpc.Server
	ln    net.Listener
	rv    *versionCache
	ks    *keystore.Keystore
	net   *netParts // nil without Config.Network
	svcs  []service
}

// service is a long-running part added by the binary (e.g. a consensus
// engine: host/ does not import consensus/).
type service struct {
	name string
	run  func(ctx context.Context) error
}

// ErrExternalRPC refuses a non-loopback RPC address without RPCExternal.
var ErrExternalRPC = errors.New("node: RPC address is not loopback: pass --rpc-external to expose it")

// New opens (or creates) the node's database under cfg.BasePath, imports
// genesis if the database is new, and binds the RPC listener. Nothing runs
// until Run.
func New(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.StatusInterval <= 0 {
		cfg.StatusInterval = 5 * time.Second
	}
	n := &Node{cfg: cfg, log: cfg.Logger}
	if err := os.MkdirAll(cfg.BasePath, 0o700); err != nil {
		return nil, err
	}
	kv, err := pebbledb.OpenPebble(filepath.Join(cfg.BasePath, "db"), pebbledb.PebbleOptions{})
	if err != nil {
		return nil, fmt.Errorf("node: open database: %w", err)
	}
	n.kv = kv
	ok := false
	defer func() {
		if !ok {
			n.Close()
		}
	}()
	st, err := state.New(kv, state.Config{KeepFinalized: cfg.KeepFinalized, Archive: cfg.Archive})
	if err != nil {
		return nil, err
	}
	n.exec, err = executor.New(ctx, executor.Config{CacheDir: filepath.Join(cfg.BasePath, "wasm-cache"), Logger: cfg.Logger.With("target", "runtime")})
	if err != nil {
		return nil, err
	}
	n.chain, err = chain.Open(ctx, chain.Config{DB: kv, State: st, Executor: n.exec, Logger: cfg.Logger, Verifier: cfg.Verifier}, cfg.Spec.Genesis)
	if err != nil {
		return nil, err
	}
	n.rv = newVersionCache(n.chain)
	if n.ks = cfg.Keystore; n.ks == nil {
		if n.ks, err = keystore.Open(cfg.BasePath); err != nil {
			return nil, err
		}
	}
	best := n.chain.Best()
	n.pool = txpool.New(&validator{n.chain}, best.Hash, best.Number, txpool.Config{})
	if cfg.Network != nil {
		if err := n.startNetwork(ctx, cfg.Network); err != nil {
			return nil, err
		}
	}
	if err := n.listen(); err != nil {
		return nil, err
	}
	if n.net != nil {
		if err := n.registerNetworkRPC(); err != nil {
			return nil, err
		}
	}
	ok = true
	return n, nil
}

func (n *Node) listen() error {
	addr := n.cfg.RPCAddr
	if addr == "" {
		addr = "127.0.0.1:9944"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("node: RPC address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); !n.cfg.RPCExternal && (ip == nil && host != "localhost" || ip != nil && !ip.IsLoopback()) {
		return fmt.Errorf("%w (%s)", ErrExternalRPC, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("node: RPC listen: %w", err)
	}
	n.ln = ln
	n.rpc = rpc.NewServer(rpc.Config{AllowedOrigins: n.cfg.RPCCors, MaxConnections: n.cfg.RPCMaxConnections, Logger: n.log.With("target", "rpc")})
	var sys rpc.System = &rpcSystem{n}
	if n.net != nil {
		sys = &rpcNetSystem{rpcSystem{n}}
	}
	b := rpc.Backend{
		Chain:  &rpcChain{n.chain},
		State:  &rpcState{c: n.chain, rv: n.rv},
		Pool:   &rpcPool{p: n.pool, gossip: n.broadcastTx},
		System: sys,
		Keys:   &rpcKeys{ks: n.ks, c: n.chain},
	}
	if err := rpc.RegisterAPI(n.rpc, b); err != nil {
		return err
	}
	// The new JSON-RPC spec groups (chainHead_v1, transaction_v1,
	// transactionWatch_v1, chainSpec_v1) for light clients and papi.
	return rpc.RegisterV1(n.rpc, b)
}

// RPCAddr is the address the RPC server listens on.
func (n *Node) RPCAddr() string { return n.ln.Addr().String() }

// Chain is the node's chain.
func (n *Node) Chain() *chain.Chain { return n.chain }

// Keystore is the node's keystore.
func (n *Node) Keystore() *keystore.Keystore { return n.ks }

// Pool is the node's transaction pool.
func (n *Node) Pool() *txpool.Pool { return n.pool }

// AddService registers a long-running service that Run starts and stops
// with the node (e.g. block authoring). Call it before Run.
func (n *Node) AddService(name string, run func(ctx context.Context) error) {
	n.svcs = append(n.svcs, service{name, run})
}

// Run serves RPC, authors blocks (if configured) and maintains the pool
// until ctx ends, then shuts down cleanly.
func (n *Node) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := n.rpc.Serve(n.ln); err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, rpc.ErrServerClosed) {
			select {
			case errc <- fmt.Errorf("node: rpc: %w", err):
			default:
			}
			cancel()
		}
	}()
	events, unsub := n.chain.Subscribe()
	wg.Add(1)
	go func() {
		defer wg.Done()
		n.maintainPool(ctx, events)
	}()
	for _, svc := range n.svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.run(ctx); err != nil && ctx.Err() == nil {
				n.log.Error("service stopped", "service", svc.name, "err", err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		n.status(ctx)
	}()
	n.log.Info("node running", "chain", n.cfg.Spec.Name, "rpc", "ws://"+n.RPCAddr(), "best", n.chain.Best().Number, "genesis", n.chain.Genesis().Hash)
	<-ctx.Done()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	_ = n.rpc.Shutdown(sctx)
	unsub()
	wg.Wait()
	n.log.Info("node stopped", "best", n.chain.Best().Number)
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// maintainPool prunes and re-validates the pool as blocks are imported and
// tells watchers about inclusion and finality.
func (n *Node) maintainPool(ctx context.Context, events <-chan chain.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				// We fell behind the chain's event buffer; resubscribe.
				var unsub func()
				events, unsub = n.chain.Subscribe()
				defer unsub()
				continue
			}
			switch ev.Kind {
			case chain.EventImported:
				for _, r := range ev.Retracted {
					n.pool.BlockRetracted(r.Hash)
				}
				if !ev.NewBest {
					continue
				}
				n.pool.Prune(ev.Block.Hash, ev.Block.Number, ev.Extrinsics)
				// A reorg must not lose transactions: those of the blocks
				// that left the best chain go back to the pool, validated at
				// the new best block (SourceInBlock lifts their inclusion
				// ban); inherents and transactions the new chain already
				// holds are refused, which is fine.
				for _, x := range ev.RetractedExtrinsics {
					_, _ = n.pool.Submit(ctx, types.SourceInBlock, x)
				}
				hashes := make([]typesHash, len(ev.Extrinsics))
				for i, x := range ev.Extrinsics {
					hashes[i] = extrinsicHash(x)
				}
				n.pool.BlockIncluded(ev.Block.Hash, hashes)
				if _, err := n.pool.Revalidate(ctx, ev.Block.Hash, ev.Block.Number); err != nil && ctx.Err() == nil {
					n.log.Warn("pool revalidation", "err", err)
				}
			case chain.EventFinalized:
				n.pool.BlockFinalized(ev.Block.Hash)
			}
		}
	}
}

func (n *Node) status(ctx context.Context) {
	t := time.NewTicker(n.cfg.StatusInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s := n.pool.Stats()
			best, fin := n.chain.Best(), n.chain.Finalized()
			peers := 0
			if n.net != nil {
				peers = len(n.net.net.Peers())
			}
			n.log.Info("status", "best", best.Number, "best_hash", best.Hash, "finalized", fin.Number, "peers", peers, "txpool_ready", s.Ready, "txpool_future", s.Future)
		}
	}
}

// Close releases the database and the executor. Call it after Run returns.
func (n *Node) Close() {
	if n.net != nil {
		n.net.net.Close()
	}
	if n.ln != nil {
		n.ln.Close()
	}
	if n.exec != nil {
		n.exec.Close(context.Background())
	}
	if n.kv != nil {
		n.kv.Close()
	}
}
