package grandpa

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

const slot = time.Second

func fourVoters(t *testing.T, extra ...Config) (*sim, []testKey) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	var cfgs []Config
	for _, k := range keys {
		cfgs = append(cfgs, Config{Signer: k})
	}
	cfgs = append(cfgs, extra...)
	return newSim(t, cfgs, testAuthorities(keys)), keys
}

func all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// chainAuthor authors one block per slot on the head, given to the online nodes.
type chainAuthor struct {
	s    *sim
	head types.Header
	tag  byte
	to   func() []int
}

func (a *chainAuthor) start(from, to time.Time) {
	a.s.every(from, to, slot, func() {
		a.head = a.s.author(a.head.Hash(), a.tag, a.to())
	})
}

func TestLivenessAllHonest(t *testing.T) {
	s, _ := fourVoters(t, Config{}) // node 4 is an observer (full node)
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(5) }}
	a.start(t0.Add(slot), t0.Add(30*slot))
	// Sample the finality lag just before each block: at most 3 blocks.
	maxLag := uint32(0)
	s.every(t0.Add(3*slot-time.Millisecond), t0.Add(30*slot), slot, func() {
		for i := range s.nodes {
			maxLag = max(maxLag, a.head.Number-s.finalizedNumber(i))
		}
	})
	s.run(t0.Add(30*slot + 900*time.Millisecond))
	t.Logf("max finality lag %d blocks", maxLag)
	if maxLag > 3 {
		t.Fatalf("finality lagged %d blocks behind the head", maxLag)
	}
	for i := range s.nodes {
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			t.Fatalf("node %d finalized #%d, head #%d: more than 3 behind", i, f, a.head.Number)
		}
		for _, f := range s.nodes[i].finals {
			if _, err := VerifyJustification(f.Justification, f.Block.Hash, f.Block.Number, 0, s.nodes[0].st.Authorities()); err != nil {
				t.Fatalf("node %d: justification of #%d: %v", i, f.Block.Number, err)
			}
		}
		if s.nodes[i].invalid != 0 {
			t.Fatalf("node %d saw %d invalid messages", i, s.nodes[i].invalid)
		}
	}
	if s.nodes[4].st.self != -1 || len(s.nodes[4].finals) == 0 {
		t.Fatal("observer did not follow commits")
	}
}

func TestLivenessOneOffline(t *testing.T) {
	s, _ := fourVoters(t)
	s.nodes[3].online = false
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(20*slot))
	s.run(t0.Add(20*slot + 900*time.Millisecond))
	for i := range 3 {
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			t.Fatalf("node %d finalized #%d, head #%d", i, f, a.head.Number)
		}
	}
}

func TestSafetyOneByzantine(t *testing.T) {
	s, keys := fourVoters(t)
	s.byz[3] = true
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(3*slot))
	s.run(t0.Add(3*slot + 10*time.Millisecond))
	// A conflicting fork from block 1 that everybody imports; the byzantine
	// node votes for its tip in every round besides voting like the others.
	b1 := a.head
	for b1.Number > 1 {
		b1 = s.bt.headers[b1.ParentHash]
	}
	f := s.author(b1.Hash(), 9, all(4))
	f = s.author(f.Hash(), 9, all(4))
	s.fork = s.bt.ref(f)
	a.start(t0.Add(4*slot), t0.Add(25*slot))
	s.run(t0.Add(25*slot + 900*time.Millisecond))
	s.checkSafety()
	for i := range 3 {
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			t.Fatalf("node %d finalized #%d, head #%d", i, f, a.head.Number)
		}
		if len(s.nodes[i].reports) == 0 {
			t.Fatalf("node %d reported no equivocation", i)
		}
		for _, r := range s.nodes[i].reports {
			p, err := DecodeEquivocationProof(r)
			if err != nil || p.Check() != nil || p.Identity != keys[3].Public() {
				t.Fatalf("node %d: bad report %x: %v", i, r, err)
			}
		}
	}
}

