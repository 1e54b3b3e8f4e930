package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

type testEnv struct {
	srv    *Server
	chain  *fakeChain
	state  *fakeState
	pool   *fakePool
	url    string // http://127.0.0.1:port
	wsURL  string
	served chan error
}

// newEnv serves a fake backend on 127.0.0.1:0.
func newEnv(t testing.TB, cfg Config) *testEnv {
	t.Helper()
	chain := newFakeChain(4)
	st := newFakeState(chain)
	pool := newFakePool()
	srv := NewServer(cfg)
	keys := &fakeKeys{keys: map[string]bool{}}
	if err := RegisterAPI(srv, Backend{Chain: chain, State: st, Pool: pool, System: fakeSystem{}, Keys: keys}); err != nil {
		t.Fatal(err)
	}
	return serveEnv(t, srv, chain, st, pool)
}

func serveEnv(t testing.TB, srv *Server, chain *fakeChain, st *fakeState, pool *fakePool) *testEnv {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{srv: srv, chain: chain, state: st, pool: pool,
		url: "http://" + ln.Addr().String(), wsURL: "ws://" + ln.Addr().String(), served: make(chan error, 1)}
	go func() { e.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return e
}

// post sends body over HTTP and returns the status and response body.
func (e *testEnv) post(t testing.TB, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(e.url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

type response struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *Error          `json:"error"`
	Method string          `json:"method"`
	Params struct {
		Subscription string          `json:"subscription"`
		Result       json.RawMessage `json:"result"`
	} `json:"params"`
}

// call posts one request and returns the decoded response.
func (e *testEnv) call(t testing.TB, method string, params ...any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	if params == nil {
		body = []byte(`{"jsonrpc":"2.0","id":1,"method":"` + method + `"}`)
	}
	status, b := e.post(t, string(body))
	if status != 200 {
		t.Fatalf("%s: HTTP %d: %s", method, status, b)
	}
	var r response
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v: %s", method, err, b)
	}
	return r
}

// result requires success and returns the compact result.
func (e *testEnv) result(t testing.TB, method string, params ...any) string {
	t.Helper()
	r := e.call(t, method, params...)
	if r.Error != nil {
		t.Fatalf("%s: error %v", method, r.Error)
	}
	return compact(t, r.Result)
}

// errCode requires an error and returns it.
func (e *testEnv) errOf(t testing.TB, method string, params ...any) *Error {
	t.Helper()
	r := e.call(t, method, params...)
	if r.Error == nil {
		t.Fatalf("%s: want error, got %s", method, r.Result)
	}
	return r.Error
}

func compact(t testing.TB, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
	return buf.String()
}

type wsClient struct {
	t      testing.TB
	c      *websocket.Conn
	id     int
	queued []response // notifications read while waiting for a response
}

func (e *testEnv) dial(t testing.TB) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, e.wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(64 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, c: c}
}

func (w *wsClient) send(raw string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.c.Write(ctx, websocket.MessageText, []byte(raw)); err != nil {
		w.t.Fatal(err)
	}
}

func (w *wsClient) read() (response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := w.c.Read(ctx)
	if err != nil {
		return response{}, err
	}
	var r response
	if err := json.Unmarshal(b, &r); err != nil {
		w.t.Fatalf("bad message %s: %v", b, err)
	}
	return r, nil
}

// call sends a request and waits for its response, queueing notifications.
func (w *wsClient) call(method string, params ...any) response {
	w.t.Helper()
	w.id++
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": w.id, "method": method, "params": params})
	w.send(string(body))
	want := strconv.Itoa(w.id)
	for {
		r, err := w.read()
		if err != nil {
			w.t.Fatalf("%s: %v", method, err)
		}
		if r.Method != "" {
			w.queued = append(w.queued, r)
			continue
		}
		if string(r.ID) == want {
			return r
		}
		w.t.Fatalf("%s: unexpected id %s", method, r.ID)
	}
}

func (w *wsClient) subscribe(method string, params ...any) string {
	w.t.Helper()
	r := w.call(method, params...)
	if r.Error != nil {
		w.t.Fatalf("%s: %v", method, r.Error)
	}
	var id string
	if err := json.Unmarshal(r.Result, &id); err != nil || id == "" {
		w.t.Fatalf("%s: subscription id %s", method, r.Result)
	}
	return id
}

// next returns the next notification (of any subscription).
func (w *wsClient) next() response {
	w.t.Helper()
	if len(w.queued) > 0 {
		r := w.queued[0]
		w.queued = w.queued[1:]
		return r
	}
	r, err := w.read()
	if err != nil {
		w.t.Fatalf("waiting for a notification: %v", err)
	}
	if r.Method == "" {
		w.t.Fatalf("want a notification, got %+v", r)
	}
	return r
}

// settled requires that no notification is waiting: it makes a call (its
// response follows anything the server queued before it) and checks that
// nothing came first.
func (w *wsClient) settled() {
	w.t.Helper()
	if r := w.call("system_name"); r.Error != nil {
		w.t.Fatal(r.Error)
	}
	if len(w.queued) > 0 {
		w.t.Fatalf("unexpected notification %s %s", w.queued[0].Method, w.queued[0].Params.Result)
	}
}

// waitConns waits until the server counts n open connections (a closed
// client's slot is released once the server has noticed the close).
func (e *testEnv) waitConns(t testing.TB, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.conns.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections, want %d", e.srv.conns.Load(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
