package grandpa

import (
	"errors"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// Config tunes the state machine.
type Config struct {
	// GossipDuration is the paper's T: prevote at 2T after a round starts,
	// precommit at 4T at the latest (default 333 ms).
	GossipDuration time.Duration
	// Rebroadcast is how often own votes of the current round and the
	// latest commit are published again, so peers that missed them (or
	// joined late) catch up (default 3 s).
	Rebroadcast time.Duration
	// Signer is the voter's ed25519 key; nil makes an observer that only
	// follows commits. A signer outside the set observes too.
	Signer Signer
	// Keys, when set, is asked at every authority set for the key of each
	// member in turn (nil if this node does not hold it); the first one
	// held votes. It replaces Signer, so that a validator whose keys were
	// rotated (author_rotateKeys, session.set_keys) votes with whichever of
	// its keys the set has, without a restart.
	Keys func(id [32]byte) Signer
	// Equivocate (tests only) makes the voter sign a second, different
	// vote in every stage.
	Equivocate bool
}

func (c *Config) defaults() {
	if c.GossipDuration <= 0 {
		c.GossipDuration = 333 * time.Millisecond
	}
	if c.Rebroadcast <= 0 {
		c.Rebroadcast = 3 * time.Second
	}
}

// Event is an input of Step. Every event carries the time it happened.
type Event interface{ eventTime() time.Time }

// BlockImported: a block joined the chain.
type BlockImported struct {
	Now    time.Time
	Header types.Header
}

// MessageReceived: a gossip message from the "grandpa" topic.
type MessageReceived struct {
	Now  time.Time
	From string
	Data []byte
}

// Tick: time passed (the driver sends one at each Wakeup it was asked for).
type Tick struct{ Now time.Time }

func (e BlockImported) eventTime() time.Time   { return e.Now }
func (e MessageReceived) eventTime() time.Time { return e.Now }
func (e Tick) eventTime() time.Time            { return e.Now }

// Action is an output of Step, executed by the driver in order.
type Action interface{ isAction() }

// Broadcast: publish Data on the "grandpa" topic.
type Broadcast struct{ Data []byte }

// Finalize: mark Block final with its justification (SCALE GrandpaJustification).
// NewSetID/NewAuthorities are set when Block enacted an authority-set change.
type Finalize struct {
	Block          Vote
	Justification  []byte
	Round, SetID   uint64
	NewAuthorities []Authority
}

// ReportEquivocation: SCALE EquivocationProof bytes for the runtime.
type ReportEquivocation struct{ Proof []byte }

// Wakeup: send a Tick at At (only the latest Wakeup matters).
type Wakeup struct{ At time.Time }

// Persist: store Data; give it back to NewState after a restart.
type Persist struct{ Data []byte }

// Invalid: the message from a peer was invalid (for peer scoring).
type Invalid struct {
	From string
	Err  error
}

func (Broadcast) isAction()          {}
func (Finalize) isAction()           {}
func (ReportEquivocation) isAction() {}
func (Wakeup) isAction()             {}
func (Persist) isAction()            {}
func (Invalid) isAction()            {}

// tnode is a block of the unfinalized tree (its root is the finalized block).
type tnode struct {
	parent    types.Hash
	number    uint32
	seq       uint64
	header    types.Header
	change    []Authority
	hasChange bool
	children  int // blocks in the tree whose parent this is
}

// State is the voter's whole state. It is advanced only by Step, on one
// goroutine; it reads no clock and does no I/O, so tests drive it by events.
type State struct {
	cfg       Config
	setID     uint64
	vs        *voterSet
	self      int    // index of the signer in the set, -1 if observing
	signer    Signer // the key that votes in this set (nil if observing)
	finalized Vote
	tree      map[types.Hash]*tnode
	seq       uint64

	cur, prev, next *round
	// jumpEstimate replaces the previous round's estimate after a jump.
	jumpEstimate Vote

	lastCommit      []byte // latest commit gossip message, published again
	lastCommitRound uint64 // round of lastCommit (in the current set)
	lastRebroadcast time.Time
	reported        map[reportKey]bool
	pending         []CommitMessage // commits waiting for blocks
	futureSet       [][]byte        // votes of the next set, replayed on entering it
	acts            []Action
}

type reportKey struct {
	round uint64
	stage uint8
	voter int
}

// NewState returns a voter for set (setID, auths) whose last finalized block
// is finalized. persisted is the latest Persist data (nil at first start):
// when it is for the same set, the voter resumes its round and own votes, so
// a restart never signs a conflicting vote.
func NewState(cfg Config, setID uint64, auths []Authority, finalized Vote, persisted []byte, now time.Time) (*State, error) {
	cfg.defaults()
	vs, err := newVoterSet(append([]Authority(nil), auths...))
	if err != nil {
		return nil, err
	}
	s := &State{cfg: cfg, reported: map[reportKey]bool{}, lastRebroadcast: now}
	s.enterSet(setID, vs, finalized, now)
	if p, err := decodePersisted(persisted); err == nil && p.setID == setID && p.round >= 1 {
		s.cur = newRound(p.round, now, len(vs.auths))
		s.jumpEstimate = finalized
		if p.prevEstimate != nil && p.prevEstimate.Number >= finalized.Number {
			// Used once its block is imported (prevEstimate checks it
			// descends from the finalized block).
			s.jumpEstimate = *p.prevEstimate
		}
		if s.self >= 0 {
			if p.prevote != nil {
				s.restoreOwn(KindPrevote, *p.prevote)
			}
			if p.precommit != nil {
				s.restoreOwn(KindPrecommit, *p.precommit)
			}
		}
	}
	return s, nil
}

func (s *State) enterSet(setID uint64, vs *voterSet, finalized Vote, now time.Time) {
	s.setID, s.vs = setID, vs
	s.self, s.signer = -1, nil
	switch {
	case s.cfg.Keys != nil:
		for i, a := range vs.auths {
			if k := s.cfg.Keys(a.ID); k != nil && k.Public() == a.ID {
				s.self, s.signer = i, k
				break
			}
		}
	case s.cfg.Signer != nil:
		if i, ok := vs.index[s.cfg.Signer.Public()]; ok {
			s.self, s.signer = i, s.cfg.Signer
		}
	}
	s.finalized = finalized
	if s.tree[finalized.Hash] == nil {
		// A fresh start; otherwise the tree is already pruned to finalized.
		s.tree = map[types.Hash]*tnode{finalized.Hash: {number: finalized.Number}}
	}
	s.cur, s.prev, s.next = newRound(1, now, len(vs.auths)), nil, nil
	s.jumpEstimate = finalized
	s.pending = nil
	s.lastCommitRound = 0
	clear(s.reported)
}

// SetID is the current authority set id.
func (s *State) SetID() uint64 { return s.setID }

// Round is the current round number.
func (s *State) Round() uint64 { return s.cur.number }

// Finalized is the last block this voter finalized (or started from).
func (s *State) Finalized() Vote { return s.finalized }

// Authorities is the current set.
func (s *State) Authorities() []Authority { return append([]Authority(nil), s.vs.auths...) }

// Step advances the state by one event and returns the actions to run.
func (s *State) Step(ev Event) []Action {
	s.acts = s.acts[:0:0]
	now := ev.eventTime()
	switch e := ev.(type) {
	case BlockImported:
		s.importBlock(e.Header)
		s.retryPending(now)
	case MessageReceived:
		if err := s.handleMessage(now, e.Data); err != nil && !errors.Is(err, errIgnored) {
			s.acts = append(s.acts, Invalid{From: e.From, Err: err})
		}
	case Tick:
	}
	s.progress(now)
	return s.acts
}

var errIgnored = errors.New("grandpa: message ignored")

func (s *State) importBlock(h types.Header) {
	hash := h.Hash()
	if _, ok := s.tree[hash]; ok || h.Number == 0 {
		return
	}
	p, ok := s.tree[h.ParentHash]
	if !ok || p.number+1 != h.Number {
		return // not above our finalized block (the driver feeds ancestors first)
	}
	s.seq++
	n := &tnode{parent: h.ParentHash, number: h.Number, seq: s.seq, header: h}
	n.change, _, n.hasChange = DecodeScheduledChange(&h)
	s.tree[hash] = n
	p.children++
}

func (s *State) lookup(h types.Hash) (types.Hash, uint32, bool) {
	n, ok := s.tree[h]
	if !ok || h == s.finalized.Hash {
		return types.Hash{}, 0, false
	}
	return n.parent, n.number, true
}

// descends reports whether v is base or a descendant of it in the tree.
func (s *State) descends(base, v Vote) bool { return connects(base, v, s.lookup) }

func (s *State) inTree(v Vote) bool {
	n, ok := s.tree[v.Hash]
	return ok && n.number == v.Number
}

// bestContaining is the voting target: the head of the longest chain
// containing base (first seen wins ties), cut at the first unfinalized
// block that schedules a set change, so every set change is finalized on
// its own block.
func (s *State) bestContaining(base Vote) Vote {
	best, bestSeq := base, uint64(1<<63)
	// Only leaves: the longest chain containing base ends in one, and
	// while finality stalls the tree grows by a block a slot, so walking
	// every node (each with an ancestry check) would cost O(n²) per vote.
	for h, n := range s.tree {
		if n.children > 0 {
			continue
		}
		v := Vote{h, n.number}
		if n.number < best.Number || (n.number == best.Number && n.seq >= bestSeq) || !s.descends(base, v) {
			continue
		}
		best, bestSeq = v, n.seq
	}
	// Cut at the lowest change block above the finalized one.
	target := best
	for h, n := best.Hash, best.Number; h != s.finalized.Hash; {
		node := s.tree[h]
		if node == nil {
			break
		}
		if node.hasChange {
			target = Vote{h, n}
		}
		h, n = node.parent, n-1
	}
	return target
}

// prevEstimate is the estimate of the previous round the current round
// builds on (the paper's E_{r-1}), never below the finalized block.
func (s *State) prevEstimate() Vote {
	if s.prev != nil && s.prev.hasEstimate && s.descends(s.finalized, s.prev.estimate) {
		return s.prev.estimate
	}
	if s.descends(s.finalized, s.jumpEstimate) {
		return s.jumpEstimate
	}
	return s.finalized
}
