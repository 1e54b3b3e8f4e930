package network

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

// Backend is what the network needs from the node to answer peers.
type Backend interface {
	Status() wire.Status
	Blocks(req wire.BlockRequest) (wire.BlockResponse, error)
	State(req wire.StateRequest) (wire.StateResponse, error)
	Warp(req wire.WarpRequest) (wire.WarpResponse, error)
}

// Announce is a block announcement received from a peer.
type Announce struct {
	Peer string
	Msg  wire.BlockAnnounce
}

// PeerInfo describes a peer with a completed handshake.
type PeerInfo struct {
	ID         string
	Roles      wire.Roles
	BestHash   types.Hash
	BestNumber uint32
	Addr       string
	Score      int
}

// protocols holds the protocol names of one chain.
type protocols struct {
	announces, blocks, state, warp string
}

func protocolNames(genesis types.Hash) protocols {
	p := "/mars/" + genesis.Hex()[2:]
	return protocols{
		announces: p + "/block-announces/1",
		blocks:    p + "/sync/2",
		state:     p + "/state/2",
		warp:      p + "/sync/warp",
	}
}

const (
	announceQueue      = 1024            // Announces() buffer
	peerSendQueue      = 128             // announcements queued per peer
	maxServedRequests  = 32              // inbound requests served at once
	maxPeerRequests    = 2               // inbound requests of one peer served at once
	requestReadTimeout = 2 * time.Second // to receive a request once its stream is open
	defaultReqTimeout  = 20 * time.Second
	defaultHSTimeout   = 10 * time.Second
	defaultSendTimeout = 10 * time.Second
)

// engine runs the block-announce and request-response protocols over a
// transport. It knows nothing of libp2p; the same code runs over the
// in-memory transport in tests.
type engine struct {
	t       transport
	b       Backend
	log     *slog.Logger
	genesis types.Hash
	roles   wire.Roles // ours, for the handshake (0: the Backend's)
	protos  protocols
	rep     *reputation

	reqTimeout time.Duration
	hsTimeout  time.Duration
	onReady    func(peer string) // called once per peer when its handshake completes; may be nil

	announces        chan Announce
	announcesDropped atomic.Uint64
	sendDropped      atomic.Uint64
	serving          chan struct{} // semaphore of inbound requests

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	peers    map[string]*peerState // guarded by mu
	inflight map[string]int        // inbound requests being served, per peer; guarded by mu
	closed   bool                  // guarded by mu
}

// peerState is one connected peer.
type peerState struct {
	id      string
	status  wire.Status // guarded by engine.mu
	ready   bool        // a valid handshake was received; guarded by engine.mu
	inbound bool        // the peer's announce stream to us is open; guarded by engine.mu
	sendq   chan []byte // encoded announcements for our outbound stream
	done    chan struct{}
}

func newEngine(t transport, b Backend, genesis types.Hash, log *slog.Logger, rep *reputation) *engine {
	ctx, cancel := context.WithCancel(context.Background())
	e := &engine{
		t: t, b: b, log: log, genesis: genesis, protos: protocolNames(genesis), rep: rep,
		reqTimeout: defaultReqTimeout,
		hsTimeout:  defaultHSTimeout,
		announces:  make(chan Announce, announceQueue),
		serving:    make(chan struct{}, maxServedRequests),
		ctx:        ctx, cancel: cancel,
		peers: make(map[string]*peerState), inflight: make(map[string]int),
	}
	t.handle(e.protos.announces, e.handleAnnounces)
	t.handle(e.protos.blocks, e.serveBlocks)
	t.handle(e.protos.state, e.serveState)
	t.handle(e.protos.warp, e.serveWarp)
	return e
}

// close stops every peer goroutine and waits for them.
func (e *engine) close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.closed = true
	for id, p := range e.peers {
		close(p.done)
		delete(e.peers, id)
	}
	e.mu.Unlock()
	e.cancel()
	e.wg.Wait()
}

// go runs f as a tracked goroutine unless the engine is closed.
func (e *engine) spawn(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		f()
	}()
}

