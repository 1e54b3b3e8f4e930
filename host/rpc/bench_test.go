package rpc

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/coder/websocket"
)

const benchReq = `{"jsonrpc":"2.0","id":1,"method":"system_name","params":[]}`

// BenchmarkHTTPRoundTrip: one system_name call per POST over a keep-alive
// loopback connection.
func BenchmarkHTTPRoundTrip(b *testing.B) {
	e := newEnv(b, Config{})
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Post(e.url, "application/json", bytes.NewReader([]byte(benchReq)))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkWSRoundTrip: one system_name call and its response on an open
// WebSocket.
func BenchmarkWSRoundTrip(b *testing.B) {
	e := newEnv(b, Config{})
	c, _, err := websocket.Dial(context.Background(), e.wsURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseNow()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Write(ctx, websocket.MessageText, []byte(benchReq)); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDispatch: parsing, dispatch and encoding without a transport.
func BenchmarkDispatch(b *testing.B) {
	srv := newFuzzServer(b)
	sess := &session{srv: srv}
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}`)
	b.ReportAllocs()
	for b.Loop() {
		srv.handle(context.Background(), sess, req)
	}
}
