package sync

import (
	"context"
	"errors"
	"fmt"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// fetched is one verified downloaded block.
type fetched struct {
	block         *types.Block
	hash          types.Hash
	justification []byte // nil: none
}

// requestBlocks sends one block request with the request timeout.
func (s *Syncer) requestBlocks(ctx context.Context, p PeerID, req wire.BlockRequest) (wire.BlockResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
	defer cancel()
	return s.cfg.Network.RequestBlocks(ctx, p, req)
}

// verifyBlocks checks a response to an ascending request for full blocks
// from number start: at most max blocks, each with header and body, hashes
// equal to the headers', numbers consecutive from start, parents linked,
// bodies matching their extrinsics roots.
func verifyBlocks(resp wire.BlockResponse, start uint32, max int) ([]fetched, error) {
	if len(resp.Blocks) > max {
		return nil, fmt.Errorf("%w: %d blocks for a request of %d", ErrBadResponse, len(resp.Blocks), max)
	}
	out := make([]fetched, 0, len(resp.Blocks))
	for i, bd := range resp.Blocks {
		if bd.Header == nil || !(bd.HasBody || bd.Body != nil) {
			return nil, fmt.Errorf("%w: block %d without header or body", ErrBadResponse, i)
		}
		h := bd.Header.Hash()
		if h != bd.Hash {
			return nil, fmt.Errorf("%w: block %d hash %s, header hashes to %s", ErrBadResponse, i, bd.Hash, h)
		}
		if want := start + uint32(i); bd.Header.Number != want {
			return nil, fmt.Errorf("%w: block %d is #%d, want #%d", ErrBadResponse, i, bd.Header.Number, want)
		}
		if i > 0 && bd.Header.ParentHash != out[i-1].hash {
			return nil, fmt.Errorf("%w: #%d does not link to the block before it", ErrBadResponse, bd.Header.Number)
		}
		if err := checkBody(bd.Header, bd.Body); err != nil {
			return nil, err
		}
		f := fetched{block: &types.Block{Header: *bd.Header, Extrinsics: bd.Body}, hash: h}
		if bd.HasJustification || bd.Justification != nil {
			f.justification = bd.Justification
			if f.justification == nil {
				f.justification = []byte{}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// checkBody checks a body against its header's extrinsics root. The root is
// the ordered trie of the extrinsics (with their length prefixes) under the
// runtime's extrinsics layout, V0 or V1: a match under either commits to
// the body, so both are tried rather than asking the runtime.
func checkBody(hdr *types.Header, body [][]byte) error {
	for _, v := range []trie.Version{trie.V0, trie.V1} {
		root, err := trie.OrderedRoot(body, v)
		if err != nil {
			return fmt.Errorf("%w: #%d body: %w", ErrBadResponse, hdr.Number, err)
		}
		if root == [32]byte(hdr.ExtrinsicsRoot) {
			return nil
		}
	}
	return fmt.Errorf("%w: #%d body does not match its extrinsics root", ErrBadResponse, hdr.Number)
}

// blame maps an error the Syncer detected in a response to a reputation
// change; ok is false for request errors (the network's business).
func blame(err error) (delta int, reason string, ok bool) {
	switch {
	case errors.Is(err, ErrBadResponse):
		return repBadResponse, "bad response", true
	case errors.Is(err, ErrEmptyResponse):
		return repNotServed, "did not serve blocks it announced", true
	case errors.Is(err, ErrBadWarpProof), errors.Is(err, ErrBadState):
		return repBadBlock, "bad warp proof or state", true
	}
	return 0, "", false
}

// ancestorResult is the end of a common-ancestor search with a peer.
type ancestorResult struct {
	line *line
	id   PeerID
	ref  chain.BlockRef
	err  error
}

// findAncestor finds the newest block our canonical chain shares with the
// peer's chain: first the peer's block at our best number (the common case,
// a peer simply ahead of us), then a binary search between our finalized
// block (which every honest peer shares) and that number.
func (s *Syncer) findAncestor(ctx context.Context, p PeerID, peerBest uint32) (chain.BlockRef, error) {
	fin := s.cfg.Chain.Finalized()
	hi := min(s.cfg.Chain.Best().Number, peerBest)
	if hi <= fin.Number {
		return fin, nil
	}
	probe := func(n uint32) (bool, types.Hash, error) {
		resp, err := s.requestBlocks(ctx, p, wire.BlockRequest{Fields: wire.FieldHeader, FromNumber: n, Max: 1})
		if err != nil {
			return false, types.Hash{}, err
		}
		if len(resp.Blocks) != 1 {
			return false, types.Hash{}, fmt.Errorf("%w: no header #%d", ErrEmptyResponse, n)
		}
		bd := resp.Blocks[0]
		if bd.Header == nil || bd.Header.Number != n || bd.Header.Hash() != bd.Hash {
			return false, types.Hash{}, fmt.Errorf("%w: probe for #%d", ErrBadResponse, n)
		}
		ours, ok := s.cfg.Chain.HashByNumber(n)
		return ok && ours == bd.Hash, bd.Hash, nil
	}
	same, h, err := probe(hi)
	if err != nil || same {
		return chain.BlockRef{Hash: h, Number: hi}, err
	}
	lo := fin.Number // invariant: lo is common, hi is not
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		same, _, err := probe(mid)
		if err != nil {
			return chain.BlockRef{}, err
		}
		if same {
			lo = mid
		} else {
			hi = mid
		}
	}
	h, ok := s.cfg.Chain.HashByNumber(lo)
	if !ok {
		return chain.BlockRef{}, fmt.Errorf("%w: our #%d vanished during the search", chain.ErrUnknownBlock, lo)
	}
	return chain.BlockRef{Hash: h, Number: lo}, nil
}

func (s *Syncer) onAncestor(r ancestorResult) {
	s.requests--
	r.line.searching--
	p := s.peers[r.id]
	if p == nil {
		return
	}
	p.busy = false
	if r.line != s.line && r.err == nil {
		return // searched for a line given up since: search again if needed
	}
	if r.err != nil {
		s.failed(p, "ancestor search", r.err)
		return
	}
	p.ancestor = &r.ref
	p.failures = 0
	if r.ref.Hash == s.line.base.Hash {
		p.onLine = true
	} else if r.ref.Number > s.line.base.Number && r.ref.Number <= s.line.top.Number {
		// The peer joined after the line advanced; it shares the imported
		// part of the line if that part is canonical here.
		h, ok := s.cfg.Chain.HashByNumber(r.ref.Number)
		p.onLine = ok && h == r.ref.Hash
	}
	s.log.Debug("sync: common ancestor", "peer", r.id, "number", r.ref.Number, "hash", r.ref.Hash, "on_line", p.onLine)
}

// announceResult is the end of fetching and importing an announced block.
type announceResult struct {
	id   PeerID
	hash types.Hash
	err  error // fetching failed (the peer's fault unless ctx ended)
	// importErr: the block did not import; badBlock: the block failed import; badJustification: its
	// justification did not verify.
	importErr                  error
	badBlock, badJustification bool
}

// fetchAnnounced fetches one announced block whose parent we hold and
// imports it at once.
func (s *Syncer) fetchAnnounced(ctx context.Context, p PeerID, hdr types.Header) announceResult {
	h := hdr.Hash()
	res := announceResult{id: p, hash: h}
	resp, err := s.requestBlocks(ctx, p, wire.BlockRequest{
		Fields: wire.FieldHeader | wire.FieldBody | wire.FieldJustification, ByHash: true, FromHash: h, Max: 1})
	if err != nil {
		res.err = err
		return res
	}
	if len(resp.Blocks) == 0 {
		res.err = fmt.Errorf("%w: announced #%d %s", ErrEmptyResponse, hdr.Number, h)
		return res
	}
	blocks, err := verifyBlocks(resp, uint32(hdr.Number), 1)
	if err == nil && blocks[0].hash != h {
		err = fmt.Errorf("%w: asked for %s, got %s", ErrBadResponse, h, blocks[0].hash)
	}
	if err != nil {
		res.err = err
		return res
	}
	res.importErr, res.badBlock, res.badJustification = s.importOne(ctx, blocks[0])
	return res
}

// importOne imports one verified block and, if it came with a
// justification that verifies, finalizes it.
func (s *Syncer) importOne(ctx context.Context, f fetched) (err error, badBlock, badJustification bool) {
	_, _, err = s.cfg.Chain.Import(ctx, f.block)
	switch {
	case errors.Is(err, chain.ErrKnownBlock):
	case err != nil:
		return err, isBadBlock(err), false
	}
	if f.justification == nil || s.cfg.VerifyJustification == nil {
		return nil, false, false
	}
	if err := s.cfg.VerifyJustification(f.hash, f.block.Header.Number, f.justification); err != nil {
		s.log.Debug("sync: justification refused", "number", f.block.Header.Number, "hash", f.hash, "err", err)
		return nil, false, true
	}
	if err := s.cfg.Chain.Finalize(f.hash, f.justification); err != nil {
		s.log.Debug("sync: finalize", "number", f.block.Header.Number, "hash", f.hash, "err", err)
	}
	return nil, false, false
}

// isBadBlock reports import errors that prove the block invalid (as opposed
// to a missing parent or a local failure).
func isBadBlock(err error) bool {
	// Not the block's fault: our clock or runtime calls, a timeout or
	// shutdown here. Blaming the peer would ban honest nodes.
	for _, e := range []error{chain.ErrRetryLater, executor.ErrTimeout, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, e) {
			return false
		}
	}
	for _, e := range []error{chain.ErrBadVerifier, chain.ErrExecution, chain.ErrStateMismatch, chain.ErrBadNumber} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

const maxAnnounceFetches = 16

func (s *Syncer) onAnnounce(ctx context.Context, id PeerID, a wire.BlockAnnounce) {
	p := s.peers[id]
	if p == nil {
		return
	}
	h := a.Header.Hash()
	if a.IsBest || a.Header.Number > p.best.Number {
		p.best = chain.BlockRef{Hash: h, Number: a.Header.Number}
	}
	if s.warp.pending || s.announces[h] || len(s.announces) >= maxAnnounceFetches || s.known(h) {
		return
	}
	if !s.known(a.Header.ParentHash) {
		if s.announces[a.Header.ParentHash] && len(s.waiting) < maxAnnounceFetches {
			// Its parent is being fetched: fetch it right after.
			s.waiting[h] = waitingAnnounce{id: id, hdr: a.Header}
		}
		return // otherwise the line catches up with this peer
	}
	s.fetchAnnounce(id, a.Header)
}

// waitingAnnounce is an announced block whose parent is being fetched.
type waitingAnnounce struct {
	id  PeerID
	hdr types.Header
}

func (s *Syncer) fetchAnnounce(id PeerID, hdr types.Header) {
	p := s.peers[id]
	if p == nil {
		return
	}
	s.announces[hdr.Hash()] = true
	pctx := p.ctx
	go func() { s.deliver(s.fetchAnnounced(pctx, id, hdr)) }()
}

func (s *Syncer) onAnnounceDone(r announceResult) {
	delete(s.announces, r.hash)
	for h, w := range s.waiting {
		if w.hdr.ParentHash != r.hash {
			continue
		}
		delete(s.waiting, h)
		if r.err == nil && r.importErr == nil {
			s.fetchAnnounce(w.id, w.hdr)
		}
	}
	p := s.peers[r.id]
	if p == nil {
		return
	}
	switch {
	case r.badBlock:
		s.report(p, repBadBlock, "announced block failed import", r.importErr)
	case r.badJustification:
		s.report(p, repBadJustification, "bad justification", nil)
	case r.importErr != nil:
		s.log.Debug("sync: announced block not imported", "hash", r.hash, "err", r.importErr)
	case r.err != nil:
		s.failed(p, "announced block", r.err)
	}
}
