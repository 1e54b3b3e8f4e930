package rpc

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/metamars/mars/runtime/types"
)

// Error codes of the new JSON-RPC spec's chainHead group.
const (
	CodeInvalidBlockHash     = -32801
	CodeNoRuntime            = -32802
	CodeInvalidContinue      = -32803
	CodeDuplicateHashes      = -32804
	chainHeadMaxFollows      = 2   // follow subscriptions per connection (the spec's minimum)
	chainHeadMaxPinned       = 512 // pinned blocks per follow before it is stopped
	chainHeadMaxOps          = 16  // concurrent operations per follow (the spec's minimum)
	chainHeadStorageMaxItems = 64  // items per operationStorageItems
)

// chainHeadStoragePage is how many items a storage operation sends before
// it waits for chainHead_v1_continue (a variable for tests).
var chainHeadStoragePage = 256

// chainHeadAPI serves the chainHead_v1 group.
type chainHeadAPI struct {
	chain Chain
	state State

	mu   sync.Mutex
	subs map[string]*follow // guarded by mu
}

func newChainHeadAPI(c Chain, st State) *chainHeadAPI {
	return &chainHeadAPI{chain: c, state: st, subs: make(map[string]*follow)}
}

func (a *chainHeadAPI) register(s *Server) error {
	return regList{
		func() error {
			return s.RegisterSubscription("chainHead_v1_follow", "chainHead_v1_unfollow", "chainHead_v1_followEvent", a.follow)
		},
		func() error { return s.Register("chainHead_v1_header", a.header) },
		func() error { return s.Register("chainHead_v1_body", a.body) },
		func() error { return s.Register("chainHead_v1_call", a.call) },
		func() error { return s.Register("chainHead_v1_storage", a.storage) },
		func() error { return s.Register("chainHead_v1_continue", a.cont) },
		func() error { return s.Register("chainHead_v1_stopOperation", a.stopOperation) },
		func() error { return s.Register("chainHead_v1_unpin", a.unpin) },
	}.run()
}

// follow is one chainHead_v1_follow subscription.
type follow struct {
	api         *chainHeadAPI
	sink        *Sink
	withRuntime bool

	mu        sync.Mutex
	pending   []func()              // node events not yet handled, guarded by mu
	wake      chan struct{}         // signals pending
	pinned    map[types.Hash]bool   // guarded by mu
	reported  map[types.Hash]uint64 // reported, not finalized blocks → number; guarded by mu
	finalized types.Hash            // guarded by mu
	finNum    uint64
	best      types.Hash
	runtimes  map[types.Hash]string // runtime version key per reported block
	ops       map[string]*chOp      // guarded by mu
	nextOp    uint64
	stopped   bool
}

// chOp is one operation (body, call or storage).
type chOp struct {
	id      string
	ctx     context.Context
	cancel  context.CancelFunc
	waiting bool          // emitted operationWaitingForContinue
	resume  chan struct{} // signalled by chainHead_v1_continue
}

type runtimeSpec struct {
	SpecName           string            `json:"specName"`
	ImplName           string            `json:"implName"`
	SpecVersion        uint32            `json:"specVersion"`
	ImplVersion        uint32            `json:"implVersion"`
	TransactionVersion uint32            `json:"transactionVersion"`
	APIs               map[string]uint32 `json:"apis"`
}

type runtimeEvent struct {
	Type  string       `json:"type"`
	Spec  *runtimeSpec `json:"spec,omitempty"`
	Error string       `json:"error,omitempty"`
}

func toRuntimeEvent(v types.RuntimeVersion, err error) *runtimeEvent {
	if err != nil {
		return &runtimeEvent{Type: "invalid", Error: err.Error()}
	}
	apis := make(map[string]uint32, len(v.APIs))
	for _, a := range v.APIs {
		apis["0x"+hex.EncodeToString(a.ID[:])] = a.Version
	}
	return &runtimeEvent{Type: "valid", Spec: &runtimeSpec{SpecName: v.SpecName, ImplName: v.ImplName,
		SpecVersion: v.SpecVersion, ImplVersion: v.ImplVersion, TransactionVersion: v.TransactionVersion, APIs: apis}}
}

