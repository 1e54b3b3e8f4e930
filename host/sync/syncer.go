package sync

import (
	"context"
	"fmt"
	"log/slog"
	stdsync "sync"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

// Mode chooses how a node that is behind catches up.
type Mode uint8

// Sync modes (--sync full|warp).
const (
	// ModeFull downloads and executes every block from genesis.
	ModeFull Mode = iota
	// ModeWarp first proves the latest finalized block with GRANDPA
	// justifications of every authority-set change and downloads its state,
	// then continues with full sync from there.
	ModeWarp
)

// ParseMode parses "full" or "warp".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "full", "":
		return ModeFull, nil
	case "warp":
		return ModeWarp, nil
	}
	return 0, fmt.Errorf("%w: sync mode %q (want full or warp)", ErrConfig, s)
}

// Config assembles a Syncer.
type Config struct {
	Chain   Chain
	Network Network
	Mode    Mode
	// VerifyJustification checks justifications that come with downloaded
	// blocks before they are finalized; nil ignores them (blocks then stay
	// unfinalized until GRANDPA finalizes them).
	VerifyJustification JustificationVerifier
	// WarpVerifier and WarpGenesisSet (the GRANDPA set at genesis) are
	// required by ModeWarp.
	WarpVerifier   WarpVerifier
	WarpGenesisSet AuthoritySet
	Logger         *slog.Logger
	// Now is the clock (time.Now when nil): peer back-off and progress.
	Now func() time.Time

	// BlocksPerRequest is the size of one range request (128 when 0).
	BlocksPerRequest int
	// MaxRequests bounds the block requests in flight, one per peer (8 when 0).
	MaxRequests int
	// MaxAhead bounds how many blocks are downloaded ahead of import (2048 when 0).
	MaxAhead int
	// RequestTimeout bounds every request (20 s when 0).
	RequestTimeout time.Duration
	// ProgressInterval is how often progress is logged (5 s when 0).
	ProgressInterval time.Duration
	// StateChunk is the MaxBytes of warp sync's state requests (4 MiB when 0).
	StateChunk uint32
}

// Syncer downloads and imports blocks from peers. The node feeds it peers
// (AddPeer, RemovePeer) and announcements (Announce), and runs Run on a
// goroutine of its own; everything else happens inside Run.
type Syncer struct {
	cfg Config
	log *slog.Logger

	inbox struct {
		stdsync.Mutex
		events []any // guarded by inbox: peer and announce events not yet seen by Run
	}
	wake    chan struct{}
	results chan any      // worker results, read by Run
	done    chan struct{} // closed when Run returns

	status struct {
		stdsync.Mutex
		starting, highest uint32         // guarded by status
		warped            bool           // guarded by status
		warpTarget        chain.BlockRef // guarded by status
		warpTook          time.Duration  // guarded by status
	}

	// Fields below are owned by the Run goroutine.
	peers     map[PeerID]*peer
	line      *line
	announces map[types.Hash]bool            // blocks being fetched after an announce
	waiting   map[types.Hash]waitingAnnounce // announced blocks whose parent is being fetched
	warp      warpState
	requests  int // block requests and searches in flight
	importing bool
	progress  progress
}

type peer struct {
	id       PeerID
	best     chain.BlockRef
	busy     bool            // a request or ancestor search in flight
	ancestor *chain.BlockRef // newest block known common with our chain; nil: search needed
	onLine   bool            // serves the current line's ranges
	failures int
	until    time.Time // back-off: not asked before
	ctx      context.Context
	cancel   context.CancelFunc
}

type peerEvent struct {
	id     PeerID
	status wire.Status
	remove bool
}

type announceEvent struct {
	id PeerID
	a  wire.BlockAnnounce
}

// Reputation changes reported to the network, on host/network's scale
// (-100 bans: RepInvalid; -20: RepUnhelpful).
const (
	repBadResponse      = -100 // blocks inconsistent with the request or each other
	repNotServed        = -20  // nothing for blocks the peer announced
	repBadJustification = -100
	repBadBlock         = -100 // a block that fails import, a bad warp proof or state
)

