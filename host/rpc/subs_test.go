package rpc

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/metamars/mars/runtime/types"
)

// eventually polls cond for up to 5 s: used for effects of goroutines the
// server starts (cancel after unsubscribe), never as a fixed sleep.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func headerNumber(t *testing.T, r response) string {
	t.Helper()
	var h struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal(r.Params.Result, &h); err != nil {
		t.Fatalf("%s: %v", r.Params.Result, err)
	}
	return h.Number
}

func TestHeadSubscriptions(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)

	// The exact notification shape.
	w.send(`{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads","params":[]}`)
	_, raw, err := w.c.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var resp response
	json.Unmarshal(raw, &resp)
	var id string
	if err := json.Unmarshal(resp.Result, &id); err != nil || len(id) != 16 {
		t.Fatalf("subscription response %s", raw)
	}
	_, raw, err = w.c.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hdr, _, _ := e.chain.Header(e.chain.BestHash())
	want, _ := json.Marshal(toHeaderJSON(&hdr))
	if got := string(raw); got != `{"jsonrpc":"2.0","method":"chain_newHead","params":{"subscription":"`+id+`","result":`+string(want)+`}}` {
		t.Fatalf("notification %s", got)
	}

	fin := w.subscribe("chain_subscribeFinalisedHeads")
	all := w.subscribe("chain_subscribeAllHeads")
	alias := w.subscribe("subscribe_newHead")
	if n := w.next(); n.Params.Subscription != fin || n.Method != "chain_finalizedHead" || headerNumber(t, n) != "0x0" {
		t.Errorf("finalized first: %+v", n)
	}
	if n := w.next(); n.Params.Subscription != alias || headerNumber(t, n) != "0x3" {
		t.Errorf("alias first: %+v", n)
	}
	w.settled() // the all-heads subscription sends nothing first

	e.chain.push(nil)
	got := map[string]string{}
	for i := 0; i < 3; i++ {
		n := w.next()
		got[n.Params.Subscription] = n.Method + " " + headerNumber(t, n)
	}
	if got[id] != "chain_newHead 0x4" || got[all] != "chain_allHead 0x4" || got[alias] != "chain_newHead 0x4" {
		t.Errorf("after push: %v", got)
	}
	e.chain.finalize(2)
	if n := w.next(); n.Params.Subscription != fin || headerNumber(t, n) != "0x2" {
		t.Errorf("finalized: %+v", n)
	}

	// Unsubscribe: the wrong kind and unknown ids answer false.
	for _, tc := range []struct {
		method, id, want string
	}{
		{"chain_unsubscribeAllHeads", id, "false"},
		{"chain_unsubscribeNewHead", id, "true"},
		{"chain_unsubscribeNewHeads", id, "false"},
		{"unsubscribe_newHead", alias, "true"},
		{"chain_unsubscribeNewHeads", "nope", "false"},
		{"chain_unsubscribeAllHeads", all, "true"},
		{"chain_unsubscribeFinalisedHeads", fin, "true"},
	} {
		if r := w.call(tc.method, tc.id); string(r.Result) != tc.want {
			t.Errorf("%s(%s) = %s %v, want %s", tc.method, tc.id, r.Result, r.Error, tc.want)
		}
	}
	if r := w.call("chain_unsubscribeNewHeads"); r.Error == nil || r.Error.Code != CodeInvalidParams {
		t.Errorf("unsubscribe without id: %+v", r)
	}
	eventually(t, "head subscriptions released", func() bool {
		return e.chain.subCount(HeadsBest)+e.chain.subCount(HeadsAll)+e.chain.subCount(HeadsFinalized) == 0
	})
	e.chain.push(nil)
	w.settled()

	// A subscription sent as a notification cannot be addressed: it is not kept.
	w.send(`{"jsonrpc":"2.0","method":"chain_subscribeNewHeads"}`)
	w.settled()
	eventually(t, "notification subscription released", func() bool { return e.chain.subCount(HeadsBest) == 0 })

	// Closing the connection releases its subscriptions.
	w2 := e.dial(t)
	w2.subscribe("chain_subscribeNewHeads")
	w2.subscribe("chain_subscribeAllHeads")
	w2.c.Close(websocket.StatusNormalClosure, "")
	eventually(t, "subscriptions of a closed connection released", func() bool {
		return e.chain.subCount(HeadsBest)+e.chain.subCount(HeadsAll) == 0
	})
}

