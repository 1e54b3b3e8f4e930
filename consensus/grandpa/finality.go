package grandpa

import (
	"fmt"
	"slices"
	"time"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// finalizeFromRound finalizes what round r finalized, if a valid
// justification can be built for it; it reports whether it did.
func (s *State) finalizeFromRound(now time.Time, r *round) bool {
	return s.finalizeCommit(now, r.number, r.finalized, s.finalizingPrecommits(r), true)
}

// finalizingPrecommits are the precommits of r on its finalized block or
// its descendants: the ones a commit or justification for it carries.
func (s *State) finalizingPrecommits(r *round) []SignedPrecommit {
	var pcs []SignedPrecommit
	for i, vs := range r.precommits {
		for _, v := range vs {
			if s.descends(r.finalized, v.vote) {
				pcs = append(pcs, SignedPrecommit{Precommit: v.vote, Signature: v.sig, ID: s.vs.auths[i].ID})
			}
		}
	}
	return pcs
}

// announceRound publishes the commit of a completed round that finalized
// nothing new: peers stuck in an earlier round jump ahead on it (the
// latest commit is what Rebroadcast repeats).
func (s *State) announceRound(r *round) {
	s.lastCommitRound = r.number
	pcs := s.finalizingPrecommits(r)
	if verifyCommit(s.vs, r.number, s.setID, r.finalized, pcs, s.lookup, false) != nil {
		return
	}
	s.lastCommit = GossipMessage{Commit: compactCommit(r.number, s.setID, r.finalized, pcs)}.Encode()
	s.acts = append(s.acts, Broadcast{Data: s.lastCommit})
}

func compactCommit(roundN, setID uint64, target Vote, pcs []SignedPrecommit) *CommitMessage {
	c := &CommitMessage{Round: roundN, SetID: setID, Commit: CompactCommit{Target: target}}
	for _, p := range pcs {
		c.Commit.Precommits = append(c.Commit.Precommits, p.Precommit)
		c.Commit.AuthData = append(c.Commit.AuthData, AuthSig{p.Signature, p.ID})
	}
	return c
}

// finalizeCommit finalizes target with the given precommits of round if they
// form a valid justification and the step skips no set-change block.
func (s *State) finalizeCommit(now time.Time, roundN uint64, target Vote, pcs []SignedPrecommit, announce bool) bool {
	if target.Number <= s.finalized.Number || !s.descends(s.finalized, target) {
		return false
	}
	// Never step over an unfinalized set change: its block must be
	// finalized (and justified) on its own.
	for h := s.tree[target.Hash].parent; h != s.finalized.Hash; h = s.tree[h].parent {
		if s.tree[h].hasChange {
			return false
		}
	}
	j := &Justification{Round: roundN, Target: target, Precommits: pcs}
	seen := map[types.Hash]bool{}
	for _, p := range pcs {
		for h := p.Precommit.Hash; h != target.Hash && !seen[h]; h = s.tree[h].parent {
			seen[h] = true
			j.VotesAncestries = append(j.VotesAncestries, s.tree[h].header)
		}
	}
	slices.SortFunc(j.VotesAncestries, func(a, b types.Header) int { return int(a.Number) - int(b.Number) })
	b := j.Encode()
	// Signatures were checked when the votes (or the commit) arrived.
	if _, err := verifyJustification(b, target.Hash, target.Number, s.setID, s.vs.auths, false); err != nil {
		return false
	}
	node := s.tree[target.Hash]
	act := Finalize{Block: target, Justification: b, Round: roundN, SetID: s.setID}
	s.lastCommitRound = max(s.lastCommitRound, roundN)
	if announce {
		s.lastCommit = GossipMessage{Commit: compactCommit(roundN, s.setID, target, pcs)}.Encode()
		s.acts = append(s.acts, Broadcast{Data: s.lastCommit})
	}
	// Prune to the finalized block's subtree.
	s.finalized = target
	keep := map[types.Hash]*tnode{target.Hash: node}
	for h, n := range s.tree {
		if h != target.Hash && n.number > target.Number && s.descendsIn(target, Vote{h, n.number}) {
			keep[h] = n
		}
	}
	s.tree = keep
	for _, n := range keep {
		n.children = 0
	}
	for h, n := range keep {
		if p, ok := keep[n.parent]; ok && h != target.Hash {
			p.children++
		}
	}
	if node.hasChange {
		vs, err := newVoterSet(append([]Authority(nil), node.change...))
		if err == nil {
			act.NewAuthorities = vs.auths
			s.acts = append(s.acts, act)
			s.enterSet(s.setID+1, vs, target, now)
			s.persist()
			early := s.futureSet
			s.futureSet = nil
			for _, m := range early {
				_ = s.handleMessage(now, m)
			}
			return true
		}
	}
	s.acts = append(s.acts, act)
	s.persist()
	return true
}

// descendsIn is descends on the tree before the finalized mark moved.
func (s *State) descendsIn(base, v Vote) bool {
	h, n := v.Hash, v.Number
	for h != base.Hash {
		node, ok := s.tree[h]
		if !ok || n <= base.Number || node.number != n {
			return false
		}
		h, n = node.parent, n-1
	}
	return true
}

// Bounds of the buffers of messages the voter cannot use yet.
const (
	maxPending   = 8   // commits for blocks not imported yet
	maxFutureSet = 512 // votes of the next authority set
)

// handleMessage processes one gossip message.
func (s *State) handleMessage(now time.Time, data []byte) error {
	g, err := DecodeGossipMessage(data)
	if err != nil {
		return err
	}
	switch {
	case g.Vote != nil:
		return s.handleVote(g.Vote)
	case g.Commit != nil:
		return s.handleCommit(now, g.Commit)
	}
	return errIgnored
}

func (s *State) handleVote(m *VoteMessage) error {
	if m.SetID == s.setID+1 {
		// Voters of the next set may start before we finalize the change
		// block: keep their first votes (bounded) for when we get there.
		if len(s.futureSet) == maxFutureSet {
			s.futureSet = s.futureSet[1:]
		}
		s.futureSet = append(s.futureSet, GossipMessage{Vote: m}.Encode())
		return errIgnored
	}
	if m.SetID != s.setID {
		return errIgnored
	}
	var r *round
	switch {
	case m.Round == s.cur.number:
		r = s.cur
	case s.prev != nil && m.Round == s.prev.number:
		r = s.prev
	case m.Round == s.cur.number+1:
		if s.next == nil || s.next.number != m.Round {
			s.next = newRound(m.Round, time.Time{}, len(s.vs.auths))
		}
		r = s.next
	default:
		return errIgnored
	}
	kind := m.Signed.Message.Kind
	if kind == KindPrimaryPropose {
		return errIgnored
	}
	i, ok := s.vs.index[m.Signed.ID]
	if !ok {
		return fmt.Errorf("%w: %x", ErrNotAuthority, m.Signed.ID[:8])
	}
	stage := r.prevotes
	if kind == KindPrecommit {
		stage = r.precommits
	}
	v := sv{m.Signed.Message.Vote, m.Signed.Signature}
	for _, x := range stage[i] {
		if x == v {
			return errIgnored // a rebroadcast we already have: skip the signature check
		}
	}
	if !verifySig(m.Signed.Message, m.Round, m.SetID, m.Signed.ID, m.Signed.Signature) {
		return ErrBadSignature
	}
	first, _ := add(stage, i, v)
	if first != nil && i != s.self { // pubsub may echo our own (test-only) double votes
		key := reportKey{m.Round, kind, i}
		if !s.reported[key] {
			s.reported[key] = true
			p := EquivocationProof{SetID: s.setID, Stage: kind, Round: m.Round, Identity: m.Signed.ID,
				First: first.vote, FirstSig: first.sig, Second: v.vote, SecondSig: v.sig}
			s.acts = append(s.acts, ReportEquivocation{Proof: p.Encode()})
		}
	}
	return nil
}

// handleCommit verifies a commit against the tree and finalizes its target;
// a commit of the current round or later also moves the voter past it.
func (s *State) handleCommit(now time.Time, c *CommitMessage) error {
	if len(c.Commit.Precommits) != len(c.Commit.AuthData) {
		return ErrDecode
	}
	if c.SetID != s.setID {
		return errIgnored
	}
	if c.Commit.Target.Number <= s.finalized.Number && c.Round < s.cur.number {
		return errIgnored
	}
	pcs := make([]SignedPrecommit, len(c.Commit.Precommits))
	for i, p := range c.Commit.Precommits {
		pcs[i] = SignedPrecommit{Precommit: p, Signature: c.Commit.AuthData[i].Signature, ID: c.Commit.AuthData[i].ID}
	}
	target := c.Commit.Target
	if c.Commit.Target.Number > s.finalized.Number {
		if !s.inTree(target) || !s.allKnown(pcs) {
			if len(s.pending) == maxPending {
				s.pending = s.pending[1:]
			}
			s.pending = append(s.pending, *c)
			return errIgnored
		}
		if err := verifyCommit(s.vs, c.Round, c.SetID, target, pcs, s.lookup, true); err != nil {
			return err
		}
		setBefore := s.setID
		if !s.finalizeCommit(now, c.Round, target, pcs, false) {
			return errIgnored
		}
		s.lastCommit = GossipMessage{Commit: c}.Encode()
		if s.setID != setBefore {
			return nil
		}
	} else if target != s.finalized {
		return errIgnored
	} else if err := verifyCommit(s.vs, c.Round, c.SetID, target, pcs, s.lookup, true); err != nil {
		return err
	}
	if c.Round >= s.cur.number {
		s.prev = nil
		s.cur = newRound(c.Round+1, now, len(s.vs.auths))
		if s.next != nil && s.next.number == s.cur.number {
			s.cur, s.next = s.next, nil
			s.cur.start = now
		}
		s.jumpEstimate = target
		if c.Round > s.lastCommitRound {
			s.lastCommitRound, s.lastCommit = c.Round, GossipMessage{Commit: c}.Encode()
		}
		s.persist()
	}
	return nil
}

func (s *State) allKnown(pcs []SignedPrecommit) bool {
	for _, p := range pcs {
		if !s.inTree(p.Precommit) {
			return false
		}
	}
	return true
}

func (s *State) retryPending(now time.Time) {
	p := s.pending
	s.pending = nil
	for i := range p {
		_ = s.handleCommit(now, &p[i]) // queues itself again while blocks are missing
	}
}

// persisted is the voter state that survives a restart.
type persisted struct {
	setID, round       uint64
	prevote, precommit *Vote
	// prevEstimate is the previous round's estimate (E_{r-1}), which the
	// current round's votes must build on; without it a restarted voter
	// would fall back to the finalized block for one round.
	prevEstimate *Vote
}

func (s *State) persist() {
	e := scale.NewEncoder(128)
	e.PutU64(s.setID)
	e.PutU64(s.cur.number)
	for _, own := range [][]SignedMessage{s.cur.ownPrevote, s.cur.ownPrecommit} {
		e.PutOption(len(own) > 0)
		if len(own) > 0 {
			own[0].Message.Vote.encodeTo(e)
		}
	}
	hasPrev := s.prev != nil && s.prev.hasEstimate
	e.PutOption(hasPrev)
	if hasPrev {
		s.prev.estimate.encodeTo(e)
	}
	s.acts = append(s.acts, Persist{Data: e.Bytes()})
}

func decodePersisted(b []byte) (persisted, error) {
	var p persisted
	if len(b) == 0 {
		return p, ErrDecode
	}
	d := scale.NewDecoder(b)
	p.setID, p.round = d.U64(), d.U64()
	dsts := []**Vote{&p.prevote, &p.precommit}
	for i, dst := range append(dsts, &p.prevEstimate) {
		if i == len(dsts) && d.Remaining() == 0 {
			break // written before prevEstimate was recorded
		}
		if d.Option() {
			v := new(Vote)
			v.decodeFrom(d)
			*dst = v
		}
	}
	if err := d.Finish(); err != nil {
		return persisted{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return p, nil
}
