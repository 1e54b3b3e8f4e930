package state

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/host/trie"
)

// Finalize records that the committed state root of block number is final.
// Call it for every newly finalized block in order. When the window holds
// more than KeepFinalized states (and not in archive mode) the oldest one is
// released and its unshared nodes are deleted by the returned update.
func (s *State) Finalize(root [32]byte, number uint32) (*Update, error) {
	if ok, err := s.HasState(root); err != nil || !ok {
		return nil, errors.Join(err, fmt.Errorf("%w: %x", ErrUnknownState, root))
	}
	u, err := s.begin()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	window := append([]finalEntry(nil), s.mu.finalized...)
	s.mu.Unlock()
	if n := len(window); n > 0 && window[n-1].number >= number {
		u.Abandon()
		return nil, fmt.Errorf("%w: %d after %d", ErrFinalizeOrder, number, window[n-1].number)
	}
	window = append(window, finalEntry{number, root})
	x := newRefTx(s, u.batch)
	err = u.batch.Put(finalizedKey(number), root[:])
	for s.keep >= 0 && len(window) > s.keep && err == nil {
		old := window[0]
		window = window[1:]
		err = u.batch.Delete(finalizedKey(old.number))
		if err == nil && old.root != trie.EmptyRoot {
			err = x.decref(old.root, false)
		}
	}
	if err == nil {
		err = x.flush()
	}
	if err != nil {
		u.Abandon()
		return nil, err
	}
	u.onWrite = func() {
		s.mu.finalized = window
		x.publish()
	}
	return u, nil
}

// Discard releases a committed state that will never be finalized (a block
// on a pruned fork), deleting the nodes no other state uses. Each Commit's
// reference is released once: by Discard, or by leaving the finalized window.
func (s *State) Discard(root [32]byte) (*Update, error) {
	u, err := s.begin()
	if err != nil {
		return nil, err
	}
	if root == trie.EmptyRoot {
		return u, nil
	}
	// Identical states (same root) share one node set with one reference per
	// Commit; the finalized window's own references must survive.
	s.mu.Lock()
	inWindow := 0
	for _, e := range s.mu.finalized {
		if e.root == root {
			inWindow++
		}
	}
	s.mu.Unlock()
	rc, err := readRefcount(s.kv, root)
	if err == nil && rc <= uint32(inWindow) {
		err = fmt.Errorf("%w: %x: only the finalized window's references are left", ErrUnknownState, root)
	}
	if err != nil {
		u.Abandon()
		return nil, err
	}
	x := newRefTx(s, u.batch)
	if err := x.decref(root, false); err != nil {
		u.Abandon()
		return nil, err
	}
	if err := x.flush(); err != nil {
		u.Abandon()
		return nil, err
	}
	u.onWrite = x.publish
	return u, nil
}
