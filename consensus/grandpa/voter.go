package grandpa

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// Chain is what the voter needs from the block store (*chain.Chain fits).
type Chain interface {
	Header(h types.Hash) (*types.Header, error)
	Best() chain.BlockRef
	Finalized() chain.BlockRef
	// Subscribe delivers imported and finalized blocks in order.
	Subscribe() (<-chan chain.Event, func())
	// Finalize marks h (and its ancestors) final, storing its justification.
	Finalize(h types.Hash, justification []byte) error
}

// Message is one received "grandpa" topic message and the peer it came from.
type Message struct {
	From string
	Data []byte
}

// Gossip is the "grandpa" topic.
type Gossip interface {
	Publish(ctx context.Context, data []byte) error
	Messages() <-chan Message
}

// Store persists the voter's last state (a host/db prefix fits; Get returns
// an error, e.g. db.ErrNotFound, for a missing key).
type Store interface {
	Get(key []byte) ([]byte, error)
	Put(key, value []byte) error
}

// StoreKey is the key the voter keeps its state under.
var StoreKey = []byte("grandpa/voter")

// VoterConfig wires a Voter.
type VoterConfig struct {
	Config
	Chain  Chain
	Gossip Gossip
	// Authorities returns the GRANDPA set and its id at a block (the
	// runtime's GrandpaApi_grandpa_authorities and _current_set_id).
	Authorities func(at types.Hash) ([]Authority, uint64, error)
	// Report receives SCALE EquivocationProofs (may be nil).
	Report func(proof []byte)
	// Penalize is told about peers that sent invalid messages (may be nil).
	Penalize func(from string, err error)
	Store    Store // may be nil (nothing survives a restart)
	// Now and After are the clock (default: the wall clock).
	Now    func() time.Time
	After  func(time.Duration) <-chan time.Time
	Logger *slog.Logger
}

// Voter runs the GRANDPA state machine on one goroutine over the chain, the
// gossip topic and a clock.
type Voter struct {
	cfg VoterConfig
	st  *State

	mu    sync.Mutex
	rs    RoundState // guarded by mu
	setID uint64     // guarded by mu
	vs    *voterSet  // guarded by mu
}

// ErrStale: a gossip message of an earlier authority set (Validate).
var ErrStale = errors.New("grandpa: message of an earlier authority set")

// Validate is the gossip validator of the "grandpa" topic, safe to call from
// any goroutine: nil means accept and relay; ErrStale means drop without
// blame; any other error means reject (and penalize the sender). Votes of
// the current set must be signed by a member; commits of the current set
// must carry valid member signatures worth more than two thirds of the set
// (checked here, at the first hop, so that a forged commit is blamed on
// whoever sent it first and never reaches an honest relayer). Messages of
// the next set (which this node may not know yet) pass on their structure;
// anything further ahead, and everything before the voter knows its set,
// is ignored.
func (v *Voter) Validate(data []byte) error {
	g, err := DecodeGossipMessage(data)
	if err != nil {
		return err
	}
	v.mu.Lock()
	setID, vs := v.setID, v.vs
	v.mu.Unlock()
	var msgSet uint64
	switch {
	case g.Vote != nil:
		msgSet = g.Vote.SetID
	case g.Commit != nil:
		msgSet = g.Commit.SetID
	default:
		return nil
	}
	switch {
	case vs == nil, msgSet > setID+1, msgSet < setID:
		return ErrStale
	case msgSet == setID+1:
		return nil
	}
	if m := g.Vote; m != nil {
		if _, ok := vs.index[m.Signed.ID]; !ok {
			return fmt.Errorf("%w: %x", ErrNotAuthority, m.Signed.ID[:8])
		}
		if !verifySig(m.Signed.Message, m.Round, m.SetID, m.Signed.ID, m.Signed.Signature) {
			return ErrBadSignature
		}
		return nil
	}
	return validateCommit(g.Commit, vs)
}

// validateCommit checks what a commit's signatures alone can show: every
// precommit signed by a distinct member of the set, and together more than
// two thirds of its weight. Ancestry (precommits descending from the
// target) needs the block tree and is the voter's to check.
func validateCommit(c *CommitMessage, vs *voterSet) error {
	cc := &c.Commit
	if len(cc.Precommits) != len(cc.AuthData) {
		return fmt.Errorf("%w: %d precommits, %d signatures", ErrDecode, len(cc.Precommits), len(cc.AuthData))
	}
	seen := make(map[[32]byte]bool, len(cc.AuthData))
	var weight uint64
	for i, pc := range cc.Precommits {
		a := cc.AuthData[i]
		idx, ok := vs.index[a.ID]
		if !ok {
			return fmt.Errorf("%w: %x", ErrNotAuthority, a.ID[:8])
		}
		if !verifySig(UnsignedMessage{Kind: KindPrecommit, Vote: pc}, c.Round, c.SetID, a.ID, a.Signature) {
			return ErrBadSignature
		}
		if !seen[a.ID] {
			seen[a.ID] = true
			weight += vs.auths[idx].Weight
		}
	}
	if weight < vs.threshold() {
		return fmt.Errorf("%w: %d of %d", ErrWeight, weight, vs.total)
	}
	return nil
}

