package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/trie"
)

// TestImportWarpState installs block 3's state on a fresh node (what warp
// sync does after checking finality proofs), then imports block 4 on top by
// executing it: the state must be complete and exact. Wrong pairs are refused.
func TestImportWarpState(t *testing.T) {
	ex := newExecutor(t, false)
	gen := genesisWith(t, ex, nil, 0)
	src := openNode(t, ex, "", gen)
	parent := src.chain.Genesis().Hash
	var blocks []*chain.BlockRef
	for i := 1; i <= 4; i++ {
		b := buildOn(t, src, parent, i)
		parent = b.Header.Hash()
		blocks = append(blocks, &chain.BlockRef{Hash: parent, Number: uint32(i)})
	}
	b3, _ := src.chain.Header(blocks[2].Hash)
	b4, _ := src.chain.Block(blocks[3].Hash)
	var pairs []trie.Pair
	if err := src.chain.State().Trie(b3.StateRoot).Iterate(nil, func(k, v []byte) bool {
		pairs = append(pairs, trie.Pair{Key: append([]byte(nil), k...), Value: append([]byte(nil), v...)})
		return true
	}); err != nil {
		t.Fatal(err)
	}

	dst := openNode(t, ex, t.TempDir(), gen)
	ctx := context.Background()
	bad := append([]trie.Pair(nil), pairs[1:]...)
	if _, err := dst.chain.ImportWarpState(ctx, b3, nil, bad); !errors.Is(err, chain.ErrStateMismatch) {
		t.Fatalf("missing a key: %v", err)
	}
	ref, err := dst.chain.ImportWarpState(ctx, b3, []byte("justification"), pairs)
	if err != nil {
		t.Fatal(err)
	}
	if dst.chain.Best() != ref || dst.chain.Finalized() != ref {
		t.Fatalf("best %v finalized %v, want %v", dst.chain.Best(), dst.chain.Finalized(), ref)
	}
	if j, ok := dst.chain.Justification(ref.Hash); !ok || string(j) != "justification" {
		t.Fatalf("justification %q %v", j, ok)
	}
	if _, best, err := dst.chain.Import(ctx, b4); err != nil || !best {
		t.Fatalf("import on warp state: best=%v err=%v", best, err)
	}
	if _, err := dst.chain.ImportWarpState(ctx, b3, nil, pairs); !errors.Is(err, chain.ErrNotDescendant) {
		t.Fatalf("warp below finalized: %v", err)
	}
}
