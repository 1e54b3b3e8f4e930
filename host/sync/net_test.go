package sync

import (
	"context"
	"fmt"
	stdsync "sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
)

// behaviour is how a fake peer answers.
type behaviour uint8

const (
	honest  behaviour = iota
	garbage           // undecodable bytes
	wrong             // the last block of each multi-block response altered (rehashed, so it links)
	silent            // never answers
	forger            // replaces every justification
)

type fakePeer struct {
	srv  *Server
	mode behaviour
}

// fakeNet is an in-memory network: every message goes through its wire
// encoding and decoder, as over a real stream, and it charges peers for
// undecodable responses and timeouts as host/network does.
type fakeNet struct {
	mu            stdsync.Mutex
	peers         map[PeerID]*fakePeer
	reports       map[PeerID]int
	reasons       []string
	blockRequests map[PeerID][]wire.BlockRequest

	// gate, when set, holds every range response until that many distinct
	// peers have asked for a range: the in-memory peers answer so fast that
	// otherwise the first one could serve everything before the others are
	// even asked.
	reported chan struct{} // signalled on every Report

	gate     int
	gateOpen chan struct{}
	askers   map[PeerID]bool
}

// holdUntil sets the gate (before the syncer starts).
func (n *fakeNet) holdUntil(peers int) {
	n.gate, n.gateOpen, n.askers = peers, make(chan struct{}), map[PeerID]bool{}
}

func newFakeNet() *fakeNet {
	return &fakeNet{peers: map[PeerID]*fakePeer{}, reports: map[PeerID]int{}, blockRequests: map[PeerID][]wire.BlockRequest{},
		reported: make(chan struct{}, 1)}
}

func (n *fakeNet) add(id PeerID, srv *Server, mode behaviour) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.peers[id] = &fakePeer{srv: srv, mode: mode}
}

func (n *fakeNet) Report(p PeerID, delta int, reason string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reports[p] += delta
	n.reasons = append(n.reasons, fmt.Sprintf("%s %d %s", p, delta, reason))
	select {
	case n.reported <- struct{}{}:
	default:
	}
}

// waitScore waits until peer p's score is negative, or the limit passes.
func (n *fakeNet) waitScore(t testing.TB, p PeerID, limit time.Duration) {
	t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for n.score(p) >= 0 {
		select {
		case <-n.reported:
		case <-deadline.C:
			t.Fatalf("peer %s not penalised within %v", p, limit)
		}
	}
}

func (n *fakeNet) score(p PeerID) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.reports[p]
}

func (n *fakeNet) requests(p PeerID) []wire.BlockRequest {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]wire.BlockRequest(nil), n.blockRequests[p]...)
}

var garbageBytes = []byte{0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03}

// exchange runs one request against peer p: the request and the response
// both cross their encodings.
func exchange[Req, Resp any](ctx context.Context, n *fakeNet, p PeerID, req Req,
	encReq func(Req) []byte, decReq func([]byte) (Req, error),
	serve func(*Server, Req) (Resp, error), tamper func(*Resp),
	encResp func(Resp) []byte, decResp func([]byte) (Resp, error)) (Resp, error) {
	var zero Resp
	n.mu.Lock()
	fp := n.peers[p]
	n.mu.Unlock()
	if fp == nil {
		return zero, fmt.Errorf("fakenet: no peer %s", p)
	}
	r, err := decReq(encReq(req))
	if err != nil {
		return zero, err
	}
	var raw []byte
	switch fp.mode {
	case silent:
		<-ctx.Done()
		n.Report(p, -10, "timeout")
		return zero, ctx.Err()
	case garbage:
		raw = garbageBytes
	default:
		resp, err := serve(fp.srv, r)
		if err != nil {
			return zero, fmt.Errorf("fakenet: refused: %w", err)
		}
		if fp.mode == wrong && tamper != nil {
			tamper(&resp)
		}
		if fp.mode == forger {
			if br, ok := any(&resp).(*wire.BlockResponse); ok {
				for i := range br.Blocks {
					if br.Blocks[i].HasJustification {
						br.Blocks[i].Justification = []byte("forged")
					}
				}
			}
		}
		raw = encResp(resp)
	}
	out, err := decResp(raw)
	if err != nil {
		n.Report(p, -100, "malformed response")
		return zero, err
	}
	return out, nil
}

