package rpc

import (
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

// newV1Env is newEnv with the new-spec groups registered too; it returns
// the chainHead API for white-box checks.
func newV1Env(t *testing.T) (*testEnv, *chainHeadAPI) {
	return newV1EnvWith(t, false)
}

// orderedChain gives the fake chain the optional ChainEvents stream.
type orderedChain struct{ *fakeChain }

func (c orderedChain) SubscribeEvents(fn func(ChainEvent)) func() {
	a := c.SubscribeHeads(HeadsAll, func(h types.Header) { fn(ChainEvent{Header: h}) })
	b := c.SubscribeHeads(HeadsBest, func(h types.Header) { fn(ChainEvent{Header: h, NewBest: true}) })
	f := c.SubscribeHeads(HeadsFinalized, func(h types.Header) { fn(ChainEvent{Header: h, Finalized: true}) })
	return func() { a(); b(); f() }
}

func newV1EnvWith(t *testing.T, ordered bool) (*testEnv, *chainHeadAPI) {
	t.Helper()
	e := newEnv(t, Config{})
	var c Chain = e.chain
	if ordered {
		c = orderedChain{e.chain}
	}
	ch := newChainHeadAPI(c, e.state)
	if err := ch.register(e.srv); err != nil {
		t.Fatal(err)
	}
	if err := newTransactionV1(e.pool, e.chain).register(e.srv); err != nil {
		t.Fatal(err)
	}
	if err := (&chainSpecV1{chain: e.chain, sys: fakeSystem{}}).register(e.srv); err != nil {
		t.Fatal(err)
	}
	return e, ch
}

// event reads the next notification of method and decodes its result.
func event(t *testing.T, w *wsClient, method string) map[string]any {
	t.Helper()
	r := w.next()
	if r.Method != method {
		t.Fatalf("notification %s, want %s", r.Method, method)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Params.Result, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func wantEvent(t *testing.T, m map[string]any, name string) {
	t.Helper()
	if m["event"] != name {
		t.Fatalf("event %v, want %s (%v)", m["event"], name, m)
	}
}

func hashHex(h types.Hash) string { return h.Hex() }

func wsResult(t *testing.T, w *wsClient, method string, params ...any) json.RawMessage {
	t.Helper()
	r := w.call(method, params...)
	if r.Error != nil {
		t.Fatalf("%s: %v", method, r.Error)
	}
	return r.Result
}

func wsErr(t *testing.T, w *wsClient, code int, method string, params ...any) {
	t.Helper()
	r := w.call(method, params...)
	if r.Error == nil || r.Error.Code != code {
		t.Fatalf("%s: want error %d, got %+v %s", method, code, r.Error, r.Result)
	}
}

func startedOp(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m["result"] != "started" {
		t.Fatalf("want started, got %s", raw)
	}
	id, _ := m["operationId"].(string)
	if id == "" {
		t.Fatalf("no operationId in %s", raw)
	}
	return id
}

func TestChainHeadFollow(t *testing.T) {
	t.Run("heads", func(t *testing.T) { testChainHeadFollow(t, false) })
	t.Run("events", func(t *testing.T) { testChainHeadFollow(t, true) })
}

func testChainHeadFollow(t *testing.T, ordered bool) {
	e, _ := newV1EnvWith(t, ordered)
	w := e.dial(t)
	sub := w.subscribe("chainHead_v1_follow", true)
	const ev = "chainHead_v1_followEvent"

	m := event(t, w, ev)
	wantEvent(t, m, "initialized")
	if fins := m["finalizedBlockHashes"].([]any); len(fins) != 1 || fins[0] != hashHex(e.chain.hashAt(0)) {
		t.Fatalf("finalizedBlockHashes %v", fins)
	}
	rt := m["finalizedBlockRuntime"].(map[string]any)
	spec := rt["spec"].(map[string]any)
	core := types.APIID("Core")
	if rt["type"] != "valid" || spec["specName"] != "mars" || spec["specVersion"] != 100.0 || spec["transactionVersion"] != 1.0 ||
		spec["apis"].(map[string]any)["0x"+hex.EncodeToString(core[:])] != 5.0 {
		t.Fatalf("runtime %v", rt)
	}
	for i := 1; i <= 3; i++ {
		m = event(t, w, ev)
		wantEvent(t, m, "newBlock")
		if m["blockHash"] != hashHex(e.chain.hashAt(i)) || m["parentBlockHash"] != hashHex(e.chain.hashAt(i-1)) {
			t.Fatalf("newBlock %d: %v", i, m)
		}
		if nr, ok := m["newRuntime"]; !ok || nr != nil {
			t.Fatalf("newRuntime %v", m)
		}
	}
	m = event(t, w, ev)
	wantEvent(t, m, "bestBlockChanged")
	if m["bestBlockHash"] != hashHex(e.chain.hashAt(3)) {
		t.Fatal(m)
	}

	// A new block with a new runtime.
	e.state.setVersion(101)
	e.chain.push(nil)
	m = event(t, w, ev)
	wantEvent(t, m, "newBlock")
	if m["blockHash"] != hashHex(e.chain.hashAt(4)) || m["newRuntime"].(map[string]any)["spec"].(map[string]any)["specVersion"] != 101.0 {
		t.Fatal(m)
	}
	m = event(t, w, ev)
	wantEvent(t, m, "bestBlockChanged")

	e.chain.finalize(2)
	m = event(t, w, ev)
	wantEvent(t, m, "finalized")
	fins := m["finalizedBlockHashes"].([]any)
	if len(fins) != 2 || fins[0] != hashHex(e.chain.hashAt(1)) || fins[1] != hashHex(e.chain.hashAt(2)) || len(m["prunedBlockHashes"].([]any)) != 0 {
		t.Fatal(m)
	}

	// header
	h2 := e.chain.hashAt(2)
	hdr, _, _ := e.chain.Header(h2)
	var got string
	json.Unmarshal(wsResult(t, w, "chainHead_v1_header", sub, hashHex(h2)), &got)
	if got != "0x"+hex.EncodeToString(hdr.Bytes()) {
		t.Fatalf("header %s", got)
	}
	// unknown subscription: null
	if r := wsResult(t, w, "chainHead_v1_header", "nope", hashHex(h2)); string(r) != "null" {
		t.Fatalf("stale header %s", r)
	}
	// unpin
	h0, h1 := hashHex(e.chain.hashAt(0)), hashHex(e.chain.hashAt(1))
	wsErr(t, w, CodeDuplicateHashes, "chainHead_v1_unpin", sub, []string{h0, h0})
	if r := wsResult(t, w, "chainHead_v1_unpin", sub, []string{h0, h1}); string(r) != "null" {
		t.Fatal(string(r))
	}
	wsErr(t, w, CodeInvalidBlockHash, "chainHead_v1_header", sub, h0)
	wsErr(t, w, CodeInvalidBlockHash, "chainHead_v1_unpin", sub, h1)
	if r := wsResult(t, w, "chainHead_v1_unpin", sub, hashHex(e.chain.hashAt(2))); string(r) != "null" {
		t.Fatal(string(r))
	}
	wsErr(t, w, CodeInvalidBlockHash, "chainHead_v1_body", sub, hashHex(types.Hash{9}))
	wsErr(t, w, CodeInvalidParams, "chainHead_v1_body", sub, "0x12")
	w.settled()

	// unfollow ends it: operations on it are limitReached, header null.
	wsResult(t, w, "chainHead_v1_unfollow", sub)
	r := wsResult(t, w, "chainHead_v1_body", sub, hashHex(e.chain.hashAt(3)))
	if compact(t, r) != `{"result":"limitReached"}` {
		t.Fatalf("body after unfollow %s", r)
	}
}

func TestChainHeadOperations(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	sub := w.subscribe("chainHead_v1_follow", true)
	const ev = "chainHead_v1_followEvent"
	for range 5 { // initialized, 3 newBlock, bestBlockChanged
		event(t, w, ev)
	}
	h3 := hashHex(e.chain.hashAt(3))

	op := startedOp(t, wsResult(t, w, "chainHead_v1_body", sub, h3))
	m := event(t, w, ev)
	wantEvent(t, m, "operationBodyDone")
	if m["operationId"] != op || len(m["value"].([]any)) != 1 || m["value"].([]any)[0] != "0x0c040102" {
		t.Fatal(m)
	}

	op = startedOp(t, wsResult(t, w, "chainHead_v1_call", sub, h3, "Echo", "0x0102"))
	m = event(t, w, ev)
	wantEvent(t, m, "operationCallDone")
	if m["operationId"] != op || m["output"] != "0x0102" {
		t.Fatal(m)
	}
	op = startedOp(t, wsResult(t, w, "chainHead_v1_call", sub, h3, "Nope", "0x"))
	m = event(t, w, ev)
	wantEvent(t, m, "operationError")
	if m["operationId"] != op || m["error"] == "" {
		t.Fatal(m)
	}

	// storage: value and hash
	op = startedOp(t, wsResult(t, w, "chainHead_v1_storage", sub, h3, []map[string]string{
		{"key": "0x0102", "type": "value"}, {"key": "0x0103", "type": "hash"}, {"key": "0x7777", "type": "value"}}, nil))
	m = event(t, w, ev)
	wantEvent(t, m, "operationStorageItems")
	sum := types.Blake2b256([]byte{0xdd})
	items, _ := json.Marshal(m["items"])
	if want := `[{"key":"0x0102","value":"0xaa"},{"hash":"0x` + hex.EncodeToString(sum[:]) + `","key":"0x0103"}]`; string(items) != want || m["operationId"] != op {
		t.Fatalf("items %s, want %s", items, want)
	}
	wantEvent(t, event(t, w, ev), "operationStorageDone")

	// descendants with pagination
	old := chainHeadStoragePage
	chainHeadStoragePage = 2
	defer func() { chainHeadStoragePage = old }()
	op = startedOp(t, wsResult(t, w, "chainHead_v1_storage", sub, h3, []map[string]string{{"key": "0x01", "type": "descendantsValues"}}, nil))
	m = event(t, w, ev)
	wantEvent(t, m, "operationStorageItems")
	items, _ = json.Marshal(m["items"])
	if string(items) != `[{"key":"0x0102","value":"0xaa"},{"key":"0x010203","value":"0xbbcc"}]` {
		t.Fatalf("page 1 %s", items)
	}
	wantEvent(t, event(t, w, ev), "operationWaitingForContinue")
	w.settled()
	if r := wsResult(t, w, "chainHead_v1_continue", sub, op); string(r) != "null" {
		t.Fatal(string(r))
	}
	m = event(t, w, ev)
	wantEvent(t, m, "operationStorageItems")
	items, _ = json.Marshal(m["items"])
	if string(items) != `[{"key":"0x0103","value":"0xdd"}]` {
		t.Fatalf("page 2 %s", items)
	}
	wantEvent(t, event(t, w, ev), "operationStorageDone")
	// continue on a finished or unknown operation has no effect
	if r := wsResult(t, w, "chainHead_v1_continue", sub, op); string(r) != "null" {
		t.Fatal(string(r))
	}

	// stopOperation: no further events
	op = startedOp(t, wsResult(t, w, "chainHead_v1_storage", sub, h3, []map[string]string{{"key": "0x01", "type": "descendantsHashes"}}, nil))
	wantEvent(t, event(t, w, ev), "operationStorageItems")
	wantEvent(t, event(t, w, ev), "operationWaitingForContinue")
	wsResult(t, w, "chainHead_v1_stopOperation", sub, op)
	w.settled()

	wsErr(t, w, CodeInvalidParams, "chainHead_v1_storage", sub, h3, []map[string]string{{"key": "0x01", "type": "bogus"}}, nil)

	// a follow without runtime refuses calls
	sub2 := w.subscribe("chainHead_v1_follow", false)
	m = event(t, w, ev)
	wantEvent(t, m, "initialized")
	if _, ok := m["finalizedBlockRuntime"]; ok {
		t.Fatal(m)
	}
	for range 4 {
		m = event(t, w, ev)
		if _, ok := m["newRuntime"]; ok {
			t.Fatal(m)
		}
	}
	wsErr(t, w, CodeNoRuntime, "chainHead_v1_call", sub2, h3, "Echo", "0x")

	// a third follow on the connection is stopped at once
	w.subscribe("chainHead_v1_follow", false)
	wantEvent(t, event(t, w, ev), "stop")
}

func TestChainHeadContinueNotWaiting(t *testing.T) {
	e, ch := newV1Env(t)
	w := e.dial(t)
	sub := w.subscribe("chainHead_v1_follow", false)
	f := ch.lookup(sub)
	if f == nil {
		t.Fatal("no follow")
	}
	op := f.startOp(1)
	wsErr(t, w, CodeInvalidContinue, "chainHead_v1_continue", sub, op.id)
	if r := wsResult(t, w, "chainHead_v1_continue", sub, "999"); string(r) != "null" {
		t.Fatal(string(r))
	}
	for range chainHeadMaxOps - 1 {
		f.startOp(1)
	}
	if r := wsResult(t, w, "chainHead_v1_body", sub, hashHex(e.chain.hashAt(0))); compact(t, r) != `{"result":"limitReached"}` {
		t.Fatalf("over the limit: %s", r)
	}
}

func TestTransactionWatch(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	const ev = "transactionWatch_v1_watchEvent"
	ext := []byte{0x04, 0x0c}
	e.chain.mu.Lock()
	h3 := e.chain.canon[3]
	e.chain.bodies[h3] = [][]byte{{0x01}, ext}
	e.chain.mu.Unlock()

	w.subscribe("transactionWatch_v1_submitAndWatch", "0x040c")
	wantEvent(t, event(t, w, ev), "validated")
	txh := types.Hash(types.Blake2b256(ext))
	e.pool.status(txh, TxStatus{Kind: TxBroadcast, Peers: []string{"a"}})
	e.pool.status(txh, TxStatus{Kind: TxInBlock, Hash: h3})
	r := w.next()
	if want := `{"event":"bestChainBlockIncluded","block":{"hash":"` + hashHex(h3) + `","index":1}}`; compact(t, r.Params.Result) != want {
		t.Fatalf("got %s want %s", r.Params.Result, want)
	}
	e.pool.status(txh, TxStatus{Kind: TxRetracted, Hash: h3})
	if r = w.next(); compact(t, r.Params.Result) != `{"event":"bestChainBlockIncluded","block":null}` {
		t.Fatal(string(r.Params.Result))
	}
	e.pool.status(txh, TxStatus{Kind: TxFinalized, Hash: h3})
	if r = w.next(); compact(t, r.Params.Result) != `{"event":"finalized","block":{"hash":"`+hashHex(h3)+`","index":1}}` {
		t.Fatal(string(r.Params.Result))
	}
	w.settled()

	// A refused transaction is an invalid event, not an error.
	w.subscribe("transactionWatch_v1_submitAndWatch", "0x088401")
	m := event(t, w, ev)
	wantEvent(t, m, "invalid")
	if m["error"] == "" {
		t.Fatal(m)
	}
	wsErr(t, w, CodeInvalidParams, "transactionWatch_v1_submitAndWatch", "zz")

	// broadcast / stop
	var id string
	json.Unmarshal(wsResult(t, w, "transaction_v1_broadcast", "0x0410"), &id)
	if id == "" {
		t.Fatal("no operation id")
	}
	if r := wsResult(t, w, "transaction_v1_stop", id); string(r) != "null" {
		t.Fatal(string(r))
	}
	wsErr(t, w, CodeInvalidParams, "transaction_v1_stop", id)
}

func TestChainSpecV1(t *testing.T) {
	e, _ := newV1Env(t)
	if got := e.result(t, "chainSpec_v1_chainName"); got != `"Mars Development"` {
		t.Fatal(got)
	}
	if got := e.result(t, "chainSpec_v1_genesisHash"); got != `"`+hashHex(e.chain.hashAt(0))+`"` {
		t.Fatal(got)
	}
	if got := e.result(t, "chainSpec_v1_properties"); got != `{"ss58Format":42,"tokenDecimals":12,"tokenSymbol":"MSCA"}` {
		t.Fatal(got)
	}
	var m struct{ Methods []string }
	json.Unmarshal([]byte(e.result(t, "rpc_methods")), &m)
	need := map[string]bool{"chainHead_v1_follow": true, "chainHead_v1_unfollow": true, "chainHead_v1_storage": true,
		"transactionWatch_v1_submitAndWatch": true, "transaction_v1_broadcast": true, "chainSpec_v1_chainName": true}
	for _, n := range m.Methods {
		delete(need, n)
	}
	if len(need) > 0 {
		t.Fatalf("rpc_methods lacks %v", need)
	}
}

// forkPush imports a block on top of parent without making it best.
func (c *fakeChain) forkPush(parent types.Hash, salt byte) types.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	ph := c.headers[parent]
	h := types.Header{Number: ph.Number + 1, ParentHash: parent}
	h.StateRoot[5] = salt
	hash := h.Hash()
	c.headers[hash] = h
	for _, fn := range c.subs[HeadsAll] {
		fn(h)
	}
	return hash
}

func TestChainHeadForkPruned(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	sub := w.subscribe("chainHead_v1_follow", false)
	const ev = "chainHead_v1_followEvent"
	for range 5 {
		event(t, w, ev)
	}
	fork := e.chain.forkPush(e.chain.hashAt(1), 7)
	forkChild := e.chain.forkPush(fork, 8)
	m := event(t, w, ev)
	wantEvent(t, m, "newBlock")
	if m["blockHash"] != hashHex(fork) || m["parentBlockHash"] != hashHex(e.chain.hashAt(1)) {
		t.Fatal(m)
	}
	wantEvent(t, event(t, w, ev), "newBlock")
	e.chain.finalize(3)
	m = event(t, w, ev)
	wantEvent(t, m, "finalized")
	if len(m["finalizedBlockHashes"].([]any)) != 3 {
		t.Fatal(m)
	}
	pruned := map[any]bool{}
	for _, p := range m["prunedBlockHashes"].([]any) {
		pruned[p] = true
	}
	if len(pruned) != 2 || !pruned[hashHex(fork)] || !pruned[hashHex(forkChild)] {
		t.Fatalf("pruned %v", m["prunedBlockHashes"])
	}
	// pruned blocks stay pinned until unpinned
	if r := wsResult(t, w, "chainHead_v1_unpin", sub, []string{hashHex(fork), hashHex(forkChild)}); string(r) != "null" {
		t.Fatal(string(r))
	}
	w.settled()
}

func TestChainHeadPinLimitStops(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	w.subscribe("chainHead_v1_follow", false)
	const ev = "chainHead_v1_followEvent"
	for range 5 {
		event(t, w, ev)
	}
	// One block at a time, reading its events, so the client keeps up.
	for range chainHeadMaxPinned {
		e.chain.push(nil)
		m := event(t, w, ev)
		if m["event"] == "stop" {
			return
		}
		wantEvent(t, m, "newBlock")
		if m = event(t, w, ev); m["event"] == "stop" {
			return
		}
	}
	t.Fatal("no stop event past the pin limit")
}

func TestChainHeadRefollowAfterUnfollow(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	const ev = "chainHead_v1_followEvent"
	for range 3 {
		a := w.subscribe("chainHead_v1_follow", false)
		b := w.subscribe("chainHead_v1_follow", false)
		wsResult(t, w, "chainHead_v1_unfollow", a)
		wsResult(t, w, "chainHead_v1_unfollow", b)
	}
	id := w.subscribe("chainHead_v1_follow", false)
	for {
		r := w.next()
		if r.Params.Subscription != id { // leftovers of the unfollowed ones
			continue
		}
		var m map[string]any
		json.Unmarshal(r.Params.Result, &m)
		if m["event"] != "initialized" {
			t.Fatalf("first event %v", m)
		}
		return
	}
}