func (a *chainHeadAPI) follow(ctx context.Context, p Params, sink *Sink) error {
	if err := p.Max(1); err != nil {
		return err
	}
	var withRuntime bool
	if err := p.Decode(0, &withRuntime); err != nil {
		return err
	}
	f := &follow{api: a, sink: sink, withRuntime: withRuntime && a.state != nil, wake: make(chan struct{}, 1),
		pinned: map[types.Hash]bool{}, reported: map[types.Hash]uint64{}, runtimes: map[types.Hash]string{}, ops: map[string]*chOp{}}
	a.mu.Lock()
	n := 0
	for _, o := range a.subs {
		if o.sink.conn == sink.conn && !o.sink.closed() {
			n++
		}
	}
	if n >= chainHeadMaxFollows {
		a.mu.Unlock()
		sink.Send(map[string]string{"event": "stop"})
		sink.Close()
		return nil
	}
	a.subs[sink.ID()] = f
	a.mu.Unlock()

	push := func(fn func()) {
		f.mu.Lock()
		f.pending = append(f.pending, fn)
		f.mu.Unlock()
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
	var cancels []func()
	if ce, ok := a.chain.(ChainEvents); ok {
		cancels = append(cancels, ce.SubscribeEvents(func(ev ChainEvent) {
			h := ev.Header
			switch {
			case ev.Finalized:
				push(func() { f.onFinalized(h) })
			case ev.NewBest:
				push(func() { f.onBest(h) })
			default:
				push(func() { f.onImported(h) })
			}
		}))
	} else {
		cancels = []func(){
			a.chain.SubscribeHeads(HeadsAll, func(h types.Header) { push(func() { f.onImported(h) }) }),
			a.chain.SubscribeHeads(HeadsBest, func(h types.Header) { push(func() { f.onBest(h) }) }),
			a.chain.SubscribeHeads(HeadsFinalized, func(h types.Header) { push(func() { f.onFinalized(h) }) }),
		}
	}
	f.initialize()
	go func() {
		defer func() {
			for _, c := range cancels {
				c()
			}
			a.mu.Lock()
			delete(a.subs, sink.ID())
			a.mu.Unlock()
			f.mu.Lock()
			f.stopped = true
			for _, op := range f.ops {
				op.cancel()
			}
			f.mu.Unlock()
		}()
		for {
			select {
			case <-sink.Done():
				return
			case <-f.wake:
			}
			for {
				f.mu.Lock()
				list := f.pending
				f.pending = nil
				f.mu.Unlock()
				if len(list) == 0 {
					break
				}
				for _, fn := range list {
					if sink.closed() {
						return
					}
					fn()
				}
			}
		}
	}()
	return nil
}

func (f *follow) send(v any) {
	f.sink.Send(v)
}

// stop ends the subscription with a stop event.
func (f *follow) stop() {
	f.send(map[string]string{"event": "stop"})
	f.sink.Close()
}

// pin marks h pinned; false (and a stop) when the limit is reached.
func (f *follow) pin(h types.Hash) bool {
	f.mu.Lock()
	f.pinned[h] = true
	over := len(f.pinned) > chainHeadMaxPinned
	f.mu.Unlock()
	if over {
		f.stop()
	}
	return !over
}

func (f *follow) runtimeKey(h types.Hash) (string, *runtimeEvent) {
	v, err := f.api.state.RuntimeVersion(h)
	ev := toRuntimeEvent(v, err)
	b, _ := json.Marshal(ev)
	return string(b), ev
}

func (f *follow) initialize() {
	fin := f.api.chain.FinalizedHash()
	hdr, ok, err := f.api.chain.Header(fin)
	if err != nil || !ok {
		f.stop()
		return
	}
	f.finalized, f.finNum = fin, uint64(hdr.Number)
	if !f.pin(fin) {
		return
	}
	ev := map[string]any{"event": "initialized", "finalizedBlockHashes": []types.Hash{fin}}
	if f.withRuntime {
		key, rt := f.runtimeKey(fin)
		f.runtimes[fin] = key
		ev["finalizedBlockRuntime"] = rt
	}
	f.send(ev)
	// The best chain above the finalized block.
	best := f.api.chain.BestHash()
	bh, ok, err := f.api.chain.Header(best)
	if err == nil && ok {
		f.reportChain(bh)
		f.setBest(best)
	}
}

// reportChain reports hdr and its unreported ancestors above the
// finalized block, oldest first.
func (f *follow) reportChain(hdr types.Header) bool {
	var chain []types.Header
	for uint64(hdr.Number) > f.finNum {
		h := hdr.Hash()
		if _, done := f.reported[h]; done {
			break
		}
		chain = append(chain, hdr)
		parent, ok, err := f.api.chain.Header(hdr.ParentHash)
		if err != nil || !ok {
			break
		}
		hdr = parent
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if !f.reportBlock(chain[i]) {
			return false
		}
	}
	return true
}

func (f *follow) reportBlock(hdr types.Header) bool {
	h := hdr.Hash()
	if uint64(hdr.Number) <= f.finNum {
		return true
	}
	if _, done := f.reported[h]; done {
		return true
	}
	if _, ok := f.reported[hdr.ParentHash]; !ok && hdr.ParentHash != f.finalized {
		return true // not on a chain we follow (below or beside the finalized block)
	}
	if !f.pin(h) {
		return false
	}
	f.mu.Lock()
	f.reported[h] = uint64(hdr.Number)
	f.mu.Unlock()
	ev := map[string]any{"event": "newBlock", "blockHash": h, "parentBlockHash": hdr.ParentHash}
	if f.withRuntime {
		key, rt := f.runtimeKey(h)
		f.runtimes[h] = key
		if parentKey, ok := f.runtimes[hdr.ParentHash]; ok && parentKey == key {
			ev["newRuntime"] = nil
		} else {
			ev["newRuntime"] = rt
		}
	}
	f.send(ev)
	return true
}

func (f *follow) setBest(h types.Hash) {
	if h == f.best {
		return
	}
	if _, ok := f.reported[h]; !ok && h != f.finalized {
		return
	}
	f.best = h
	f.send(map[string]any{"event": "bestBlockChanged", "bestBlockHash": h})
}

func (f *follow) onImported(h types.Header) { f.reportChain(h) }

func (f *follow) onBest(h types.Header) {
	if f.reportChain(h) {
		f.setBest(h.Hash())
	}
}

func (f *follow) onFinalized(h types.Header) {
	hash := h.Hash()
	if uint64(h.Number) <= f.finNum {
		return
	}
	if !f.reportChain(h) {
		return
	}
	// The newly finalized blocks, oldest first.
	var fins []types.Hash
	for cur := h; uint64(cur.Number) > f.finNum; {
		fins = append(fins, cur.Hash())
		parent, ok, err := f.api.chain.Header(cur.ParentHash)
		if err != nil || !ok {
			break
		}
		cur = parent
	}
	for i, j := 0, len(fins)-1; i < j; i, j = i+1, j-1 {
		fins[i], fins[j] = fins[j], fins[i]
	}
	f.mu.Lock()
	for _, x := range fins {
		delete(f.reported, x)
	}
	f.finalized, f.finNum = hash, uint64(h.Number)
	// Pruned: reported blocks that do not descend from the new finalized block.
	pruned := []types.Hash{}
	var check []types.Hash
	for x := range f.reported {
		check = append(check, x)
	}
	f.mu.Unlock()
	for _, x := range check {
		if !f.descends(x, hash) {
			pruned = append(pruned, x)
		}
	}
	f.mu.Lock()
	for _, x := range pruned {
		delete(f.reported, x)
	}
	f.mu.Unlock()
	for _, x := range fins[:max(0, len(fins)-1)] {
		delete(f.runtimes, x)
	}
	for _, x := range pruned {
		delete(f.runtimes, x)
	}
	f.send(map[string]any{"event": "finalized", "finalizedBlockHashes": fins, "prunedBlockHashes": pruned})
	// The best block may have been pruned.
	if _, ok := f.reported[f.best]; !ok && f.best != f.finalized {
		best := f.api.chain.BestHash()
		if bh, ok, err := f.api.chain.Header(best); err == nil && ok && f.reportChain(bh) {
			f.setBest(best)
		}
		if _, ok := f.reported[f.best]; !ok && f.best != f.finalized {
			f.setBest(f.finalized)
		}
	}
}

// descends reports whether x is anc or one of its descendants.
func (f *follow) descends(x, anc types.Hash) bool {
	for {
		if x == anc {
			return true
		}
		hdr, ok, err := f.api.chain.Header(x)
		if err != nil || !ok || uint64(hdr.Number) <= f.finNum {
			return false
		}
		x = hdr.ParentHash
	}
}

// lookup returns the follow subscription id names, or nil.
func (a *chainHeadAPI) lookup(id string) *follow {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.subs[id]
	if f == nil || f.sink.closed() {
		return nil
	}
	return f
}

func errInvalidBlockHash() *Error {
	return &Error{Code: CodeInvalidBlockHash, Message: "Invalid block hash"}
}

// target reads (followSubscription, hash) and checks the hash is pinned;
// f is nil for an unknown or stale subscription.
func (a *chainHeadAPI) target(p Params) (*follow, types.Hash, error) {
	id, err := p.String(0)
	if err != nil {
		return nil, types.Hash{}, err
	}
	hs, err := p.String(1)
	if err != nil {
		return nil, types.Hash{}, err
	}
	h, err := decodeHash(hs)
	if err != nil {
		return nil, types.Hash{}, invalidParams("param 1: %v", err)
	}
	f := a.lookup(id)
	if f == nil {
		return nil, h, nil
	}
	f.mu.Lock()
	pinned := f.pinned[h]
	f.mu.Unlock()
	if !pinned {
		return nil, h, errInvalidBlockHash()
	}
	return f, h, nil
}

func (a *chainHeadAPI) header(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	f, h, err := a.target(p)
	if err != nil || f == nil {
		return nil, err
	}
	hdr, ok, err := a.chain.Header(h)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errInvalidBlockHash()
	}
	return Bytes(hdr.Bytes()), nil
}