// connected is called by the transport when peer connects. It is
// idempotent: the first call opens our announce stream to the peer.
func (e *engine) connected(peer string) {
	if e.rep.banned(peer) {
		e.t.disconnect(peer)
		return
	}
	e.mu.Lock()
	if e.closed || e.peers[peer] != nil {
		e.mu.Unlock()
		return
	}
	p := &peerState{id: peer, sendq: make(chan []byte, peerSendQueue), done: make(chan struct{})}
	e.peers[peer] = p
	e.mu.Unlock()
	e.spawn(func() { e.runOutbound(p) })
}

// disconnected is called by the transport when the last connection to
// peer closes.
func (e *engine) disconnected(peer string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.peers[peer]; p != nil {
		close(p.done)
		delete(e.peers, peer)
	}
}

// Report changes peer's reputation; at or below BanThreshold the peer is
// disconnected and refused for a while.
func (e *engine) report(peer string, delta int, reason string) {
	score, banned := e.rep.report(peer, delta)
	if delta < 0 {
		e.log.Debug("peer reported", "peer", peer, "delta", delta, "score", score, "reason", reason)
	}
	if banned {
		e.log.Info("banning peer", "peer", peer, "score", score, "reason", reason)
		e.t.disconnect(peer)
		e.disconnected(peer)
	}
}

// ourStatus is our handshake: the Backend's best block, with our roles and
// the genesis our protocol names carry.
func (e *engine) ourStatus() wire.Status {
	st := e.b.Status()
	st.GenesisHash = e.genesis
	if e.roles != 0 {
		st.Roles = e.roles
	}
	return st
}

