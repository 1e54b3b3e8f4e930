package network

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

var (
	genesisA = types.Hash{0xaa}
	genesisB = types.Hash{0xbb}
)

// pair builds two engines on one memNet, connected, with handshakes done.
func pair(t *testing.T) (m *memNet, a, b *engine, ba, bb *fakeBackend) {
	t.Helper()
	m = newMemNet()
	ba, bb = newFakeBackend(genesisA, 5), newFakeBackend(genesisA, 300)
	_, a = newMemEngine(m, "A", genesisA, ba)
	_, b = newMemEngine(m, "B", genesisA, bb)
	t.Cleanup(func() { a.close(); b.close() })
	m.connect("A", "B")
	eventually(t, "handshakes", func() bool { return len(a.peerInfos()) == 1 && len(b.peerInfos()) == 1 })
	return
}

func TestHandshakeAndPeers(t *testing.T) {
	_, a, b, _, bb := pair(t)
	pa := a.peerInfos()[0]
	st := bb.Status()
	if pa.ID != "B" || pa.BestNumber != st.BestNumber || pa.BestHash != st.BestHash || pa.Roles != wire.RoleFull || pa.Addr != "/memory/B" {
		t.Fatalf("A sees %+v, want B at %d", pa, st.BestNumber)
	}
	if pb := b.peerInfos()[0]; pb.ID != "A" || pb.BestNumber != 4 {
		t.Fatalf("B sees %+v", pb)
	}
}

