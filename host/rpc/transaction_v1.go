package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/metamars/mars/runtime/types"
)

// maxBroadcasts bounds the transaction_v1_broadcast operations kept; the
// oldest is forgotten beyond it (the server cannot tell when a client that
// never calls transaction_v1_stop is gone).
const maxBroadcasts = 256

// transactionV1 serves the transaction_v1 and transactionWatch_v1 groups.
type transactionV1 struct {
	pool  Pool
	chain Chain // optional: the index of an included transaction

	mu    sync.Mutex
	ops   map[string]context.CancelFunc // guarded by mu
	order []string                      // ids oldest first, guarded by mu
}

func newTransactionV1(pool Pool, chain Chain) *transactionV1 {
	return &transactionV1{pool: pool, chain: chain, ops: make(map[string]context.CancelFunc)}
}

func (t *transactionV1) register(s *Server) error {
	return regList{
		func() error { return s.Register("transaction_v1_broadcast", t.broadcast) },
		func() error { return s.Register("transaction_v1_stop", t.stop) },
		func() error {
			return s.RegisterSubscription("transactionWatch_v1_submitAndWatch", "transactionWatch_v1_unwatch",
				"transactionWatch_v1_watchEvent", t.submitAndWatch)
		},
	}.run()
}

// broadcast submits the transaction in the background and answers an
// operation id. The pool gossips what it
// holds, so the operation stays until transaction_v1_stop.
func (t *transactionV1) broadcast(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	ext, err := p.Bytes(0)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	for len(t.ops) >= maxBroadcasts && len(t.order) > 0 {
		old := t.order[0]
		t.order = t.order[1:]
		if c := t.ops[old]; c != nil {
			c()
			delete(t.ops, old)
		}
	}
	id := randomID()
	for t.ops[id] != nil {
		id = randomID()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.ops[id] = cancel
	t.order = append(t.order, id)
	t.mu.Unlock()
	go func() {
		// Errors are not reported: the spec gives the client no way to
		// learn them (it may watch the transaction instead).
		t.pool.Submit(ctx, ext)
	}()
	return id, nil
}

func (t *transactionV1) stop(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	id, err := p.String(0)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	cancel := t.ops[id]
	delete(t.ops, id)
	if cancel != nil {
		for i, x := range t.order {
			if x == id {
				t.order = append(t.order[:i], t.order[i+1:]...)
				break
			}
		}
	}
	t.mu.Unlock()
	if cancel == nil {
		return nil, invalidParams("invalid operation id")
	}
	cancel()
	return nil, nil
}

type txBlock struct {
	Hash  types.Hash `json:"hash"`
	Index int        `json:"index"`
}

type txWatchEvent struct {
	Event string   `json:"event"`
	Block *txBlock `json:"block,omitempty"`
	Error string   `json:"error,omitempty"`
}

// MarshalJSON writes "block":null for a retracted inclusion.
func (e txWatchEvent) MarshalJSON() ([]byte, error) {
	type plain txWatchEvent
	if e.Event == "bestChainBlockIncluded" && e.Block == nil {
		return []byte(`{"event":"bestChainBlockIncluded","block":null}`), nil
	}
	return json.Marshal(plain(e))
}

// submitAndWatch follows one transaction: refusals are an "invalid" (or
// "dropped"/"error") event, not a JSON-RPC error.
func (t *transactionV1) submitAndWatch(ctx context.Context, p Params, sink *Sink) error {
	if err := p.Max(1); err != nil {
		return err
	}
	ext, err := p.Bytes(0)
	if err != nil {
		return err
	}
	var (
		mu        sync.Mutex
		validated bool
	)
	txHash := types.Hash(types.Blake2b256(ext))
	fn := func(st TxStatus) {
		mu.Lock()
		defer mu.Unlock()
		ev, ok := t.txEvent(st, txHash, &validated, sink)
		if !ok {
			return
		}
		sink.Send(ev)
		if st.Final() {
			sink.Close()
		}
	}
	_, cancel, err := t.pool.SubmitAndWatch(ctx, ext, fn)
	if err != nil {
		sink.Send(submitErrorEvent(err))
		sink.Close()
		return nil
	}
	go func() {
		<-sink.Done()
		cancel()
	}()
	return nil
}

// txEvent maps a pool status to the spec's event; ok is false when the
// status has no counterpart (future, broadcast).
func (t *transactionV1) txEvent(st TxStatus, txHash types.Hash, validated *bool, sink *Sink) (txWatchEvent, bool) {
	switch st.Kind {
	case TxFuture, TxReady, TxBroadcast:
		if *validated {
			return txWatchEvent{}, false
		}
		*validated = true
		return txWatchEvent{Event: "validated"}, true
	case TxInBlock:
		if !*validated { // included implies valid
			*validated = true
			sink.Send(txWatchEvent{Event: "validated"})
		}
		return txWatchEvent{Event: "bestChainBlockIncluded", Block: &txBlock{Hash: st.Hash, Index: t.indexIn(st.Hash, txHash)}}, true
	case TxRetracted:
		return txWatchEvent{Event: "bestChainBlockIncluded"}, true
	case TxFinalized:
		return txWatchEvent{Event: "finalized", Block: &txBlock{Hash: st.Hash, Index: t.indexIn(st.Hash, txHash)}}, true
	case TxUsurped:
		return txWatchEvent{Event: "invalid", Error: fmt.Sprintf("usurped by %s", st.Hash)}, true
	case TxInvalid:
		return txWatchEvent{Event: "invalid", Error: "transaction is invalid"}, true
	case TxDropped:
		return txWatchEvent{Event: "dropped", Error: "transaction dropped from the pool"}, true
	case TxFinalityTimeout:
		return txWatchEvent{Event: "dropped", Error: fmt.Sprintf("finality timeout in block %s", st.Hash)}, true
	}
	return txWatchEvent{}, false
}

// indexIn is the position of the transaction in block's body (0 when the
// body is not at hand).
func (t *transactionV1) indexIn(block, txHash types.Hash) int {
	if t.chain == nil {
		return 0
	}
	exts, ok, err := t.chain.Body(block)
	if err != nil || !ok {
		return 0
	}
	for i, x := range exts {
		if types.Hash(types.Blake2b256(x)) == txHash {
			return i
		}
	}
	return 0
}

// submitErrorEvent turns a pool refusal into the spec's event.
func submitErrorEvent(err error) txWatchEvent {
	var pe *PoolError
	var ve types.TransactionValidityError
	var vp *types.TransactionValidityError
	switch {
	case errors.As(err, &pe) && (pe.Kind == PoolImmediatelyDropped || pe.Kind == PoolTooLowPriority):
		return txWatchEvent{Event: "dropped", Error: err.Error()}
	case pe != nil, errors.As(err, &ve), errors.As(err, &vp):
		return txWatchEvent{Event: "invalid", Error: err.Error()}
	}
	return txWatchEvent{Event: "error", Error: err.Error()}
}