func TestStateSubscriptions(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)
	sub := w.subscribe("state_subscribeStorage", []string{"0x0102", "0x77"})
	best := e.chain.BestHash()
	n := w.next()
	if n.Method != "state_storage" || n.Params.Subscription != sub ||
		compact(t, n.Params.Result) != `{"block":"`+best.Hex()+`","changes":[["0x0102","0xaa"],["0x77",null]]}` {
		t.Fatalf("initial storage: %s %s", n.Method, n.Params.Result)
	}
	e.chain.push(nil) // nothing changed: no notification
	e.state.set("\x77", []byte{1})
	h := e.chain.push(nil)
	n = w.next()
	if got := compact(t, n.Params.Result); got != `{"block":"`+h.Hash().Hex()+`","changes":[["0x77","0x01"]]}` {
		t.Errorf("storage change: %s", got)
	}

	rv := w.subscribe("state_subscribeRuntimeVersion")
	var v struct {
		SpecVersion uint32 `json:"specVersion"`
	}
	n = w.next()
	if json.Unmarshal(n.Params.Result, &v); n.Method != "state_runtimeVersion" || n.Params.Subscription != rv || v.SpecVersion != 100 {
		t.Fatalf("initial version: %+v", n)
	}
	e.state.setVersion(101)
	e.state.set("\x77", nil)
	e.chain.push(nil)
	seen := map[string]string{}
	for i := 0; i < 2; i++ {
		n = w.next()
		seen[n.Method] = compact(t, n.Params.Result)
	}
	if !strings.Contains(seen["state_runtimeVersion"], `"specVersion":101`) || !strings.Contains(seen["state_storage"], `["0x77",null]`) {
		t.Errorf("after upgrade: %v", seen)
	}
	if r := w.call("chain_unsubscribeRuntimeVersion", rv); string(r.Result) != "true" {
		t.Errorf("unsubscribe runtime version: %+v", r)
	}
	if r := w.call("state_unsubscribeStorage", sub); string(r.Result) != "true" {
		t.Errorf("unsubscribe storage: %+v", r)
	}
	eventually(t, "released", func() bool { return e.chain.subCount(HeadsBest) == 0 })

	for _, bad := range [][]any{{}, {nil}, {"0x01"}, {[]string{"0xz"}}} {
		if r := w.call("state_subscribeStorage", bad...); r.Error == nil {
			t.Errorf("state_subscribeStorage%v accepted", bad)
		}
	}
}

func TestSubmitAndWatch(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)
	ext := []byte{0x0c, 0x04, 0x07, 0x08}
	sub := w.subscribe("author_submitAndWatchExtrinsic", hexOf(ext))
	if len(w.queued) != 0 {
		t.Fatal("a notification overtook the subscription id")
	}
	if n := w.next(); n.Method != "author_extrinsicUpdate" || n.Params.Subscription != sub || string(n.Params.Result) != `"ready"` {
		t.Fatalf("first status: %+v", n)
	}
	h := types.Hash(types.Blake2b256(ext))
	block := e.chain.BestHash()
	e.pool.status(h, TxStatus{Kind: TxInBlock, Hash: block})
	if n := w.next(); string(n.Params.Result) != `{"inBlock":"`+block.Hex()+`"}` {
		t.Errorf("inBlock: %s", n.Params.Result)
	}
	e.pool.status(h, TxStatus{Kind: TxFinalized, Hash: block})
	if n := w.next(); string(n.Params.Result) != `{"finalized":"`+block.Hex()+`"}` {
		t.Errorf("finalized: %s", n.Params.Result)
	}
	eventually(t, "watch cancelled after the final status", func() bool {
		e.pool.mu.Lock()
		defer e.pool.mu.Unlock()
		return e.pool.cancels == 1
	})
	if r := w.call("author_unwatchExtrinsic", sub); string(r.Result) != "false" {
		t.Errorf("unwatch after final: %s", r.Result)
	}
	r := w.call("author_submitAndWatchExtrinsic", hexOf(extBadSig))
	if r.Error == nil || r.Error.Code != CodePoolInvalidTx || r.Error.Data != "Transaction has a bad signature" {
		t.Errorf("invalid watched tx: %+v", r)
	}
	// A watch ended by the client.
	sub = w.subscribe("author_submitAndWatchExtrinsic", "0x0c040909")
	w.next()
	if r := w.call("author_unwatchExtrinsic", sub); string(r.Result) != "true" {
		t.Errorf("unwatch: %s", r.Result)
	}
	eventually(t, "watch cancelled", func() bool {
		e.pool.mu.Lock()
		defer e.pool.mu.Unlock()
		return e.pool.cancels == 2
	})
}

// A client that stops reading loses its subscription; the node's callback
// never waits for it.
func TestSlowConsumerDropped(t *testing.T) {
	e := newEnv(t, Config{MessageBuffer: 4})
	w := e.dial(t)
	w.subscribe("chain_subscribeNewHeads")
	big := make([]byte, 32<<10)
	done := make(chan time.Duration)
	go func() {
		start := time.Now()
		for i := 0; i < 2000; i++ {
			e.chain.push(big)
		}
		done <- time.Since(start)
	}()
	select {
	case d := <-done:
		t.Logf("2000 heads of 64 KiB JSON pushed in %v", d)
	case <-time.After(60 * time.Second):
		t.Fatal("the producer blocked on a slow consumer")
	}
	eventually(t, "slow subscription dropped", func() bool { return e.chain.subCount(HeadsBest) == 0 })
	// The connection itself still works once the client reads again.
	if r := w.call("system_name"); string(r.Result) != `"marsd"` {
		t.Errorf("after drop: %+v", r)
	}
	if len(w.queued) == 0 || len(w.queued) >= 2000 {
		t.Errorf("%d notifications delivered before the drop", len(w.queued))
	}
}

// A head imported while the subscription reads its first header is sent
// after it, not lost.
func TestHeadDuringSubscribe(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)
	e.chain.mu.Lock()
	e.chain.onHeader = func() { e.chain.push(nil) }
	e.chain.mu.Unlock()
	id := w.subscribe("chain_subscribeNewHeads")
	if len(w.queued) != 0 {
		t.Fatal("a notification overtook the subscription id")
	}
	for _, want := range []string{"0x3", "0x4"} {
		if n := w.next(); n.Params.Subscription != id || headerNumber(t, n) != want {
			t.Fatalf("want head %s, got %s", want, n.Params.Result)
		}
	}
	w.settled()
}
