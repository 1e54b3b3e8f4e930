package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/metamars/mars/consensus/manual"
	"github.com/metamars/mars/runtime/types"
)

// listPool is a fixed list of transactions offered to the author.
type listPool struct {
	txs     []manual.Tx
	refused []types.Hash
}

func (p *listPool) Ready() []manual.Tx { return p.txs }
func (p *listPool) Refused(h []types.Hash, _ []error) {
	p.refused = append(p.refused, h...)
}

// TestManualAuthor drives the dev author step by step with a clock that
// stalls and steps back: blocks still get increasing timestamps, valid
// transactions are included, an invalid one is reported back and left out,
// and every block is finalized.
func TestManualAuthor(t *testing.T) {
	ex := newExecutor(t, false)
	accts := newAccounts(t, 3)
	n := openNode(t, ex, "", genesisWith(t, ex, accts, 10))
	good := signTransfer(n, accts[0], accts[1].kp.AccountID(), 1_000_000_000)
	stale := signTransfer(n, accts[2], accts[1].kp.AccountID(), 1_000_000_000)
	accts[2].nonce = 0
	stale2 := signTransfer(n, accts[2], accts[1].kp.AccountID(), 2_000_000_000) // same nonce as stale
	pool := &listPool{txs: []manual.Tx{
		{Hash: types.Blake2b256(good), Ext: good},
		{Hash: types.Blake2b256(stale), Ext: stale},
		{Hash: types.Blake2b256(stale2), Ext: stale2},
	}}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := manual.New(n.chain, pool, manual.Config{BlockTime: time.Second, Finalize: true, Now: func() time.Time { return clock }, Logger: quietLogger})
	blk, err := a.Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(blk.Extrinsics) != 3 { // timestamp, good, stale (first of the nonce)
		t.Fatalf("block 1 has %d extrinsics", len(blk.Extrinsics))
	}
	if len(pool.refused) != 1 || pool.refused[0] != types.Blake2b256(stale2) {
		t.Fatalf("refused %v", pool.refused)
	}
	// The clock steps back: the next block must still be authored.
	clock = clock.Add(-time.Hour)
	pool.txs = nil
	if _, err := a.Step(context.Background()); err != nil {
		t.Fatalf("block after the clock stepped back: %v", err)
	}
	if n.chain.Finalized() != n.chain.Best() || n.chain.Best().Number != 2 {
		t.Fatalf("best %v finalized %v", n.chain.Best(), n.chain.Finalized())
	}
}