var limitReached = map[string]string{"result": "limitReached"}

// startOp registers an operation; nil when the limit is reached.
func (f *follow) startOp(n int) *chOp {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped || len(f.ops)+n > chainHeadMaxOps {
		return nil
	}
	f.nextOp++
	ctx, cancel := context.WithCancel(context.Background())
	op := &chOp{id: fmt.Sprint(f.nextOp), ctx: ctx, cancel: cancel, resume: make(chan struct{}, 1)}
	f.ops[op.id] = op
	return op
}

// endOp removes op; false when it was stopped (no event is due then).
func (f *follow) endOp(op *chOp) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ops[op.id] != op {
		return false
	}
	delete(f.ops, op.id)
	op.cancel()
	return true
}

func (f *follow) opLive(op *chOp) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ops[op.id] == op
}

func started(op *chOp) any {
	return map[string]string{"result": "started", "operationId": op.id}
}

func (a *chainHeadAPI) body(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	f, h, err := a.target(p)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return limitReached, nil
	}
	op := f.startOp(1)
	if op == nil {
		return limitReached, nil
	}
	go func() {
		exts, ok, err := a.chain.Body(h)
		var ev map[string]any
		switch {
		case err != nil:
			ev = map[string]any{"event": "operationError", "operationId": op.id, "error": err.Error()}
		case !ok:
			ev = map[string]any{"event": "operationInaccessible", "operationId": op.id}
		default:
			vals := make([]Bytes, len(exts))
			for i, x := range exts {
				vals[i] = x
			}
			ev = map[string]any{"event": "operationBodyDone", "operationId": op.id, "value": vals}
		}
		if f.endOp(op) {
			f.send(ev)
		}
	}()
	return started(op), nil
}