func TestNoFinalityWithTwoOfflineThenResume(t *testing.T) {
	s, _ := fourVoters(t)
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(40*slot))
	s.run(t0.Add(5*slot + 500*time.Millisecond))
	s.nodes[2].online, s.nodes[3].online = false, false
	s.run(t0.Add(7 * slot))
	stuck := s.finalizedNumber(0)
	s.run(t0.Add(20 * slot))
	if f := s.finalizedNumber(0); f != stuck || s.finalizedNumber(1) > stuck {
		t.Fatalf("finality moved with 2 of 4 offline: #%d -> #%d", stuck, f)
	}
	if a.head.Number < stuck+10 {
		t.Fatal("blocks stopped")
	}
	// Node 2 restarts from its persisted state and catches up on blocks.
	n := s.nodes[2]
	st, err := NewState(n.cfg, n.st.SetID(), n.st.Authorities(), n.st.Finalized(), n.persisted, s.now)
	if err != nil {
		t.Fatal(err)
	}
	n.st, n.online = st, true
	var missing []types.Header
	for _, h := range s.nodes[0].order {
		if !n.known[h.Hash()] {
			missing = append(missing, h)
		}
	}
	for _, h := range n.order {
		s.apply(2, n.st.Step(BlockImported{Now: s.now, Header: h}))
	}
	for _, h := range missing {
		s.deliverBlock(2, h)
	}
	s.apply(2, n.st.Step(Tick{Now: s.now}))
	s.run(t0.Add(40*slot + 900*time.Millisecond))
	for _, i := range []int{0, 1, 2} {
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			t.Fatalf("node %d finalized #%d after resume, head #%d", i, f, a.head.Number)
		}
	}
}

func TestPartitionHeals(t *testing.T) {
	s, _ := fourVoters(t)
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(5*slot))
	s.run(t0.Add(5*slot + 500*time.Millisecond))
	base := a.head
	s.partitioned = true
	s.nodes[2].side, s.nodes[3].side = 1, 1
	left := &chainAuthor{s: s, head: base, tag: 2, to: func() []int { return []int{0, 1} }}
	right := &chainAuthor{s: s, head: base, tag: 3, to: func() []int { return []int{2, 3} }}
	left.start(t0.Add(6*slot), t0.Add(15*slot))
	right.start(t0.Add(6*slot+500*time.Millisecond), t0.Add(14*slot))
	s.run(t0.Add(15*slot + 600*time.Millisecond))
	for i := range 4 {
		if f := s.finalizedNumber(i); f > base.Number {
			t.Fatalf("node %d finalized #%d past the split at #%d", i, f, base.Number)
		}
	}
	// Heal: everybody gets both forks; the longer (left) one wins.
	s.partitioned = false
	for i := range 4 {
		for _, j := range []int{0, 2} {
			for _, h := range s.nodes[j].order {
				s.deliverBlock(i, h)
			}
		}
	}
	a2 := &chainAuthor{s: s, head: left.head, tag: 4, to: func() []int { return all(4) }}
	a2.start(t0.Add(16*slot), t0.Add(30*slot))
	s.run(t0.Add(30*slot + 900*time.Millisecond))
	s.checkSafety()
	for i := range 4 {
		if f := s.finalizedNumber(i); f+3 < a2.head.Number {
			t.Fatalf("node %d finalized #%d after heal, head #%d", i, f, a2.head.Number)
		}
	}
}

func TestAuthoritySetChange(t *testing.T) {
	k4 := newTestKey(4)
	s, keys := fourVoters(t, Config{Signer: k4}) // node 4 joins the set at the change
	newSet := testAuthorities([]testKey{keys[0], keys[1], keys[2], k4})
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(5) }}
	a.start(t0.Add(slot), t0.Add(4*slot))
	s.run(t0.Add(4*slot + 100*time.Millisecond))
	change := s.author(a.head.Hash(), 1, all(5), ScheduledChangeDigest(newSet, 0))
	a.head = change
	// Blocks keep coming fast, so voters see blocks past the change block.
	a.start(t0.Add(4*slot+300*time.Millisecond), t0.Add(25*slot))
	s.nodes[3].online = false // the old key's node leaves; set 0 still has 3 of 4
	s.run(t0.Add(25*slot + 900*time.Millisecond))
	for _, i := range []int{0, 1, 2, 4} {
		n := s.nodes[i]
		if n.st.SetID() != 1 {
			t.Fatalf("node %d is in set %d", i, n.st.SetID())
		}
		var enacted *Finalize
		for k := range n.finals {
			f := &n.finals[k]
			set, auths := uint64(0), testAuthorities(keys)
			if f.Block.Number > change.Number {
				set, auths = 1, newSet
			}
			if _, err := VerifyJustification(f.Justification, f.Block.Hash, f.Block.Number, set, auths); err != nil {
				t.Fatalf("node %d: justification of #%d (set %d): %v", i, f.Block.Number, set, err)
			}
			if f.NewAuthorities != nil {
				enacted = f
			}
		}
		if enacted == nil || enacted.Block.Hash != change.Hash() {
			t.Fatalf("node %d: change block #%d not finalized on its own", i, change.Number)
		}
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			s.dump()
			t.Fatalf("node %d finalized #%d in the new set, head #%d", i, f, a.head.Number)
		}
	}
}

