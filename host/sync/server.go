package sync

import (
	"bytes"
	"errors"
	"fmt"
	stdsync "sync"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Limits a Server applies to what it sends (each below the wire bound of
// its message, leaving room for the enclosing vector and flags).
const (
	maxBlockResponseBytes = wire.MaxBlockResponse - 1024
	maxStateResponseBytes = wire.MaxStateResponse - 1024
	maxWarpResponseBytes  = wire.MaxWarpResponse - 1024
	// maxJustificationLookback bounds the backward walk from the latest
	// finalized block to the newest one that carries a justification.
	maxJustificationLookback = 4096
)

// Server answers other nodes' sync requests from a chain. It is safe for
// concurrent use; the network calls it from its stream handlers.
type Server struct {
	chain ServerChain
	roles wire.Roles

	// The canonical finalized chain never changes, so the numbers of its
	// blocks that schedule a GRANDPA set change are indexed once.
	mu struct {
		stdsync.Mutex
		scanned uint32   // guarded by mu: blocks below it are indexed
		changes []uint32 // guarded by mu: ascending set-change block numbers
		gap     uint32   // guarded by mu: highest finalized number not held (warp-synced history), 0 if none
	}
}

// NewServer returns a Server reading c that announces roles in its Status.
func NewServer(c ServerChain, roles wire.Roles) *Server {
	s := &Server{chain: c, roles: roles}
	s.mu.scanned = 1 // genesis carries no digest
	return s
}

// Status is the block-announces handshake of this node.
func (s *Server) Status() wire.Status {
	best := s.chain.Best()
	return wire.Status{Roles: s.roles, BestNumber: best.Number, BestHash: best.Hash, GenesisHash: s.chain.Genesis().Hash}
}

// Blocks answers a block request: up to MaxBlocksPerRequest blocks (and
// about 16 MiB) from the requested block, by parent hash when descending and
// along the canonical chain when ascending. An unknown start block gives an
// empty response, as does a body we do not hold (a warp-synced header).
func (s *Server) Blocks(req wire.BlockRequest) (wire.BlockResponse, error) {
	const known = wire.FieldHeader | wire.FieldBody | wire.FieldJustification
	if req.Fields&known == 0 {
		return wire.BlockResponse{}, fmt.Errorf("%w: no header, body or justification asked (fields %#x)", ErrBadRequest, req.Fields)
	}
	limit := int(req.Max)
	if limit == 0 || limit > wire.MaxBlocksPerRequest {
		limit = wire.MaxBlocksPerRequest
	}
	var h types.Hash
	if req.ByHash {
		h = req.FromHash
	} else {
		var ok bool
		if h, ok = s.chain.HashByNumber(req.FromNumber); !ok {
			return wire.BlockResponse{}, nil
		}
	}
	var (
		resp   wire.BlockResponse
		size   = 8
		parent *types.Hash // ascending: the hash the next header must link to
	)
	for len(resp.Blocks) < limit {
		hdr, err := s.chain.Header(h)
		if err != nil {
			break
		}
		if parent != nil && hdr.ParentHash != *parent {
			break // the canonical chain moved under us
		}
		bd := wire.BlockData{Hash: h}
		if req.Fields&wire.FieldHeader != 0 {
			bd.Header = hdr
		}
		if req.Fields&wire.FieldBody != 0 {
			body, err := s.chain.Body(h)
			if err != nil {
				break
			}
			bd.Body, bd.HasBody = body, true
		}
		if req.Fields&wire.FieldJustification != 0 {
			bd.Justification, bd.HasJustification = s.chain.Justification(h)
		}
		n := encodedLen(bd)
		if size+n > maxBlockResponseBytes {
			break
		}
		size += n
		resp.Blocks = append(resp.Blocks, bd)
		if req.Descending {
			if hdr.Number == 0 {
				break
			}
			h = hdr.ParentHash
			continue
		}
		next, ok := s.chain.HashByNumber(hdr.Number + 1)
		if !ok {
			break
		}
		cur := h
		parent, h = &cur, next
	}
	return resp, nil
}

// State answers a state request: the entries of the block's top trie after
// Start, in key order, up to MaxBytes of keys and values (at most about
// 8 MiB; at least one entry, so that every request makes progress).
func (s *Server) State(req wire.StateRequest) (wire.StateResponse, error) {
	root, err := s.chain.StateRoot(req.Block)
	if err != nil {
		if errors.Is(err, chain.ErrPrunedState) {
			return wire.StateResponse{}, fmt.Errorf("%w: %s", ErrStateUnavailable, req.Block)
		}
		return wire.StateResponse{}, fmt.Errorf("%w: %s: %w", ErrUnknownBlock, req.Block, err)
	}
	budget := int(req.MaxBytes)
	if budget == 0 || budget > maxStateResponseBytes {
		budget = maxStateResponseBytes
	}
	var (
		resp     = wire.StateResponse{Complete: true}
		size     int
		start    = req.Start
		skipSelf = len(req.Start) > 0
	)
	err = s.chain.State().Trie(root).Iterate(start, func(k, v []byte) bool {
		if skipSelf && bytes.Equal(k, req.Start) {
			return true
		}
		n := len(k) + len(v) + scale.CompactLen(uint64(len(k))) + scale.CompactLen(uint64(len(v)))
		if (len(resp.Entries) > 0 && size+n > budget) || size+n > maxStateResponseBytes {
			resp.Complete = false
			return false
		}
		size += n
		resp.Entries = append(resp.Entries, wire.KV{Key: bytes.Clone(k), Value: bytes.Clone(v)})
		return true
	})
	if err != nil {
		return wire.StateResponse{}, fmt.Errorf("%w: %s: %w", ErrStateUnavailable, req.Block, err)
	}
	return resp, nil
}

// Warp answers a warp-proof request: from Begin (a block of the finalized
// canonical chain) the header and justification of every later finalized
// block that schedules a GRANDPA authority-set change, then the newest
// finalized block with a justification (IsFinished). A response cut by the
// size bound has IsFinished false; the requester continues from its last
// fragment.
func (s *Server) Warp(req wire.WarpRequest) (wire.WarpResponse, error) {
	begin, err := s.chain.Header(req.Begin)
	if err != nil {
		return wire.WarpResponse{}, fmt.Errorf("%w: warp begin %s", ErrUnknownBlock, req.Begin)
	}
	fin := s.chain.Finalized()
	if canon, ok := s.chain.HashByNumber(begin.Number); begin.Number > fin.Number || !ok || canon != req.Begin {
		return wire.WarpResponse{}, fmt.Errorf("%w: warp begin #%d %s is not finalized here", ErrBadRequest, begin.Number, req.Begin)
	}
	changes, gap := s.setChanges(fin.Number)
	if gap > begin.Number {
		return wire.WarpResponse{}, fmt.Errorf("%w: history up to #%d is not held here (warp-synced)", ErrNoProof, gap)
	}
	resp := wire.WarpResponse{IsFinished: true}
	size, last := 8, begin.Number
	add := func(hdr *types.Header, j []byte) bool {
		f := wire.WarpFragment{Header: *hdr, Justification: j}
		n := encodedLen(frag(f))
		if size+n > maxWarpResponseBytes {
			resp.IsFinished = false
			return false
		}
		size += n
		resp.Fragments = append(resp.Fragments, f)
		last = hdr.Number
		return true
	}
	for _, n := range changes {
		if n <= begin.Number {
			continue
		}
		h, ok := s.chain.HashByNumber(n)
		if !ok {
			return wire.WarpResponse{}, fmt.Errorf("%w: set change #%d left the canonical chain", ErrNoProof, n)
		}
		hdr, err := s.chain.Header(h)
		if err != nil {
			return wire.WarpResponse{}, err
		}
		j, ok := s.chain.Justification(h)
		if !ok {
			return wire.WarpResponse{}, fmt.Errorf("%w: set change #%d %s has no justification", ErrNoProof, n, h)
		}
		if !add(hdr, j) {
			return resp, nil
		}
	}
	// The newest finalized block that carries a justification ends the proof.
	for n, steps := fin.Number, 0; n > last && steps < maxJustificationLookback; n, steps = n-1, steps+1 {
		h, ok := s.chain.HashByNumber(n)
		if !ok {
			break
		}
		j, ok := s.chain.Justification(h)
		if !ok {
			continue
		}
		hdr, err := s.chain.Header(h)
		if err != nil {
			return wire.WarpResponse{}, err
		}
		add(hdr, j)
		break
	}
	return resp, nil
}

// setChanges returns the numbers of the canonical blocks up to fin that
// schedule a set change, extending the index as finality advances, and the
// highest number up to fin whose block is not held.
func (s *Server) setChanges(fin uint32) ([]uint32, uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ; s.mu.scanned <= fin; s.mu.scanned++ {
		h, ok := s.chain.HashByNumber(s.mu.scanned)
		var hdr *types.Header
		var err error
		if ok {
			hdr, err = s.chain.Header(h)
		}
		if !ok || err != nil {
			s.mu.gap = s.mu.scanned // below a warp-synced start: not held here
			continue
		}
		if c, err := frnk.ScheduledChange(hdr); err == nil && c != nil {
			s.mu.changes = append(s.mu.changes, s.mu.scanned)
		}
	}
	return s.mu.changes[:len(s.mu.changes):len(s.mu.changes)], s.mu.gap
}

// frag adapts a fragment to scale.Encodable for sizing.
type frag wire.WarpFragment

func (f frag) EncodeTo(e *scale.Encoder) {
	f.Header.EncodeTo(e)
	e.PutBytes(f.Justification)
}

func encodedLen(v scale.Encodable) int {
	e := scale.AcquireEncoder()
	defer scale.ReleaseEncoder(e)
	v.EncodeTo(e)
	return len(e.Bytes())
}