func (a *chainHeadAPI) call(_ context.Context, p Params) (any, error) {
	if err := p.Max(4); err != nil {
		return nil, err
	}
	f, h, err := a.target(p)
	if err != nil {
		return nil, err
	}
	fn, err := p.String(2)
	if err != nil {
		return nil, err
	}
	args, err := p.Bytes(3)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return limitReached, nil
	}
	if !f.withRuntime {
		return nil, &Error{Code: CodeNoRuntime, Message: "Follow subscription without runtime"}
	}
	op := f.startOp(1)
	if op == nil {
		return limitReached, nil
	}
	ctx := op.ctx
	go func() {
		out, err := a.state.Call(ctx, h, fn, args)
		var ev map[string]any
		if err != nil {
			ev = map[string]any{"event": "operationError", "operationId": op.id, "error": err.Error()}
		} else {
			ev = map[string]any{"event": "operationCallDone", "operationId": op.id, "output": Bytes(out)}
		}
		if f.endOp(op) {
			f.send(ev)
		}
	}()
	return started(op), nil
}

type storageQuery struct {
	Key  Bytes  `json:"key"`
	Type string `json:"type"`
}

type storageItem struct {
	Key                          Bytes  `json:"key"`
	Value                        *Bytes `json:"value,omitempty"`
	Hash                         *Bytes `json:"hash,omitempty"`
	ClosestDescendantMerkleValue *Bytes `json:"closestDescendantMerkleValue,omitempty"`
}

