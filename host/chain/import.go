package chain

import (
	"context"
	"errors"
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Import verifies and executes a block received from elsewhere and stores
// it. It returns the block's reference and whether it became the best block.
// Nothing is written unless the block is fully valid.
func (c *Chain) Import(ctx context.Context, blk *types.Block) (BlockRef, bool, error) {
	h := blk.Header.Hash()
	ref := BlockRef{Hash: h, Number: blk.Header.Number}
	if ok, _ := c.db.Has(db.HeaderKey(h)); ok {
		return ref, false, ErrKnownBlock
	}
	parent, err := c.parentOf(&blk.Header)
	if err != nil {
		return ref, false, err
	}
	execHeader := blk.Header.WithoutSeal()
	if c.ver != nil {
		if execHeader, err = c.ver.Verify(parent, &blk.Header); err != nil {
			return ref, false, fmt.Errorf("%w: %w", ErrBadVerifier, err)
		}
	}
	ov := c.state.NewOverlay(parent.StateRoot)
	inst, err := c.instance(ctx, ov)
	if err != nil {
		return ref, false, err
	}
	defer inst.Close(ctx)
	input := scale.Encode(&types.Block{Header: execHeader, Extrinsics: blk.Extrinsics})
	if _, err := inst.Call(ctx, "Core_execute_block", input); err != nil {
		return ref, false, fmt.Errorf("%w: block #%d %s: %w", ErrExecution, ref.Number, h, err)
	}
	return c.commit(blk, ov, inst.StateVersion())
}

// parentOf returns the parent header of hdr, which must be in the tree of
// blocks descending from the finalized block.
func (c *Chain) parentOf(hdr *types.Header) (*types.Header, error) {
	c.mu.RLock()
	_, inTree := c.mu.tree[hdr.ParentHash]
	c.mu.RUnlock()
	parent, err := c.Header(hdr.ParentHash)
	if err != nil {
		if errors.Is(err, ErrUnknownBlock) {
			return nil, fmt.Errorf("%w: %s", ErrUnknownParent, hdr.ParentHash)
		}
		return nil, err
	}
	if !inTree {
		return nil, fmt.Errorf("%w: parent #%d %s", ErrNotDescendant, parent.Number, hdr.ParentHash)
	}
	if hdr.Number != parent.Number+1 {
		return nil, fmt.Errorf("%w: #%d on parent #%d", ErrBadNumber, hdr.Number, parent.Number)
	}
	return parent, nil
}

// instance creates a runtime instance over ov with the code found in ov's
// base state (the parent's :code: blocks before an upgrade keep running the
// old code).
func (c *Chain) instance(ctx context.Context, ov *state.Overlay) (*executor.Instance, error) {
	code, ok, err := ov.Get(CodeKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNoCode
	}
	return c.exec.NewInstance(ctx, code, ov)
}

// commit stores a block whose execution produced ov: state changes, header,
// body, and the fork-choice consequences, in one batch.
func (c *Chain) commit(blk *types.Block, ov *state.Overlay, ver uint8) (BlockRef, bool, error) {
	hdr := &blk.Header
	h := hdr.Hash()
	ref := BlockRef{Hash: h, Number: hdr.Number}
	root, err := ov.Root(ver)
	if err != nil {
		return ref, false, err
	}
	if root != [32]byte(hdr.StateRoot) {
		return ref, false, fmt.Errorf("%w: block #%d %s: header %s, computed %s", ErrStateMismatch, ref.Number, h, hdr.StateRoot, types.Hash(root))
	}

	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if ok, _ := c.db.Has(db.HeaderKey(h)); ok {
		return ref, false, ErrKnownBlock
	}
	c.prepareNewCode(hdr, ov)
	upd, err := ov.Commit(trie.Version(ver))
	if err != nil {
		return ref, false, err
	}
	put := func(k, v []byte) {
		if err == nil {
			err = upd.Put(k, v)
		}
	}
	put(db.HeaderKey(h), hdr.Bytes())
	put(db.BodyKey(h), encodeBody(blk.Extrinsics))

	c.mu.RLock()
	best := c.mu.best
	newBest := hdr.Number > best.Number
	var retracted, enacted []BlockRef
	if newBest {
		retracted, enacted = c.routeLocked(best.Hash, hdr.ParentHash)
		enacted = append(enacted, ref)
	}
	c.mu.RUnlock()
	if newBest {
		for _, r := range enacted {
			put(db.CanonicalKey(r.Number), r.Hash[:])
		}
		put(db.KeyBestBlock, h[:])
	}
	if err != nil {
		upd.Abandon()
		return ref, false, err
	}
	if err := upd.Write(); err != nil {
		return ref, false, err
	}

	c.mu.Lock()
	c.mu.tree[h] = &node{ref: ref, parent: hdr.ParentHash, stateRoot: hdr.StateRoot}
	if p, ok := c.mu.tree[hdr.ParentHash]; ok {
		p.children = append(p.children, h)
	}
	if newBest {
		c.mu.best = ref
	}
	c.mu.Unlock()
	if len(retracted) > 0 {
		c.log.Info("reorg", "from", best.Hash, "to", h, "retracted", len(retracted))
	}
	c.events.publish(Event{Kind: EventImported, Block: ref, Header: hdr, NewBest: newBest,
		Retracted: retracted, Enacted: enacted, Extrinsics: blk.Extrinsics, RetractedExtrinsics: c.extrinsicsOf(retracted)})
	return ref, newBest, nil
}

// routeLocked returns the tree route from block from to block to: the blocks
// leaving (from's branch, newest first, excluding the common ancestor) and
// the blocks joining (to's branch, oldest first, including to). Both must be
// in the tree. c.mu must be held.
func (c *Chain) routeLocked(from, to types.Hash) (retracted, enacted []BlockRef) {
	a, b := c.mu.tree[from], c.mu.tree[to]
	for a != nil && b != nil && a.ref.Hash != b.ref.Hash {
		if a.ref.Number >= b.ref.Number {
			retracted = append(retracted, a.ref)
			a = c.mu.tree[a.parent]
		} else {
			enacted = append(enacted, b.ref)
			b = c.mu.tree[b.parent]
		}
	}
	for i, j := 0, len(enacted)-1; i < j; i, j = i+1, j-1 {
		enacted[i], enacted[j] = enacted[j], enacted[i]
	}
	return retracted, enacted
}

// prepareNewCode starts compiling the runtime a block installs (the runtime
// signals a :code change with a RuntimeEnvironmentUpdated digest), so the
// first block under the new code does not wait for its compilation.
func (c *Chain) prepareNewCode(hdr *types.Header, ov *state.Overlay) {
	for _, d := range hdr.Digest {
		if d.Kind != types.DigestRuntimeEnvironmentUpdated {
			continue
		}
		code, ok, err := ov.Get(CodeKey)
		if err != nil || !ok {
			return
		}
		c.log.Info("runtime code changes in this block: compiling it ahead", "number", hdr.Number, "code_hash", types.Hash(types.Blake2b256(code)))
		go func() {
			if err := c.exec.Prepare(context.Background(), code); err != nil {
				c.log.Warn("ahead-of-time compilation of the new runtime failed", "err", err)
			}
		}()
		return
	}
}
