package rpc_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/metamars/mars/host/rpc"
)

// A node registers its own methods beside the Substrate ones that
// RegisterAPI adds, then serves.
func Example() {
	srv := rpc.NewServer(rpc.Config{})
	srv.Register("mars_echo", func(_ context.Context, p rpc.Params) (any, error) {
		b, err := p.Bytes(0)
		if err != nil {
			return nil, err
		}
		return rpc.Bytes(b), nil
	})
	srv.Register("mars_wipe", func(context.Context, rpc.Params) (any, error) { return true, nil }, rpc.Unsafe())
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	resp, err := http.Post("http://"+ln.Addr().String(), "application/json",
		strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"mars_echo","params":["0xCAFE"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output: {"jsonrpc":"2.0","id":1,"result":"0xcafe"}
}
