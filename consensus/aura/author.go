package aura

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/types"
)

// EquivocationEngine is the engine id of the extra PreRuntime item that
// makes the second block of a test equivocation differ from the first
// (the runtime carries PreRuntime items of engines it does not know into
// the header unchanged, so both blocks stay valid).
var EquivocationEngine = [4]byte{'e', 'q', 'v', 'c'}

// Tx is one transaction offered to the author.
type Tx struct {
	Hash types.Hash
	Ext  []byte
}

// Pool is what the author needs from the transaction pool.
type Pool interface {
	// Ready returns the transactions ready on top of the best block, in the
	// order they should be included.
	Ready() []Tx
	// Refused reports transactions the runtime refused while building
	// (invalid at this block): the pool drops them.
	Refused(hashes []types.Hash, errs []error)
}

// AuthorConfig configures an Author.
type AuthorConfig struct {
	// SlotDuration is the runtime's AuraApi_slot_duration (required).
	SlotDuration time.Duration
	// Authorities gives the authority set at a block (required).
	Authorities AuthoritiesFunc
	// Keystore holds this node's aura keys (required; KeyTypeAura, sr25519).
	Keystore *keystore.Keystore
	// Pool offers transactions (nil: blocks hold the inherents only).
	Pool Pool
	// BuildBudget bounds, from the slot's start, the time spent applying
	// pool transactions (default half a slot).
	BuildBudget time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Announce is told of every block authored, after its import (called
	// from Step: it must not block for long).
	Announce func(hdr types.Header)
	// Syncing, if set, reports that the node is catching up with its peers:
	// such slots are skipped (authoring on a stale head only makes forks).
	Syncing func() bool
	// Equivocate (tests only) makes the author seal a second, different
	// block for each slot it authors, on the same parent (no transactions
	// and an extra EquivocationEngine pre-runtime item), and import and
	// announce both.
	Equivocate bool
	Logger     *slog.Logger
}

// Author is the slot worker: at each slot it owns it builds, seals, imports
// and announces a block on the best block.
type Author struct {
	c        *chain.Chain
	cfg      AuthorConfig
	slotMs   uint64
	lastSlot uint64 // the last slot Step handled
}

// NewAuthor returns an author on c.
func NewAuthor(c *chain.Chain, cfg AuthorConfig) (*Author, error) {
	if cfg.SlotDuration < time.Millisecond {
		return nil, fmt.Errorf("aura: slot duration %v is below 1 ms", cfg.SlotDuration)
	}
	if cfg.Authorities == nil || cfg.Keystore == nil {
		return nil, errors.New("aura: AuthorConfig.Authorities and Keystore are required")
	}
	if cfg.BuildBudget <= 0 {
		cfg.BuildBudget = cfg.SlotDuration / 2
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Author{c: c, cfg: cfg, slotMs: uint64(cfg.SlotDuration / time.Millisecond)}, nil
}

// Run calls Step at the start of every slot until ctx ends. A failed slot
// is logged; the loop goes on.
func (a *Author) Run(ctx context.Context) error {
	for {
		now := a.cfg.Now()
		next := time.UnixMilli(int64((CurrentSlot(now, a.cfg.SlotDuration) + 1) * a.slotMs))
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if _, err := a.Step(ctx, a.cfg.Now()); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Error("aura: slot authoring failed", "err", err)
		}
	}
}

// Step handles the slot of time now, once per slot: if the best block is
// from an earlier slot and the keystore holds the aura key of the slot's
// author (authorities[slot % n] at the best block), it authors a block on
// the best block and returns it (two blocks with Equivocate). It returns
// nothing when the slot is not this node's or was already handled, or the
// node is syncing. Step is not safe for concurrent use (Run calls it from
// one goroutine).
func (a *Author) Step(ctx context.Context, now time.Time) ([]*types.Block, error) {
	slot := CurrentSlot(now, a.cfg.SlotDuration)
	if slot <= a.lastSlot {
		return nil, nil
	}
	a.lastSlot = slot
	if a.cfg.Syncing != nil && a.cfg.Syncing() {
		return nil, nil
	}
	best := a.c.Best()
	parent, err := a.c.Header(best.Hash)
	if err != nil {
		return nil, err
	}
	parentSlot, err := SlotOf(parent)
	if err != nil {
		return nil, fmt.Errorf("%w: best block #%d: %w", ErrParentSlot, best.Number, err)
	}
	if parentSlot >= slot {
		return nil, nil
	}
	auths, err := a.cfg.Authorities(best.Hash)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %w", ErrAuthorities, best.Hash, err)
	}
	author, err := SlotAuthor(slot, auths)
	if err != nil {
		return nil, err
	}
	if !a.cfg.Keystore.Has(keystore.KeyTypeAura, author) {
		return nil, nil
	}
	start := time.UnixMilli(int64(slot * a.slotMs))
	blk, err := a.build(ctx, best.Hash, slot, author, []types.DigestItem{PreDigest(slot)}, start.Add(a.cfg.BuildBudget), a.cfg.Pool)
	if err != nil {
		return nil, err
	}
	a.announce(blk)
	out := []*types.Block{blk}
	if a.cfg.Equivocate {
		marker := types.DigestItem{Kind: types.DigestPreRuntime, Engine: EquivocationEngine, Data: []byte{1}}
		twin, err := a.build(ctx, best.Hash, slot, author, []types.DigestItem{PreDigest(slot), marker}, start, nil)
		if err != nil {
			return out, fmt.Errorf("aura: equivocating block: %w", err)
		}
		a.announce(twin)
		out = append(out, twin)
	}
	return out, nil
}

