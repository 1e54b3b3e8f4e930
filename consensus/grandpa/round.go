package grandpa

import (
	"time"

	"github.com/metamars/mars/runtime/types"
)

// sv is one signed vote of one voter.
type sv struct {
	vote Vote
	sig  [64]byte
}

// round is one voting round: its votes per voter (at most two per stage:
// a second, different one is an equivocation) and what they imply.
type round struct {
	number     uint64
	start      time.Time
	prevotes   [][]sv
	precommits [][]sv

	prevoted, precommitted bool
	ownPrevote             []SignedMessage // what we sent (two when equivocating)
	ownPrecommit           []SignedMessage

	// Derived by compute.
	hasGhost, hasEstimate, hasFinalized, completable bool
	ghost, estimate, finalized                       Vote
	prevoteWeight, precommitWeight                   uint64
}

func newRound(n uint64, start time.Time, voters int) *round {
	return &round{number: n, start: start, prevotes: make([][]sv, voters), precommits: make([][]sv, voters)}
}

// add records a vote; it returns the first vote when this one is an
// equivocation, and whether the vote was new.
func add(stage [][]sv, voter int, v sv) (first *sv, isNew bool) {
	cur := stage[voter]
	for _, x := range cur {
		if x.vote == v.vote {
			return nil, false
		}
	}
	if len(cur) >= 2 {
		return nil, false // further equivocations add nothing
	}
	stage[voter] = append(cur, v)
	if len(cur) == 1 {
		return &cur[0], true
	}
	return nil, true
}

func graphVotes(stage [][]sv) []graphVote {
	var out []graphVote
	for i, vs := range stage {
		for _, v := range vs {
			out = append(out, graphVote{voter: i, target: v.vote})
		}
	}
	return out
}

// compute derives the round's prevote GHOST, estimate, finalized block and
// completability (finality-grandpa's Round::update), rooted at the finalized block.
func (s *State) compute(r *round) {
	t := s.vs.threshold()
	total := s.vs.total
	pg := buildGraph(s.vs, s.finalized, graphVotes(r.prevotes), s.lookup)
	cg := buildGraph(s.vs, s.finalized, graphVotes(r.precommits), s.lookup)
	r.prevoteWeight, r.precommitWeight = pg.seen, cg.seen
	r.hasGhost, r.hasEstimate, r.hasFinalized, r.completable = false, false, false, false
	if cg.seen >= t {
		r.finalized, r.hasFinalized = cg.thresholdGhost()
	}
	if pg.seen < t {
		return
	}
	r.ghost, r.hasGhost = pg.thresholdGhost()
	if !r.hasGhost {
		return
	}
	// A block can still be precommitted to threshold if the precommits it has,
	// plus the votes not yet seen, plus the equivocations still tolerated,
	// reach the threshold.
	tolerated := total - t
	additional := uint64(0)
	if tolerated > cg.equivWeight {
		additional = tolerated - cg.equivWeight
	}
	remaining := total - cg.seen
	possible := func(h types.Hash) bool {
		for_ := cg.weight(h)
		if for_ > cg.seen {
			for_ = cg.seen
		}
		eq := min(cg.seen-for_, additional)
		return for_+eq+remaining >= t
	}
	r.estimate, r.hasEstimate = pg.ancestor(r.ghost.Hash, possible)
	if !r.hasEstimate || cg.seen < t {
		return
	}
	if r.estimate != r.ghost {
		r.completable = true
		return
	}
	r.completable = true
	for _, g := range []*voteGraph{pg, cg} {
		if nd := g.nodes[r.estimate.Hash]; nd != nil {
			for _, c := range nd.children {
				if possible(c) {
					r.completable = false
				}
			}
		}
	}
}

