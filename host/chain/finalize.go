package chain

import (
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/runtime/types"
)

// Finalize marks block h and its ancestors final, storing justification
// (may be nil) with h. If h is not on the best chain the best chain switches
// to it (finality overrides fork choice). Forks that do not descend from h
// are discarded with their states. Finalizing the finalized block again is a
// no-op.
func (c *Chain) Finalize(h types.Hash, justification []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()

	c.mu.RLock()
	fin := c.mu.finalized
	target, ok := c.mu.tree[h]
	var route []*node
	if ok {
		for n := target; n != nil && n.ref.Number > fin.Number; n = c.mu.tree[n.parent] {
			route = append(route, n)
		}
	}
	c.mu.RUnlock()
	if h == fin.Hash {
		return nil
	}
	if !ok || len(route) == 0 || route[len(route)-1].parent != fin.Hash {
		return fmt.Errorf("%w: %s", ErrNotDescendant, h)
	}

	// Switch the best chain first if h is not on it.
	c.mu.RLock()
	best := c.mu.best
	onBest := false
	for n := c.mu.tree[best.Hash]; n != nil && n.ref.Number >= target.ref.Number; n = c.mu.tree[n.parent] {
		if n.ref.Hash == h {
			onBest = true
			break
		}
	}
	var retracted, enacted []BlockRef
	if !onBest {
		retracted, enacted = c.routeLocked(best.Hash, h)
	}
	c.mu.RUnlock()
	if !onBest {
		b := c.db.NewBatch()
		for _, r := range enacted {
			_ = b.Put(db.CanonicalKey(r.Number), r.Hash[:])
		}
		for n := target.ref.Number + 1; n <= best.Number; n++ {
			_ = b.Delete(db.CanonicalKey(n))
		}
		_ = b.Put(db.KeyBestBlock, h[:])
		if err := b.Write(); err != nil {
			return err
		}
		c.mu.Lock()
		c.mu.best = target.ref
		c.mu.Unlock()
		c.log.Warn("finality reverted the best chain", "from", best.Hash, "to", h, "retracted", len(retracted))
		hdr, _ := c.Header(h)
		c.events.publish(Event{Kind: EventImported, Block: target.ref, Header: hdr, NewBest: true, Retracted: retracted, Enacted: enacted,
			RetractedExtrinsics: c.extrinsicsOf(retracted)})
	}

	// Finalize oldest first, one atomic step per block.
	for i := len(route) - 1; i >= 0; i-- {
		n := route[i]
		upd, err := c.state.Finalize(n.stateRoot, n.ref.Number)
		if err != nil {
			return err
		}
		if err := upd.Put(db.KeyFinalizedBlock, n.ref.Hash[:]); err != nil {
			upd.Abandon()
			return err
		}
		if i == 0 && justification != nil {
			if err := upd.Put(db.JustificationKey(h), justification); err != nil {
				upd.Abandon()
				return err
			}
		}
		if err := upd.Write(); err != nil {
			return err
		}
		c.mu.Lock()
		c.mu.finalized = n.ref
		c.mu.Unlock()
		hdr, _ := c.Header(n.ref.Hash)
		c.events.publish(Event{Kind: EventFinalized, Block: n.ref, Header: hdr})
	}
	return c.pruneLocked()
}

// pruneLocked drops from the tree the old finalized root and every block
// that no longer descends from the new finalized block, discarding their
// states and bodies. c.writeMu must be held.
func (c *Chain) pruneLocked() error {
	c.mu.Lock()
	fin := c.mu.finalized
	keep := map[types.Hash]bool{}
	var walk func(h types.Hash)
	walk = func(h types.Hash) {
		keep[h] = true
		for _, ch := range c.mu.tree[h].children {
			walk(ch)
		}
	}
	walk(fin.Hash)
	var dead []*node
	for h, n := range c.mu.tree {
		if !keep[h] {
			dead = append(dead, n)
			delete(c.mu.tree, h)
		}
	}
	c.mu.Unlock()
	for _, n := range dead {
		// Blocks on the finalized chain below the new finalized block keep
		// their data (they are canonical history); only forks go.
		canon, err := c.canonical(n.ref.Number)
		if err == nil && canon == n.ref.Hash {
			continue
		}
		upd, err := c.state.Discard(n.stateRoot)
		if err != nil {
			return err
		}
		_ = upd.Delete(db.HeaderKey(n.ref.Hash))
		_ = upd.Delete(db.BodyKey(n.ref.Hash))
		if err := upd.Write(); err != nil {
			return err
		}
		c.log.Debug("pruned fork block", "number", n.ref.Number, "hash", n.ref.Hash)
	}
	return nil
}
