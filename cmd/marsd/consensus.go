package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/metamars/mars/consensus/aura"
	"github.com/metamars/mars/consensus/grandpa"
	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/network"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/node"
	"github.com/metamars/mars/host/rpc"
	hsync "github.com/metamars/mars/host/sync"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// consensus wires Aura and GRANDPA (consensus/) into a node (host/), which
// knows neither: the binary is the one place that sees both.
type consensus struct {
	log        *slog.Logger
	ks         *keystore.Keystore
	validator  bool
	equivocate bool

	n     *node.Node
	aura  atomic.Pointer[aura.Verifier]
	voter atomic.Pointer[grandpa.Voter] // read by gossip validation goroutines

	verifier chain.Verifier
}

func newConsensus(log *slog.Logger, ks *keystore.Keystore, validator, equivocate bool) *consensus {
	c := &consensus{log: log, ks: ks, validator: validator, equivocate: equivocate}
	c.verifier = lazyVerifier{c}
	return c
}

// lazyVerifier lets the chain be opened before the Aura verifier exists:
// the verifier reads the slot duration from the chain's runtime. Nothing
// imports before the node runs, and attach sets it before that.
type lazyVerifier struct{ c *consensus }

func (l lazyVerifier) Verify(parent, header *types.Header) (types.Header, error) {
	v := l.c.aura.Load()
	if v == nil {
		return types.Header{}, errNotReady
	}
	return v.Verify(parent, header)
}

// attach builds the engines on the node and adds them as services.
func (c *consensus) attach(ctx context.Context, n *node.Node) error {
	c.n = n
	ch := n.Chain()
	slot, err := aura.RuntimeSlotDuration(ctx, ch, ch.Best().Hash)
	if err != nil {
		return fmt.Errorf("reading AuraApi_slot_duration: %w (is this chain spec built with validators?)", err)
	}
	// The cache follows the set along the chain from the runtime's
	// AuthoritiesChange logs: asking the runtime at every parent costs an
	// instance per block during sync.
	auths := aura.CachedAuthorities(aura.RuntimeAuthorities(ch), ch.Header, 0)
	v, err := aura.NewVerifier(aura.VerifierConfig{SlotDuration: slot, Authorities: auths,
		Report: c.reportAura, Logger: c.log.With("target", "aura")})
	if err != nil {
		return err
	}
	c.aura.Store(v)

	if c.validator {
		author, err := aura.NewAuthor(ch, aura.AuthorConfig{SlotDuration: slot, Authorities: auths, Keystore: c.ks,
			Pool: auraPool{n}, Equivocate: c.equivocate, Syncing: n.MajorSyncing, Logger: c.log.With("target", "aura")})
		if err != nil {
			return err
		}
		n.AddService("aura", author.Run)
	}

	gossip, err := newGrandpaGossip(n.Network(), c.validateGrandpa)
	if err != nil {
		return err
	}
	var keys func(id [32]byte) grandpa.Signer
	if c.validator {
		keys = c.grandpaKey
		if held, _ := c.ks.Keys(keystore.KeyTypeGrandpa); len(held) == 0 {
			c.log.Warn("no GRANDPA (gran, ed25519) key in the keystore: following finality without voting until one is added")
		}
	}
	voter, err := grandpa.NewVoter(grandpa.VoterConfig{
		Config:      grandpa.Config{Keys: keys, Equivocate: c.equivocate},
		Chain:       ch,
		Gossip:      gossip,
		Authorities: c.grandpaSet,
		Report:      c.reportGrandpa,
		// Gossip validation already rejected what signatures can show (the
		// network charges the first sender); what is left needs our block
		// tree (ancestry), and the relaying peer may not be at fault.
		Penalize: func(from string, err error) {
			n.Network().Report(from, -5, "grandpa: "+err.Error())
		},
		Store:  n.Aux(),
		Logger: c.log.With("target", "grandpa"),
	})
	if err != nil {
		return err
	}
	c.voter.Store(voter)
	n.AddService("grandpa", func(ctx context.Context) error { return c.runVoter(ctx, voter) })
	n.AddService("grandpa-gossip", gossip.run)
	return c.registerRPC(n.RPC())
}