// progress runs everything that time or new information allows: finality,
// own votes, moving to the next round, rebroadcasts and the next wakeup.
func (s *State) progress(now time.Time) {
	for range 8 { // each pass may enable the next (bounded: a few rounds per event)
		changed := false
		for _, r := range []*round{s.prev, s.cur} {
			if r == nil {
				continue
			}
			s.compute(r)
			if r.hasFinalized && r.finalized.Number > s.finalized.Number {
				if s.finalizeFromRound(now, r) {
					changed = true
					break
				}
			}
			if r.completable && r.hasFinalized && r.finalized == s.finalized && r.number > s.lastCommitRound {
				s.announceRound(r)
			}
		}
		if changed {
			continue
		}
		r := s.cur
		T := s.cfg.GossipDuration
		if s.self >= 0 && !r.prevoted && (!now.Before(r.start.Add(2*T)) || r.completable) {
			s.castVote(r, KindPrevote, s.bestContaining(s.prevEstimate()))
			continue
		}
		if s.self >= 0 && r.prevoted && !r.precommitted && r.hasGhost && s.descends(s.prevEstimate(), r.ghost) &&
			(!now.Before(r.start.Add(4*T)) || r.completable || r.prevoteWeight == s.vs.total) {
			s.castVote(r, KindPrecommit, r.ghost)
			continue
		}
		if r.completable && (s.self < 0 || r.precommitted) {
			s.prev = r
			s.cur = s.next
			if s.cur == nil || s.cur.number != r.number+1 {
				s.cur = newRound(r.number+1, now, len(s.vs.auths))
			}
			s.cur.start = now
			s.next = nil
			s.persist()
			continue
		}
		break
	}
	if !now.Before(s.lastRebroadcast.Add(s.cfg.Rebroadcast)) {
		s.lastRebroadcast = now
		// The background round too: a peer stuck in it needs our precommit.
		for _, r := range []*round{s.prev, s.cur} {
			if r == nil {
				continue
			}
			for _, m := range append(append([]SignedMessage(nil), r.ownPrevote...), r.ownPrecommit...) {
				s.broadcastVote(r.number, m)
			}
		}
		if s.lastCommit != nil {
			s.acts = append(s.acts, Broadcast{Data: s.lastCommit})
		}
	}
	at := s.lastRebroadcast.Add(s.cfg.Rebroadcast)
	if s.self >= 0 {
		T := s.cfg.GossipDuration
		if p := s.cur.start.Add(2 * T); !s.cur.prevoted && p.Before(at) {
			at = p
		}
		if p := s.cur.start.Add(4 * T); !s.cur.precommitted && p.Before(at) {
			at = p
		}
	}
	if !at.After(now) {
		at = now.Add(time.Millisecond)
	}
	s.acts = append(s.acts, Wakeup{At: at})
}

func (s *State) castVote(r *round, kind uint8, target Vote) {
	m := sign(s.signer, UnsignedMessage{kind, target}, r.number, s.setID)
	own := []SignedMessage{m}
	if s.cfg.Equivocate {
		if alt, ok := s.alternative(target); ok {
			own = append(own, sign(s.signer, UnsignedMessage{kind, alt}, r.number, s.setID))
		}
	}
	stage := r.prevotes
	if kind == KindPrevote {
		r.prevoted, r.ownPrevote = true, own
	} else {
		stage = r.precommits
		r.precommitted, r.ownPrecommit = true, own
	}
	add(stage, s.self, sv{m.Message.Vote, m.Signature})
	s.persist() // before the vote leaves: a crash after it must not vote again
	for _, m := range own {
		s.broadcastVote(r.number, m)
	}
}

// alternative is another block to double-vote for (tests only).
func (s *State) alternative(v Vote) (Vote, bool) {
	if n := s.tree[v.Hash]; n != nil && v.Hash != s.finalized.Hash {
		return Vote{n.parent, v.Number - 1}, true
	}
	for h, n := range s.tree {
		if h != v.Hash && n.parent == v.Hash {
			return Vote{h, n.number}, true
		}
	}
	return Vote{}, false
}

func (s *State) restoreOwn(kind uint8, v Vote) {
	r := s.cur
	m := sign(s.signer, UnsignedMessage{kind, v}, r.number, s.setID)
	if kind == KindPrevote {
		r.prevoted, r.ownPrevote = true, []SignedMessage{m}
		add(r.prevotes, s.self, sv{v, m.Signature})
	} else {
		r.precommitted, r.ownPrecommit = true, []SignedMessage{m}
		add(r.precommits, s.self, sv{v, m.Signature})
	}
}

func (s *State) broadcastVote(round uint64, m SignedMessage) {
	s.acts = append(s.acts, Broadcast{Data: GossipMessage{Vote: &VoteMessage{Round: round, SetID: s.setID, Signed: m}}.Encode()})
}
