package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/rpc"
	"github.com/metamars/mars/host/txpool"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

type typesHash = types.Hash

func extrinsicHash(ext []byte) types.Hash { return types.Blake2b256(ext) }

// validator validates transactions for the pool through the runtime's
// TaggedTransactionQueue_validate_transaction at a block.
type validator struct{ c *chain.Chain }

func (v *validator) Validate(ctx context.Context, at types.Hash, src types.TransactionSource, ext []byte) (types.ValidTransaction, *types.TransactionValidityError, error) {
	e := scale.NewEncoder(len(ext) + 40)
	e.PutU8(uint8(src))
	e.PutRaw(ext)
	e.PutRaw(at[:])
	out, err := v.c.Call(ctx, at, "TaggedTransactionQueue_validate_transaction", e.Bytes())
	if err != nil {
		return types.ValidTransaction{}, nil, err
	}
	var res types.TransactionValidity
	if err := scale.Decode(out, &res); err != nil {
		return types.ValidTransaction{}, nil, fmt.Errorf("node: validate_transaction output: %w", err)
	}
	return res.Valid, res.Err, nil
}

// rpcChain serves chain_* from the chain.
type rpcChain struct{ c *chain.Chain }

func (r *rpcChain) BestHash() types.Hash      { return r.c.Best().Hash }
func (r *rpcChain) FinalizedHash() types.Hash { return r.c.Finalized().Hash }
func (r *rpcChain) CanonicalHash(n types.BlockNumber) (types.Hash, bool) {
	return r.c.HashByNumber(n)
}

func (r *rpcChain) Header(h types.Hash) (types.Header, bool, error) {
	hdr, err := r.c.Header(h)
	if errors.Is(err, chain.ErrUnknownBlock) {
		return types.Header{}, false, nil
	}
	if err != nil {
		return types.Header{}, false, err
	}
	return *hdr, true, nil
}

func (r *rpcChain) Body(h types.Hash) ([][]byte, bool, error) {
	b, err := r.c.Body(h)
	if errors.Is(err, chain.ErrUnknownBlock) {
		return nil, false, nil
	}
	return b, err == nil, err
}

func (r *rpcChain) SubscribeHeads(kind rpc.HeadKind, fn func(types.Header)) func() {
	events, unsub := r.c.Subscribe()
	done := make(chan struct{})
	var once sync.Once
	go func() {
		for {
			select {
			case <-done:
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				switch {
				case kind == rpc.HeadsAll && ev.Kind == chain.EventImported,
					kind == rpc.HeadsBest && ev.Kind == chain.EventImported && ev.NewBest,
					kind == rpc.HeadsFinalized && ev.Kind == chain.EventFinalized:
					if ev.Header != nil {
						fn(*ev.Header)
					}
				}
			}
		}
	}()
	return func() {
		once.Do(func() {
			close(done)
			unsub()
		})
	}
}

// rpcState serves state_* from the chain's state.
type rpcState struct {
	c  *chain.Chain
	rv *versionCache
}

func wrapBlockErr(err error) error {
	if errors.Is(err, chain.ErrUnknownBlock) || errors.Is(err, chain.ErrPrunedState) {
		return fmt.Errorf("%w: %w", rpc.ErrUnknownBlock, err)
	}
	return err
}

func (r *rpcState) Storage(at types.Hash, key []byte) ([]byte, bool, error) {
	v, ok, err := r.c.Storage(at, key)
	return v, ok, wrapBlockErr(err)
}

func (r *rpcState) StorageKeys(at types.Hash, prefix []byte, count int, startKey []byte) ([][]byte, error) {
	root, err := r.c.StateRoot(at)
	if err != nil {
		return nil, wrapBlockErr(err)
	}
	var keys [][]byte
	err = r.c.State().Trie(root).IterateKeys(prefix, startKey, func(k []byte) bool {
		if startKey != nil && bytes.Equal(k, startKey) {
			return true // strictly after startKey
		}
		if len(keys) >= count {
			return false
		}
		keys = append(keys, bytes.Clone(k))
		return true
	})
	return keys, err
}

func (r *rpcState) Call(ctx context.Context, at types.Hash, method string, args []byte) ([]byte, error) {
	out, err := r.c.Call(ctx, at, method, args)
	return out, wrapBlockErr(err)
}

func (r *rpcState) RuntimeVersion(at types.Hash) (types.RuntimeVersion, error) {
	v, err := r.rv.at(at)
	return v, wrapBlockErr(err)
}

func (r *rpcState) ReadProof(at types.Hash, keys [][]byte) ([][]byte, error) {
	root, err := r.c.StateRoot(at)
	if err != nil {
		return nil, wrapBlockErr(err)
	}
	return r.c.State().Prove(root, keys)
}

// versionCache remembers the runtime version of each :code, so that
// per-block version queries do not instantiate the runtime.
type versionCache struct {
	c  *chain.Chain
	mu struct {
		sync.Mutex
		byCode map[types.Hash]types.RuntimeVersion // guarded by mu
	}
}

func newVersionCache(c *chain.Chain) *versionCache {
	v := &versionCache{c: c}
	v.mu.byCode = map[types.Hash]types.RuntimeVersion{}
	return v
}

