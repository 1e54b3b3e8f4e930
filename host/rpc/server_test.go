package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestProtocolErrors(t *testing.T) {
	e := newEnv(t, Config{})
	for _, tc := range []struct {
		name, body, want string
	}{
		{"parse", `{"jsonrpc":"2.0","id":1,"method":`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}`},
		{"garbage", `hello`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}`},
		{"not an object", `42`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}`},
		{"no version", `{"id":7,"method":"system_name"}`, `{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"Invalid request"}}`},
		{"wrong version", `{"jsonrpc":"1.0","id":"a","method":"system_name"}`, `{"jsonrpc":"2.0","id":"a","error":{"code":-32600,"message":"Invalid request"}}`},
		{"method not string", `{"jsonrpc":"2.0","id":3,"method":5}`, `{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"Invalid request"}}`},
		{"member names are case-sensitive", `{"JSONRPC":"2.0","ID":1,"METHOD":"system_name"}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}`},
		{"object id", `{"jsonrpc":"2.0","id":{},"method":"system_name"}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}`},
		{"unknown method", `{"jsonrpc":"2.0","id":1,"method":"nope_nope"}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}`},
		{"object params", `{"jsonrpc":"2.0","id":1,"method":"system_name","params":{"a":1}}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":"params must be an array"}}`},
		{"null id", `{"jsonrpc":"2.0","id":null,"method":"system_name"}`, `{"jsonrpc":"2.0","id":null,"result":"marsd"}`},
		{"string id", `{"jsonrpc":"2.0","id":"x y","method":"system_name","params":[]}`, `{"jsonrpc":"2.0","id":"x y","result":"marsd"}`},
		{"subscription over HTTP", `{"jsonrpc":"2.0","id":1,"method":"chain_subscribeNewHeads"}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found","data":"subscriptions need a WebSocket connection"}}`},
	} {
		status, b := e.post(t, tc.body)
		if status != 200 || string(b) != tc.want {
			t.Errorf("%s: HTTP %d %s\nwant %s", tc.name, status, b, tc.want)
		}
	}
	// A notification gets no answer.
	if status, b := e.post(t, `{"jsonrpc":"2.0","method":"system_name"}`); status != 200 || len(b) != 0 {
		t.Errorf("notification: %d %q", status, b)
	}
	// HTTP-level refusals.
	resp, err := http.Post(e.url, "text/plain", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %d", resp.StatusCode)
	}
	resp, err = http.Get(e.url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	resp, err = http.Get(e.url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	var h Health
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Peers != 3 || !h.ShouldHavePeers {
		t.Errorf("/health: %+v", h)
	}
}

func TestBatch(t *testing.T) {
	e := newEnv(t, Config{MaxBatchSize: 3})
	status, b := e.post(t, `[{"jsonrpc":"2.0","id":1,"method":"system_name"},{"jsonrpc":"2.0","method":"system_name"},`+
		`{"jsonrpc":"2.0","id":2,"method":"nope"},5]`)
	if status != 200 {
		t.Fatal(status)
	}
	_ = b
	// 4 entries > 3.
	if string(b) != `{"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"The batch request was too large","data":"Exceeded max limit of 3"}}` {
		t.Errorf("too large: %s", b)
	}
	_, b = e.post(t, `[{"jsonrpc":"2.0","id":1,"method":"system_name"},{"jsonrpc":"2.0","method":"system_name"},5]`)
	want := `[{"jsonrpc":"2.0","id":1,"result":"marsd"},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}]`
	if string(b) != want {
		t.Errorf("batch: %s\nwant %s", b, want)
	}
	if _, b = e.post(t, `[]`); string(b) != `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request"}}` {
		t.Errorf("empty batch: %s", b)
	}
	if status, b = e.post(t, `[{"jsonrpc":"2.0","method":"system_name"}]`); status != 200 || len(b) != 0 {
		t.Errorf("notifications only: %d %s", status, b)
	}
	// Batches can be switched off.
	nob := newEnv(t, Config{MaxBatchSize: -1})
	if _, b = nob.post(t, `[{"jsonrpc":"2.0","id":1,"method":"system_name"}]`); !strings.Contains(string(b), `"code":-32005`) {
		t.Errorf("batches off: %s", b)
	}
	// Batches over WebSocket, with a subscription inside.
	w := e.dial(t)
	w.send(`[{"jsonrpc":"2.0","id":"a","method":"chain_subscribeNewHeads"},{"jsonrpc":"2.0","id":"b","method":"system_chain"}]`)
	_, raw, err := w.c.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rs []response
	if err := json.Unmarshal(raw, &rs); err != nil || len(rs) != 2 || rs[0].Error != nil || string(rs[1].Result) != `"Mars Development"` {
		t.Fatalf("ws batch: %s", raw)
	}
	if n := w.next(); n.Method != "chain_newHead" || `"`+n.Params.Subscription+`"` != string(rs[0].Result) {
		t.Errorf("notification after batch: %+v", n)
	}
}

func TestLimits(t *testing.T) {
	e := newEnv(t, Config{MaxRequestSize: 1024, MaxResponseSize: 600, MaxSubsPerConn: 2, MaxConnections: 3})

	// Oversized HTTP body: a JSON-RPC error with 413, not a crash.
	status, b := e.post(t, `{"jsonrpc":"2.0","id":1,"method":"state_call","params":["Echo","0x`+strings.Repeat("00", 1024)+`"]}`)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), `"code":-32007`) {
		t.Errorf("oversized body: %d %s", status, b)
	}
	// Oversized response.
	if err := e.errOf(t, "state_call", "Echo", "0x"+strings.Repeat("00", 400)); err.Code != CodeOversizedResponse {
		t.Errorf("oversized response: %+v", err)
	}
	// Oversized WebSocket message: the connection is closed (1009); the server lives on.
	w := e.dial(t)
	w.send(`{"jsonrpc":"2.0","id":1,"method":"system_name","params":["` + strings.Repeat("x", 2048) + `"]}`)
	if _, err := w.read(); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("oversized ws message: %v", err)
	}
	w.c.CloseNow()
	e.waitConns(t, 0)
	// Too many subscriptions.
	w = e.dial(t)
	w.subscribe("chain_subscribeNewHeads")
	w.subscribe("chain_subscribeFinalizedHeads")
	r := w.call("chain_subscribeAllHeads")
	if r.Error == nil || r.Error.Code != CodeTooManySubscriptions || r.Error.Message != "Too many subscriptions on the connection" {
		t.Errorf("third subscription: %+v", r)
	}
	// Too many connections: w holds one, two more fit, the fourth is refused.
	w2 := e.dial(t)
	w3 := e.dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, e.wsURL, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("fourth connection: %v %v", err, resp)
	}
	if s, _ := e.post(t, `{"jsonrpc":"2.0","id":1,"method":"system_name"}`); s != http.StatusTooManyRequests {
		t.Errorf("HTTP while full: %d", s)
	}
	w3.c.Close(websocket.StatusNormalClosure, "")
	w2.c.Close(websocket.StatusNormalClosure, "")
	e.waitConns(t, 1)
	if got := e.result(t, "system_name"); got != `"marsd"` {
		t.Errorf("after closing: %s", got)
	}
}

