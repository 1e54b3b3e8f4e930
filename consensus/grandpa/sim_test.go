package grandpa

import (
	"container/heap"
	"crypto/ed25519"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// testKey is a deterministic ed25519 signer for tests.
type testKey struct{ priv ed25519.PrivateKey }

func newTestKey(i int) testKey {
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(i)+1)
	seed[31] = 0x5a
	return testKey{ed25519.NewKeyFromSeed(seed[:])}
}

func (k testKey) Public() (p [32]byte) { copy(p[:], k.priv.Public().(ed25519.PublicKey)); return }
func (k testKey) Sign(m []byte) []byte { return ed25519.Sign(k.priv, m) }

func testAuthorities(keys []testKey) []Authority {
	out := make([]Authority, len(keys))
	for i, k := range keys {
		out[i] = Authority{ID: k.Public(), Weight: 1}
	}
	return out
}

var t0 = time.Unix(1_700_000_000, 0)

// blockTree is a deterministic fake block tree.
type blockTree struct {
	headers map[types.Hash]types.Header
	genesis types.Header
	all     []types.Header // in creation order
}

func newBlockTree() *blockTree {
	g := types.Header{StateRoot: types.Hash{0xee}}
	return &blockTree{headers: map[types.Hash]types.Header{g.Hash(): g}, genesis: g}
}

// child makes a block on parent; tag tells forks apart.
func (bt *blockTree) child(parent types.Hash, tag byte, digest ...types.DigestItem) types.Header {
	p := bt.headers[parent]
	h := types.Header{ParentHash: parent, Number: p.Number + 1, Digest: digest}
	h.StateRoot[0] = tag
	binary.LittleEndian.PutUint32(h.StateRoot[1:], h.Number)
	bt.headers[h.Hash()] = h
	bt.all = append(bt.all, h)
	return h
}

func (bt *blockTree) ref(h types.Header) Vote { return Vote{h.Hash(), h.Number} }

// isAncestor: a is b or an ancestor of b.
func (bt *blockTree) isAncestor(a, b Vote) bool {
	for b.Number > a.Number {
		h, ok := bt.headers[b.Hash]
		if !ok {
			return false
		}
		b = Vote{h.ParentHash, b.Number - 1}
	}
	return a == b
}

func (bt *blockTree) lookup(h types.Hash) (types.Hash, uint32, bool) {
	hd, ok := bt.headers[h]
	return hd.ParentHash, hd.Number, ok
}

type simNode struct {
	cfg       Config
	st        *State
	online    bool
	side      int
	wake      time.Time
	persisted []byte
	finals    []Finalize
	checked   int // finals already checked for safety
	reports   [][]byte
	known     map[types.Hash]bool
	order     []types.Header // blocks delivered to the node, in order
	invalid   int
}

type simEvent struct {
	at   time.Time
	seq  uint64
	node int
	ev   Event
	fn   func()
}

type eventHeap []*simEvent

