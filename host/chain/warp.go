package chain

import (
	"context"
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// ImportWarpState installs the state of a block that warp sync proved final
// (its justification chain was checked by the caller): the header (without
// body: history below it is not downloaded), the full top-level state, the
// justification, and the block as both best and finalized. Blocks then
// import on top of it as usual.
//
// Why the chain does not verify the justification itself: it knows no
// consensus. It does verify what it can: the block is above the finalized
// block and the pairs hash to the header's state root, in the state version
// of the runtime they contain.
func (c *Chain) ImportWarpState(ctx context.Context, hdr *types.Header, justification []byte, pairs []trie.Pair) (BlockRef, error) {
	h := hdr.Hash()
	ref := BlockRef{Hash: h, Number: hdr.Number}
	computed, ver, err := GenesisHeader(ctx, c.exec, pairs)
	if err != nil {
		return ref, err
	}
	if computed.StateRoot != hdr.StateRoot {
		return ref, fmt.Errorf("%w: warp state of #%d %s: header %s, pairs %s", ErrStateMismatch, hdr.Number, h, hdr.StateRoot, computed.StateRoot)
	}

	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.mu.RLock()
	fin := c.mu.finalized
	c.mu.RUnlock()
	if hdr.Number <= fin.Number {
		return ref, fmt.Errorf("%w: warp target #%d is not above finalized #%d", ErrNotDescendant, hdr.Number, fin.Number)
	}

	ov := c.state.NewOverlay(trie.EmptyRoot)
	for _, p := range pairs {
		if err := ov.Set(p.Key, p.Value); err != nil {
			return ref, err
		}
	}
	upd, err := ov.Commit(ver)
	if err != nil {
		return ref, err
	}
	if upd.Root() != [32]byte(hdr.StateRoot) {
		upd.Abandon()
		return ref, fmt.Errorf("%w: warp overlay %x, header %s", ErrStateMismatch, upd.Root(), hdr.StateRoot)
	}
	puts := [][2][]byte{
		{db.HeaderKey(h), hdr.Bytes()},
		{db.CanonicalKey(hdr.Number), h[:]},
		{db.KeyBestBlock, h[:]},
	}
	if justification != nil {
		puts = append(puts, [2][]byte{db.JustificationKey(h), justification})
	}
	for _, kv := range puts {
		if err := upd.Put(kv[0], kv[1]); err != nil {
			upd.Abandon()
			return ref, err
		}
	}
	if err := upd.Write(); err != nil {
		return ref, err
	}
	finUpd, err := c.state.Finalize(hdr.StateRoot, hdr.Number)
	if err != nil {
		return ref, err
	}
	if err := finUpd.Put(db.KeyFinalizedBlock, h[:]); err != nil {
		finUpd.Abandon()
		return ref, err
	}
	if err := finUpd.Write(); err != nil {
		return ref, err
	}

	// The old tree (the previous finalized block and anything built on it)
	// is no longer an ancestor we can execute on: the new block is the root.
	c.mu.Lock()
	old := c.mu.tree
	c.mu.tree = map[types.Hash]*node{h: {ref: ref, parent: hdr.ParentHash, stateRoot: hdr.StateRoot}}
	c.mu.best, c.mu.finalized = ref, ref
	c.mu.Unlock()
	for oh, n := range old {
		if oh == fin.Hash {
			continue // canonical history keeps its data
		}
		if upd, err := c.state.Discard(n.stateRoot); err == nil {
			_ = upd.Delete(db.HeaderKey(oh))
			_ = upd.Delete(db.BodyKey(oh))
			if err := upd.Write(); err != nil {
				return ref, err
			}
		}
	}
	c.log.Info("warp sync: installed finalized state", "number", hdr.Number, "hash", h, "keys", len(pairs))
	c.events.publish(Event{Kind: EventImported, Block: ref, Header: hdr, NewBest: true, Enacted: []BlockRef{ref}})
	c.events.publish(Event{Kind: EventFinalized, Block: ref, Header: hdr})
	return ref, nil
}