// runVoter runs the voter until ctx ends, starting it again after a
// failure (e.g. a runtime call that timed out): a validator that silently
// stopped voting would cost the network its finality.
func (c *consensus) runVoter(ctx context.Context, v *grandpa.Voter) error {
	backoff := time.Second
	for {
		err := v.Run(ctx)
		if ctx.Err() != nil {
			return nil
		}
		c.log.Error("grandpa voter stopped; restarting it", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// grandpaKey returns the keystore's GRANDPA key id, if held: the voter asks
// for each member of every new authority set, so after author_rotateKeys
// and session.set_keys it votes with whichever key the set has.
func (c *consensus) grandpaKey(id [32]byte) grandpa.Signer {
	if !c.ks.Has(keystore.KeyTypeGrandpa, id) {
		return nil
	}
	pair, err := c.ks.Pair(keystore.KeyTypeGrandpa, id)
	if err != nil || pair.Scheme() != keystore.Ed25519 {
		c.log.Warn("unusable GRANDPA key in the keystore", "key", fmt.Sprintf("0x%x", id[:]), "err", err)
		return nil
	}
	return pair
}

// grandpaSet reads the GRANDPA authority set and its id at a block.
func (c *consensus) grandpaSet(at types.Hash) ([]grandpa.Authority, uint64, error) {
	if c.n == nil {
		return nil, 0, errNotReady
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	set, err := c.n.GrandpaSet(ctx, at)
	if err != nil {
		return nil, 0, err
	}
	return toGrandpa(set.Authorities), set.ID, nil
}

// toGrandpa converts the node's authority list to the voter's.
func toGrandpa(as []hsync.Authority) []grandpa.Authority {
	out := make([]grandpa.Authority, len(as))
	for i, a := range as {
		out[i] = grandpa.Authority{ID: a.ID, Weight: a.Weight}
	}
	return out
}

// verifyJustification checks a justification that came with a synced
// block: it must be signed by the set in force at the block's parent (a
// set change in block B takes effect for B's descendants).
func (c *consensus) verifyJustification(hash types.Hash, number uint32, j []byte) error {
	if c.n == nil {
		return errNotReady
	}
	hdr, err := c.n.Chain().Header(hash)
	if err != nil {
		return err
	}
	auths, setID, err := c.grandpaSet(hdr.ParentHash)
	if err != nil {
		return err
	}
	_, err = grandpa.VerifyJustification(j, hash, number, setID, auths)
	return err
}

// verifyWarpFragment checks one warp-proof fragment under set and returns
// the set after it.
func (c *consensus) verifyWarpFragment(set hsync.AuthoritySet, frag wire.WarpFragment) (hsync.AuthoritySet, error) {
	h := frag.Header.Hash()
	if _, err := grandpa.VerifyJustification(frag.Justification, h, frag.Header.Number, set.ID, toGrandpa(set.Authorities)); err != nil {
		return set, err
	}
	next, _, ok := grandpa.DecodeScheduledChange(&frag.Header)
	if !ok {
		return set, nil
	}
	out := hsync.AuthoritySet{ID: set.ID + 1, Authorities: make([]hsync.Authority, len(next))}
	for i, a := range next {
		out.Authorities[i] = hsync.Authority{ID: a.ID, Weight: a.Weight}
	}
	return out, nil
}

// submitReport turns an equivocation proof into the runtime's unsigned
// report extrinsic (at the best block) and puts it in the pool, which
// gossips it: whichever validator authors next includes it.
func (c *consensus) submitReport(api string, proof []byte) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ch := c.n.Chain()
		out, err := ch.Call(ctx, ch.Best().Hash, api, proof)
		if err != nil {
			c.log.Warn("equivocation report refused by the runtime", "api", api, "err", err)
			return
		}
		d := scale.NewDecoder(out)
		if !d.Option() {
			c.log.Info("the runtime declined an equivocation report (already reported or not an authority)", "api", api)
			return
		}
		ext := append([]byte(nil), d.Bytes()...)
		if err := d.Finish(); err != nil {
			c.log.Warn("undecodable equivocation report extrinsic", "api", api, "err", err)
			return
		}
		if err := c.n.SubmitLocal(ctx, ext); err != nil {
			c.log.Warn("equivocation report not pooled", "api", api, "err", err)
			return
		}
		c.log.Warn("equivocation reported", "api", api, "extrinsic_bytes", len(ext))
	}()
}

func (c *consensus) reportAura(proof []byte) {
	if c.n == nil {
		return
	}
	c.submitReport(aura.APIReportEquivocation, proof)
}

func (c *consensus) reportGrandpa(proof []byte) {
	if c.n == nil {
		return
	}
	c.submitReport("GrandpaEquivocationApi_report_extrinsic", proof)
}

// validateGrandpa is the "grandpa" topic's validator: the voter's own
// checks (signatures of the current set) once it exists, structure before.
func (c *consensus) validateGrandpa(data []byte) network.Verdict {
	v := c.voter.Load()
	if v == nil {
		return network.Ignore // not started: we cannot tell good from bad yet
	}
	err := v.Validate(data)
	switch {
	case err == nil:
		return network.Accept
	case errors.Is(err, grandpa.ErrStale):
		return network.Ignore
	}
	return network.Reject
}

// registerRPC adds grandpa_roundState and grandpa_proveFinality.
func (c *consensus) registerRPC(s *rpc.Server) error {
	if err := s.Register("grandpa_roundState", func(_ context.Context, p rpc.Params) (any, error) {
		if err := p.Max(0); err != nil {
			return nil, err
		}
		v := c.voter.Load()
		if v == nil {
			return nil, errNotReady
		}
		return v.RoundState(), nil
	}); err != nil {
		return err
	}
	return s.Register("grandpa_proveFinality", func(_ context.Context, p rpc.Params) (any, error) {
		if err := p.Max(1); err != nil {
			return nil, err
		}
		var num uint32
		if err := json.Unmarshal(p.Raw(0), &num); err != nil {
			return nil, rpc.NewError(rpc.CodeInvalidParams, "param 0: want a block number", err.Error())
		}
		return c.proveFinality(num)
	})
}

// proveFinality answers grandpa_proveFinality: Substrate's FinalityProof
// for block num, or null when no stored justification covers it.
func (c *consensus) proveFinality(num uint32) (any, error) {
	proof, err := grandpa.ProveFinality(c.n.Chain(), num)
	if errors.Is(err, grandpa.ErrNoProof) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return rpc.Bytes(proof), nil
}

// auraPool offers the pool's ready transactions to the Aura author.
type auraPool struct{ n *node.Node }

func (a auraPool) Ready() []aura.Tx {
	return readyTxs(a.n.Pool(), func(h types.Hash, ext []byte) aura.Tx { return aura.Tx{Hash: h, Ext: ext} })
}

func (a auraPool) Refused(hashes []types.Hash, _ []error) { a.n.Pool().RemoveInvalid(hashes...) }

// grandpaGossip adapts the network's "grandpa" topic to the voter: invalid
// messages are rejected (and their sender penalised) before they spread.
type grandpaGossip struct {
	t   *network.Topic
	out chan grandpa.Message
}

func newGrandpaGossip(nw *network.Network, validate func(data []byte) network.Verdict) (*grandpaGossip, error) {
	if nw == nil {
		return nil, errors.New("GRANDPA needs the network")
	}
	t, err := nw.Join("grandpa", func(_ string, data []byte) network.Verdict { return validate(data) })
	if err != nil {
		return nil, err
	}
	return &grandpaGossip{t: t, out: make(chan grandpa.Message, 1024)}, nil
}

func (g *grandpaGossip) Publish(ctx context.Context, data []byte) error {
	return g.t.Publish(ctx, data)
}
func (g *grandpaGossip) Messages() <-chan grandpa.Message { return g.out }

func (g *grandpaGossip) run(ctx context.Context) error {
	in := g.t.Messages()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-in:
			if !ok {
				return nil
			}
			select {
			case g.out <- grandpa.Message{From: m.From, Data: m.Data}:
			case <-ctx.Done():
				return nil
			}
		}
	}
}
