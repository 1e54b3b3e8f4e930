package pipeline

import (
	"context"
	"testing"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// TestNativeEqualsWasm executes blocks built through the WASM runtime again
// natively (the runtime's Go code over the native host, on the same state
// store) and requires the same state roots; then imports them under wazero's
// interpreter and requires the same again.
func TestNativeEqualsWasm(t *testing.T) {
	ex := newExecutor(t, false)
	accts := newAccounts(t, 6)
	gen := genesisWith(t, ex, accts, 1000)
	author := openNode(t, ex, "", gen)
	var blocks []*types.Block
	for slot := 1; slot <= 3; slot++ {
		var exts [][]byte
		for i, a := range accts {
			exts = append(exts, signTransfer(author, a, accts[(i+2)%len(accts)].kp.AccountID(), uint64(slot)*1_000_000_000))
		}
		blocks = append(blocks, buildBlock(t, author, slot, exts))
	}

	// Native: execute each block over an overlay of its parent's state.
	for _, blk := range blocks {
		parent, err := author.chain.Header(blk.Header.ParentHash)
		if err != nil {
			t.Fatal(err)
		}
		ov := author.chain.State().NewOverlay(parent.StateRoot)
		host := executor.NewNativeHost(ov, uint8(relay.Version().StateVersion()))
		if _, err := relay.Dispatch(host, "Core_execute_block", scale.Encode(blk)); err != nil {
			t.Fatalf("native execute #%d: %v", blk.Header.Number, err)
		}
		root, err := ov.Root(uint8(relay.Version().StateVersion()))
		if err != nil {
			t.Fatal(err)
		}
		if types.Hash(root) != blk.Header.StateRoot {
			t.Fatalf("#%d: native root %s, wasm root %s", blk.Header.Number, types.Hash(root), blk.Header.StateRoot)
		}
	}

	// Interpreter: a fresh node imports the compiler-built blocks.
	interp := openNode(t, newExecutor(t, true), "", gen)
	for _, blk := range blocks {
		if _, _, err := interp.chain.Import(context.Background(), blk); err != nil {
			t.Fatalf("interpreter import #%d: %v", blk.Header.Number, err)
		}
	}
	if interp.chain.Best().Hash != author.chain.Best().Hash {
		t.Fatal("interpreter head differs")
	}
}