func TestUnsafeMethods(t *testing.T) {
	secret := func(context.Context, Params) (any, error) { return "ok", nil }
	for _, tc := range []struct {
		policy MethodPolicy
		denied bool
	}{{PolicyAuto, false}, {PolicySafe, true}, {PolicyUnsafe, false}} {
		srv := NewServer(Config{Methods: tc.policy})
		if err := srv.Register("author_rotateKeys", secret, Unsafe()); err != nil {
			t.Fatal(err)
		}
		e := serveEnv(t, srv, nil, nil, nil)
		r := e.call(t, "author_rotateKeys")
		if tc.denied {
			if r.Error == nil || r.Error.Code != CodeMethodNotFound || r.Error.Message != "RPC call is unsafe to be called externally" {
				t.Errorf("policy %d: %+v", tc.policy, r)
			}
		} else if string(r.Result) != `"ok"` {
			t.Errorf("policy %d: %+v", tc.policy, r.Error)
		}
		if srv.External() != tc.denied {
			t.Errorf("policy %d: External() = %v", tc.policy, srv.External())
		}
	}
	for _, tc := range []struct {
		addr string
		want bool
	}{{"127.0.0.1:9944", true}, {"[::1]:9944", true}, {"0.0.0.0:9944", false}, {"10.1.2.3:1", false}, {"localhost:1", true}} {
		if got := isLoopback(stringAddr(tc.addr)); got != tc.want {
			t.Errorf("isLoopback(%s) = %v", tc.addr, got)
		}
	}
	if got := isLoopback(&net.TCPAddr{IP: net.IPv4(192, 168, 1, 1)}); got {
		t.Error("192.168.1.1 is not loopback")
	}
}