func TestAnnounceUpdatesStatus(t *testing.T) {
	_, a, b, _, _ := pair(t)
	h := types.Header{Number: 1000, StateRoot: types.Hash{7}}
	a.announceBlock(h, true)
	select {
	case got := <-b.announces:
		if got.Peer != "A" || got.Msg.Header.Hash() != h.Hash() || !got.Msg.IsBest {
			t.Fatalf("announce = %+v", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no announce")
	}
	if p := b.peerInfos()[0]; p.BestNumber != 1000 || p.BestHash != h.Hash() {
		t.Fatalf("status not updated: %+v", p)
	}
	// A non-best announce is delivered but leaves the best block alone.
	a.announceBlock(types.Header{Number: 1001}, false)
	got := <-b.announces
	if got.Msg.IsBest || got.Msg.Header.Number != 1001 {
		t.Fatalf("announce = %+v", got)
	}
	if p := b.peerInfos()[0]; p.BestNumber != 1000 {
		t.Fatalf("non-best announce moved best to %d", p.BestNumber)
	}
}

func TestAnnouncesDropWhenConsumerLags(t *testing.T) {
	_, a, b, _, _ := pair(t)
	for i := 0; i < announceQueue+10; i++ {
		a.announceBlock(types.Header{Number: uint32(i)}, false)
		if i%100 == 99 {
			// Let the per-peer send queue drain so drops happen at the consumer.
			eventually(t, "delivery", func() bool { return len(b.announces)+int(b.announcesDropped.Load()) >= i+1 })
		}
	}
	eventually(t, "drops", func() bool { return b.announcesDropped.Load() == 10 })
	if len(b.announces) != announceQueue {
		t.Fatalf("queue holds %d", len(b.announces))
	}
}

func TestRequests(t *testing.T) {
	_, a, _, _, bb := pair(t)
	ctx := context.Background()
	resp, err := a.requestBlocks(ctx, "B", wire.BlockRequest{Fields: wire.FieldHeader | wire.FieldBody, FromNumber: 2, Max: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Blocks) != 3 || resp.Blocks[0].Header.Number != 2 || resp.Blocks[2].Hash != bb.headers[4].Hash() || len(resp.Blocks[1].Body) != 1 {
		t.Fatalf("blocks = %+v", resp.Blocks)
	}
	// Max 0 and Max above the cap are both served as 128.
	resp, err = a.requestBlocks(ctx, "B", wire.BlockRequest{Fields: wire.FieldHeader, FromNumber: 0, Max: 1000})
	if err != nil || len(resp.Blocks) != wire.MaxBlocksPerRequest {
		t.Fatalf("capped request: %d blocks, %v", len(resp.Blocks), err)
	}
	st, err := a.requestState(ctx, "B", wire.StateRequest{Start: []byte{3}, MaxBytes: 6})
	if err != nil || len(st.Entries) != 3 || st.Entries[0].Key[0] != 4 || st.Complete {
		t.Fatalf("state = %+v, %v", st, err)
	}
	st, err = a.requestState(ctx, "B", wire.StateRequest{})
	if err != nil || len(st.Entries) != 10 || !st.Complete {
		t.Fatalf("state = %+v, %v", st, err)
	}
	w, err := a.requestWarp(ctx, "B", wire.WarpRequest{})
	if err != nil || len(w.Fragments) != 1 || !w.IsFinished || string(w.Fragments[0].Justification) != "just" {
		t.Fatalf("warp = %+v, %v", w, err)
	}
	// A Backend error is a refusal, not a misbehaviour of the requester.
	if _, err := a.requestBlocks(ctx, "B", wire.BlockRequest{FromNumber: 9999, Max: 1}); !errors.Is(err, ErrRefused) {
		t.Fatalf("unknown block: err = %v", err)
	}
	if s := a.rep.score("B"); s != 0 {
		t.Fatalf("B's score = %d after honest answers", s)
	}
}

func TestServerTrimsOversizedAnswers(t *testing.T) {
	_, a, _, _, bb := pair(t)
	bb.mu.Lock()
	bb.blocks = 500 // ignores Max
	bb.stateBig = true
	bb.mu.Unlock()
	resp, err := a.requestBlocks(context.Background(), "B", wire.BlockRequest{Max: 10})
	if err != nil || len(resp.Blocks) != 10 {
		t.Fatalf("blocks: %d, %v", len(resp.Blocks), err)
	}
	st, err := a.requestState(context.Background(), "B", wire.StateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Complete || len(st.Entries) == 0 || len(st.Entries) >= 16 {
		t.Fatalf("state trimmed to %d entries, complete=%v", len(st.Entries), st.Complete)
	}
}

// TestOtherChainIsDropped: a node of another chain does not even speak our
// protocols (their names carry the genesis): it is dropped. A peer that
// speaks them with another genesis in its handshake is banned
// (TestGarbageOnEveryProtocol/wrong-genesis).
func TestOtherChainIsDropped(t *testing.T) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 3))
	_, c := newMemEngine(m, "C", genesisB, newFakeBackend(genesisB, 3))
	t.Cleanup(func() { a.close(); c.close() })
	m.connect("A", "C")
	eventually(t, "disconnect", func() bool { return !m.linked("A", "C") })
	if len(a.peerInfos()) != 0 || len(c.peerInfos()) != 0 {
		t.Fatal("other-chain peer listed")
	}
	if a.rep.score("C") >= 0 && c.rep.score("A") >= 0 {
		t.Fatal("other-chain peer not penalised")
	}
}

// rawNode adds an engine-less node that answers the announce handshake
// for genesisA (so the engine keeps it) and then stays silent.
func rawNode(m *memNet, id string) *memNode {
	n := m.node(id)
	n.handle(protocolNames(genesisA).announces, func(_ string, s stream) {
		if _, err := readMsg(s, wire.MaxStatus); err != nil {
			return
		}
		_ = writeMsg(s, wire.Encode(wire.Status{GenesisHash: genesisA}))
		_, _ = io.Copy(io.Discard, s)
	})
	return n
}

// rawPeer opens a stream from a raw node to target.
func rawPeer(t *testing.T, m *memNet, id, target, proto string) stream {
	t.Helper()
	if m.nodes[id] == nil {
		rawNode(m, id)
	}
	m.connect(id, target)
	s, err := m.nodes[id].open(context.Background(), target, proto)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGarbageOnEveryProtocol(t *testing.T) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(a.close)
	status := wire.Encode(wire.Status{GenesisHash: genesisA})
	frame := func(b []byte) []byte {
		return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
	}
	cases := []struct {
		name, proto string
		send        []byte
	}{
		{"announce-handshake", a.protos.announces, frame([]byte{1, 2, 3})},
		{"wrong-genesis", a.protos.announces, frame(wire.Encode(wire.Status{GenesisHash: genesisB}))},
		{"announce-body", a.protos.announces, append(frame(status), frame([]byte{0xff, 0xff})...)},
		{"blocks", a.protos.blocks, frame([]byte{1, 9, 9})},
		{"state", a.protos.state, frame([]byte{0})},
		{"warp", a.protos.warp, frame([]byte{1, 2})},
		{"bad-prefix", a.protos.blocks, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{"noncanonical-prefix", a.protos.warp, []byte{0x80, 0x00}},
		{"oversized-request", a.protos.blocks, binary.AppendUvarint(nil, wire.MaxRequest+1)},
		{"oversized-handshake", a.protos.announces, binary.AppendUvarint(nil, wire.MaxStatus+1)},
		{"oversized-announce", a.protos.announces, append(frame(status), binary.AppendUvarint(nil, wire.MaxBlockAnnounce+1)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := "evil-" + c.name
			s := rawPeer(t, m, id, "A", c.proto)
			if _, err := s.Write(c.send); err != nil {
				t.Fatal(err)
			}
			eventually(t, "ban of "+id, func() bool { return a.rep.banned(id) })
			eventually(t, "disconnect of "+id, func() bool { return !m.linked(id, "A") })
			// The stream was reset without the body being waited for.
			_ = s.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadAll(s); err == nil && c.proto != a.protos.announces {
				t.Fatal("stream to a misbehaving peer ended cleanly")
			}
		})
	}
	// A still serves honest peers.
	_, b := newMemEngine(m, "B", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(b.close)
	m.connect("A", "B")
	if _, err := b.requestWarp(context.Background(), "A", wire.WarpRequest{}); err != nil {
		t.Fatalf("honest request after garbage: %v", err)
	}
}

// TestBadResponses: a server that answers garbage, too much, or nothing is
// charged by the requester, which goes on.
func TestBadResponses(t *testing.T) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(a.close)
	a.reqTimeout = 200 * time.Millisecond
	hdr := types.Header{Number: 1}
	cases := []struct {
		name  string
		reply func(s stream)
		want  error
		score int
		req   func() error
	}{
		{"garbage", func(s stream) { _ = writeMsg(s, []byte{9, 9, 9}) }, ErrMalformed, RepInvalid, nil},
		{"oversized", func(s stream) { _, _ = s.Write(binary.AppendUvarint(nil, wire.MaxBlockResponse+1)) }, ErrTooLarge, RepInvalid, nil},
		{"too-many-blocks", func(s stream) {
			_ = writeMsg(s, wire.Encode(wire.BlockResponse{Blocks: make([]wire.BlockData, 5)}))
		}, ErrBadResponse, RepInvalid, nil},
		{"header-hash-mismatch", func(s stream) {
			_ = writeMsg(s, wire.Encode(wire.BlockResponse{Blocks: []wire.BlockData{{Hash: types.Hash{1}, Header: &hdr}}}))
		}, ErrBadResponse, RepInvalid, nil},
		{"silent", func(s stream) {}, ErrTimeout, RepTimeout, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := "server-" + c.name
			srv := rawNode(m, id)
			srv.handle(a.protos.blocks, func(_ string, s stream) {
				_, _ = readMsg(s, wire.MaxRequest)
				c.reply(s)
			})
			m.connect("A", id)
			_, err := a.requestBlocks(context.Background(), id, wire.BlockRequest{Max: 2})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if s := a.rep.score(id); s != c.score {
				t.Fatalf("score = %d, want %d", s, c.score)
			}
		})
	}
	// Unsorted state keys are a bad response too.
	srv := rawNode(m, "state-liar")
	srv.handle(a.protos.state, func(_ string, s stream) {
		_, _ = readMsg(s, wire.MaxRequest)
		_ = writeMsg(s, wire.Encode(wire.StateResponse{Entries: []wire.KV{{Key: []byte{2}}, {Key: []byte{1}}}}))
	})
	m.connect("A", "state-liar")
	if _, err := a.requestState(context.Background(), "state-liar", wire.StateRequest{}); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("unsorted state: %v", err)
	}
	// A banned peer is not asked again.
	if _, err := a.requestBlocks(context.Background(), "server-garbage", wire.BlockRequest{}); !errors.Is(err, ErrBanned) {
		t.Fatalf("request to banned peer: %v", err)
	}
}