func (n *fakeNet) RequestBlocks(ctx context.Context, p PeerID, req wire.BlockRequest) (wire.BlockResponse, error) {
	n.mu.Lock()
	n.blockRequests[p] = append(n.blockRequests[p], req)
	gate := n.gateOpen
	if gate != nil && req.Max > 1 && !n.askers[p] {
		n.askers[p] = true
		if len(n.askers) == n.gate {
			close(n.gateOpen)
		}
	}
	n.mu.Unlock()
	if gate != nil && req.Max > 1 {
		select {
		case <-gate:
		case <-ctx.Done():
			return wire.BlockResponse{}, ctx.Err()
		}
	}
	return exchange(ctx, n, p, req,
		func(r wire.BlockRequest) []byte { return wire.Encode(r) }, wire.DecodeBlockRequest,
		(*Server).Blocks, tamperBlocks,
		func(r wire.BlockResponse) []byte { return wire.Encode(r) }, wire.DecodeBlockResponse)
}

func (n *fakeNet) RequestState(ctx context.Context, p PeerID, req wire.StateRequest) (wire.StateResponse, error) {
	return exchange(ctx, n, p, req,
		func(r wire.StateRequest) []byte { return wire.Encode(r) }, wire.DecodeStateRequest,
		(*Server).State, func(r *wire.StateResponse) {
			if len(r.Entries) > 0 {
				r.Entries[len(r.Entries)-1].Value = append([]byte("x"), r.Entries[len(r.Entries)-1].Value...)
			}
		},
		func(r wire.StateResponse) []byte { return wire.Encode(r) }, wire.DecodeStateResponse)
}

func (n *fakeNet) RequestWarp(ctx context.Context, p PeerID, req wire.WarpRequest) (wire.WarpResponse, error) {
	return exchange(ctx, n, p, req,
		func(r wire.WarpRequest) []byte { return wire.Encode(r) }, wire.DecodeWarpRequest,
		(*Server).Warp, func(r *wire.WarpResponse) {
			for i := range r.Fragments {
				r.Fragments[i].Justification = []byte("forged")
			}
		},
		func(r wire.WarpResponse) []byte { return wire.Encode(r) }, wire.DecodeWarpResponse)
}

// tamperBlocks alters the state root of the last block of a multi-block
// response and rehashes it: the response stays consistent, the block fails
// execution.
func tamperBlocks(r *wire.BlockResponse) {
	if len(r.Blocks) < 2 {
		return
	}
	last := &r.Blocks[len(r.Blocks)-1]
	if last.Header == nil {
		return
	}
	hdr := *last.Header
	hdr.StateRoot[0] ^= 0xff
	last.Header = &hdr
	last.Hash = hdr.Hash()
}

// startSyncer runs a Syncer for c over n until the test ends.
func startSyncer(t testing.TB, cfg Config) *Syncer {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 300 * time.Millisecond
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return s
}

// waitFor waits (on chain events, with a deadline) until cond holds on c.
func waitFor(t testing.TB, c *chain.Chain, limit time.Duration, cond func() bool) {
	t.Helper()
	events, unsub := c.Subscribe()
	defer unsub()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for !cond() {
		select {
		case _, ok := <-events:
			if !ok {
				events, unsub = c.Subscribe()
				defer unsub()
			}
		case <-deadline.C:
			t.Fatalf("condition not met within %v (best #%d)", limit, c.Best().Number)
		}
	}
}

// statusOf returns the handshake of a chain.
func statusOf(c *chain.Chain) wire.Status {
	return NewServer(c, wire.RoleFull).Status()
}
