package sync

import (
	"context"
	"errors"
	stdsync "sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

const sourceBlocks = 520

var source struct {
	once stdsync.Once
	c    *chain.Chain
}

// sourceChain is a chain of sourceBlocks empty blocks, built once and only
// read afterwards (servers serve from it).
func sourceChain(t testing.TB) *chain.Chain {
	source.once.Do(func() {
		c := newChainNoCleanup(t)
		extend(t, c, sourceBlocks)
		source.c = c
	})
	if source.c == nil {
		t.Fatal("source chain not built")
	}
	return source.c
}

// TestFullSyncWithBadPeers syncs 520 blocks from four peers of which only
// one is honest: one sends garbage, one alters a block of every range, one
// never answers. The chain ends identical to the source and each bad peer
// is penalised.
func TestFullSyncWithBadPeers(t *testing.T) {
	src := sourceChain(t)
	srv := NewServer(src, wire.RoleFull)
	net := newFakeNet()
	net.add("good", srv, honest)
	net.add("garbage", srv, garbage)
	net.add("wrong", srv, wrong)
	net.add("silent", srv, silent)
	net.holdUntil(4)
	c := newChain(t)
	s := startSyncer(t, Config{Chain: c, Network: net, BlocksPerRequest: 64})
	s.SetPeers(map[PeerID]wire.Status{"wrong": srv.Status(), "garbage": srv.Status(), "silent": srv.Status(), "good": srv.Status()})
	target := src.Best()
	start := time.Now()
	waitFor(t, c, 3*time.Minute, func() bool { return c.Best().Number >= target.Number })
	t.Logf("synced %d blocks in %v", target.Number, time.Since(start))
	if c.Best() != target {
		t.Fatalf("best %v, want %v", c.Best(), target)
	}
	for _, id := range []PeerID{"garbage", "wrong", "silent"} {
		if net.score(id) >= 0 {
			t.Errorf("peer %s not penalised (score %d)", id, net.score(id))
		}
	}
	if got := net.score("good"); got != 0 {
		t.Errorf("honest peer penalised: %d (%v)", got, net.reasons)
	}
	if st, cur, high := s.Status(); st != 0 || cur != target.Number || high != target.Number {
		t.Errorf("status (%d, %d, %d)", st, cur, high)
	}
}

// TestFullSyncParallel syncs from three honest peers and checks the ranges
// were spread over all of them.
func TestFullSyncParallel(t *testing.T) {
	src := sourceChain(t)
	srv := NewServer(src, wire.RoleFull)
	net := newFakeNet()
	net.holdUntil(3)
	c := newChain(t)
	s := startSyncer(t, Config{Chain: c, Network: net, BlocksPerRequest: 32, RequestTimeout: 20 * time.Second})
	for _, id := range []PeerID{"a", "b", "c"} {
		net.add(id, srv, honest)
		s.AddPeer(id, srv.Status())
	}
	waitFor(t, c, 3*time.Minute, func() bool { return c.Best() == src.Best() })
	for _, id := range []PeerID{"a", "b", "c"} {
		ranges := 0
		for _, r := range net.requests(id) {
			if r.Max > 1 {
				ranges++
			}
		}
		if ranges == 0 {
			t.Errorf("peer %s served no range", id)
		}
	}
}

// TestForkSync: our chain has its own blocks 31..40 on a common 1..30; the
// peer's chain is 1..60. The common ancestor (30) is found and the peer's
// fork is downloaded and becomes best.
func TestForkSync(t *testing.T) {
	src := sourceChain(t)
	c := newChain(t)
	ctx := context.Background()
	for n := uint32(1); n <= 30; n++ {
		importCanonical(t, src, c, n)
	}
	for i := 0; i < 10; i++ {
		build(t, c, c.Best().Hash, 5000+i, nil) // other timestamps: other blocks
	}
	ours31, _ := c.HashByNumber(31)
	theirs31, _ := src.HashByNumber(31)
	if ours31 == theirs31 || c.Best().Number != 40 {
		t.Fatal("fixture: no fork")
	}
	peerChain := newChain(t)
	for n := uint32(1); n <= 60; n++ {
		importCanonical(t, src, peerChain, n)
	}
	_ = ctx
	srv := NewServer(peerChain, wire.RoleFull)
	net := newFakeNet()
	net.add("p", srv, honest)
	s := startSyncer(t, Config{Chain: c, Network: net, BlocksPerRequest: 16})
	s.AddPeer("p", srv.Status())
	waitFor(t, c, time.Minute, func() bool { return c.Best() == peerChain.Best() })
	if h, _ := c.HashByNumber(31); h != theirs31 {
		t.Fatal("canonical #31 is not the peer's after the reorg")
	}
	// The ancestor was found by a binary search of single headers, and
	// nothing below it was downloaded.
	probes := 0
	for _, r := range net.requests("p") {
		if r.Max > 1 && r.FromNumber < 31 {
			t.Fatalf("downloaded blocks below the common ancestor: %+v", r)
		}
		if r.Max == 1 {
			probes++
		}
	}
	if probes == 0 || probes > 8 {
		t.Fatalf("%d probes to find the ancestor at #30 of 40", probes)
	}
}

// importCanonical imports src's canonical block n into c.
func importCanonical(t testing.TB, src, c *chain.Chain, n uint32) *types.Block {
	t.Helper()
	h, ok := src.HashByNumber(n)
	if !ok {
		t.Fatalf("source has no #%d", n)
	}
	b, err := src.Block(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Import(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAnnounceImportsAtOnce: an announced block whose parent we hold is
// fetched by hash with one request and imported; a peer announcing a block
// it cannot serve is penalised.
func TestAnnounceImportsAtOnce(t *testing.T) {
	src := sourceChain(t)
	c := newChain(t)
	for n := uint32(1); n <= 10; n++ {
		importCanonical(t, src, c, n)
	}
	srv := NewServer(src, wire.RoleFull)
	net := newFakeNet()
	net.add("p", srv, honest)
	net.add("liar", NewServer(c, wire.RoleFull), honest)
	s := startSyncer(t, Config{Chain: c, Network: net})
	s.AddPeer("p", NewServer(c, wire.RoleFull).Status()) // at our best: nothing to sync
	s.AddPeer("liar", NewServer(c, wire.RoleFull).Status())
	h11, _ := src.HashByNumber(11)
	hdr, _ := src.Header(h11)
	s.Announce("p", wire.BlockAnnounce{Header: *hdr, IsBest: true})
	waitFor(t, c, 30*time.Second, func() bool { return c.Best().Hash == h11 })
	reqs := net.requests("p")
	if len(reqs) != 1 || !reqs[0].ByHash || reqs[0].FromHash != h11 || reqs[0].Max != 1 {
		t.Fatalf("announce path requests: %+v", reqs)
	}

	// liar announces #12 but serves from a chain that lacks it.
	h12, _ := src.HashByNumber(12)
	hdr12, _ := src.Header(h12)
	s.Announce("liar", wire.BlockAnnounce{Header: *hdr12, IsBest: true})
	net.waitScore(t, "liar", 30*time.Second)
	s.Announce("p", wire.BlockAnnounce{Header: *hdr12, IsBest: true})
	waitFor(t, c, 30*time.Second, func() bool { return c.Best().Hash == h12 })

	// Two announcements in a row: the second waits for the first, and
	// both come by hash, without a range sync.
	before := len(net.requests("p"))
	h13, h14 := mustHash(t, src, 13), mustHash(t, src, 14)
	hdr13, _ := src.Header(h13)
	hdr14, _ := src.Header(h14)
	s.Announce("p", wire.BlockAnnounce{Header: *hdr13, IsBest: true})
	s.Announce("p", wire.BlockAnnounce{Header: *hdr14, IsBest: true})
	waitFor(t, c, 30*time.Second, func() bool { return c.Best().Hash == h14 })
	for _, r := range net.requests("p")[before:] {
		if !r.ByHash || r.Max != 1 {
			t.Fatalf("request outside the announce path: %+v", r)
		}
	}
}

// TestAnnounceUnknownParentSyncs: an announcement far ahead starts a range
// sync to it.
func TestAnnounceUnknownParentSyncs(t *testing.T) {
	src := sourceChain(t)
	c := newChain(t)
	srv := NewServer(src, wire.RoleFull)
	net := newFakeNet()
	net.add("p", srv, honest)
	s := startSyncer(t, Config{Chain: c, Network: net})
	s.AddPeer("p", NewServer(c, wire.RoleFull).Status())
	h, _ := src.HashByNumber(40)
	hdr, _ := src.Header(h)
	s.Announce("p", wire.BlockAnnounce{Header: *hdr, IsBest: true})
	waitFor(t, c, time.Minute, func() bool { return c.Best().Number >= 40 })
	if got, _ := c.HashByNumber(40); got != h {
		t.Fatal("synced to another #40")
	}
}

// TestFullSyncJustifications: justifications that come with downloaded
// blocks are verified and finalize them; a peer that forges them is
// penalised and its blocks still import.
func TestFullSyncJustifications(t *testing.T) {
	src := newChain(t)
	extend(t, src, 30)
	for _, n := range []uint32{10, 25} {
		h := mustHash(t, src, n)
		if err := src.Finalize(h, testJustification(0, h)); err != nil {
			t.Fatal(err)
		}
	}
	verify := func(h types.Hash, n uint32, j []byte) error {
		if string(j) != string(testJustification(0, h)) {
			return errors.New("bad justification")
		}
		return nil
	}
	for _, mode := range []behaviour{honest, forger} {
		srv := NewServer(src, wire.RoleFull)
		net := newFakeNet()
		net.add("p", srv, mode)
		c := newChain(t)
		s := startSyncer(t, Config{Chain: c, Network: net, VerifyJustification: verify})
		s.AddPeer("p", srv.Status())
		waitFor(t, c, time.Minute, func() bool { return c.Best() == src.Best() })
		if mode == honest {
			waitFor(t, c, time.Minute, func() bool { return c.Finalized().Number == 25 })
			if j, ok := c.Justification(mustHash(t, src, 25)); !ok || string(j) != string(testJustification(0, mustHash(t, src, 25))) {
				t.Fatal("justification not stored")
			}
			continue
		}
		net.waitScore(t, "p", time.Minute)
		if c.Finalized().Number != 0 {
			t.Fatal("forged justification finalized a block")
		}
	}
}