// TestAnnouncedButNotServed: the consumer reports a peer that announces
// blocks it then refuses to serve; repeated, that gets the peer banned and
// disconnected while the node keeps its other peers.
func TestAnnouncedButNotServed(t *testing.T) {
	m, a, b, _, bb := pair(t)
	_, c := newMemEngine(m, "C", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(c.close)
	m.connect("A", "C")
	eventually(t, "C handshake", func() bool { return len(a.peerInfos()) == 2 })
	_ = b
	bb.mu.Lock()
	bb.headers = bb.headers[:1] // B forgets its blocks but keeps announcing
	bb.mu.Unlock()
	for i := 0; ; i++ {
		b.announceBlock(types.Header{Number: uint32(500 + i)}, true)
		ann := <-a.announces
		_, err := a.requestBlocks(context.Background(), ann.Peer, wire.BlockRequest{FromNumber: ann.Msg.Header.Number, Max: 1})
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("request %d: %v", i, err)
		}
		a.report(ann.Peer, RepUnhelpful, "announced block not served")
		if a.rep.banned("B") {
			if i != -BanThreshold/-RepUnhelpful-1 {
				t.Fatalf("banned after %d reports", i+1)
			}
			break
		}
	}
	eventually(t, "B dropped", func() bool { return !m.linked("A", "B") && len(a.peerInfos()) == 1 })
	if p := a.peerInfos()[0]; p.ID != "C" {
		t.Fatalf("remaining peer %s", p.ID)
	}
}

func TestReputationDecayAndBanExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	r := newReputation(func() time.Time { return now }, 30*time.Second)
	if _, banned := r.report("p", -60); banned {
		t.Fatal("banned at -60")
	}
	now = now.Add(20 * time.Second)
	if s := r.score("p"); s != -40 {
		t.Fatalf("score after 20 s = %d, want -40", s)
	}
	if s, banned := r.report("p", -70); !banned || s != -110 {
		t.Fatalf("report: score %d banned %v", s, banned)
	}
	if _, again := r.report("p", -10); again {
		t.Fatal("a banned peer is reported as newly banned")
	}
	if !r.banned("p") || len(r.bannedPeers()) != 1 {
		t.Fatal("not banned")
	}
	now = now.Add(30 * time.Second)
	if r.banned("p") {
		t.Fatal("ban did not expire")
	}
	if s := r.score("p"); s != -90 {
		t.Fatalf("score after ban = %d, want -90", s)
	}
	if s, _ := r.report("q", 1000); s != repMax {
		t.Fatalf("positive cap: %d", s)
	}
	now = now.Add(time.Hour)
	if s := r.score("q"); s != 0 {
		t.Fatalf("positive score did not decay: %d", s)
	}
}

func TestFraming(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 300, 70000} {
		var buf bytesRW
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(i)
		}
		if err := writeMsg(&buf, msg); err != nil {
			t.Fatal(err)
		}
		got, err := readMsg(&buf, 70000)
		if err != nil || len(got) != n {
			t.Fatalf("n=%d: %d bytes, %v", n, len(got), err)
		}
	}
	var buf bytesRW
	_ = writeMsg(&buf, make([]byte, 10))
	if _, err := readMsg(&buf, 9); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("limit: %v", err)
	}
	if _, err := readMsg(&bytesRW{b: []byte{5, 1, 2}}, 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated: %v", err)
	}
}

type bytesRW struct{ b []byte }

func (r *bytesRW) Write(p []byte) (int, error) { r.b = append(r.b, p...); return len(p), nil }
func (r *bytesRW) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// TestBrokenAnnounceStreamDropsPeer: a peer that accepts our announce
// stream and then kills it is dropped rather than kept half-connected.
func TestBrokenAnnounceStreamDropsPeer(t *testing.T) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(a.close)
	flaky := m.node("flaky")
	flaky.handle(a.protos.announces, func(_ string, s stream) {
		_, _ = readMsg(s, wire.MaxStatus)
		_ = s.Reset()
	})
	m.connect("A", "flaky")
	eventually(t, "flaky dropped", func() bool { return !m.linked("A", "flaky") })
	if len(a.peerInfos()) != 0 {
		t.Fatal("flaky peer listed")
	}
	if a.rep.banned("flaky") {
		t.Fatal("a reset is not misbehaviour")
	}
}

// TestOneInboundAnnounceStream: a second announce stream from a connected
// peer is refused; the first keeps working.
func TestOneInboundAnnounceStream(t *testing.T) {
	m, a, b, _, _ := pair(t)
	s, err := m.nodes["B"].open(context.Background(), "A", a.protos.announces)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeMsg(s, wire.Encode(b.ourStatus())); err != nil {
		t.Fatal(err)
	}
	_ = s.SetDeadline(time.Now().Add(10 * time.Second))
	// The handshake may be answered, then the stream is reset.
	if _, err := io.ReadAll(s); !errors.Is(err, errStreamReset) {
		t.Fatalf("second stream: %v", err)
	}
	b.announceBlock(types.Header{Number: 9}, true)
	if got := <-a.announces; got.Msg.Header.Number != 9 {
		t.Fatalf("announce %+v", got)
	}
	if a.rep.score("B") != 0 {
		t.Fatal("B penalised")
	}
}

// TestSlowRequesterCannotStarveOthers: a peer that opens request streams
// and sends nothing holds at most maxPeerRequests slots, only until the
// read deadline; an honest peer is served meanwhile.
func TestSlowRequesterCannotStarveOthers(t *testing.T) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(a.close)
	var held []io.Closer
	// A few more than its share (not so many that the penalties ban it:
	// the test looks at the slots it holds while connected).
	for i := 0; i < maxPeerRequests+3; i++ {
		held = append(held, rawPeer(t, m, "slow", "A", a.protos.blocks))
	}
	t.Cleanup(func() {
		for _, s := range held {
			s.Close()
		}
	})
	eventually(t, "the slow peer charged for its excess streams", func() bool { return a.rep.score("slow") < 0 })
	a.mu.Lock()
	n := a.inflight["slow"]
	a.mu.Unlock()
	if n > maxPeerRequests {
		t.Fatalf("slow peer holds %d serving slots", n)
	}
	_, b := newMemEngine(m, "B", genesisA, newFakeBackend(genesisA, 3))
	t.Cleanup(b.close)
	m.connect("A", "B")
	if _, err := b.requestBlocks(context.Background(), "A", wire.BlockRequest{Fields: wire.FieldHeader, Max: 1}); err != nil {
		t.Fatalf("honest request while a slow peer holds streams: %v", err)
	}
}
