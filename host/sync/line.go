package sync

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
)

type rangeState uint8

const (
	rangeFree rangeState = iota
	rangeInFlight
	rangeDone
)

// rng is a run of block numbers downloaded by one request.
type rng struct {
	start, end uint32
	state      rangeState
	peer       PeerID // in flight with, or downloaded from
	blocks     []fetched
	excluded   map[PeerID]bool // peers not to ask again for this range
}

// line is the chain being downloaded: consecutive ranges after top, the
// last block imported (or base, where the line started).
type line struct {
	base, top chain.BlockRef
	next      uint32 // first number no range covers yet
	ranges    []*rng // ascending, covering top.Number+1 .. next-1
	inflight  int    // range requests in flight
	searching int    // ancestor searches in flight
	ahead     int    // bytes of downloaded blocks not yet imported
}

// maxAheadBytes bounds the memory of downloaded blocks waiting for import
// (MaxAhead bounds their number).
const maxAheadBytes = 256 << 20

func blocksSize(bs []fetched) int {
	n := 0
	for _, b := range bs {
		n += 128 + len(b.justification)
		for _, x := range b.block.Extrinsics {
			n += len(x)
		}
	}
	return n
}

type rangeResult struct {
	line   *line
	r      *rng
	id     PeerID
	blocks []fetched
	err    error
}

type importResult struct {
	line     *line
	r        *rng
	imported int // blocks of r imported (a prefix)
	err      error
	badBlock bool
	badJust  bool
}

// behind reports whether some peer has a better block we neither hold nor
// are fetching after its announcement.
func (s *Syncer) behind(best chain.BlockRef) bool {
	for _, p := range s.peers {
		if p.best.Number <= best.Number || s.known(p.best.Hash) {
			continue
		}
		if _, w := s.waiting[p.best.Hash]; w || s.announces[p.best.Hash] {
			continue // the announce path is fetching it
		}
		return true
	}
	return false
}

// sortedPeers returns the peers in a stable order (fewest failures, then id).
func (s *Syncer) sortedPeers() []*peer {
	ps := make([]*peer, 0, len(s.peers))
	for _, p := range s.peers {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b *peer) int {
		if a.failures != b.failures {
			return a.failures - b.failures
		}
		return strings.Compare(string(a.id), string(b.id))
	})
	return ps
}

// schedule starts ancestor searches, block requests and imports.
func (s *Syncer) schedule(ctx context.Context) {
	now := s.cfg.Now()
	best := s.cfg.Chain.Best()
	if s.line == nil {
		if !s.behind(best) {
			return
		}
		s.line = &line{base: best, top: best, next: best.Number + 1}
		for _, p := range s.peers {
			p.ancestor, p.onLine = nil, false
		}
		s.log.Debug("sync: new line", "base", best.Number, "hash", best.Hash)
	}
	l := s.line
	peers := s.sortedPeers()
	for _, p := range peers {
		if s.requests >= s.cfg.MaxRequests {
			break
		}
		if p.busy || p.ancestor != nil || now.Before(p.until) || p.best.Number <= l.top.Number || s.known(p.best.Hash) {
			continue
		}
		p.busy = true
		s.requests++
		l.searching++
		id, pctx, pbest := p.id, p.ctx, p.best.Number
		go func() {
			ref, err := s.findAncestor(pctx, id, pbest)
			s.deliver(ancestorResult{line: l, id: id, ref: ref, err: err})
		}()
	}

	growTo := l.top.Number
	for _, p := range peers {
		if p.onLine {
			growTo = max(growTo, p.best.Number)
		}
	}
	if len(l.ranges) == 0 && !s.importing && growTo <= l.top.Number {
		if fork := s.longestFork(best); fork != nil {
			anc := *fork.ancestor
			s.log.Info("sync: downloading a longer fork", "from", anc.Number, "to", fork.best.Number, "peer", fork.id)
			s.line = &line{base: anc, top: anc, next: anc.Number + 1}
			l = s.line
			for _, p := range peers {
				p.onLine = p.ancestor != nil && p.ancestor.Hash == anc.Hash
				if p.onLine {
					growTo = max(growTo, p.best.Number)
				}
			}
		} else if l.searching == 0 {
			s.line = nil
			return
		}
	}

	per := uint32(s.cfg.BlocksPerRequest)
	for l.next <= growTo && l.next > l.top.Number && int(l.next-l.top.Number-1) < s.cfg.MaxAhead {
		end := growTo
		if growTo-l.next >= per {
			end = l.next + per - 1
		}
		l.ranges = append(l.ranges, &rng{start: l.next, end: end})
		l.next = end + 1
		if end == ^uint32(0) {
			break
		}
	}

	for i, r := range l.ranges {
		if r.state != rangeFree {
			continue
		}
		if s.requests >= s.cfg.MaxRequests || (i > 0 && l.ahead >= maxAheadBytes) {
			break
		}
		if p := s.pickPeer(peers, r, now); p != nil {
			s.startRange(l, r, p)
		}
	}
	s.importNext(ctx)

	// A first range that no peer on the line may serve (all refused it or
	// left the line) can only be unblocked by starting over.
	if len(l.ranges) > 0 && l.ranges[0].state == rangeFree && l.inflight == 0 && l.searching == 0 && !s.importing {
		r := l.ranges[0]
		stuck := true
		for _, p := range peers {
			if p.onLine && !r.excluded[p.id] && p.best.Number >= r.start {
				stuck = false
				break
			}
		}
		if stuck {
			s.log.Debug("sync: no peer can serve the next range; starting over", "from", r.start)
			s.line = nil
		}
	}
}