func (a *Author) announce(blk *types.Block) {
	if a.cfg.Announce != nil {
		a.cfg.Announce(blk.Header)
	}
}

// build builds, seals and imports one block at slot on parent.
func (a *Author) build(ctx context.Context, parent types.Hash, slot uint64, author [32]byte, digest []types.DigestItem, deadline time.Time, pool Pool) (*types.Block, error) {
	b, err := a.c.NewBuilder(ctx, parent, digest)
	if err != nil {
		return nil, err
	}
	data := chain.InherentData{}
	data.SetTimestamp(slot * a.slotMs)
	if err := b.Inherents(ctx, data); err != nil {
		b.Discard(ctx)
		return nil, err
	}
	if pool != nil {
		if err := a.applyPool(ctx, b, pool, deadline); err != nil {
			b.Discard(ctx)
			return nil, err
		}
	}
	unsealed, err := b.Finish(ctx)
	if err != nil {
		b.Discard(ctx)
		return nil, err
	}
	pre := PreHash(&unsealed.Header)
	sig, err := a.cfg.Keystore.Sign(keystore.KeyTypeAura, author, pre[:])
	if err != nil {
		b.Discard(ctx)
		return nil, fmt.Errorf("aura: sealing: %w", err)
	}
	seal := SealDigest(sig)
	blk, ref, _, err := b.Import(ctx, &seal)
	if err != nil {
		return nil, err
	}
	a.cfg.Logger.Info("aura: authored block", "slot", slot, "number", ref.Number, "hash", ref.Hash,
		"extrinsics", len(blk.Extrinsics))
	return blk, nil
}

// applyPool applies ready transactions until the block is full or the
// deadline passes.
func (a *Author) applyPool(ctx context.Context, b *chain.Builder, pool Pool, deadline time.Time) error {
	var refused []types.Hash
	var reasons []error
	for _, tx := range pool.Ready() {
		if a.cfg.Now().After(deadline) {
			break
		}
		err := b.Apply(ctx, tx.Ext)
		if errors.Is(err, chain.ErrBlockFull) {
			break
		}
		var ae *chain.ApplyError
		if errors.As(err, &ae) {
			refused = append(refused, tx.Hash)
			reasons = append(reasons, err)
			continue
		}
		if err != nil {
			return err
		}
	}
	if len(refused) > 0 {
		pool.Refused(refused, reasons)
	}
	return nil
}
