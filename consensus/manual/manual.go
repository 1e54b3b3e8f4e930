// Package manual is the dev chain's block authoring: one block every
// BlockTime on top of the best block, holding the timestamp inherent and as
// many ready transactions as the runtime accepts (until it says the block is
// full or the building budget is spent), finalized at once since a dev
// chain has a single trusted author.
//
// It is written as a loop over an injected clock and an injected ticker so
// tests can drive it block by block (Author.Step) without waiting on wall
// time.
package manual

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// Tx is one transaction offered to the author.
type Tx struct {
	Hash types.Hash
	Ext  []byte
}

// Pool is what the author needs from the transaction pool.
type Pool interface {
	// Ready returns the transactions ready on top of the best block, in the
	// order they should be included (dependencies first, then priority).
	Ready() []Tx
	// Refused reports transactions the runtime refused while building
	// (invalid at this block): the pool drops them and their dependants.
	Refused(hashes []types.Hash, errs []error)
}

// Config tunes the author.
type Config struct {
	// BlockTime is the interval between blocks (default 1 s).
	BlockTime time.Duration
	// BuildBudget bounds the time spent applying transactions in one block
	// (default half the block time), so the chain keeps its pace under load.
	BuildBudget time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Finalize marks each authored block final (dev chains).
	Finalize bool
	Logger   *slog.Logger
}

// Author builds blocks.
type Author struct {
	c    *chain.Chain
	pool Pool
	cfg  Config
	last uint64 // timestamp of the last authored block (ms)
}

// New returns an author on c taking transactions from pool (may be nil).
func New(c *chain.Chain, pool Pool, cfg Config) *Author {
	if cfg.BlockTime <= 0 {
		cfg.BlockTime = time.Second
	}
	if cfg.BuildBudget <= 0 {
		cfg.BuildBudget = cfg.BlockTime / 2
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Author{c: c, pool: pool, cfg: cfg}
}

// Run authors a block every BlockTime until ctx ends. A block that fails to
// build is logged and skipped; the loop goes on.
func (a *Author) Run(ctx context.Context) error {
	t := time.NewTicker(a.cfg.BlockTime)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := a.Step(ctx); err != nil && ctx.Err() == nil {
				a.cfg.Logger.Error("block authoring failed", "err", err)
			}
		}
	}
}

// Step builds, imports and (if configured) finalizes one block.
func (a *Author) Step(ctx context.Context) (*types.Block, error) {
	start := a.cfg.Now()
	best := a.c.Best()
	b, err := a.c.NewBuilder(ctx, best.Hash, nil)
	if err != nil {
		return nil, err
	}
	ms := uint64(start.UnixMilli())
	// The runtime requires strictly increasing timestamps at least its
	// minimum period apart; a clock that stalls or steps back must not halt
	// the chain.
	if min := a.last + uint64(a.cfg.BlockTime/time.Millisecond); ms < min {
		ms = min
	}
	data := chain.InherentData{}
	data.SetTimestamp(ms)
	if err := b.Inherents(ctx, data); err != nil {
		b.Discard(ctx)
		return nil, err
	}
	var refused []types.Hash
	var reasons []error
	if a.pool != nil {
		deadline := start.Add(a.cfg.BuildBudget)
		for _, tx := range a.pool.Ready() {
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
				b.Discard(ctx)
				return nil, err
			}
		}
		if len(refused) > 0 {
			a.pool.Refused(refused, reasons)
		}
	}
	if _, err := b.Finish(ctx); err != nil {
		b.Discard(ctx)
		return nil, err
	}
	blk, ref, _, err := b.Import(ctx, nil)
	if err != nil {
		return nil, err
	}
	a.last = ms
	if a.cfg.Finalize {
		if err := a.c.Finalize(ref.Hash, nil); err != nil {
			return blk, err
		}
	}
	a.cfg.Logger.Info("authored block", "number", ref.Number, "hash", ref.Hash,
		"extrinsics", len(blk.Extrinsics), "took", a.cfg.Now().Sub(start).Round(time.Millisecond))
	return blk, nil
}
