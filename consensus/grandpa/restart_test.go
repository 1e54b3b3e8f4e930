package grandpa

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/runtime/types"
)

// The test-only Equivocate option: the others report it, finality goes on
// and stays consistent.
func TestEquivocateOption(t *testing.T) {
	s, keys := fourVoters(t)
	s.nodes[3].st.cfg.Equivocate = true
	a := &chainAuthor{s: s, head: s.bt.genesis, tag: 1, to: func() []int { return all(4) }}
	a.start(t0.Add(slot), t0.Add(15*slot))
	s.run(t0.Add(15*slot + 900*time.Millisecond))
	s.checkSafety()
	for i := range 3 {
		if len(s.nodes[i].reports) == 0 {
			t.Fatalf("node %d reported nothing", i)
		}
		p, err := DecodeEquivocationProof(s.nodes[i].reports[0])
		if err != nil || p.Check() != nil || p.Identity != keys[3].Public() {
			t.Fatalf("bad proof: %v", err)
		}
		if f := s.finalizedNumber(i); f+3 < a.head.Number {
			t.Fatalf("node %d finalized #%d, head #%d", i, f, a.head.Number)
		}
	}
}

// A restarted voter resumes its round with the votes it had cast, so it
// never signs a different vote for the same round and stage.
func TestRestartKeepsOwnVotes(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	bt := newBlockTree()
	cfg := Config{Signer: keys[0]}
	st, err := NewState(cfg, 0, testAuthorities(keys), bt.ref(bt.genesis), nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	h1 := bt.child(bt.genesis.Hash(), 1)
	st.Step(BlockImported{Now: t0, Header: h1})
	var saved []byte
	var sent [][]byte
	for _, a := range st.Step(Tick{Now: t0.Add(time.Second)}) { // past 2T: prevotes #1
		switch a := a.(type) {
		case Persist:
			saved = a.Data
		case Broadcast:
			sent = append(sent, a.Data)
		}
	}
	if len(sent) != 1 || saved == nil {
		t.Fatalf("sent %d votes, persisted %v", len(sent), saved != nil)
	}
	// Restart with a longer chain: the prevote of round 1 stays #1.
	st2, err := NewState(cfg, 0, testAuthorities(keys), bt.ref(bt.genesis), saved, t0.Add(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	st2.Step(BlockImported{Now: t0.Add(2 * time.Second), Header: h1})
	st2.Step(BlockImported{Now: t0.Add(2 * time.Second), Header: bt.child(h1.Hash(), 1)})
	acts := st2.Step(Tick{Now: t0.Add(10 * time.Second)})
	for _, a := range acts {
		b, ok := a.(Broadcast)
		if !ok {
			continue
		}
		g, _ := DecodeGossipMessage(b.Data)
		if g.Vote != nil && g.Vote.Round == 1 && g.Vote.Signed.Message.Kind == KindPrevote && g.Vote.Signed.Message.Vote != bt.ref(h1) {
			t.Fatalf("restarted voter prevoted #%d in round 1 again", g.Vote.Signed.Message.Vote.Number)
		}
	}
	if st2.Round() != 1 || !st2.cur.prevoted {
		t.Fatalf("round %d prevoted=%v", st2.Round(), st2.cur.prevoted)
	}
	if _, err := NewState(cfg, 0, nil, bt.ref(bt.genesis), nil, t0); !errors.Is(err, ErrEmptyAuthorities) {
		t.Fatalf("empty set: %v", err)
	}
}

// fakeChain implements Chain over a blockTree.
type fakeChain struct {
	mu        sync.Mutex
	bt        *blockTree
	best, fin chain.BlockRef
	ch        chan chain.Event
	finalized chan chain.BlockRef
	justs     map[types.Hash][]byte
}

func (c *fakeChain) Header(h types.Hash) (*types.Header, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hd, ok := c.bt.headers[h]
	if !ok {
		return nil, errors.New("unknown")
	}
	return &hd, nil
}
func (c *fakeChain) Best() chain.BlockRef      { c.mu.Lock(); defer c.mu.Unlock(); return c.best }
func (c *fakeChain) Finalized() chain.BlockRef { c.mu.Lock(); defer c.mu.Unlock(); return c.fin }
func (c *fakeChain) Subscribe() (<-chan chain.Event, func()) {
	return c.ch, func() {}
}
func (c *fakeChain) Finalize(h types.Hash, j []byte) error {
	c.mu.Lock()
	hd := c.bt.headers[h]
	c.fin = chain.BlockRef{Hash: h, Number: hd.Number}
	c.justs[h] = j
	c.mu.Unlock()
	c.finalized <- c.fin
	return nil
}

// loopGossip delivers a voter's messages to a set of scripted peers.
type loopGossip struct {
	in  chan Message
	out chan []byte
}

func (g *loopGossip) Publish(_ context.Context, b []byte) error { g.out <- b; return nil }
func (g *loopGossip) Messages() <-chan Message                  { return g.in }

// The driver: one voter and three scripted peers that answer every vote
// with the same vote, over a manual clock. The voter finalizes and stores
// the justification, persists its state and reports round state.
func TestVoterDriver(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	auths := testAuthorities(keys)
	bt := newBlockTree()
	g := bt.ref(bt.genesis)
	h1 := bt.child(g.Hash, 1)
	h2 := bt.child(h1.Hash(), 1)
	fc := &fakeChain{bt: bt, best: chain.BlockRef{Hash: h2.Hash(), Number: 2}, fin: chain.BlockRef{Hash: g.Hash},
		ch: make(chan chain.Event, 8), finalized: make(chan chain.BlockRef, 8), justs: map[types.Hash][]byte{}}
	gos := &loopGossip{in: make(chan Message, 64), out: make(chan []byte, 64)}
	store := db.NewMemory()
	var mu sync.Mutex
	now := t0
	type timerReq struct {
		d time.Duration
		c chan time.Time
	}
	timers := make(chan timerReq, 64)
	v, err := NewVoter(VoterConfig{
		Config: Config{Signer: keys[0]}, Chain: fc, Gossip: gos, Store: store,
		Authorities: func(types.Hash) ([]Authority, uint64, error) { return auths, 0, nil },
		Now:         func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		After: func(d time.Duration) <-chan time.Time {
			c := make(chan time.Time, 1)
			timers <- timerReq{d, c}
			return c
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- v.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	}()
	// A manual clock: each timer the voter asks for fires at once, moving
	// the clock forward by its duration. Peers answer each vote in kind.
	var fin chain.BlockRef
	for fin.Number < 2 {
		select {
		case r := <-timers:
			mu.Lock()
			now = now.Add(r.d)
			r.c <- now
			mu.Unlock()
		case b := <-gos.out:
			m, err := DecodeGossipMessage(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.Vote == nil {
				continue
			}
			for _, k := range keys[1:] {
				sm := sign(k, m.Vote.Signed.Message, m.Vote.Round, m.Vote.SetID)
				gos.in <- Message{From: "peer", Data: GossipMessage{Vote: &VoteMessage{Round: m.Vote.Round, SetID: 0, Signed: sm}}.Encode()}
			}
		case fin = <-fc.finalized:
		case <-time.After(10 * time.Second):
			t.Fatal("voter did not finalize")
		}
	}
	if _, err := VerifyJustification(fc.justs[h2.Hash()], h2.Hash(), 2, 0, auths); err != nil {
		t.Fatalf("stored justification: %v", err)
	}
	if saved, err := store.Get(StoreKey); err != nil || len(saved) == 0 {
		t.Fatalf("nothing persisted: %v", err)
	}
	if rs := v.RoundState(); rs.SetID != 0 || rs.Best.TotalWeight != 4 || rs.Best.ThresholdWeight != 3 {
		t.Fatalf("round state %+v", rs)
	}
}

// A block on a fork the voter did not see at start brings its ancestors in.
func TestVoterImportsForkAncestors(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	bt := newBlockTree()
	g := bt.ref(bt.genesis)
	h1 := bt.child(g.Hash, 1)
	f1 := bt.child(g.Hash, 2)
	f2 := bt.child(f1.Hash(), 2)
	f3 := bt.child(f2.Hash(), 2)
	fc := &fakeChain{bt: bt, best: chain.BlockRef{Hash: h1.Hash(), Number: 1}, fin: chain.BlockRef{Hash: g.Hash}, justs: map[types.Hash][]byte{}}
	v, err := NewVoter(VoterConfig{Chain: fc, Gossip: &loopGossip{}, Now: func() time.Time { return t0 },
		Authorities: func(types.Hash) ([]Authority, uint64, error) { return testAuthorities(keys), 0, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.start(); err != nil {
		t.Fatal(err)
	}
	v.importWithAncestors(f3)
	for _, h := range []types.Header{h1, f1, f2, f3} {
		if !v.st.inTree(bt.ref(h)) {
			t.Fatalf("block #%d (tag %d) missing", h.Number, h.StateRoot[0])
		}
	}
	if best := v.st.bestContaining(g); best != bt.ref(f3) {
		t.Fatalf("best chain head #%d, want the longer fork", best.Number)
	}
}

// Votes: bad signatures and strangers are invalid (for peer scoring); a
// second, different vote is reported once; stale sets are ignored quietly.
func TestVoteHandling(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	bt := newBlockTree()
	st, err := NewState(Config{}, 5, testAuthorities(keys), bt.ref(bt.genesis), nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	h1 := bt.child(bt.genesis.Hash(), 1)
	h1b := bt.child(bt.genesis.Hash(), 2)
	st.Step(BlockImported{Now: t0, Header: h1})
	st.Step(BlockImported{Now: t0, Header: h1b})
	vote := func(k testKey, target types.Header, set uint64) []byte {
		sm := sign(k, UnsignedMessage{KindPrevote, bt.ref(target)}, 1, set)
		return GossipMessage{Vote: &VoteMessage{Round: 1, SetID: set, Signed: sm}}.Encode()
	}
	count := func(acts []Action) (invalid, reports int) {
		for _, a := range acts {
			switch a.(type) {
			case Invalid:
				invalid++
			case ReportEquivocation:
				reports++
			}
		}
		return
	}
	bad := vote(keys[1], h1, 5)
	bad[len(bad)-40] ^= 1 // inside the signature
	stranger := vote(newTestKey(9), h1, 5)
	for name, b := range map[string][]byte{"bad signature": bad, "stranger": stranger, "garbage": {0, 1, 2}} {
		if inv, _ := count(st.Step(MessageReceived{Now: t0, Data: b})); inv != 1 {
			t.Fatalf("%s: %d invalid", name, inv)
		}
	}
	if inv, _ := count(st.Step(MessageReceived{Now: t0, Data: vote(keys[1], h1, 4)})); inv != 0 {
		t.Fatal("a vote of an old set was blamed")
	}
	st.Step(MessageReceived{Now: t0, Data: vote(keys[1], h1, 5)})
	_, rep := count(st.Step(MessageReceived{Now: t0, Data: vote(keys[1], h1b, 5)}))
	_, rep2 := count(st.Step(MessageReceived{Now: t0, Data: vote(keys[1], h1b, 5)}))
	if rep != 1 || rep2 != 0 {
		t.Fatalf("reports %d then %d, want 1 then 0", rep, rep2)
	}
	if rs := st.RoundState(); rs.Best.Prevotes.CurrentWeight != 1 || len(rs.Best.Prevotes.Missing) != 3 || rs.SetID != 5 {
		t.Fatalf("round state %+v", rs)
	}
	js, _ := json.Marshal(st.RoundState())
	for _, k := range []string{`"setId":5`, `"best":{"round":1,"totalWeight":4,"thresholdWeight":3,"prevotes":{"currentWeight":1,"missing":["`, `"background":[]`} {
		if !strings.Contains(string(js), k) {
			t.Fatalf("round state JSON %s lacks %s", js, k)
		}
	}
}

func TestVoterValidate(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	bt := newBlockTree()
	fc := &fakeChain{bt: bt, best: chain.BlockRef{Hash: bt.genesis.Hash()}, fin: chain.BlockRef{Hash: bt.genesis.Hash()}}
	v, err := NewVoter(VoterConfig{Chain: fc, Gossip: &loopGossip{}, Now: func() time.Time { return t0 },
		Authorities: func(types.Hash) ([]Authority, uint64, error) { return testAuthorities(keys), 2, nil }})
	if err != nil {
		t.Fatal(err)
	}
	acts, err := v.start()
	if err != nil {
		t.Fatal(err)
	}
	v.execute(context.Background(), acts, nil)
	vote := func(k testKey, set uint64) []byte {
		sm := sign(k, UnsignedMessage{KindPrevote, bt.ref(bt.genesis)}, 1, set)
		return GossipMessage{Vote: &VoteMessage{Round: 1, SetID: set, Signed: sm}}.Encode()
	}
	bad := vote(keys[0], 2)
	bad[len(bad)-40] ^= 1
	// commit signed by signers (each precommit on the genesis block).
	commit := func(set uint64, signers ...testKey) []byte {
		target := bt.ref(bt.genesis)
		c := &CommitMessage{Round: 1, SetID: set, Commit: CompactCommit{Target: target}}
		for _, k := range signers {
			sm := sign(k, UnsignedMessage{KindPrecommit, target}, 1, set)
			c.Commit.Precommits = append(c.Commit.Precommits, target)
			c.Commit.AuthData = append(c.Commit.AuthData, AuthSig{Signature: sm.Signature, ID: sm.ID})
		}
		return GossipMessage{Commit: c}.Encode()
	}
	forged := commit(2, keys[0], keys[1], keys[2])
	forged[len(forged)-40] ^= 1 // the last signature
	for _, c := range []struct {
		data []byte
		want error
	}{
		{vote(keys[0], 2), nil},
		{vote(keys[0], 3), nil}, // next set: unknown yet
		{vote(keys[0], 4), ErrStale},
		{vote(keys[0], 1), ErrStale},
		{commit(2, keys[0], keys[1], keys[2]), nil},
		{commit(2), ErrWeight},                            // no signatures at all
		{commit(2, keys[0], keys[1]), ErrWeight},          // 2 of 4 is not > 2/3
		{commit(2, keys[0], keys[0], keys[1]), ErrWeight}, // a signer counted once
		{commit(2, keys[0], keys[1], newTestKey(9)), ErrNotAuthority},
		{forged, ErrBadSignature},
		{commit(3), nil}, // next set: structure only
		{vote(newTestKey(7), 2), ErrNotAuthority},
		{bad, ErrBadSignature},
		{[]byte{7}, ErrUnknownMessage},
	} {
		if err := v.Validate(c.data); !errors.Is(err, c.want) {
			t.Fatalf("Validate = %v, want %v", err, c.want)
		}
	}
}

// TestPersistedPrevEstimate: the previous round's estimate survives a
// restart, and records written before it existed still decode.
func TestPersistedPrevEstimate(t *testing.T) {
	est := Vote{Hash: types.Hash{9}, Number: 7}
	s := &State{setID: 3, cur: newRound(5, t0, 4), prev: newRound(4, t0, 4)}
	s.prev.estimate, s.prev.hasEstimate = est, true
	s.persist()
	p, err := decodePersisted(s.acts[len(s.acts)-1].(Persist).Data)
	if err != nil || p.setID != 3 || p.round != 5 || p.prevEstimate == nil || *p.prevEstimate != est {
		t.Fatalf("decoded %+v, %v", p, err)
	}
	old := []byte{3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0} // set, round, no votes
	if p, err := decodePersisted(old); err != nil || p.round != 5 || p.prevEstimate != nil {
		t.Fatalf("old record: %+v, %v", p, err)
	}
	fin := Vote{Hash: types.Hash{1}, Number: 2}
	st, err := NewState(Config{}, 3, []Authority{{ID: [32]byte{1}, Weight: 1}}, fin, s.acts[len(s.acts)-1].(Persist).Data, t0)
	if err != nil || st.jumpEstimate != est || st.Round() != 5 {
		t.Fatalf("restored: jump %+v round %d, %v", st.jumpEstimate, st.Round(), err)
	}
}

// TestKeysPickTheSetsKey: with Config.Keys the voter votes with whichever
// held key the set contains (after a key rotation), and observes when the
// node holds none of the set's keys.
func TestKeysPickTheSetsKey(t *testing.T) {
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	held := map[[32]byte]Signer{keys[2].Public(): keys[2], newTestKey(8).Public(): newTestKey(8)}
	cfg := Config{Keys: func(id [32]byte) Signer { return held[id] }}
	fin := Vote{Hash: types.Hash{1}, Number: 0}
	st, err := NewState(cfg, 1, testAuthorities(keys), fin, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if st.self != 2 || st.signer == nil || st.signer.Public() != keys[2].Public() {
		t.Fatalf("self %d signer %v", st.self, st.signer)
	}
	st, err = NewState(Config{Keys: func([32]byte) Signer { return nil }}, 1, testAuthorities(keys), fin, nil, t0)
	if err != nil || st.self != -1 || st.signer != nil {
		t.Fatalf("no key held: self %d, %v", st.self, err)
	}
}
