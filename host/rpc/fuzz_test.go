package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func newFuzzServer(t testing.TB) *Server {
	chain := newFakeChain(3)
	srv := NewServer(Config{MaxBatchSize: 8, MaxResponseSize: 1 << 16})
	if err := RegisterAPI(srv, Backend{Chain: chain, State: newFakeState(chain), Pool: newFakePool(), System: fakeSystem{}}); err != nil {
		t.Fatal(err)
	}
	return srv
}

// FuzzHandle feeds arbitrary bytes to the request parser and dispatcher:
// it must never panic, and must answer valid JSON (or nothing, for
// notifications).
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"system_name"}`,
		`{"jsonrpc":"2.0","id":"x","method":"chain_getBlockHash","params":[["0x1",2,null]]}`,
		`[{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":["0x0102"]},{"jsonrpc":"2.0","method":"x"}]`,
		`{"jsonrpc":"2.0","id":1,"method":"state_getKeysPaged","params":["0x01",10,"0x0102",null]}`,
		`{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["0x0884"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"payment_queryFeeDetails","params":["0x0c040102"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"system_accountNextIndex","params":["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"]}`,
		`[]`, `[1,2]`, `{}`, `null`, `"a"`, `{"jsonrpc":"2.0","id":[],"method":"a"}`,
		`{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":{"a":1}}`,
	} {
		f.Add([]byte(s))
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		resp, activate := srv.handle(context.Background(), &session{srv: srv, deny: true}, data)
		activate()
		if resp != nil && !json.Valid(resp) {
			t.Fatalf("invalid JSON response %q for %q", resp, data)
		}
	})
}

// FuzzParamDecoders checks the hex and number readers on arbitrary text.
func FuzzParamDecoders(f *testing.F) {
	for _, s := range []string{"0x", "0x00", "0xABC", "12", "-1", `"0x1f"`, `"0x"`, "1e3", `"0xffffffffffffffffff"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := decodeHex(s); err == nil {
			if len(b)*2 != len(s)-2 && len(b)*2 != len(s) {
				t.Fatalf("decodeHex(%q) = %x", s, b)
			}
		}
		if v, err := parseNumberOrHex([]byte(s)); err == nil {
			var back uint64
			if s[0] != '"' && (json.Unmarshal([]byte(s), &back) != nil || back != v) {
				t.Fatalf("parseNumberOrHex(%q) = %d", s, v)
			}
		}
		p, perr := parseParams(json.RawMessage(s))
		if perr == nil {
			for i := 0; i < p.Len(); i++ {
				p.Bytes(i)
				p.OptHash(i)
			}
		}
	})
}

func TestHandlerFailures(t *testing.T) {
	srv := NewServer(Config{})
	srv.Register("t_panic", func(context.Context, Params) (any, error) { panic("boom") })
	srv.Register("t_custom", func(context.Context, Params) (any, error) {
		return nil, NewError(1234, "custom", map[string]int{"x": 1})
	})
	srv.Register("t_plain", func(context.Context, Params) (any, error) { return nil, errors.New("plain") })
	srv.Register("t_unencodable", func(context.Context, Params) (any, error) { return func() {}, nil })
	srv.RegisterSubscription("t_sub", "t_unsub", "t_note", func(context.Context, Params, *Sink) error { panic("sub boom") })
	for _, tc := range []struct{ method, want string }{
		{"t_panic", `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}`},
		{"t_custom", `{"jsonrpc":"2.0","id":1,"error":{"code":1234,"message":"custom","data":{"x":1}}}`},
		{"t_plain", `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"plain"}}`},
		{"t_unencodable", `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}`},
	} {
		resp, _ := srv.handle(context.Background(), &session{srv: srv}, []byte(`{"jsonrpc":"2.0","id":1,"method":"`+tc.method+`"}`))
		if string(resp) != tc.want {
			t.Errorf("%s: %s, want %s", tc.method, resp, tc.want)
		}
	}
	e := serveEnv(t, srv, nil, nil, nil)
	w := e.dial(t)
	if r := w.call("t_sub"); r.Error == nil || r.Error.Code != CodeInternalError {
		t.Errorf("panicking subscription: %+v", r)
	}
	if r := w.call("t_custom"); r.Error == nil || r.Error.Code != 1234 {
		t.Errorf("connection unusable after a panic: %+v", r)
	}
}

// A slow call does not hold up the other calls of its connection, and the
// per-connection bound on concurrent calls applies.
func TestConcurrentCalls(t *testing.T) {
	srv := NewServer(Config{MaxConcurrentCalls: 2})
	release := make(chan struct{})
	srv.Register("t_slow", func(ctx context.Context, _ Params) (any, error) {
		select {
		case <-release:
			return "slow", nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	srv.Register("t_fast", func(context.Context, Params) (any, error) { return "fast", nil })
	e := serveEnv(t, srv, nil, nil, nil)
	w := e.dial(t)
	w.send(`{"jsonrpc":"2.0","id":1,"method":"t_slow"}`)
	w.send(`{"jsonrpc":"2.0","id":2,"method":"t_fast"}`)
	if r, err := w.read(); err != nil || string(r.ID) != "2" || string(r.Result) != `"fast"` {
		t.Fatalf("first answer: %+v %v", r, err)
	}
	close(release)
	if r, err := w.read(); err != nil || string(r.ID) != "1" || string(r.Result) != `"slow"` {
		t.Fatalf("second answer: %+v %v", r, err)
	}
}