func (a *chainHeadAPI) storage(_ context.Context, p Params) (any, error) {
	if err := p.Max(4); err != nil {
		return nil, err
	}
	f, h, err := a.target(p)
	if err != nil {
		return nil, err
	}
	var items []storageQuery
	if err := p.Decode(2, &items); err != nil {
		return nil, err
	}
	for i, it := range items {
		switch it.Type {
		case "value", "hash", "descendantsValues", "descendantsHashes", "closestDescendantMerkleValue":
		default:
			return nil, invalidParams("item %d: unknown type %q", i, it.Type)
		}
	}
	if p.Present(3) {
		return nil, invalidParams("child tries are not supported")
	}
	if f == nil || len(items) == 0 {
		return limitReached, nil
	}
	op := f.startOp(1)
	if op == nil {
		return limitReached, nil
	}
	ctx := op.ctx
	go a.runStorage(ctx, f, op, h, items)
	return map[string]any{"result": "started", "operationId": op.id, "discardedItems": 0}, nil
}

// runStorage answers a storage operation, pausing every
// chainHeadStoragePage items for chainHead_v1_continue.
func (a *chainHeadAPI) runStorage(ctx context.Context, f *follow, op *chOp, at types.Hash, items []storageQuery) {
	var batch []storageItem
	sent := 0
	fail := func(err error) {
		if f.endOp(op) {
			f.send(map[string]any{"event": "operationError", "operationId": op.id, "error": err.Error()})
		}
	}
	flush := func() bool {
		if len(batch) > 0 {
			if !f.opLive(op) {
				return false
			}
			f.send(map[string]any{"event": "operationStorageItems", "operationId": op.id, "items": batch})
			batch = nil
		}
		return true
	}
	add := func(it storageItem) bool {
		batch = append(batch, it)
		sent++
		if len(batch) >= chainHeadStorageMaxItems || sent%chainHeadStoragePage == 0 {
			if !flush() {
				return false
			}
		}
		if sent%chainHeadStoragePage == 0 {
			f.mu.Lock()
			op.waiting = true
			f.mu.Unlock()
			f.send(map[string]any{"event": "operationWaitingForContinue", "operationId": op.id})
			select {
			case <-op.resume:
			case <-ctx.Done():
				return false
			}
		}
		return ctx.Err() == nil
	}
	for _, q := range items {
		switch q.Type {
		case "value", "hash":
			v, ok, err := a.state.Storage(at, q.Key)
			if err != nil {
				fail(err)
				return
			}
			if ok && !add(valueItem(q.Key, v, q.Type == "hash")) {
				return
			}
		case "descendantsValues", "descendantsHashes":
			var start []byte
			for {
				keys, err := a.state.StorageKeys(at, q.Key, chainHeadStorageMaxItems, start)
				if err != nil {
					fail(err)
					return
				}
				for _, k := range keys {
					v, ok, err := a.state.Storage(at, k)
					if err != nil {
						fail(err)
						return
					}
					if ok && !add(valueItem(k, v, q.Type == "descendantsHashes")) {
						return
					}
				}
				if len(keys) < chainHeadStorageMaxItems {
					break
				}
				start = keys[len(keys)-1]
			}
		case "closestDescendantMerkleValue":
			mv, ok, err := a.state.ClosestDescendantMerkleValue(at, q.Key)
			if err != nil {
				fail(err)
				return
			}
			if ok && !add(merkleItem(q.Key, mv)) {
				return
			}
		}
	}
	if !flush() {
		return
	}
	if f.endOp(op) {
		f.send(map[string]any{"event": "operationStorageDone", "operationId": op.id})
	}
}

