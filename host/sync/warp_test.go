package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/runtime/types"
)

// frnkChain shows some canonical headers of a real chain with a GRANDPA
// ScheduledChange added (the test runtime emits none): those headers are
// only served inside warp proofs, where nothing links them.
type frnkChain struct {
	*chain.Chain
	changes map[uint32]frnk.Change
}

func (f frnkChain) Header(h types.Hash) (*types.Header, error) {
	hdr, err := f.Chain.Header(h)
	if err != nil {
		return nil, err
	}
	if ch, ok := f.changes[hdr.Number]; ok {
		if canon, _ := f.Chain.HashByNumber(hdr.Number); canon == h {
			cp := *hdr
			cp.Digest = append(slices.Clone(cp.Digest), ch.Encode())
			return &cp, nil
		}
	}
	return hdr, nil
}

// testJustification is what the fake GRANDPA of these tests accepts: the
// set id and the block hash.
func testJustification(setID uint64, h types.Hash) []byte {
	return append([]byte(fmt.Sprintf("J%d:", setID)), h[:]...)
}

// testWarpVerifier checks testJustification and applies FRNK changes.
func testWarpVerifier(set AuthoritySet, f wire.WarpFragment) (AuthoritySet, error) {
	if !bytes.Equal(f.Justification, testJustification(set.ID, f.Header.Hash())) {
		return set, errors.New("justification does not verify")
	}
	ch, err := frnk.ScheduledChange(&f.Header)
	if err != nil || ch == nil {
		return set, err
	}
	next := AuthoritySet{ID: set.ID + 1}
	for _, a := range ch.Authorities {
		next.Authorities = append(next.Authorities, Authority{ID: a.ID, Weight: a.Weight})
	}
	return next, nil
}

// warpSource builds a chain of 60 blocks whose #20 and #40 change the
// authority set, finalized at #50, and a server for it.
func warpSource(t *testing.T) (*chain.Chain, *Server) {
	c := newChain(t)
	extend(t, c, 60)
	fc := frnkChain{Chain: c, changes: map[uint32]frnk.Change{
		20: {Authorities: []frnk.Authority{{ID: [32]byte{20}, Weight: 1}}},
		40: {Authorities: []frnk.Authority{{ID: [32]byte{40}, Weight: 1}}},
	}}
	for set, n := range []uint32{20, 40, 50} {
		h, _ := c.HashByNumber(n)
		shown, _ := fc.Header(h)
		if err := c.Finalize(h, testJustification(uint64(set), shown.Hash())); err != nil {
			t.Fatal(err)
		}
	}
	return c, NewServer(fc, wire.RoleFull)
}

// TestWarpSync: warp proofs of two set changes and the latest finalized
// block, the state at #50, then full sync to #60. A peer that forges
// justifications is tried first and penalised.
func TestWarpSync(t *testing.T) {
	src, srv := warpSource(t)
	net := newFakeNet()
	net.add("bad", srv, wrong)
	net.add("good", srv, honest)
	c := newChain(t)
	s := startSyncer(t, Config{Chain: c, Network: net, Mode: ModeWarp, WarpVerifier: testWarpVerifier, WarpGenesisSet: AuthoritySet{ID: 0}})
	s.SetPeers(map[PeerID]wire.Status{"bad": srv.Status(), "good": srv.Status()})
	start := time.Now()
	waitFor(t, c, time.Minute, func() bool { return c.Best() == src.Best() })
	t.Logf("warp + full sync to #%d in %v", src.Best().Number, time.Since(start))
	h50, _ := src.HashByNumber(50)
	target, took, ok := s.Warped()
	if !ok || target.Hash != h50 {
		t.Fatalf("warped to %v (ok %v)", target, ok)
	}
	t.Logf("warp sync took %v", took)
	if c.Finalized().Number < 50 {
		t.Fatalf("finalized %v", c.Finalized())
	}
	if _, err := c.Body(mustHash(t, src, 10)); err == nil {
		t.Fatal("warp sync downloaded history below its target")
	}
	if net.score("bad") >= 0 {
		t.Fatal("peer with forged justifications not penalised")
	}
	// The warp-synced node cannot prove the history it skipped, and says
	// so instead of serving a proof that would not verify; from its own
	// start it can.
	own := NewServer(c, wire.RoleFull)
	if _, err := own.Warp(wire.WarpRequest{Begin: c.Genesis().Hash}); !errors.Is(err, ErrNoProof) {
		t.Fatalf("warp proof from genesis on a warp-synced node: %v", err)
	}
	if _, err := own.Warp(wire.WarpRequest{Begin: h50}); err != nil {
		t.Fatalf("warp proof from the warp target: %v", err)
	}
}

func mustHash(t *testing.T, c *chain.Chain, n uint32) types.Hash {
	h, ok := c.HashByNumber(n)
	if !ok {
		t.Fatalf("no #%d", n)
	}
	return h
}

// TestWarpStateMismatch: a peer whose proofs verify but whose state does
// not hash to the target's state root is refused and penalised.
func TestWarpStateMismatch(t *testing.T) {
	src, srv := warpSource(t)
	_ = src
	net := newFakeNet()
	net.add("p", srv, honest)
	c := newChain(t)
	cfg := Config{Chain: c, Network: stateTamperer{net}, Mode: ModeWarp, WarpVerifier: testWarpVerifier, Logger: quiet, RequestTimeout: time.Second}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.warp.pending = true
	s.peers["p"] = &peer{id: "p", best: src.Best(), ctx: t.Context(), cancel: func() {}}
	res := s.warpSync(t.Context(), "p")
	if !errors.Is(res.err, ErrBadState) {
		t.Fatalf("tampered state: %v", res.err)
	}
	s.onWarpDone(res)
	if net.score("p") >= 0 {
		t.Fatal("not penalised")
	}
	if c.Best().Number != 0 {
		t.Fatal("tampered state imported")
	}
}

// stateTamperer alters one value of every state response.
type stateTamperer struct{ *fakeNet }

func (s stateTamperer) RequestState(ctx context.Context, p PeerID, req wire.StateRequest) (wire.StateResponse, error) {
	resp, err := s.fakeNet.RequestState(ctx, p, req)
	if err == nil && len(resp.Entries) > 0 {
		e := &resp.Entries[len(resp.Entries)-1]
		e.Value = append(slices.Clone(e.Value), 1)
	}
	return resp, err
}

func TestNewConfig(t *testing.T) {
	c := newChain(t)
	if _, err := New(Config{Chain: c}); !errors.Is(err, ErrConfig) {
		t.Fatalf("no network: %v", err)
	}
	if _, err := New(Config{Chain: c, Network: newFakeNet(), Mode: ModeWarp}); !errors.Is(err, ErrConfig) {
		t.Fatalf("warp without verifier: %v", err)
	}
	if m, err := ParseMode("warp"); err != nil || m != ModeWarp {
		t.Fatal("ParseMode warp")
	}
	if _, err := ParseMode("fast"); !errors.Is(err, ErrConfig) {
		t.Fatal("ParseMode accepted fast")
	}
}