// checkStatus validates a peer's handshake.
func (e *engine) checkStatus(peer string, b []byte) (wire.Status, error) {
	st, err := wire.DecodeStatus(b)
	if err != nil {
		e.report(peer, RepInvalid, "malformed handshake")
		return st, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if st.GenesisHash != e.genesis {
		e.report(peer, RepInvalid, "handshake for another genesis "+st.GenesisHash.Hex())
		return st, ErrWrongGenesis
	}
	return st, nil
}

// setStatus records a peer's handshake; it returns false if the peer is
// gone.
func (e *engine) setStatus(peer string, st wire.Status) bool {
	e.mu.Lock()
	p := e.peers[peer]
	if p == nil {
		e.mu.Unlock()
		return false
	}
	if !p.ready || st.BestNumber >= p.status.BestNumber {
		p.status = st
	}
	first := !p.ready
	p.ready = true
	e.mu.Unlock()
	if first && e.onReady != nil {
		e.onReady(peer)
	}
	return true
}

// runOutbound opens our announce stream to p, exchanges handshakes, then
// writes queued announcements until the peer goes.
//
// When the stream fails or cannot be set up, the peer is dropped (as
// Substrate does when a notification substream closes): a connection we
// cannot announce on is useless, and discovery will reconnect it.
func (e *engine) runOutbound(p *peerState) {
	e.announceStream(p)
	select {
	case <-p.done: // disconnected or closing: nothing to undo
		return
	case <-e.ctx.Done():
		return
	default:
	}
	e.mu.Lock()
	mine := e.peers[p.id] == p
	if mine {
		close(p.done)
		delete(e.peers, p.id)
	}
	e.mu.Unlock()
	if mine {
		e.log.Debug("announce stream ended; dropping peer", "peer", p.id)
		e.t.disconnect(p.id)
	}
}

func (e *engine) announceStream(p *peerState) {
	ctx, cancel := context.WithTimeout(e.ctx, e.hsTimeout)
	s, err := e.t.open(ctx, p.id, e.protos.announces)
	cancel()
	if err != nil {
		e.log.Debug("opening announce stream", "peer", p.id, "err", err)
		if errors.Is(err, errNotSupported) {
			// Not a node of our chain: drop it (no ban, in case it was
			// merely starting up; discovery may try it again later).
			e.report(p.id, RepUnhelpful, "does not speak "+e.protos.announces)
		}
		return
	}
	defer s.Reset()
	stop := context.AfterFunc(e.ctx, func() { s.Reset() })
	defer stop()
	_ = s.SetDeadline(time.Now().Add(e.hsTimeout))
	if err := writeMsg(s, wire.Encode(e.ourStatus())); err != nil {
		return
	}
	b, err := readMsg(s, wire.MaxStatus)
	if err != nil {
		e.readFailed(p.id, "announce handshake", err)
		return
	}
	st, err := e.checkStatus(p.id, b)
	if err != nil {
		return
	}
	if !e.setStatus(p.id, st) {
		return
	}
	for {
		select {
		case <-p.done:
			_ = s.Close()
			return
		case msg := <-p.sendq:
			_ = s.SetDeadline(time.Now().Add(defaultSendTimeout))
			if err := writeMsg(s, msg); err != nil {
				e.log.Debug("sending announce", "peer", p.id, "err", err)
				return
			}
		}
	}
}

// handleAnnounces serves a peer's announce stream to us: handshake, then
// announcements until the stream ends.
func (e *engine) handleAnnounces(peer string, s stream) {
	defer s.Reset()
	if e.rep.banned(peer) {
		return
	}
	_ = s.SetDeadline(time.Now().Add(e.hsTimeout))
	b, err := readMsg(s, wire.MaxStatus)
	if err != nil {
		e.readFailed(peer, "announce handshake", err)
		return
	}
	st, err := e.checkStatus(peer, b)
	if err != nil {
		return
	}
	if err := writeMsg(s, wire.Encode(e.ourStatus())); err != nil {
		return
	}
	_ = s.SetDeadline(time.Time{})
	e.connected(peer)
	if !e.claimInbound(peer) {
		e.log.Debug("second announce stream from peer refused", "peer", peer)
		return
	}
	defer e.releaseInbound(peer)
	if !e.setStatus(peer, st) {
		return
	}
	stop := context.AfterFunc(e.ctx, func() { s.Reset() })
	defer stop()
	for {
		b, err := readMsg(s, wire.MaxBlockAnnounce)
		if err != nil {
			e.readFailed(peer, "block announce", err)
			return
		}
		a, err := wire.DecodeBlockAnnounce(b)
		if err != nil {
			e.report(peer, RepInvalid, "malformed block announce")
			return
		}
		e.noteAnnounce(peer, a)
	}
}

// claimInbound marks peer's announce stream to us as open; a peer gets
// one (a second would only cost us a goroutine and a buffer).
func (e *engine) claimInbound(peer string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.peers[peer]
	if p == nil || p.inbound {
		return false
	}
	p.inbound = true
	return true
}

func (e *engine) releaseInbound(peer string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.peers[peer]; p != nil {
		p.inbound = false
	}
}

// noteAnnounce updates the peer's best block and hands a to the consumer.
func (e *engine) noteAnnounce(peer string, a wire.BlockAnnounce) {
	if a.IsBest {
		e.mu.Lock()
		if p := e.peers[peer]; p != nil {
			p.status.BestNumber = a.Header.Number
			p.status.BestHash = a.Header.Hash()
		}
		e.mu.Unlock()
	}
	select {
	case e.announces <- Announce{Peer: peer, Msg: a}:
	default:
		e.announcesDropped.Add(1)
	}
}

// readFailed penalises a peer for bytes that broke the framing; plain
// disconnects and timeouts cost nothing here.
func (e *engine) readFailed(peer, what string, err error) {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrMalformed) {
		e.report(peer, RepInvalid, what+": "+err.Error())
		return
	}
	e.log.Debug("reading from peer", "peer", peer, "what", what, "err", err)
}

// announceBlock queues h for every peer with a completed handshake.
func (e *engine) announceBlock(h types.Header, isBest bool) {
	msg := wire.Encode(wire.BlockAnnounce{Header: h, IsBest: isBest})
	if len(msg) > wire.MaxBlockAnnounce {
		e.log.Warn("block announce too large to send", "number", h.Number, "bytes", len(msg))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.peers {
		if !p.ready {
			continue
		}
		select {
		case p.sendq <- msg:
		default:
			e.sendDropped.Add(1)
		}
	}
}

// peerInfos lists the peers with a completed handshake, by ID.
func (e *engine) peerInfos() []PeerInfo {
	e.mu.Lock()
	out := make([]PeerInfo, 0, len(e.peers))
	for _, p := range e.peers {
		if !p.ready {
			continue
		}
		out = append(out, PeerInfo{ID: p.id, Roles: p.status.Roles, BestHash: p.status.BestHash, BestNumber: p.status.BestNumber})
	}
	e.mu.Unlock()
	for i := range out {
		out[i].Addr = e.t.remoteAddr(out[i].ID)
		out[i].Score = e.rep.score(out[i].ID)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
