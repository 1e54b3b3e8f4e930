package pipeline

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/metamars/mars/host/chain"
)

// TestImportRefusesBadSignature: Core_execute_block defers its extrinsics'
// signature checks to the host's batch (on other cores) and takes the
// verdict at the end of the block: a block with one bad signature among
// good ones is still refused, as a bad signature, and leaves nothing behind.
func TestImportRefusesBadSignature(t *testing.T) {
	ex := newExecutor(t, false)
	accts := newAccounts(t, 8)
	gen := genesisWith(t, ex, accts, 1000)
	author := openNode(t, ex, t.TempDir(), gen)
	follower := openNode(t, ex, t.TempDir(), gen)
	var exts [][]byte
	for i, a := range accts {
		exts = append(exts, signTransfer(author, a, accts[(i+1)%len(accts)].kp.AccountID(), 1_000_000_000_000))
	}
	blk := buildBlock(t, author, 1, exts)
	bad := *blk
	bad.Extrinsics = append([][]byte(nil), blk.Extrinsics...)
	x := append([]byte(nil), bad.Extrinsics[4]...)
	signer := accts[3].kp.AccountID()
	at := bytes.Index(x, signer[:])
	if at < 0 {
		t.Fatal("signer not found in the extrinsic")
	}
	x[at+32+1+10] ^= 1 // a byte of the signature (after the MultiSignature kind)
	bad.Extrinsics[4] = x
	_, _, err := follower.chain.Import(context.Background(), &bad)
	if err == nil || !strings.Contains(err.Error(), "bad signature") {
		t.Fatalf("block with a bad signature: %v", err)
	}
	if follower.chain.Best().Number != 0 {
		t.Fatal("refused block changed the head")
	}
	if _, _, err := follower.chain.Import(context.Background(), blk); err != nil {
		t.Fatalf("good block after the bad one: %v", err)
	}
	_ = chain.ErrExecution
}