// New returns a Syncer; Run starts it.
func New(cfg Config) (*Syncer, error) {
	if cfg.Chain == nil || cfg.Network == nil {
		return nil, fmt.Errorf("%w: Chain and Network are required", ErrConfig)
	}
	if cfg.Mode == ModeWarp {
		if cfg.WarpVerifier == nil {
			return nil, fmt.Errorf("%w: warp sync needs a WarpVerifier", ErrConfig)
		}
		if _, ok := cfg.Chain.(WarpChain); !ok {
			return nil, ErrNoWarpChain
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BlocksPerRequest <= 0 || cfg.BlocksPerRequest > wire.MaxBlocksPerRequest {
		cfg.BlocksPerRequest = wire.MaxBlocksPerRequest
	}
	if cfg.MaxRequests <= 0 {
		cfg.MaxRequests = 8
	}
	if cfg.MaxAhead <= 0 {
		cfg.MaxAhead = 2048
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 20 * time.Second
	}
	if cfg.ProgressInterval <= 0 {
		cfg.ProgressInterval = 5 * time.Second
	}
	if cfg.StateChunk == 0 || cfg.StateChunk > maxStateResponseBytes {
		cfg.StateChunk = 4 << 20
	}
	s := &Syncer{
		cfg: cfg, log: cfg.Logger,
		wake: make(chan struct{}, 1), results: make(chan any, 64), done: make(chan struct{}),
		peers: map[PeerID]*peer{}, announces: map[types.Hash]bool{}, waiting: map[types.Hash]waitingAnnounce{},
	}
	best := cfg.Chain.Best().Number
	s.status.starting, s.status.highest = best, best
	s.warp.pending = cfg.Mode == ModeWarp
	return s, nil
}

// AddPeer tells the Syncer about a connected peer and its handshake (or an
// updated status: a higher best is taken, a lower one ignored; announcements
// carry reorgs).
func (s *Syncer) AddPeer(id PeerID, st wire.Status) { s.post(peerEvent{id: id, status: st}) }

// RemovePeer tells the Syncer a peer is gone; its requests are cancelled.
func (s *Syncer) RemovePeer(id PeerID) { s.post(peerEvent{id: id, remove: true}) }

// SetPeers replaces the set of peers with peers (connected peers and their
// latest status), for a node that polls its network: peers not listed are
// removed, unchanged ones keep their sync state.
func (s *Syncer) SetPeers(peers map[PeerID]wire.Status) {
	s.post(peerSetEvent(peers))
}

type peerSetEvent map[PeerID]wire.Status

// Announce hands the Syncer a block announcement received from a peer.
func (s *Syncer) Announce(id PeerID, a wire.BlockAnnounce) { s.post(announceEvent{id: id, a: a}) }

// maxInbox bounds the events waiting for Run; announcements beyond it are
// dropped (a later one, or the peer's best, brings the node up again).
const maxInbox = 8192

func (s *Syncer) post(ev any) {
	s.inbox.Lock()
	if _, isAnn := ev.(announceEvent); !isAnn || len(s.inbox.events) < maxInbox {
		s.inbox.events = append(s.inbox.events, ev)
	}
	s.inbox.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Status returns the block number the node had when sync started, its
// current best, and the highest best any peer reported (system_syncState).
func (s *Syncer) Status() (starting, current, highest uint32) {
	current = s.cfg.Chain.Best().Number
	s.status.Lock()
	defer s.status.Unlock()
	return s.status.starting, current, max(s.status.highest, current)
}

// Run drives sync until ctx ends and returns ctx's error. Call it once.
func (s *Syncer) Run(ctx context.Context) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	defer close(s.done)
	defer func() {
		for _, p := range s.peers {
			p.cancel()
		}
	}()
	s.progress.reset(s.cfg.Now(), s.cfg.Chain.Best().Number)
	for {
		s.step(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake:
		case r := <-s.results:
			s.handleResult(ctx, r)
		case <-tick.C:
			s.logProgress()
		}
	}
}

// step takes the pending events and schedules new work.
func (s *Syncer) step(ctx context.Context) {
	s.inbox.Lock()
	evs := s.inbox.events
	s.inbox.events = nil
	s.inbox.Unlock()
	for _, ev := range evs {
		switch ev := ev.(type) {
		case peerEvent:
			s.onPeer(ctx, ev)
		case peerSetEvent:
			for id, p := range s.peers {
				if _, ok := ev[id]; !ok {
					p.cancel()
					delete(s.peers, id)
				}
			}
			for id, st := range ev {
				s.onPeer(ctx, peerEvent{id: id, status: st})
			}
		case announceEvent:
			s.onAnnounce(ctx, ev.id, ev.a)
		}
	}
	// Drain finished work before scheduling more.
	for {
		select {
		case r := <-s.results:
			s.handleResult(ctx, r)
			continue
		default:
		}
		break
	}
	s.updateStatus()
	if s.warp.pending {
		s.scheduleWarp(ctx)
		return
	}
	s.schedule(ctx)
}

// deliver hands a worker's result to Run (dropped once Run has returned).
func (s *Syncer) deliver(r any) {
	select {
	case s.results <- r:
	case <-s.done:
	}
}

func (s *Syncer) handleResult(ctx context.Context, r any) {
	switch r := r.(type) {
	case rangeResult:
		s.onRange(r)
	case ancestorResult:
		s.onAncestor(r)
	case importResult:
		s.onImported(r)
	case announceResult:
		s.onAnnounceDone(r)
	case warpResult:
		s.onWarpDone(r)
	}
}

func (s *Syncer) onPeer(ctx context.Context, ev peerEvent) {
	p := s.peers[ev.id]
	if ev.remove {
		if p != nil {
			p.cancel()
			delete(s.peers, ev.id)
		}
		return
	}
	if ev.status.GenesisHash != s.cfg.Chain.Genesis().Hash {
		s.cfg.Network.Report(ev.id, repBadResponse, "sync: peer on another chain (genesis differs)")
		return
	}
	best := chain.BlockRef{Hash: ev.status.BestHash, Number: ev.status.BestNumber}
	if p == nil {
		pctx, cancel := context.WithCancel(ctx)
		p = &peer{id: ev.id, ctx: pctx, cancel: cancel, best: best}
		s.peers[ev.id] = p
		return
	}
	// Only forward: a polled status may lag behind the announcements seen
	// since, which update the best themselves. What the peer shares with
	// us still holds when it moves ahead.
	if best.Number > p.best.Number {
		p.best = best
	}
}

// report tells the network about a misbehaving peer and backs off from it.
func (s *Syncer) report(p *peer, delta int, reason string, err error) {
	s.log.Debug("sync: peer misbehaved", "peer", p.id, "reason", reason, "err", err)
	s.cfg.Network.Report(p.id, delta, "sync: "+reason)
	s.backOff(p)
}

// failed handles a failed request or a refused response: the peer is
// reported for what the Syncer found wrong, and backed off from in any case
// (the network has charged it for transport failures already).
func (s *Syncer) failed(p *peer, what string, err error) {
	if p.ctx.Err() != nil {
		return // the peer left, or we are stopping
	}
	if delta, reason, ok := blame(err); ok {
		s.report(p, delta, what+": "+reason, err)
		return
	}
	s.log.Debug("sync: request failed", "peer", p.id, "what", what, "err", err)
	s.backOff(p)
}

func (s *Syncer) backOff(p *peer) {
	p.failures++
	back := time.Second << min(p.failures, 6)
	p.until = s.cfg.Now().Add(back)
}

// known reports whether the chain holds block h.
func (s *Syncer) known(h types.Hash) bool {
	_, err := s.cfg.Chain.Header(h)
	return err == nil
}

func (s *Syncer) updateStatus() {
	cur := s.cfg.Chain.Best().Number
	high := cur
	for _, p := range s.peers {
		high = max(high, p.best.Number)
	}
	s.status.Lock()
	s.status.highest = high
	s.status.Unlock()
}