type stringAddr string

func (a stringAddr) Network() string { return "tcp" }
func (a stringAddr) String() string  { return string(a) }

func TestRegistry(t *testing.T) {
	s := NewServer(Config{})
	h := func(context.Context, Params) (any, error) { return nil, nil }
	if err := s.Register("rpc_methods", h); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v", err)
	}
	if err := s.Register("a b", h); !errors.Is(err, ErrBadMethodName) {
		t.Errorf("bad name: %v", err)
	}
	if err := s.Register("x_y", h, Aliases("x_y")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("alias = name: %v", err)
	}
	if s.reg.lookup("x_y") != nil {
		t.Error("failed registration left a method behind")
	}
	sub := func(context.Context, Params, *Sink) error { return nil }
	if err := s.RegisterSubscription("s_sub", "s_unsub", "", sub); !errors.Is(err, ErrBadMethodName) {
		t.Errorf("empty notification: %v", err)
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t, Config{AllowedOrigins: []string{"https://polkadot.js.org", "http://localhost:*"}})
	do := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, e.url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"system_name"}`))
		req.Header.Set("Content-Type", "application/json")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := do("https://polkadot.js.org"); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "https://polkadot.js.org" {
		t.Errorf("allowed origin: %d %v", r.StatusCode, r.Header)
	}
	if r := do("http://localhost:3000"); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("pattern origin: %d %v", r.StatusCode, r.Header)
	}
	if r := do("http://localhost.evil.example:3000"); r.StatusCode != http.StatusForbidden {
		t.Errorf("pattern lookalike: %d", r.StatusCode)
	}
	if r := do("https://evil.example"); r.StatusCode != http.StatusForbidden {
		t.Errorf("other origin: %d", r.StatusCode)
	}
	pre, _ := http.NewRequest(http.MethodOptions, e.url, nil)
	pre.Header.Set("Origin", "https://polkadot.js.org")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	if r, err := http.DefaultClient.Do(pre); err != nil || r.StatusCode != 200 ||
		r.Header.Get("Access-Control-Allow-Headers") != "Content-Type" {
		t.Errorf("preflight: %v %v", err, r)
	} else {
		r.Body.Close()
	}
	if r := do(""); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("no origin: %d %v", r.StatusCode, r.Header)
	}
	// CORS off (the default): cross-site browsers are refused, also for WebSocket.
	off := newEnv(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, off.wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"https://evil.example"}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin ws with CORS off: %v", err)
	}
	c, _, err := websocket.Dial(ctx, off.wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {off.url}}})
	if err != nil {
		t.Errorf("same-origin ws: %v", err)
	} else {
		c.CloseNow()
	}
}

func TestShutdown(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)
	w.subscribe("chain_subscribeNewHeads")
	w.next()
	readErr := make(chan error, 1)
	go func() { _, err := w.read(); readErr <- err }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-e.served; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve returned %v", err)
	}
	if err := <-readErr; websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("client saw %v", err)
	}
	eventually(t, "subscriptions released", func() bool { return e.chain.subCount(HeadsBest) == 0 })
}

// A client that never answers the close handshake cannot hold Shutdown
// past its context.
func TestShutdownForced(t *testing.T) {
	e := newEnv(t, Config{})
	w := e.dial(t)
	w.subscribe("chain_subscribeNewHeads")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := e.srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	eventually(t, "subscriptions released", func() bool { return e.chain.subCount(HeadsBest) == 0 })
}
