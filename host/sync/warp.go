package sync

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/trie"
)

const (
	// maxWarpRounds bounds the warp requests of one attempt (each proves at
	// least one block, so this only stops a peer that never finishes).
	maxWarpRounds = 100_000
	// maxWarpStateBytes bounds the state one warp sync downloads and holds
	// in memory before checking its root: a peer sending junk state costs
	// at most this much memory before it is found out. (The relay state is
	// a few MiB; a chain outgrowing this needs root checks per chunk.)
	maxWarpStateBytes = 512 << 20
	// maxWarpAttempts is how many failed attempts fall back to full sync.
	maxWarpAttempts = 8
)

type warpState struct {
	pending  bool // warp sync still to do
	running  bool
	attempts int
	until    time.Time
	started  time.Time
	took     time.Duration
}

type warpResult struct {
	id          PeerID
	ref         chain.BlockRef
	imported    bool // a state was imported (false: nothing to warp to)
	keys, bytes int
	err         error
}

func (s *Syncer) scheduleWarp(ctx context.Context) {
	now := s.cfg.Now()
	if s.warp.running || now.Before(s.warp.until) {
		return
	}
	var best *peer
	for _, p := range s.sortedPeers() {
		if now.Before(p.until) {
			continue
		}
		if best == nil || p.best.Number > best.best.Number {
			best = p
		}
	}
	if best == nil {
		return
	}
	if s.warp.started.IsZero() {
		s.warp.started = now
	}
	s.warp.running = true
	id, pctx := best.id, best.ctx
	s.log.Info("sync: warp sync starting", "peer", id, "peer_best", best.best.Number)
	go func() { s.deliver(s.warpSync(pctx, id)) }()
}

// warpSync proves the peer's latest finalized block from our finalized
// block, downloads its state, checks it against the header and hands both
// to the chain.
func (s *Syncer) warpSync(ctx context.Context, id PeerID) warpResult {
	res := warpResult{id: id}
	wc := s.cfg.Chain.(WarpChain) // checked by New
	set := s.cfg.WarpGenesisSet
	begin := s.cfg.Chain.Genesis()
	var last *wire.WarpFragment
	for round := 0; ; round++ {
		if round == maxWarpRounds {
			res.err = fmt.Errorf("%w: no end after %d requests", ErrBadWarpProof, round)
			return res
		}
		rctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
		resp, err := s.cfg.Network.RequestWarp(rctx, id, wire.WarpRequest{Begin: begin.Hash})
		cancel()
		if err != nil {
			res.err = err
			return res
		}
		if len(resp.Fragments) == 0 && !resp.IsFinished {
			res.err = fmt.Errorf("%w: empty unfinished proof", ErrBadWarpProof)
			return res
		}
		for i := range resp.Fragments {
			f := &resp.Fragments[i]
			if f.Header.Number <= begin.Number {
				res.err = fmt.Errorf("%w: fragment #%d after #%d", ErrBadWarpProof, f.Header.Number, begin.Number)
				return res
			}
			next, err := s.cfg.WarpVerifier(set, *f)
			if err != nil {
				res.err = fmt.Errorf("%w: fragment #%d: %w", ErrBadWarpProof, f.Header.Number, err)
				return res
			}
			set = next
			begin = chain.BlockRef{Hash: f.Header.Hash(), Number: f.Header.Number}
			last = f
		}
		if resp.IsFinished {
			break
		}
	}
	if last == nil || last.Header.Number <= s.cfg.Chain.Finalized().Number {
		return res // the peer has finalized nothing we lack
	}
	target := begin
	s.log.Info("sync: warp proof verified; downloading state", "target", target.Number, "hash", target.Hash, "set_id", set.ID)

	pairs, size, err := s.downloadState(ctx, id, target)
	if err != nil {
		res.err = err
		return res
	}
	ok := false
	for _, v := range []trie.Version{trie.V1, trie.V0} {
		root, err := trie.RootOfPairs(pairs, v)
		if err == nil && root == [32]byte(last.Header.StateRoot) {
			ok = true
			break
		}
	}
	if !ok {
		res.err = fmt.Errorf("%w: %d keys do not hash to the state root of #%d", ErrBadState, len(pairs), target.Number)
		return res
	}
	ref, err := wc.ImportWarpState(ctx, &last.Header, last.Justification, pairs)
	if err != nil {
		res.err = fmt.Errorf("sync: import warp state: %w", err)
		return res
	}
	res.ref, res.imported, res.keys, res.bytes = ref, true, len(pairs), size
	return res
}

// downloadState fetches the whole top trie of target in key order.
func (s *Syncer) downloadState(ctx context.Context, id PeerID, target chain.BlockRef) ([]trie.Pair, int, error) {
	var (
		pairs []trie.Pair
		start []byte
		size  int
	)
	for {
		rctx, cancel := context.WithTimeout(ctx, s.cfg.RequestTimeout)
		resp, err := s.cfg.Network.RequestState(rctx, id, wire.StateRequest{Block: target.Hash, Start: start, MaxBytes: s.cfg.StateChunk})
		cancel()
		if err != nil {
			return nil, 0, err
		}
		if len(resp.Entries) == 0 && !resp.Complete {
			return nil, 0, fmt.Errorf("%w: empty unfinished state chunk", ErrBadState)
		}
		for _, kv := range resp.Entries {
			if start != nil && bytes.Compare(kv.Key, start) <= 0 {
				return nil, 0, fmt.Errorf("%w: key %x not after %x", ErrBadState, kv.Key, start)
			}
			size += len(kv.Key) + len(kv.Value)
			if size > maxWarpStateBytes {
				return nil, 0, fmt.Errorf("%w: state larger than %d bytes", ErrBadState, maxWarpStateBytes)
			}
			pairs = append(pairs, trie.Pair{Key: slices.Clone(kv.Key), Value: slices.Clone(kv.Value)})
			start = pairs[len(pairs)-1].Key
		}
		if resp.Complete {
			return pairs, size, nil
		}
	}
}

func (s *Syncer) onWarpDone(r warpResult) {
	s.warp.running = false
	now := s.cfg.Now()
	if r.err != nil {
		s.warp.attempts++
		s.log.Warn("sync: warp sync attempt failed", "peer", r.id, "attempt", s.warp.attempts, "err", r.err)
		if p := s.peers[r.id]; p != nil {
			s.failed(p, "warp", r.err)
		}
		s.warp.until = now.Add(time.Second)
		if s.warp.attempts >= maxWarpAttempts {
			s.log.Warn("sync: warp sync keeps failing; continuing with full sync")
			s.warp.pending = false
		}
		return
	}
	s.warp.pending = false
	s.warp.took = now.Sub(s.warp.started)
	if !r.imported {
		s.log.Info("sync: warp sync: nothing finalized beyond our chain; full sync")
		return
	}
	s.status.Lock()
	s.status.warped, s.status.warpTarget, s.status.warpTook = true, r.ref, s.warp.took
	s.status.Unlock()
	s.progress.reset(now, r.ref.Number)
	s.log.Info(fmt.Sprintf("sync: warp sync to #%d done in %s (%d keys, %d bytes of state)", r.ref.Number, s.warp.took.Round(time.Millisecond), r.keys, r.bytes),
		"hash", r.ref.Hash)
}

// Warped reports the block warp sync started the chain from and how long
// it took, once it is done (ok false before, or when nothing was warped).
func (s *Syncer) Warped() (target chain.BlockRef, took time.Duration, ok bool) {
	s.status.Lock()
	defer s.status.Unlock()
	return s.status.warpTarget, s.status.warpTook, s.status.warped
}
