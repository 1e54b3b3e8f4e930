package trie

import (
	"bytes"
	"fmt"
)

// Prove returns a storage proof for keys under layout ver: the encodings of
// the nodes on the path to each key that are referenced by hash (the root and
// every node of 32 bytes or more), plus the hashed value of each key found in
// a hashed-value node. Entries are unique and in a deterministic order.
// Proving an absent key proves its absence.
func (t *Trie) Prove(keys [][]byte, ver Version) ([][]byte, error) {
	if _, err := t.Hash(ver); err != nil {
		return nil, err
	}
	seen := map[[32]byte]bool{}
	var proof [][]byte
	add := func(b []byte) {
		h := [32]byte(blake2(b))
		if !seen[h] {
			seen[h] = true
			proof = append(proof, b)
		}
	}
	for _, key := range keys {
		k := keyToNibbles(key)
		n, isRoot := t.root, true
		for n != nil {
			enc, err := t.encode(n, ver, nil)
			if err != nil {
				return nil, err
			}
			if isRoot || len(enc) >= 32 {
				add(enc)
			}
			isRoot = false
			if !bytes.HasPrefix(k, n.partial) {
				break
			}
			k = k[len(n.partial):]
			if len(k) == 0 {
				if n.hasValue && isHashedKind(enc[0]) {
					if err := t.loadValue(n); err != nil {
						return nil, err
					}
					add(n.value)
				}
				break
			}
			if n.children == nil {
				break
			}
			n, k = n.children[k[0]], k[1:]
		}
	}
	return proof, nil
}

// proofStore serves the entries of a proof by hash.
type proofStore map[[32]byte][]byte

func (p proofStore) GetNode(h [32]byte) ([]byte, error) {
	if b, ok := p[h]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("%w: no node %x", ErrIncompleteProof, h)
}

// NewFromProof returns a partial trie with the given root whose nodes come
// from proof. Reads that need a node outside the proof fail with
// ErrIncompleteProof.
func NewFromProof(root [32]byte, proof [][]byte) *Trie {
	ps := make(proofStore, len(proof))
	for _, b := range proof {
		ps[[32]byte(blake2(b))] = b
	}
	return NewFromRoot(root, ps)
}

// ReadProof reads key from a proof against root.
func ReadProof(root [32]byte, proof [][]byte, key []byte) ([]byte, bool, error) {
	return NewFromProof(root, proof).Get(key)
}

// VerifyProof checks that proof shows key holding value under root.
func VerifyProof(root [32]byte, proof [][]byte, key, value []byte) error {
	v, ok, err := ReadProof(root, proof, key)
	if err != nil {
		return err
	}
	if !ok || !bytes.Equal(v, value) {
		return fmt.Errorf("%w: key %x", ErrProofMismatch, key)
	}
	return nil
}

// VerifyAbsence checks that proof shows key absent under root.
func VerifyAbsence(root [32]byte, proof [][]byte, key []byte) error {
	_, ok, err := ReadProof(root, proof, key)
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("%w: key %x is present", ErrProofMismatch, key)
	}
	return nil
}
