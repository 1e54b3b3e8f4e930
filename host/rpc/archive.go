package rpc

import (
	"context"
	"sync"

	"github.com/metamars/mars/runtime/types"
)

// archiveMaxWorkers bounds the archive_v1_storage and archive_v1_storageDiff
// workers running at once across all connections: the spec asks servers to
// put a global limit on these expensive calls. A subscription over the
// bound waits for a slot before it reads anything.
const archiveMaxWorkers = 4

// archiveAPI serves the archive_v1 group of the new JSON-RPC spec
// (paritytech/json-rpc-interface-spec, src/api/archive_v1_*.md): the
// history of the chain by height and hash, with the storage and runtime of
// any block whose state is kept.
type archiveAPI struct {
	chain Chain
	state State
	slots chan struct{} // one token per running storage worker

	mu      sync.Mutex
	genesis *types.Hash // cached once known; guarded by mu
}

func newArchiveAPI(c Chain, st State) *archiveAPI {
	return &archiveAPI{chain: c, state: st, slots: make(chan struct{}, archiveMaxWorkers)}
}

func (a *archiveAPI) register(s *Server) error {
	return regList{
		func() error { return s.Register("archive_v1_body", a.body) },
		func() error { return s.Register("archive_v1_call", a.call) },
		func() error { return s.Register("archive_v1_finalizedHeight", a.finalizedHeight) },
		func() error { return s.Register("archive_v1_genesisHash", a.genesisHash) },
		func() error { return s.Register("archive_v1_hashByHeight", a.hashByHeight) },
		func() error { return s.Register("archive_v1_header", a.header) },
		func() error {
			return s.RegisterSubscription("archive_v1_storage", "archive_v1_stopStorage", "archive_v1_storageEvent", a.storage)
		},
		func() error {
			return s.RegisterSubscription("archive_v1_storageDiff", "archive_v1_stopStorageDiff", "archive_v1_storageDiffEvent", a.storageDiff)
		},
	}.run()
}

// hashParam reads parameter i as a block hash (-32602 when it is not one).
func hashParam(p Params, i int) (types.Hash, error) {
	s, err := p.String(i)
	if err != nil {
		return types.Hash{}, err
	}
	h, err := decodeHash(s)
	if err != nil {
		return types.Hash{}, invalidParams("param %d: %v", i, err)
	}
	return h, nil
}

// archive_v1_body [hash] → the block's extrinsics as hex, or null.
func (a *archiveAPI) body(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	h, err := hashParam(p, 0)
	if err != nil {
		return nil, err
	}
	exts, ok, err := a.chain.Body(h)
	if err != nil || !ok {
		return nil, err
	}
	out := make([]Bytes, len(exts))
	for i, x := range exts {
		out[i] = x
	}
	return out, nil
}

// archive_v1_header [hash] → the SCALE-encoded header as hex, or null.
func (a *archiveAPI) header(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	h, err := hashParam(p, 0)
	if err != nil {
		return nil, err
	}
	hdr, ok, err := a.chain.Header(h)
	if err != nil || !ok {
		return nil, err
	}
	return Bytes(hdr.Bytes()), nil
}

// callResult is archive_v1_call's answer.
type callResult struct {
	Success bool   `json:"success"`
	Value   *Bytes `json:"value,omitempty"`
	Error   string `json:"error,omitempty"`
}

// archive_v1_call [hash, function, callParameters] → null for an unknown
// block, else {success:true, value} or {success:false, error} (a trap, an
// unknown entry point, a state no longer kept).
func (a *archiveAPI) call(ctx context.Context, p Params) (any, error) {
	if err := p.Max(3); err != nil {
		return nil, err
	}
	h, err := hashParam(p, 0)
	if err != nil {
		return nil, err
	}
	fn, err := p.String(1)
	if err != nil {
		return nil, err
	}
	args, err := p.Bytes(2)
	if err != nil {
		return nil, err
	}
	if _, ok, err := a.chain.Header(h); err != nil || !ok {
		return nil, err
	}
	out, err := a.state.Call(ctx, h, fn, args)
	if err != nil {
		return callResult{Error: err.Error()}, nil
	}
	v := Bytes(out)
	return callResult{Success: true, Value: &v}, nil
}

func (a *archiveAPI) finalizedNumber() (types.BlockNumber, error) {
	hdr, ok, err := a.chain.Header(a.chain.FinalizedHash())
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errUnknownFinalized
	}
	return hdr.Number, nil
}

var errUnknownFinalized = &Error{Code: CodeInternalError, Message: "finalized block header unavailable"}

// archive_v1_finalizedHeight [] → the finalized block's number.
func (a *archiveAPI) finalizedHeight(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	n, err := a.finalizedNumber()
	if err != nil {
		return nil, err
	}
	return uint64(n), nil
}

// archive_v1_genesisHash [] → the genesis hash, fixed for the node's life.
func (a *archiveAPI) genesisHash(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.genesis == nil {
		h, ok := a.chain.CanonicalHash(0)
		if !ok {
			return nil, &Error{Code: CodeInternalError, Message: "genesis block unavailable"}
		}
		a.genesis = &h
	}
	return *a.genesis, nil
}

// archive_v1_hashByHeight [height] → the hashes of the blocks at height:
// exactly one at or below the finalized height; above it, the best
// chain's block if it is that high (the node keeps no index of forks by
// height), else none.
func (a *archiveAPI) hashByHeight(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	var height uint64
	if err := p.Decode(0, &height); err != nil {
		return nil, err
	}
	out := []types.Hash{}
	if height > uint64(^types.BlockNumber(0)) {
		return out, nil
	}
	if h, ok := a.chain.CanonicalHash(types.BlockNumber(height)); ok {
		out = append(out, h)
	}
	return out, nil
}