func (v *versionCache) at(h types.Hash) (types.RuntimeVersion, error) {
	code, ok, err := v.c.Storage(h, chain.CodeKey)
	if err != nil {
		return types.RuntimeVersion{}, err
	}
	if !ok {
		return types.RuntimeVersion{}, chain.ErrNoCode
	}
	key := types.Blake2b256(code)
	v.mu.Lock()
	rv, hit := v.mu.byCode[key]
	v.mu.Unlock()
	if hit {
		return rv, nil
	}
	raw, err := v.c.Executor().RuntimeVersion(context.Background(), code)
	if err != nil {
		return types.RuntimeVersion{}, err
	}
	rv, err = types.DecodeRuntimeVersion(raw)
	if err != nil {
		return types.RuntimeVersion{}, err
	}
	v.mu.Lock()
	v.mu.byCode[key] = rv
	v.mu.Unlock()
	return rv, nil
}

// rpcPool serves author_* from the transaction pool.
type rpcPool struct {
	p      *txpool.Pool
	gossip func(ext []byte) // spreads an accepted transaction to peers
}

// poolErr turns the pool's refusals into what the RPC layer maps to
// Substrate's error codes.
func poolErr(err error) error {
	var ve *txpool.ValidityError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Err
	case errors.Is(err, txpool.ErrAlreadyImported):
		return &rpc.PoolError{Kind: rpc.PoolAlreadyImported}
	case errors.Is(err, txpool.ErrBanned):
		return &rpc.PoolError{Kind: rpc.PoolTemporarilyBanned}
	case errors.Is(err, txpool.ErrTooLowPriority):
		return &rpc.PoolError{Kind: rpc.PoolTooLowPriority}
	case errors.Is(err, txpool.ErrPoolFull), errors.Is(err, txpool.ErrSenderLimit):
		return &rpc.PoolError{Kind: rpc.PoolImmediatelyDropped}
	case errors.Is(err, txpool.ErrNoProvides):
		return &rpc.PoolError{Kind: rpc.PoolNoTags}
	case errors.Is(err, txpool.ErrTooLarge):
		return &rpc.PoolError{Kind: rpc.PoolBadFormat, Detail: err.Error()}
	}
	return err
}

// checkFormat refuses bytes that are not a well-framed v4 extrinsic before
// they reach the runtime: the runtime would trap decoding them, which costs
// an instance and tells the client nothing useful (Substrate answers 1001).
func checkFormat(ext []byte) error {
	if _, err := types.DecodeExtrinsic(ext); err != nil {
		return &rpc.PoolError{Kind: rpc.PoolBadFormat, Detail: err.Error()}
	}
	return nil
}

func (r *rpcPool) Submit(ctx context.Context, ext []byte) (types.Hash, error) {
	if err := checkFormat(ext); err != nil {
		return types.Hash{}, err
	}
	h, err := r.p.Submit(ctx, types.SourceExternal, ext)
	if err == nil {
		r.gossip(ext)
	}
	return h, poolErr(err)
}

func (r *rpcPool) SubmitAndWatch(ctx context.Context, ext []byte, fn func(rpc.TxStatus)) (types.Hash, func(), error) {
	if err := checkFormat(ext); err != nil {
		return types.Hash{}, nil, err
	}
	w, err := r.p.SubmitAndWatch(ctx, types.SourceExternal, ext)
	if err != nil {
		return types.Hash{}, nil, poolErr(err)
	}
	r.gossip(ext)
	go func() {
		for st := range w.Updates() {
			fn(rpc.TxStatus{Kind: txStatusKind(st.Kind), Hash: st.Hash})
		}
	}()
	return w.Hash(), w.Stop, nil
}

func txStatusKind(k txpool.StatusKind) rpc.TxStatusKind {
	switch k {
	case txpool.StatusFuture:
		return rpc.TxFuture
	case txpool.StatusReady:
		return rpc.TxReady
	case txpool.StatusBroadcast:
		return rpc.TxBroadcast
	case txpool.StatusInBlock:
		return rpc.TxInBlock
	case txpool.StatusRetracted:
		return rpc.TxRetracted
	case txpool.StatusFinalityTimeout:
		return rpc.TxFinalityTimeout
	case txpool.StatusFinalized:
		return rpc.TxFinalized
	case txpool.StatusUsurped:
		return rpc.TxUsurped
	case txpool.StatusDropped:
		return rpc.TxDropped
	}
	return rpc.TxInvalid
}

func (r *rpcPool) Pending() [][]byte {
	it := r.p.Ready()
	var out [][]byte
	for {
		tx, ok := it.Next()
		if !ok {
			return out
		}
		out = append(out, tx.Ext)
	}
}

func (r *rpcPool) ProvidesReady(tag []byte) bool {
	it := r.p.Ready()
	for {
		tx, ok := it.Next()
		if !ok {
			return false
		}
		for _, p := range tx.Provides {
			if bytes.Equal(p, tag) {
				return true
			}
		}
	}
}

// rpcSystem serves system_*.
type rpcSystem struct{ n *Node }

func (s *rpcSystem) Name() string      { return "marsd" }
func (s *rpcSystem) Version() string   { return Version }
func (s *rpcSystem) Chain() string     { return s.n.cfg.Spec.Name }
func (s *rpcSystem) ChainType() string { return s.n.cfg.Spec.ChainType }
func (s *rpcSystem) Properties() map[string]any {
	if s.n.cfg.Spec.Properties != nil {
		return s.n.cfg.Spec.Properties
	}
	return DefaultProperties()
}
func (s *rpcSystem) Health() rpc.Health { return rpc.Health{} }
