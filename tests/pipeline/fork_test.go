package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// buildOn builds (and imports on n) a block on parent with the given slot.
func buildOn(t *testing.T, n *node, parent types.Hash, slot int) *types.Block {
	t.Helper()
	ctx := context.Background()
	b, err := n.chain.NewBuilder(ctx, parent, nil)
	if err != nil {
		t.Fatal(err)
	}
	data := chain.InherentData{}
	data.SetTimestamp(1_767_225_600_000 + uint64(slot)*1000)
	if err := b.Inherents(ctx, data); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	blk, _, _, err := b.Import(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// TestForkChoiceReorgAndFinality imports two competing branches on a
// follower: the longer one wins (a reorg with the right retracted and
// enacted blocks and canonical index), finality prunes the losing branch,
// and a block on a pruned branch is refused.
func TestForkChoiceReorgAndFinality(t *testing.T) {
	ex := newExecutor(t, false)
	gen := genesisWith(t, ex, nil, 0)
	author := openNode(t, ex, "", gen)
	follower := openNode(t, ex, t.TempDir(), gen)
	g := author.chain.Genesis().Hash
	a1 := buildOn(t, author, g, 1)
	b1 := buildOn(t, author, g, 2)
	b2 := buildOn(t, author, b1.Header.Hash(), 3)

	events, unsub := follower.chain.Subscribe()
	defer unsub()
	ctx := context.Background()
	if _, best, err := follower.chain.Import(ctx, a1); err != nil || !best {
		t.Fatalf("a1: best=%v err=%v", best, err)
	}
	if _, best, err := follower.chain.Import(ctx, b1); err != nil || best {
		t.Fatalf("b1 (same height, seen second): best=%v err=%v", best, err)
	}
	if _, best, err := follower.chain.Import(ctx, b2); err != nil || !best {
		t.Fatalf("b2: best=%v err=%v", best, err)
	}
	var last chain.Event
	for i := 0; i < 3; i++ {
		last = <-events
	}
	if len(last.Retracted) != 1 || last.Retracted[0].Hash != a1.Header.Hash() ||
		len(last.Enacted) != 2 || last.Enacted[0].Hash != b1.Header.Hash() || last.Enacted[1].Hash != b2.Header.Hash() {
		t.Fatalf("reorg event: retracted %v enacted %v", last.Retracted, last.Enacted)
	}
	// The retracted block's extrinsics travel with the event (for the pool).
	if len(last.RetractedExtrinsics) != len(a1.Extrinsics) || string(last.RetractedExtrinsics[0]) != string(a1.Extrinsics[0]) {
		t.Fatalf("retracted extrinsics %d, want a1's %d", len(last.RetractedExtrinsics), len(a1.Extrinsics))
	}
	if h, _ := follower.chain.HashByNumber(1); h != b1.Header.Hash() {
		t.Fatal("canonical #1 is not b1 after the reorg")
	}
	if err := follower.chain.Finalize(b2.Header.Hash(), []byte("justification")); err != nil {
		t.Fatal(err)
	}
	if fin := follower.chain.Finalized(); fin.Hash != b2.Header.Hash() {
		t.Fatalf("finalized %v", fin)
	}
	if j, ok := follower.chain.Justification(b2.Header.Hash()); !ok || string(j) != "justification" {
		t.Fatal("justification not stored")
	}
	if _, err := follower.chain.Header(a1.Header.Hash()); !errors.Is(err, chain.ErrUnknownBlock) {
		t.Fatalf("pruned fork block still stored: %v", err)
	}
	if err := follower.chain.Finalize(a1.Header.Hash(), nil); !errors.Is(err, chain.ErrNotDescendant) {
		t.Fatalf("finalizing a pruned block: %v", err)
	}
	// A child of the pruned branch cannot be imported.
	a2 := buildOn(t, author, a1.Header.Hash(), 4)
	if _, _, err := follower.chain.Import(ctx, a2); err == nil {
		t.Fatal("block on a pruned branch imported")
	}
	// The finalized chain's state is still readable.
	if _, _, err := follower.chain.Storage(b1.Header.Hash(), []byte(":code")); err != nil {
		t.Fatalf("state of a finalized ancestor: %v", err)
	}
}

// TestRestartKeepsChain reopens a pebble-backed chain and finds the same
// best and finalized blocks.
func TestRestartKeepsChain(t *testing.T) {
	ex := newExecutor(t, false)
	gen := genesisWith(t, ex, nil, 0)
	dir := t.TempDir()
	n := openNode(t, ex, dir, gen)
	b1 := buildOn(t, n, n.chain.Genesis().Hash, 1)
	b2 := buildOn(t, n, b1.Header.Hash(), 2)
	if err := n.chain.Finalize(b1.Header.Hash(), nil); err != nil {
		t.Fatal(err)
	}
	n.kv.Close()
	m := openNode(t, ex, dir, nil)
	if m.chain.Best().Hash != b2.Header.Hash() || m.chain.Finalized().Hash != b1.Header.Hash() {
		t.Fatalf("after reopen: best %v finalized %v", m.chain.Best(), m.chain.Finalized())
	}
	if _, _, err := m.chain.Import(context.Background(), buildOn(t, followerOf(t, gen, b1, b2), b2.Header.Hash(), 3)); err != nil {
		t.Fatalf("import after reopen: %v", err)
	}
}

// followerOf is a second in-memory node that has imported blocks, used to
// author on top of them.
func followerOf(t *testing.T, gen []trie.Pair, blocks ...*types.Block) *node {
	t.Helper()
	x := openNode(t, newExecutor(t, false), "", gen)
	for _, b := range blocks {
		if _, _, err := x.chain.Import(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	return x
}
