package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRPCErrors checks the error cases of issue "Substrate tools work
// unchanged" on one running node: malformed metadata requests, unknown
// runtime APIs, unknown storage keys and block hashes, invalid chainHead
// operation ids and garbage payment queries each get the code and shape a
// Substrate node sends (host/rpc/doc.go: state errors are 4003 "Client
// error: …"; chainHead_v1 codes -32801/-32803), and after each the node
// still serves chain_getHeader.
func TestRPCErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := startNode(ctx, t, "rpcerrors", nodeOpts{basePath: t.TempDir()})
	if _, err := n.waitBlock(ctx, 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	const unknownHash = "0x0000000000000000000000000000000000000000000000000000000000000001"

	alive := func(what string) {
		t.Helper()
		if _, err := n.getHeader(ctx, ""); err != nil {
			t.Fatalf("after %s: chain_getHeader: %v", what, err)
		}
	}
	// wantErr calls method and requires a JSON-RPC error with code code and
	// a message starting with msg.
	wantErr := func(code int, msg, method string, params ...any) {
		t.Helper()
		raw, err := n.call(ctx, method, params...)
		var re *rpcError
		if !errors.As(err, &re) {
			t.Errorf("%s%v: want error %d, got result %s (err %v)", method, params, code, raw, err)
		} else {
			t.Logf("%s: error %d %q data %s", method, re.Code, re.Message, re.Data)
			if re.Code != code || !strings.HasPrefix(re.Message, msg) {
				t.Errorf("%s%v: error %d %q, want %d %q…", method, params, re.Code, re.Message, code, msg)
			}
		}
		alive(method)
	}
	// wantResult calls method and requires the JSON result want.
	wantResult := func(want, method string, params ...any) {
		t.Helper()
		raw, err := n.call(ctx, method, params...)
		if err != nil {
			t.Errorf("%s%v: %v, want result %s", method, params, err, want)
		} else if string(raw) != want {
			t.Errorf("%s%v: result %s, want %s", method, params, raw, want)
		} else {
			t.Logf("%s: result %s", method, raw)
		}
		alive(method)
	}

	// Metadata.
	wantErr(4003, "Client error", "state_call", "Metadata_metadata_at_version", "0x0f")     // truncated u32
	wantErr(4003, "Client error", "state_call", "Metadata_metadata_at_version", "0x")       // no argument
	wantErr(-32602, "Invalid params", "state_call", "Metadata_metadata_at_version", "0xzz") // not hex
	wantResult(`"0x00"`, "state_call", "Metadata_metadata_at_version", "0x63000000")        // version 99: None
	wantErr(4003, "Client error", "state_getMetadata", unknownHash)
	wantErr(-32602, "Invalid params", "state_getMetadata", "0x1234")

	// Unknown runtime API.
	wantErr(4003, "Client error", "state_call", "Foo_bar", "0x")

	// Unknown storage keys.
	key := "0x" + strings.Repeat("5a", 32)
	wantResult("null", "state_getStorage", key)
	wantResult("null", "state_getStorageHash", key)
	wantResult("null", "state_getStorageSize", key)

	// Unknown block hashes.
	wantResult("null", "chain_getHeader", unknownHash)
	wantResult("null", "chain_getBlock", unknownHash)
	wantErr(4003, "Client error", "state_getStorage", key, unknownHash)
	wantErr(4003, "Client error", "state_getRuntimeVersion", unknownHash)

	// Payment queries on garbage.
	// payment_queryInfo decodes the extrinsic on the host: 2 "Unable to
	// query dispatch info." (Substrate's DecodeError) with the decoder's
	// text in data; payment_queryFeeDetails likewise (the envelope is
	// decoded on the host before the runtime is called).
	wantErr(2, "Unable to query dispatch info.", "payment_queryInfo", "0xdeadbeef")
	wantErr(-32602, "Invalid params", "payment_queryInfo", "garbage")
	wantErr(2, "Unable to query fee details.", "payment_queryFeeDetails", "0x00")

	// chainHead_v1: bogus operation ids and an unpinned hash.
	w, err := n.dialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub, events, err := w.subscribe(ctx, "chainHead_v1_follow", false)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case raw := <-events:
		var e struct {
			Event string `json:"event"`
		}
		if json.Unmarshal(raw, &e) != nil || e.Event != "initialized" {
			t.Fatalf("first chainHead event %s", raw)
		}
	case <-ctx.Done():
		t.Fatal("no initialized event")
	}
	wsErr := func(code int, method string, params ...any) {
		t.Helper()
		raw, err := w.call(ctx, method, params...)
		var re *rpcError
		if !errors.As(err, &re) {
			t.Errorf("%s: want error %d, got %s (%v)", method, code, raw, err)
		} else {
			t.Logf("%s: error %d %q", method, re.Code, re.Message)
			if re.Code != code {
				t.Errorf("%s: error %d %q, want %d", method, re.Code, re.Message, code)
			}
		}
		alive(method)
	}
	// An unknown operation id (or follow subscription) is a no-op for
	// continue and stopOperation, as in Substrate's sc-rpc-spec-v2; -32803
	// is for an operation that exists but is not waiting for a continue.
	wsNull := func(method string, params ...any) {
		t.Helper()
		raw, err := w.call(ctx, method, params...)
		if err != nil || string(raw) != "null" {
			t.Errorf("%s%v: %s, %v; want null", method, params, raw, err)
		} else {
			t.Logf("%s: result %s", method, raw)
		}
		alive(method)
	}
	wsNull("chainHead_v1_continue", sub, "bogus-op")
	wsNull("chainHead_v1_continue", "bogus-sub", "bogus-op")
	wsNull("chainHead_v1_stopOperation", sub, "bogus-op")
	wsNull("chainHead_v1_stopOperation", "bogus-sub", "bogus-op")
	wsErr(-32801, "chainHead_v1_header", sub, unknownHash)
	wsErr(-32801, "chainHead_v1_call", sub, unknownHash, "Core_version", "0x")

	if lines := n.log.grep(reAnyPanic); len(lines) > 0 {
		t.Errorf("node crashed: %v", lines)
	}
}