// longestFork returns the peer with the best chain that is longer than
// ours but forked from it below our best.
func (s *Syncer) longestFork(best chain.BlockRef) *peer {
	var out *peer
	for _, p := range s.peers {
		if p.ancestor == nil || p.onLine || p.best.Number <= best.Number || p.ancestor.Number >= best.Number || s.known(p.best.Hash) {
			continue
		}
		if out == nil || p.best.Number > out.best.Number {
			out = p
		}
	}
	return out
}

// pickPeer chooses an idle peer of the line for r, preferring one whose
// best covers the whole range.
func (s *Syncer) pickPeer(peers []*peer, r *rng, now time.Time) *peer {
	var partial *peer
	for _, p := range peers {
		if !p.onLine || p.busy || now.Before(p.until) || r.excluded[p.id] || p.best.Number < r.start {
			continue
		}
		if p.best.Number >= r.end {
			return p
		}
		if partial == nil {
			partial = p
		}
	}
	return partial
}

func (s *Syncer) startRange(l *line, r *rng, p *peer) {
	s.log.Debug("sync: requesting range", "peer", p.id, "from", r.start, "to", r.end)
	r.state, r.peer = rangeInFlight, p.id
	p.busy = true
	s.requests++
	l.inflight++
	id, pctx, pbest := p.id, p.ctx, p.best.Number
	start, n := r.start, int(r.end-r.start)+1
	go func() {
		resp, err := s.requestBlocks(pctx, id, wire.BlockRequest{
			Fields: wire.FieldHeader | wire.FieldBody | wire.FieldJustification, FromNumber: start, Max: uint32(n)})
		var blocks []fetched
		if err == nil {
			blocks, err = verifyBlocks(resp, start, n)
		}
		if err == nil && len(blocks) == 0 && pbest >= start {
			err = ErrEmptyResponse
		}
		s.deliver(rangeResult{line: l, r: r, id: id, blocks: blocks, err: err})
	}()
}

func (s *Syncer) onRange(res rangeResult) {
	s.requests--
	res.line.inflight--
	p := s.peers[res.id]
	if p != nil {
		p.busy = false
	}
	if res.line != s.line {
		return
	}
	r := res.r
	if res.err != nil || len(res.blocks) == 0 {
		r.state, r.peer = rangeFree, ""
		if r.excluded == nil {
			r.excluded = map[PeerID]bool{}
		}
		r.excluded[res.id] = true
		if p != nil && res.err != nil {
			s.failed(p, "blocks", res.err)
		}
		return
	}
	if p != nil {
		p.failures = 0
	}
	r.state, r.blocks = rangeDone, res.blocks
	s.line.ahead += blocksSize(r.blocks)
	if got := uint32(len(res.blocks)); r.start+got-1 < r.end {
		rest := &rng{start: r.start + got, end: r.end}
		r.end = r.start + got - 1
		i := slices.Index(s.line.ranges, r)
		s.line.ranges = slices.Insert(s.line.ranges, i+1, rest)
	}
}

// importNext hands the first range to the importer if it is downloaded and
// links to what was imported before it.
func (s *Syncer) importNext(ctx context.Context) {
	l := s.line
	if s.importing || l == nil || len(l.ranges) == 0 || l.ranges[0].state != rangeDone {
		return
	}
	r := l.ranges[0]
	if r.blocks[0].block.Header.ParentHash != l.top.Hash {
		// The peer is on another fork: it leaves the line until its
		// ancestor is found again; another peer gets the range.
		s.log.Debug("sync: range does not link", "peer", r.peer, "start", r.start)
		if p := s.peers[r.peer]; p != nil {
			p.onLine, p.ancestor = false, nil
		}
		if r.excluded == nil {
			r.excluded = map[PeerID]bool{}
		}
		r.excluded[r.peer] = true
		l.ahead -= blocksSize(r.blocks)
		r.state, r.peer, r.blocks = rangeFree, "", nil
		return
	}
	s.importing = true
	go func() { s.deliver(s.importRange(ctx, l, r)) }()
}

func (s *Syncer) importRange(ctx context.Context, l *line, r *rng) importResult {
	res := importResult{line: l, r: r}
	for i, f := range r.blocks {
		err, bad, badJ := s.importOne(ctx, f)
		res.badJust = res.badJust || badJ
		if err != nil {
			res.err, res.badBlock = err, bad
			return res
		}
		res.imported = i + 1
	}
	return res
}

func (s *Syncer) onImported(res importResult) {
	s.importing = false
	l, r := res.line, res.r
	if res.imported > 0 {
		f := r.blocks[res.imported-1]
		l.top = chain.BlockRef{Hash: f.hash, Number: f.block.Header.Number}
	}
	p := s.peers[r.peer]
	if res.badJust && p != nil {
		s.report(p, repBadJustification, "bad justification", nil)
	}
	if l != s.line {
		return
	}
	l.ahead -= blocksSize(r.blocks)
	if res.err == nil {
		l.ranges = l.ranges[1:]
		return
	}
	switch {
	case res.badBlock:
		s.log.Warn("sync: peer sent a bad block", "peer", r.peer, "number", r.blocks[res.imported].block.Header.Number, "err", res.err)
		if p != nil {
			s.report(p, repBadBlock, "block failed import", res.err)
			p.onLine = false
		}
		if r.excluded == nil {
			r.excluded = map[PeerID]bool{}
		}
		r.excluded[r.peer] = true
		r.start = r.blocks[res.imported].block.Header.Number
		r.state, r.peer, r.blocks = rangeFree, "", nil
	case errors.Is(res.err, context.Canceled):
	default:
		// The line no longer fits the chain (finality pruned its fork, or
		// a local failure): start again from the chain as it is.
		s.log.Info("sync: import stopped; restarting from the best block", "err", res.err)
		s.line = nil
	}
}
