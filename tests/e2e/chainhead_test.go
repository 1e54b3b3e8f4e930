package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestChainHeadFollow follows the chain with the new JSON-RPC spec
// (chainHead_v1) on a running node: initialized with the finalized block
// and its runtime, then newBlock, bestBlockChanged and finalized events;
// a storage query and a runtime call on a pinned block answer through
// operation events; unpinning works and an unpinned hash is refused.
func TestChainHeadFollow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	n := startNode(ctx, t, "chainhead", nodeOpts{basePath: t.TempDir()})
	w, err := n.dialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub, events, err := w.subscribe(ctx, "chainHead_v1_follow", true)
	if err != nil {
		t.Fatal(err)
	}
	type event struct {
		Event                string          `json:"event"`
		FinalizedBlockHashes []string        `json:"finalizedBlockHashes"`
		FinalizedRuntime     json.RawMessage `json:"finalizedBlockRuntime"`
		BlockHash            string          `json:"blockHash"`
		OperationID          string          `json:"operationId"`
		Output               string          `json:"output"`
		Items                []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"items"`
	}
	next := func() event {
		t.Helper()
		select {
		case raw, ok := <-events:
			if !ok {
				t.Fatal("follow subscription closed")
			}
			var e event
			if err := json.Unmarshal(raw, &e); err != nil {
				t.Fatalf("event %s: %v", raw, err)
			}
			return e
		case <-ctx.Done():
			t.Fatal("no chainHead event in time")
		}
		return event{}
	}
	init := next()
	if init.Event != "initialized" || len(init.FinalizedBlockHashes) == 0 || len(init.FinalizedRuntime) < 10 {
		t.Fatalf("first event %+v", init)
	}
	seen := map[string]bool{}
	var newBlock string
	for len(seen) < 3 || newBlock == "" {
		e := next()
		seen[e.Event] = true
		if e.Event == "newBlock" && newBlock == "" {
			newBlock = e.BlockHash
		}
		if e.Event == "stop" {
			t.Fatal("follow stopped")
		}
	}
	for _, want := range []string{"newBlock", "bestBlockChanged", "finalized"} {
		if !seen[want] {
			t.Fatalf("never saw %s (saw %v)", want, seen)
		}
	}
	// Storage of :code on a pinned block, then Core_version.
	raw, err := w.call(ctx, "chainHead_v1_storage", sub, newBlock, []map[string]string{{"key": "0x3a636f6465", "type": "hash"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var started struct {
		Result      string `json:"result"`
		OperationID string `json:"operationId"`
	}
	if err := json.Unmarshal(raw, &started); err != nil || started.Result != "started" {
		t.Fatalf("storage: %s %v", raw, err)
	}
	gotItems, gotDone := false, false
	for !gotDone {
		e := next()
		if e.OperationID != started.OperationID {
			continue
		}
		switch e.Event {
		case "operationStorageItems":
			gotItems = len(e.Items) == 1 && len(e.Items[0].Key) > 0
		case "operationStorageDone":
			gotDone = true
		case "operationError", "operationInaccessible":
			t.Fatalf("storage operation: %+v", e)
		}
	}
	if !gotItems {
		t.Fatal("no storage items for :code")
	}
	raw, err = w.call(ctx, "chainHead_v1_call", sub, newBlock, "Core_version", "0x")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &started); err != nil || started.Result != "started" {
		t.Fatalf("call: %s %v", raw, err)
	}
	for {
		e := next()
		if e.OperationID != started.OperationID {
			continue
		}
		if e.Event != "operationCallDone" || len(e.Output) < 10 {
			t.Fatalf("call result %+v", e)
		}
		break
	}
	if _, err := w.call(ctx, "chainHead_v1_unpin", sub, newBlock); err != nil {
		t.Fatalf("unpin: %v", err)
	}
	if _, err := w.call(ctx, "chainHead_v1_header", sub, newBlock); err == nil {
		t.Fatal("header of an unpinned block answered")
	}
	if name, err := w.call(ctx, "chainSpec_v1_chainName"); err != nil || string(name) != `"MSC Development"` {
		t.Fatalf("chainSpec_v1_chainName = %s, %v", name, err)
	}
}
