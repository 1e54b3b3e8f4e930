package trie

import (
	"bytes"
	"fmt"
)

// ClosestDescendantMerkleValue returns the Merkle value (SPEC chap-state,
// "Merkle value") of the node whose full key is key itself or, when no
// node sits exactly there, the closest node below it: the first node on
// key's path whose full key starts with key. That node may be a branch
// without a value, and key may end inside its partial key.
//
// The Merkle value is the node's encoding when it is shorter than 32 bytes
// and its blake2_256 hash otherwise, except for the root, whose Merkle
// value is always its hash (the root hash under ver). ok is false when no
// node's key starts with key. Nodes loaded from a store keep their stored
// Merkle values; ver only matters for nodes written since.
//
// This is the closestDescendantMerkleValue storage item of the JSON-RPC
// spec's chainHead_v1_storage and archive_v1_storage.
func (t *Trie) ClosestDescendantMerkleValue(key []byte, ver Version) ([]byte, bool, error) {
	if !ver.valid() {
		return nil, false, fmt.Errorf("%w: %d", ErrInvalidVersion, ver)
	}
	if t.root == nil {
		return nil, false, nil
	}
	k := keyToNibbles(key)
	if len(k) == 0 {
		return t.rootMerkle(ver)
	}
	if err := t.resolve(t.root); err != nil {
		return nil, false, err
	}
	n, isRoot := t.root, true
	for {
		if len(k) <= len(n.partial) {
			// key ends at or inside n's partial key.
			if !bytes.HasPrefix(n.partial, k) {
				return nil, false, nil
			}
			if isRoot {
				return t.rootMerkle(ver)
			}
			mv, err := t.merkle(n, ver)
			if err != nil {
				return nil, false, err
			}
			return bytes.Clone(mv), true, nil
		}
		if !bytes.HasPrefix(k, n.partial) || n.children == nil {
			return nil, false, nil
		}
		k = k[len(n.partial):]
		c := n.children[k[0]]
		if c == nil {
			return nil, false, nil
		}
		k = k[1:]
		if len(k) == 0 {
			// The child itself: its Merkle value is its reference in n,
			// known without loading a hashed child.
			mv, err := t.merkle(c, ver)
			if err != nil {
				return nil, false, err
			}
			return bytes.Clone(mv), true, nil
		}
		if err := t.resolve(c); err != nil {
			return nil, false, err
		}
		n, isRoot = c, false
	}
}

// rootMerkle is the root's Merkle value: always its hash.
func (t *Trie) rootMerkle(ver Version) ([]byte, bool, error) {
	h, err := t.Hash(ver)
	if err != nil {
		return nil, false, err
	}
	return h[:], true, nil
}
