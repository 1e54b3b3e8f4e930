package chain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// CodeKey is the well-known storage key of the runtime code.
var CodeKey = []byte(":code")

// BlockRef names a block.
type BlockRef struct {
	Hash   types.Hash
	Number uint32
}

// Config assembles a Chain from the node's parts.
type Config struct {
	DB       db.Database
	State    *state.State
	Executor *executor.Executor
	Logger   *slog.Logger
	// Verifier checks imported headers (a consensus engine); nil accepts
	// every header and strips a seal if present.
	Verifier Verifier
}

// Verifier is the consensus engine's check of a header before execution.
type Verifier interface {
	// Verify checks the header's seal and consensus digests against its
	// parent and returns the header as the runtime must execute it (the seal
	// removed).
	Verify(parent, header *types.Header) (types.Header, error)
}

// node is a block kept in memory: every unfinalized block, plus the last
// finalized one as the root of the tree.
type node struct {
	ref       BlockRef
	parent    types.Hash
	stateRoot types.Hash
	children  []types.Hash
}

// Chain is the block store, importer and fork choice of one chain.
type Chain struct {
	db    db.Database
	state *state.State
	exec  *executor.Executor
	log   *slog.Logger
	ver   Verifier

	genesis BlockRef

	// writeMu serialises everything that writes: state updates are
	// read-modify-write of reference counts, one at a time.
	writeMu sync.Mutex

	mu struct {
		sync.RWMutex
		best      BlockRef
		finalized BlockRef
		tree      map[types.Hash]*node // guarded by mu
	}

	events   *broker
	sessions sessionCache
}

// Open opens the chain kept in cfg.DB, or creates it from genesis (the raw
// top-level storage of block 0) when the database is empty. genesis may be
// nil for an existing database; when both exist, their hashes must agree.
func Open(ctx context.Context, cfg Config, genesis []trie.Pair) (*Chain, error) {
	c := &Chain{db: cfg.DB, state: cfg.State, exec: cfg.Executor, log: cfg.Logger, ver: cfg.Verifier, events: newBroker()}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.mu.tree = map[types.Hash]*node{}
	stored, err := cfg.DB.Get(db.KeyGenesisHash)
	switch {
	case errors.Is(err, db.ErrNotFound):
		if genesis == nil {
			return nil, ErrGenesisMissing
		}
		if err := c.initGenesis(ctx, genesis); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		if genesis != nil {
			h, _, err := GenesisHeader(ctx, cfg.Executor, genesis)
			if err != nil {
				return nil, err
			}
			if types.Hash(stored) != h.Hash() {
				return nil, fmt.Errorf("%w: database %x, chain spec %s", ErrGenesisDiffers, stored, h.Hash())
			}
		}
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

// GenesisHeader returns the genesis header of a genesis storage and the
// state version it is committed with (from the runtime's system_version, V0
// when there is no runnable :code).
func GenesisHeader(ctx context.Context, exec *executor.Executor, genesis []trie.Pair) (types.Header, trie.Version, error) {
	ver := trie.V0
	for _, p := range genesis {
		if string(p.Key) == string(CodeKey) {
			raw, err := exec.RuntimeVersion(ctx, p.Value)
			if err != nil {
				return types.Header{}, 0, fmt.Errorf("chain: genesis runtime version: %w", err)
			}
			rv, err := types.DecodeRuntimeVersion(raw)
			if err != nil {
				return types.Header{}, 0, fmt.Errorf("chain: genesis runtime version: %w", err)
			}
			ver = trie.Version(rv.StateVersion())
		}
	}
	root, err := trie.RootOfPairs(genesis, ver)
	if err != nil {
		return types.Header{}, 0, err
	}
	return types.Header{StateRoot: root, ExtrinsicsRoot: trie.EmptyRoot}, ver, nil
}

func (c *Chain) initGenesis(ctx context.Context, genesis []trie.Pair) error {
	hdr, ver, err := GenesisHeader(ctx, c.exec, genesis)
	if err != nil {
		return err
	}
	ov := c.state.NewOverlay(trie.EmptyRoot)
	for _, p := range genesis {
		if err := ov.Set(p.Key, p.Value); err != nil {
			return err
		}
	}
	upd, err := ov.Commit(ver)
	if err != nil {
		return err
	}
	if upd.Root() != [32]byte(hdr.StateRoot) {
		upd.Abandon()
		return fmt.Errorf("%w: genesis overlay %x, trie %s", ErrStateMismatch, upd.Root(), hdr.StateRoot)
	}
	h := hdr.Hash()
	for _, kv := range [][2][]byte{
		{db.HeaderKey(h), hdr.Bytes()},
		{db.BodyKey(h), []byte{0}},
		{db.CanonicalKey(0), h[:]},
		{db.KeyGenesisHash, h[:]},
		{db.KeyBestBlock, h[:]},
		{db.KeyFinalizedBlock, h[:]},
	} {
		if err := upd.Put(kv[0], kv[1]); err != nil {
			upd.Abandon()
			return err
		}
	}
	if err := upd.Write(); err != nil {
		return err
	}
	fin, err := c.state.Finalize(hdr.StateRoot, 0)
	if err != nil {
		return err
	}
	if err := fin.Write(); err != nil {
		return err
	}
	c.log.Info("initialised genesis", "hash", h, "state_root", hdr.StateRoot, "keys", len(genesis))
	return nil
}

// load reads genesis, best and finalized, and rebuilds the in-memory tree
// from the finalized block along the canonical chain to the best block.
// Unfinalized side forks are not reloaded after a restart: nothing builds
// on them again, and the canonical chain is what was best at the crash.
func (c *Chain) load() error {
	ref := func(key []byte) (BlockRef, error) {
		v, err := c.db.Get(key)
		if err != nil {
			return BlockRef{}, fmt.Errorf("chain: metadata %q: %w", key[1:], err)
		}
		h := types.Hash(v)
		hdr, err := c.Header(h)
		if err != nil {
			return BlockRef{}, err
		}
		return BlockRef{Hash: h, Number: hdr.Number}, nil
	}
	var err error
	if c.genesis, err = ref(db.KeyGenesisHash); err != nil {
		return err
	}
	best, err := ref(db.KeyBestBlock)
	if err != nil {
		return err
	}
	fin, err := ref(db.KeyFinalizedBlock)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mu.best, c.mu.finalized = best, fin
	for n := fin.Number; n <= best.Number; n++ {
		h, err := c.canonical(n)
		if err != nil {
			return err
		}
		hdr, err := c.Header(h)
		if err != nil {
			return err
		}
		nd := &node{ref: BlockRef{h, n}, parent: hdr.ParentHash, stateRoot: hdr.StateRoot}
		if p, ok := c.mu.tree[hdr.ParentHash]; ok {
			p.children = append(p.children, h)
		}
		c.mu.tree[h] = nd
	}
	return nil
}

func (c *Chain) canonical(n uint32) (types.Hash, error) {
	v, err := c.db.Get(db.CanonicalKey(n))
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return types.Hash{}, fmt.Errorf("%w: no canonical block #%d", ErrUnknownBlock, n)
		}
		return types.Hash{}, err
	}
	return types.Hash(v), nil
}

