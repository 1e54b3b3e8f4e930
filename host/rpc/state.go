package rpc

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

type stateAPI struct {
	chain Chain
	state State
}

func (a *stateAPI) register(s *Server) error {
	return regList{
		func() error { return s.Register("state_getStorage", a.getStorage, Aliases("state_getStorageAt")) },
		func() error {
			return s.Register("state_getStorageHash", a.getStorageHash, Aliases("state_getStorageHashAt"))
		},
		func() error {
			return s.Register("state_getStorageSize", a.getStorageSize, Aliases("state_getStorageSizeAt"))
		},
		func() error { return s.Register("state_getKeysPaged", a.getKeysPaged, Aliases("state_getKeysPagedAt")) },
		func() error {
			return s.Register("state_getRuntimeVersion", a.getRuntimeVersion, Aliases("chain_getRuntimeVersion"))
		},
		func() error { return s.Register("state_call", a.call, Aliases("state_callAt")) },
		func() error { return s.Register("state_getMetadata", a.getMetadata) },
		func() error { return s.Register("state_queryStorageAt", a.queryStorageAt) },
		func() error { return s.Register("state_getReadProof", a.getReadProof) },
		func() error {
			return s.RegisterSubscription("state_subscribeStorage", "state_unsubscribeStorage", "state_storage", a.subscribeStorage)
		},
		func() error {
			return s.RegisterSubscription("state_subscribeRuntimeVersion", "state_unsubscribeRuntimeVersion", "state_runtimeVersion",
				a.subscribeRuntimeVersion,
				Aliases("chain_subscribeRuntimeVersion"), UnsubscribeAliases("chain_unsubscribeRuntimeVersion"))
		},
	}.run()
}

// at reads the optional block hash at param i (null or absent: best) and
// refuses params after it.
func (a *stateAPI) at(p Params, i int) (types.Hash, error) {
	if err := p.Max(i + 1); err != nil {
		return types.Hash{}, err
	}
	h, ok, err := p.OptHash(i)
	if err != nil {
		return h, err
	}
	if !ok {
		h = a.chain.BestHash()
	}
	return h, nil
}

func (a *stateAPI) keyAt(p Params) ([]byte, types.Hash, error) {
	key, err := p.Bytes(0)
	if err != nil {
		return nil, types.Hash{}, err
	}
	at, err := a.at(p, 1)
	return key, at, err
}

func (a *stateAPI) getStorage(_ context.Context, p Params) (any, error) {
	key, at, err := a.keyAt(p)
	if err != nil {
		return nil, err
	}
	v, ok, err := a.state.Storage(at, key)
	if err != nil {
		return nil, stateError(err)
	}
	if !ok {
		return nil, nil
	}
	return Bytes(v), nil
}

func (a *stateAPI) getStorageHash(_ context.Context, p Params) (any, error) {
	key, at, err := a.keyAt(p)
	if err != nil {
		return nil, err
	}
	v, ok, err := a.state.Storage(at, key)
	if err != nil {
		return nil, stateError(err)
	}
	if !ok {
		return nil, nil
	}
	return types.Hash(types.Blake2b256(v)), nil
}

// maxSizeKeys bounds the keys state_getStorageSize sums over a prefix.
const maxSizeKeys = 10 * maxKeysPagedCount

// getStorageSize answers the value's length; when key has no value and
// unsafe calls are allowed, the summed length of the values under key as a
// prefix (at most maxSizeKeys of them); null when there is nothing.
func (a *stateAPI) getStorageSize(ctx context.Context, p Params) (any, error) {
	key, at, err := a.keyAt(p)
	if err != nil {
		return nil, err
	}
	v, ok, err := a.state.Storage(at, key)
	if err != nil {
		return nil, stateError(err)
	}
	if ok {
		return len(v), nil
	}
	if UnsafeDenied(ctx) {
		return nil, nil
	}
	var (
		sum, seen int
		start     []byte
	)
	for seen < maxSizeKeys {
		keys, err := a.state.StorageKeys(at, key, maxKeysPagedCount, start)
		if err != nil {
			return nil, stateError(err)
		}
		for _, k := range keys {
			v, _, err := a.state.Storage(at, k)
			if err != nil {
				return nil, stateError(err)
			}
			sum += len(v)
		}
		seen += len(keys)
		if len(keys) < maxKeysPagedCount || ctx.Err() != nil {
			break
		}
		start = keys[len(keys)-1]
	}
	if seen == 0 {
		return nil, nil
	}
	return sum, nil
}

