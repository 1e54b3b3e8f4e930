package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// TestBuildAndImport builds blocks of signed transfers on one node and
// imports them on a second node with its own pebble database: the second
// node executes every block through the WASM runtime and must reach the
// same state roots.
func TestBuildAndImport(t *testing.T) {
	ex := newExecutor(t, false)
	accts := newAccounts(t, 8)
	gen := genesisWith(t, ex, accts, 1000)
	author := openNode(t, ex, t.TempDir(), gen)
	follower := openNode(t, ex, t.TempDir(), gen)
	if author.chain.Genesis() != follower.chain.Genesis() {
		t.Fatal("genesis differs")
	}
	ctx := context.Background()
	for slot := 1; slot <= 3; slot++ {
		var exts [][]byte
		for i, a := range accts {
			exts = append(exts, signTransfer(author, a, accts[(i+1)%len(accts)].kp.AccountID(), 1_000_000_000_000))
		}
		blk := buildBlock(t, author, slot, exts)
		if len(blk.Extrinsics) != len(accts)+1 {
			t.Fatalf("block has %d extrinsics", len(blk.Extrinsics))
		}
		ref, best, err := follower.chain.Import(ctx, blk)
		if err != nil {
			t.Fatalf("import #%d: %v", blk.Header.Number, err)
		}
		if !best || ref.Hash != blk.Header.Hash() {
			t.Fatalf("import #%d: best=%v", blk.Header.Number, best)
		}
	}
	if author.chain.Best() != follower.chain.Best() {
		t.Fatalf("heads differ: %v vs %v", author.chain.Best(), follower.chain.Best())
	}
	// A tampered block is refused and leaves nothing behind.
	blk := buildBlock(t, author, 4, nil)
	bad := *blk
	bad.Header.StateRoot[0] ^= 1
	if _, _, err := follower.chain.Import(ctx, &bad); !errors.Is(err, chain.ErrExecution) && !errors.Is(err, chain.ErrStateMismatch) {
		t.Fatalf("tampered block: %v", err)
	}
	if follower.chain.Best().Number != 3 {
		t.Fatal("tampered block changed the head")
	}
	if _, _, err := follower.chain.Import(ctx, blk); err != nil {
		t.Fatalf("good block after a bad one: %v", err)
	}
	if _, _, err := follower.chain.Import(ctx, blk); !errors.Is(err, chain.ErrKnownBlock) {
		t.Fatalf("re-import: %v", err)
	}
	orphan := types.Block{Header: types.Header{ParentHash: types.Hash{1}, Number: 9}}
	if _, _, err := follower.chain.Import(ctx, &orphan); !errors.Is(err, chain.ErrUnknownParent) {
		t.Fatalf("orphan: %v", err)
	}
}