func (a *chainHeadAPI) cont(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	id, err := p.String(0)
	if err != nil {
		return nil, err
	}
	opID, err := p.String(1)
	if err != nil {
		return nil, err
	}
	f := a.lookup(id)
	if f == nil {
		return nil, nil
	}
	f.mu.Lock()
	op := f.ops[opID]
	if op == nil {
		f.mu.Unlock()
		return nil, nil
	}
	if !op.waiting {
		f.mu.Unlock()
		return nil, &Error{Code: CodeInvalidContinue, Message: "Invalid continue"}
	}
	op.waiting = false
	f.mu.Unlock()
	op.resume <- struct{}{}
	return nil, nil
}

func (a *chainHeadAPI) stopOperation(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	id, err := p.String(0)
	if err != nil {
		return nil, err
	}
	opID, err := p.String(1)
	if err != nil {
		return nil, err
	}
	if f := a.lookup(id); f != nil {
		f.mu.Lock()
		if op := f.ops[opID]; op != nil {
			delete(f.ops, opID)
			op.cancel()
		}
		f.mu.Unlock()
	}
	return nil, nil
}

func (a *chainHeadAPI) unpin(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	id, err := p.String(0)
	if err != nil {
		return nil, err
	}
	if !p.Present(1) {
		return nil, invalidParams("missing param 1")
	}
	var list []string
	raw := trimSpace(p.Raw(1))
	isList := raw[0] == '['
	if isList {
		err = json.Unmarshal(raw, &list)
	} else {
		var one string
		err = json.Unmarshal(raw, &one)
		list = []string{one}
	}
	if err != nil {
		return nil, invalidParams("param 1: %v", err)
	}
	hashes := make([]types.Hash, len(list))
	seen := make(map[types.Hash]bool, len(list))
	for i, s := range list {
		h, err := decodeHash(s)
		if err != nil {
			return nil, invalidParams("param 1: %v", err)
		}
		if seen[h] {
			return nil, &Error{Code: CodeDuplicateHashes, Message: "Received duplicate hashes for the unpin method"}
		}
		seen[h] = true
		hashes[i] = h
	}
	f := a.lookup(id)
	if f == nil {
		return nil, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, h := range hashes {
		if !f.pinned[h] {
			return nil, errInvalidBlockHash()
		}
	}
	for _, h := range hashes {
		delete(f.pinned, h)
	}
	return nil, nil
}

// RegisterV1 registers the groups of the new JSON-RPC spec
// (paritytech/json-rpc-interface-spec) the backend can serve, each group
// whole or not at all: chainHead_v1 and archive_v1 (Chain and State),
// transaction_v1 and transactionWatch_v1 (Pool), chainSpec_v1 (Chain and
// System).
func RegisterV1(s *Server, b Backend) error {
	var regs []func(*Server) error
	if b.Chain != nil && b.State != nil {
		regs = append(regs, newChainHeadAPI(b.Chain, b.State).register, newArchiveAPI(b.Chain, b.State).register)
	}
	if b.Pool != nil {
		regs = append(regs, newTransactionV1(b.Pool, b.Chain).register)
	}
	if b.Chain != nil && b.System != nil {
		regs = append(regs, (&chainSpecV1{chain: b.Chain, sys: b.System}).register)
	}
	for _, r := range regs {
		if err := r(s); err != nil {
			return err
		}
	}
	return nil
}