// getKeysPaged(prefix, count, startKey?, at?); count is at most 1000.
func (a *stateAPI) getKeysPaged(_ context.Context, p Params) (any, error) {
	var prefix []byte
	if p.Present(0) {
		var err error
		if prefix, err = p.Bytes(0); err != nil {
			return nil, err
		}
	}
	var count uint32
	if err := p.Decode(1, &count); err != nil {
		return nil, err
	}
	if count > maxKeysPagedCount {
		return nil, NewError(CodeStateInvalidCount,
			fmt.Sprintf("count exceeds maximum value. value: %d, max: %d", count, maxKeysPagedCount), nil)
	}
	start, _, err := p.OptBytes(2)
	if err != nil {
		return nil, err
	}
	at, err := a.at(p, 3)
	if err != nil {
		return nil, err
	}
	keys, err := a.state.StorageKeys(at, prefix, int(count), start)
	if err != nil {
		return nil, stateError(err)
	}
	out := make([]Bytes, 0, len(keys))
	for _, k := range keys {
		if len(out) == int(count) {
			break
		}
		out = append(out, k)
	}
	return out, nil
}

func (a *stateAPI) getRuntimeVersion(_ context.Context, p Params) (any, error) {
	at, err := a.at(p, 0)
	if err != nil {
		return nil, err
	}
	v, err := a.state.RuntimeVersion(at)
	if err != nil {
		return nil, stateError(err)
	}
	return toRuntimeVersionJSON(&v), nil
}

// call(name, data, at?) runs a runtime API entry point.
func (a *stateAPI) call(ctx context.Context, p Params) (any, error) {
	name, err := p.String(0)
	if err != nil {
		return nil, err
	}
	data, err := p.Bytes(1)
	if err != nil {
		return nil, err
	}
	at, err := a.at(p, 2)
	if err != nil {
		return nil, err
	}
	out, err := a.state.Call(ctx, at, name, data)
	if err != nil {
		return nil, stateError(err)
	}
	return Bytes(out), nil
}

// getMetadata answers Metadata_metadata's OpaqueMetadata without its
// Vec<u8> length prefix: the bytes start with "meta" (0x6d657461).
func (a *stateAPI) getMetadata(ctx context.Context, p Params) (any, error) {
	at, err := a.at(p, 0)
	if err != nil {
		return nil, err
	}
	out, err := a.state.Call(ctx, at, "Metadata_metadata", nil)
	if err != nil {
		return nil, stateError(err)
	}
	d := scale.NewDecoder(out)
	md := d.Bytes()
	if err := d.Finish(); err != nil {
		return nil, stateError(fmt.Errorf("decoding Metadata_metadata: %w", err))
	}
	return Bytes(md), nil
}

func (a *stateAPI) keysParam(p Params, i int) ([][]byte, error) {
	var hexKeys []Bytes
	if err := p.Decode(i, &hexKeys); err != nil {
		return nil, err
	}
	keys := make([][]byte, len(hexKeys))
	for j, k := range hexKeys {
		keys[j] = k
	}
	return keys, nil
}

func (a *stateAPI) readChanges(at types.Hash, keys [][]byte) ([]changeJSON, error) {
	changes := make([]changeJSON, len(keys))
	for i, k := range keys {
		v, ok, err := a.state.Storage(at, k)
		if err != nil {
			return nil, err
		}
		changes[i] = changeJSON{Key: k, Value: v, Found: ok}
	}
	return changes, nil
}

