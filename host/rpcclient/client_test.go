package rpcclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeNode answers a few methods the way host/rpc does, over HTTP POST and
// WebSocket. author_submitAndWatchExtrinsic sends its first notification
// BEFORE the response carrying the subscription id, to check that the
// client keeps early notifications.
type fakeNode struct{ t *testing.T }

func (f *fakeNode) answer(req map[string]json.RawMessage) (result any, rpcErr map[string]any) {
	var method string
	_ = json.Unmarshal(req["method"], &method)
	var params []json.RawMessage
	_ = json.Unmarshal(req["params"], &params)
	switch method {
	case "chain_getBlockHash":
		return "0x" + strings.Repeat("ab", 32), nil
	case "chain_getHeader":
		return map[string]any{"parentHash": "0x" + strings.Repeat("00", 32), "number": "0x1a",
			"stateRoot": "0x" + strings.Repeat("11", 32), "extrinsicsRoot": "0x" + strings.Repeat("22", 32),
			"digest": map[string]any{"logs": []string{}}}, nil
	case "state_getStorage":
		if string(params[0]) == `"0x01"` {
			return "0xdeadbeef", nil
		}
		return nil, nil
	case "system_accountNextIndex":
		return 7, nil
	case "author_submitExtrinsic":
		return nil, map[string]any{"code": 1010, "message": "Invalid Transaction", "data": "Transaction has a bad signature"}
	case "author_unwatchExtrinsic":
		return true, nil
	}
	return nil, map[string]any{"code": -32601, "message": "Method not found"}
}

func response(id json.RawMessage, result any, rpcErr map[string]any) []byte {
	m := map[string]any{"jsonrpc": "2.0", "id": id}
	if rpcErr != nil {
		m["error"] = rpcErr
	} else {
		m["result"] = result
	}
	b, _ := json.Marshal(m)
	return b
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		var req map[string]json.RawMessage
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		res, e := f.answer(req)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(response(req["id"], res, e))
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := r.Context()
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		var req map[string]json.RawMessage
		if json.Unmarshal(data, &req) != nil {
			return
		}
		var method string
		_ = json.Unmarshal(req["method"], &method)
		if method == "author_submitAndWatchExtrinsic" {
			notif := func(r string) []byte {
				return []byte(`{"jsonrpc":"2.0","method":"author_extrinsicUpdate","params":{"subscription":"sub-1","result":` + r + `}}`)
			}
			_ = c.Write(ctx, websocket.MessageText, notif(`"ready"`))
			_ = c.Write(ctx, websocket.MessageText, response(req["id"], "sub-1", nil))
			_ = c.Write(ctx, websocket.MessageText, notif(`{"inBlock":"0x`+strings.Repeat("cd", 32)+`"}`))
			_ = c.Write(ctx, websocket.MessageText, notif(`{"finalized":"0x`+strings.Repeat("cd", 32)+`"}`))
			continue
		}
		res, e := f.answer(req)
		_ = c.Write(ctx, websocket.MessageText, response(req["id"], res, e))
	}
}

func dialBoth(t *testing.T) map[string]*Client {
	t.Helper()
	srv := httptest.NewServer(&fakeNode{t: t})
	t.Cleanup(srv.Close)
	ctx := context.Background()
	out := map[string]*Client{}
	for name, u := range map[string]string{"http": srv.URL, "ws": "ws" + strings.TrimPrefix(srv.URL, "http")} {
		c, err := Dial(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		out[name] = c
	}
	return out
}

func TestCalls(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, c := range dialBoth(t) {
		t.Run(name, func(t *testing.T) {
			h, err := c.BlockHash(ctx, 0)
			if err != nil || h.Hex() != "0x"+strings.Repeat("ab", 32) {
				t.Fatalf("BlockHash = %v, %v", h, err)
			}
			hdr, err := c.Header(ctx, &h)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := hdr.BlockNumber(); err != nil || n != 26 {
				t.Fatalf("number = %d, %v", n, err)
			}
			v, found, err := c.Storage(ctx, []byte{1}, nil)
			if err != nil || !found || string(v) != "\xde\xad\xbe\xef" {
				t.Fatalf("Storage = %x %v %v", v, found, err)
			}
			if _, found, err = c.Storage(ctx, []byte{2}, &h); err != nil || found {
				t.Fatalf("missing Storage = %v %v", found, err)
			}
			if n, err := c.AccountNextIndex(ctx, "5Grw"); err != nil || n != 7 {
				t.Fatalf("AccountNextIndex = %d, %v", n, err)
			}
			_, err = c.SubmitExtrinsic(ctx, []byte{1, 2})
			var rpcErr *Error
			if !errors.As(err, &rpcErr) || rpcErr.Code != 1010 || rpcErr.DataString() != "Transaction has a bad signature" {
				t.Fatalf("SubmitExtrinsic error = %v", err)
			}
			if !strings.Contains(err.Error(), "1010") || !strings.Contains(err.Error(), "bad signature") {
				t.Fatalf("error text %q", err)
			}
			err = c.Call(ctx, nil, "nope")
			if !errors.As(err, &rpcErr) || rpcErr.Code != -32601 {
				t.Fatalf("unknown method error = %v", err)
			}
		})
	}
}

func TestSubscription(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cs := dialBoth(t)
	if _, err := cs["http"].SubmitAndWatch(ctx, []byte{1}); !errors.Is(err, ErrNoSubscriptions) {
		t.Fatalf("HTTP subscribe: %v", err)
	}
	w, err := cs["ws"].SubmitAndWatch(ctx, []byte{1})
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != "sub-1" {
		t.Fatalf("id %q", w.ID())
	}
	var got []string
	for {
		st, err := w.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, st.Kind)
		if st.Kind == "inBlock" && st.Hash[0] != 0xcd {
			t.Fatalf("inBlock hash %v", st.Hash)
		}
		if st.Final() {
			break
		}
	}
	if strings.Join(got, ",") != "ready,inBlock,finalized" {
		t.Fatalf("statuses %v", got)
	}
	if err := w.Unsubscribe(ctx); err != nil {
		t.Fatal(err)
	}
	// The connection still serves calls; after Close they fail.
	if _, err := cs["ws"].BlockHash(ctx, 0); err != nil {
		t.Fatal(err)
	}
	cs["ws"].Close()
	if _, err := cs["ws"].BlockHash(ctx, 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

func TestDialBadURL(t *testing.T) {
	if _, err := Dial(context.Background(), "ftp://x"); !errors.Is(err, ErrBadURL) {
		t.Fatalf("err = %v", err)
	}
}