// NewVoter checks the configuration; Run starts the voter.
func NewVoter(cfg VoterConfig) (*Voter, error) {
	if cfg.Chain == nil || cfg.Gossip == nil || cfg.Authorities == nil {
		return nil, errors.New("grandpa: Chain, Gossip and Authorities are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Voter{cfg: cfg}, nil
}

// RoundState is the latest round state (for grandpa_roundState).
func (v *Voter) RoundState() RoundState {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.rs
}

// start (re)builds the state machine from the chain's finalized block.
func (v *Voter) start() ([]Action, error) {
	fin := v.cfg.Chain.Finalized()
	auths, setID, err := v.cfg.Authorities(fin.Hash)
	if err != nil {
		return nil, fmt.Errorf("grandpa: authorities at #%d: %w", fin.Number, err)
	}
	var saved []byte
	if v.cfg.Store != nil {
		saved, _ = v.cfg.Store.Get(StoreKey)
	}
	now := v.cfg.Now()
	st, err := NewState(v.cfg.Config, setID, auths, Vote{fin.Hash, fin.Number}, saved, now)
	if err != nil {
		return nil, err
	}
	v.st = st
	// Feed the best chain above the finalized block, oldest first.
	var hs []types.Header
	for h := v.cfg.Chain.Best().Hash; h != fin.Hash; {
		hd, err := v.cfg.Chain.Header(h)
		if err != nil || hd.Number <= fin.Number {
			break
		}
		hs = append(hs, *hd)
		h = hd.ParentHash
	}
	slices.Reverse(hs)
	var acts []Action
	for _, h := range hs {
		acts = append(acts, st.Step(BlockImported{Now: now, Header: h})...)
	}
	return append(acts, st.Step(Tick{Now: now})...), nil
}

// Run votes until ctx ends.
func (v *Voter) Run(ctx context.Context) error {
	events, cancel := v.cfg.Chain.Subscribe()
	defer func() { cancel() }()
	acts, err := v.start()
	if err != nil {
		return err
	}
	var timer <-chan time.Time
	for {
		timer = v.execute(ctx, acts, timer)
		acts = nil
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				// We fell behind the chain's event buffer: subscribe again
				// and rebuild from the chain (own votes are persisted).
				cancel()
				events, cancel = v.cfg.Chain.Subscribe()
				if acts, err = v.start(); err != nil {
					return err
				}
				continue
			}
			switch {
			case ev.Kind == chain.EventImported && ev.Header != nil:
				acts = v.importWithAncestors(*ev.Header)
			case ev.Kind == chain.EventFinalized && ev.Block.Number > v.st.Finalized().Number:
				// Finalized by someone else (sync imported a justification):
				// start again from there, with the set in force at it.
				if acts, err = v.start(); err != nil {
					return err
				}
			}
		case m, ok := <-v.cfg.Gossip.Messages():
			if !ok {
				return errors.New("grandpa: gossip closed")
			}
			acts = v.st.Step(MessageReceived{Now: v.cfg.Now(), From: m.From, Data: m.Data})
		case <-timer:
			timer = nil
			acts = v.st.Step(Tick{Now: v.cfg.Now()})
		}
	}
}

// importWithAncestors feeds h, first feeding the ancestors the state does
// not know yet (a fork that was not on the best chain at start).
func (v *Voter) importWithAncestors(h types.Header) []Action {
	now := v.cfg.Now()
	fin := v.st.Finalized()
	hs := []types.Header{h}
	for p, n := h.ParentHash, h.Number; n > fin.Number+1 && len(hs) < 4096; n-- {
		if _, ok := v.st.tree[p]; ok {
			break
		}
		hd, err := v.cfg.Chain.Header(p)
		if err != nil || hd.Number != n-1 {
			break
		}
		hs = append(hs, *hd)
		p = hd.ParentHash
	}
	var acts []Action
	for i := len(hs) - 1; i >= 0; i-- {
		acts = append(acts, v.st.Step(BlockImported{Now: now, Header: hs[i]})...)
	}
	return acts
}

func (v *Voter) execute(ctx context.Context, acts []Action, timer <-chan time.Time) <-chan time.Time {
	log := v.cfg.Logger
	var wake *time.Time
	// A vote whose record could not be written must not be sent: after a
	// restart the voter would not know it voted and could sign a
	// conflicting vote (an equivocation, slashed).
	persistFailed := false
	for _, a := range acts {
		switch a := a.(type) {
		case Broadcast:
			if persistFailed {
				log.Error("grandpa: not broadcasting a vote whose record could not be persisted")
				continue
			}
			if err := v.cfg.Gossip.Publish(ctx, a.Data); err != nil {
				log.Debug("grandpa: publish", "err", err)
			}
		case Finalize:
			if err := v.cfg.Chain.Finalize(a.Block.Hash, a.Justification); err != nil {
				log.Warn("grandpa: finalize", "number", a.Block.Number, "err", err)
			} else if a.NewAuthorities != nil {
				log.Info("grandpa: authority set changed", "at", a.Block.Number, "set", a.SetID+1, "authorities", len(a.NewAuthorities))
			}
		case ReportEquivocation:
			log.Warn("grandpa: equivocation detected")
			if v.cfg.Report != nil {
				v.cfg.Report(a.Proof)
			}
		case Persist:
			if v.cfg.Store != nil {
				if err := v.cfg.Store.Put(StoreKey, a.Data); err != nil {
					log.Error("grandpa: persist", "err", err)
					persistFailed = true
				}
			}
		case Invalid:
			if v.cfg.Penalize != nil {
				v.cfg.Penalize(a.From, a.Err)
			}
		case Wakeup:
			wake = &a.At
		}
	}
	if wake != nil { // only the latest wakeup matters
		timer = v.cfg.After(wake.Sub(v.cfg.Now()))
	}
	v.mu.Lock()
	v.rs = v.st.RoundState()
	v.setID, v.vs = v.st.setID, v.st.vs
	v.mu.Unlock()
	return timer
}