// queryStorageAt(keys, at?) answers one change set with every key.
func (a *stateAPI) queryStorageAt(_ context.Context, p Params) (any, error) {
	keys, err := a.keysParam(p, 0)
	if err != nil {
		return nil, err
	}
	at, err := a.at(p, 1)
	if err != nil {
		return nil, err
	}
	changes, err := a.readChanges(at, keys)
	if err != nil {
		return nil, stateError(err)
	}
	return []changeSetJSON{{Block: at, Changes: changes}}, nil
}

func (a *stateAPI) getReadProof(_ context.Context, p Params) (any, error) {
	keys, err := a.keysParam(p, 0)
	if err != nil {
		return nil, err
	}
	at, err := a.at(p, 1)
	if err != nil {
		return nil, err
	}
	nodes, err := a.state.ReadProof(at, keys)
	if err != nil {
		return nil, stateError(err)
	}
	proof := make([]Bytes, len(nodes))
	for i, n := range nodes {
		proof[i] = n
	}
	return struct {
		At    types.Hash `json:"at"`
		Proof []Bytes    `json:"proof"`
	}{at, proof}, nil
}

// watchBest subscribes to new best blocks at once (so that none is missed
// while the caller reads its initial value); start then runs step on a
// goroutine for the newest best block each time it changes, until sink is
// done. Blocks that arrive while step runs are coalesced.
func (a *stateAPI) watchBest(sink *Sink) (start func(step func(types.Hash))) {
	var (
		mu     sync.Mutex
		latest types.Hash
		signal = make(chan struct{}, 1)
	)
	cancel := a.chain.SubscribeHeads(HeadsBest, func(h types.Header) {
		hash := h.Hash()
		mu.Lock()
		latest = hash
		mu.Unlock()
		select {
		case signal <- struct{}{}:
		default:
		}
	})
	go func() { <-sink.Done(); cancel() }()
	return func(step func(types.Hash)) {
		go func() {
			for {
				select {
				case <-sink.Done():
					return
				case <-signal:
				}
				mu.Lock()
				h := latest
				mu.Unlock()
				step(h)
			}
		}()
	}
}

// subscribeStorage(keys) sends every key's value at the best block, then
// the keys whose value changed at each new best block.
func (a *stateAPI) subscribeStorage(ctx context.Context, p Params, sink *Sink) error {
	if err := p.Max(1); err != nil {
		return err
	}
	if !p.Present(0) { // every key: unsafe in Substrate, and not offered here
		if UnsafeDenied(ctx) {
			return errUnsafe
		}
		return NewError(CodeStateClient, "Client error: subscribing to every storage change is not supported; list the keys", nil)
	}
	keys, err := a.keysParam(p, 0)
	if err != nil {
		return err
	}
	start := a.watchBest(sink)
	best := a.chain.BestHash()
	last, err := a.readChanges(best, keys)
	if err != nil {
		return stateError(err)
	}
	sink.Send(changeSetJSON{Block: best, Changes: last})
	start(func(h types.Hash) {
		now, err := a.readChanges(h, keys)
		if err != nil {
			return // pruned or reorged away: the next block will tell
		}
		var diff []changeJSON
		for i := range now {
			if now[i].Found != last[i].Found || !bytes.Equal(now[i].Value, last[i].Value) {
				diff = append(diff, now[i])
			}
		}
		last = now
		if len(diff) > 0 {
			sink.Send(changeSetJSON{Block: h, Changes: diff})
		}
	})
	return nil
}

// subscribeRuntimeVersion sends the best block's runtime version, then
// each different one.
func (a *stateAPI) subscribeRuntimeVersion(_ context.Context, p Params, sink *Sink) error {
	if err := p.Max(0); err != nil {
		return err
	}
	start := a.watchBest(sink)
	v, err := a.state.RuntimeVersion(a.chain.BestHash())
	if err != nil {
		return stateError(err)
	}
	last := scale.Encode(v)
	sink.Send(toRuntimeVersionJSON(&v))
	start(func(h types.Hash) {
		v, err := a.state.RuntimeVersion(h)
		if err != nil {
			return
		}
		if enc := scale.Encode(v); !bytes.Equal(enc, last) {
			last = enc
			sink.Send(toRuntimeVersionJSON(&v))
		}
	})
	return nil
}