// Genesis returns the genesis block.
func (c *Chain) Genesis() BlockRef { return c.genesis }

// Best returns the head of the best chain.
func (c *Chain) Best() BlockRef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.mu.best
}

// Finalized returns the last finalized block.
func (c *Chain) Finalized() BlockRef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.mu.finalized
}

// HashByNumber returns the canonical block hash at number.
func (c *Chain) HashByNumber(n uint32) (types.Hash, bool) {
	if n > c.Best().Number {
		return types.Hash{}, false
	}
	h, err := c.canonical(n)
	return h, err == nil
}

// Header returns a stored header (with its seal).
func (c *Chain) Header(h types.Hash) (*types.Header, error) {
	v, err := c.db.Get(db.HeaderKey(h))
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s", ErrUnknownBlock, h)
		}
		return nil, err
	}
	hdr, err := types.DecodeHeader(v)
	if err != nil {
		return nil, fmt.Errorf("chain: stored header %s: %w", h, err)
	}
	return &hdr, nil
}

// Body returns a stored block body (each extrinsic with its length prefix).
func (c *Chain) Body(h types.Hash) ([][]byte, error) {
	v, err := c.db.Get(db.BodyKey(h))
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, fmt.Errorf("%w: %s", ErrUnknownBlock, h)
		}
		return nil, err
	}
	exts, err := DecodeBody(v)
	if err != nil {
		return nil, fmt.Errorf("chain: stored body %s: %w", h, err)
	}
	return exts, nil
}

// DecodeBody splits an encoded Vec<Extrinsic> into its extrinsics, each
// keeping its own compact length prefix (aliasing b).
func DecodeBody(b []byte) ([][]byte, error) {
	d := scale.NewDecoder(b)
	n := d.Len(1)
	exts := make([][]byte, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		start := d.Offset()
		l := d.Len(1)
		d.Raw(l)
		exts = append(exts, b[start:d.Offset()])
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return exts, nil
}

// Justification returns the justification stored with a finalized block, if any.
func (c *Chain) Justification(h types.Hash) ([]byte, bool) {
	v, err := c.db.Get(db.JustificationKey(h))
	return v, err == nil
}

// Block returns a stored block.
func (c *Chain) Block(h types.Hash) (*types.Block, error) {
	hdr, err := c.Header(h)
	if err != nil {
		return nil, err
	}
	body, err := c.Body(h)
	if err != nil {
		return nil, err
	}
	return &types.Block{Header: *hdr, Extrinsics: body}, nil
}

// StateRoot returns the state root of a block whose state is retained.
func (c *Chain) StateRoot(h types.Hash) (types.Hash, error) {
	hdr, err := c.Header(h)
	if err != nil {
		return types.Hash{}, err
	}
	ok, err := c.state.HasState(hdr.StateRoot)
	if err != nil {
		return types.Hash{}, err
	}
	if !ok {
		return types.Hash{}, fmt.Errorf("%w: %s", ErrPrunedState, h)
	}
	return hdr.StateRoot, nil
}

// Storage reads a key in the state of block h.
func (c *Chain) Storage(h types.Hash, key []byte) ([]byte, bool, error) {
	root, err := c.StateRoot(h)
	if err != nil {
		return nil, false, err
	}
	return c.state.Get(root, key)
}

// State gives access to the state store (read-only uses: iteration, proofs).
func (c *Chain) State() *state.State { return c.state }

// Executor returns the executor blocks run on.
func (c *Chain) Executor() *executor.Executor { return c.exec }

func encodeBody(exts [][]byte) []byte {
	e := scale.NewEncoder(64)
	e.PutLen(len(exts))
	for _, x := range exts {
		e.PutRaw(x)
	}
	return e.Bytes()
}