// Rounds that finalize nothing new (no new blocks) still end with a commit,
// so a voter that comes back after them can jump to the round the others
// are stuck in, and finality resumes.
func TestResumeAfterIdleRounds(t *testing.T) {
	s, _ := fourVoters(t)
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(4*slot))
	s.run(t0.Add(4*slot + 900*time.Millisecond))
	s.nodes[3].online = false
	s.run(t0.Add(15 * slot)) // idle: rounds go on without new blocks
	if s.nodes[0].st.Round() < 10 {
		t.Fatalf("rounds did not go on while idle: round %d", s.nodes[0].st.Round())
	}
	s.nodes[2].online = false
	a.start(t0.Add(16*slot), t0.Add(40*slot))
	s.run(t0.Add(20 * slot))
	stuck := s.finalizedNumber(0)
	n := s.nodes[3] // comes back with the state it had
	n.online = true
	for _, h := range s.nodes[0].order {
		s.deliverBlock(3, h)
	}
	s.apply(3, n.st.Step(Tick{Now: s.now}))
	s.run(t0.Add(40*slot + 900*time.Millisecond))
	for _, i := range []int{0, 1, 3} {
		if f := s.finalizedNumber(i); f+3 < a.head.Number || f <= stuck {
			t.Fatalf("node %d finalized #%d (stuck at #%d), head #%d", i, f, stuck, a.head.Number)
		}
	}
}

// Randomized runs: lossy, jittery links, authors on random forks, one
// byzantine voter double-voting for random blocks, random crashes of one
// honest voter. Safety must always hold (checked at every finalization);
// finality must keep up once the network calms down.
func TestRandomizedSafety(t *testing.T) {
	seeds := 8
	if testing.Short() {
		seeds = 3
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s, _ := fourVoters(t)
			s.rng = rand.New(rand.NewPCG(uint64(seed), 7))
			s.dropRate = 0.1
			s.jitter = 400 * time.Millisecond
			s.byz[3] = true
			s.every(t0.Add(slot), t0.Add(40*slot), slot/2, func() {
				i := s.rng.IntN(3)
				n := s.nodes[i]
				if !n.online {
					return
				}
				head := n.st.bestContaining(n.st.Finalized())
				for k := s.rng.IntN(3); k > 0 && head.Number > n.st.Finalized().Number; k-- {
					head = Vote{n.st.tree[head.Hash].parent, head.Number - 1}
				}
				h := s.bt.child(head.Hash, byte(s.rng.IntN(250)+1))
				for j := range s.nodes {
					at := s.now.Add(time.Duration(s.rng.Int64N(int64(300 * time.Millisecond))))
					s.schedule(at, -1, nil, func() { s.deliverBlock(j, h) })
				}
			})
			// One honest voter crashes for a while and comes back with its state.
			victim := s.rng.IntN(3)
			s.schedule(t0.Add(10*slot), -1, nil, func() { s.nodes[victim].online = false })
			s.schedule(t0.Add(18*slot), -1, nil, func() {
				n := s.nodes[victim]
				n.online = true
				for _, h := range s.bt.all {
					s.deliverBlock(victim, h)
				}
				s.apply(victim, n.st.Step(Tick{Now: s.now}))
			})
			s.run(t0.Add(30 * slot))
			// Calm: no loss, little jitter; finality must catch up.
			s.dropRate, s.jitter = 0, 20*time.Millisecond
			s.run(t0.Add(45 * slot))
			s.checkSafety()
			for i := range 3 {
				n := s.nodes[i]
				best := n.st.bestContaining(n.st.Finalized())
				if f := s.finalizedNumber(i); f+3 < best.Number || f < 20 {
					t.Fatalf("node %d finalized #%d, its best #%d", i, f, best.Number)
				}
				if len(n.reports) == 0 {
					t.Fatalf("node %d reported no equivocation", i)
				}
			}
		})
	}
}