func (h eventHeap) Len() int { return len(h) }
func (h eventHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h eventHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)   { *h = append(*h, x.(*simEvent)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// sim is 4 (or more) voters over an in-memory bus with a virtual clock.
type sim struct {
	t       *testing.T
	now     time.Time
	seq     uint64
	q       eventHeap
	nodes   []*simNode
	bt      *blockTree
	latency time.Duration
	// heads are the chain tips blocks get authored on, per partition side.
	partitioned bool
	byz         map[int]bool
	highest     Vote // highest block finalized by an honest node
	fork        Vote // the byzantine node's conflicting target
	byzDone     map[uint64]bool
	// Randomized runs: message loss, jitter, random byzantine targets.
	rng      *rand.Rand
	dropRate float64
	jitter   time.Duration
}

func newSim(t *testing.T, cfgs []Config, auths []Authority) *sim {
	s := &sim{t: t, now: t0, bt: newBlockTree(), latency: 20 * time.Millisecond, byz: map[int]bool{}, byzDone: map[uint64]bool{}}
	g := s.bt.ref(s.bt.genesis)
	for _, cfg := range cfgs {
		st, err := NewState(cfg, 0, auths, g, nil, t0)
		if err != nil {
			t.Fatal(err)
		}
		n := &simNode{cfg: cfg, st: st, online: true, known: map[types.Hash]bool{g.Hash: true}}
		s.nodes = append(s.nodes, n)
	}
	for i := range s.nodes {
		s.apply(i, s.nodes[i].st.Step(Tick{Now: t0}))
	}
	return s
}

func (s *sim) schedule(at time.Time, node int, ev Event, fn func()) {
	s.seq++
	heap.Push(&s.q, &simEvent{at: at, seq: s.seq, node: node, ev: ev, fn: fn})
}

func (s *sim) connected(a, b int) bool {
	return s.nodes[a].online && s.nodes[b].online && (!s.partitioned || s.nodes[a].side == s.nodes[b].side)
}

func (s *sim) apply(i int, acts []Action) {
	n := s.nodes[i]
	for _, a := range acts {
		switch a := a.(type) {
		case Broadcast:
			s.broadcast(i, a.Data)
		case Wakeup:
			n.wake = a.At
			s.schedule(a.At, i, Tick{Now: a.At}, nil)
		case Persist:
			n.persisted = a.Data
		case Finalize:
			n.finals = append(n.finals, a)
			s.checkSafety()
		case ReportEquivocation:
			n.reports = append(n.reports, a.Proof)
		case Invalid:
			n.invalid++
		}
	}
}

func (s *sim) broadcast(from int, data []byte) {
	for j := range s.nodes {
		if j != from && s.connected(from, j) {
			at := s.now.Add(s.latency)
			if s.rng != nil {
				if s.rng.Float64() < s.dropRate {
					continue
				}
				at = at.Add(time.Duration(s.rng.Int64N(int64(s.jitter) + 1)))
			}
			s.schedule(at, j, MessageReceived{Now: at, From: "n", Data: data}, nil)
		}
	}
}

func (s *sim) deliverBlock(i int, h types.Header) {
	n := s.nodes[i]
	if !n.online || n.known[h.Hash()] {
		return
	}
	n.known[h.Hash()] = true
	n.order = append(n.order, h)
	s.apply(i, n.st.Step(BlockImported{Now: s.now, Header: h}))
}

// author makes a block on parent at the current time and gives it to nodes.
func (s *sim) author(parent types.Hash, tag byte, to []int, digest ...types.DigestItem) types.Header {
	h := s.bt.child(parent, tag, digest...)
	for _, i := range to {
		s.deliverBlock(i, h)
	}
	return h
}

// run processes events up to until.
func (s *sim) run(until time.Time) {
	for s.q.Len() > 0 && !s.q[0].at.After(until) {
		e := heap.Pop(&s.q).(*simEvent)
		s.now = e.at
		if e.fn != nil {
			e.fn()
			continue
		}
		n := s.nodes[e.node]
		if !n.online {
			continue
		}
		if tk, ok := e.ev.(Tick); ok && !tk.Now.Equal(n.wake) {
			continue
		}
		if s.byz[e.node] {
			s.byzantine(e.node, e.ev)
		}
		s.apply(e.node, n.st.Step(e.ev))
	}
	s.now = until
}

// every schedules fn every d from start to end.
func (s *sim) every(start, end time.Time, d time.Duration, fn func()) {
	for at := start; !at.After(end); at = at.Add(d) {
		s.schedule(at, -1, nil, fn)
	}
}

// checkSafety fails if two honest nodes finalized conflicting blocks: every
// finalized block must be an ancestor or a descendant of the highest one.
func (s *sim) checkSafety() {
	s.t.Helper()
	for i, n := range s.nodes {
		if s.byz[i] {
			continue
		}
		for _, f := range n.finals[n.checked:] {
			b := f.Block
			switch {
			case s.highest == (Vote{}) || s.bt.isAncestor(s.highest, b):
				s.highest = b
			case s.bt.isAncestor(b, s.highest):
			default:
				s.t.Fatalf("conflicting finality: #%d %x and #%d %x", b.Number, b.Hash[:4], s.highest.Number, s.highest.Hash[:4])
			}
		}
		n.checked = len(n.finals)
	}
}

func (s *sim) finalizedNumber(i int) uint32 { return s.nodes[i].st.Finalized().Number }

// byzantine makes node i vote, in every round it hears of, for both the
// block it would vote for and a conflicting fork (fork must be set).
func (s *sim) byzantine(i int, ev Event) {
	m, ok := ev.(MessageReceived)
	if !ok || (s.fork == (Vote{}) && s.rng == nil) {
		return
	}
	g, err := DecodeGossipMessage(m.Data)
	if err != nil || g.Vote == nil || s.byzDone[g.Vote.Round] {
		return
	}
	s.byzDone[g.Vote.Round] = true
	for _, kind := range []uint8{KindPrevote, KindPrecommit} {
		target := s.fork
		if s.rng != nil && len(s.bt.all) > 0 {
			target = s.bt.ref(s.bt.all[s.rng.IntN(len(s.bt.all))])
		}
		sm := sign(s.nodes[i].cfg.Signer, UnsignedMessage{kind, target}, g.Vote.Round, g.Vote.SetID)
		s.broadcast(i, GossipMessage{Vote: &VoteMessage{Round: g.Vote.Round, SetID: g.Vote.SetID, Signed: sm}}.Encode())
	}
}
