package trie

import "errors"

// Errors returned by this package. Decoding errors wrap ErrInvalidNode.
var (
	// ErrInvalidNode reports a node encoding that is not a valid Substrate trie node.
	ErrInvalidNode = errors.New("trie: invalid node encoding")
	// ErrMissingNode reports a node (or hashed value) referenced by hash that the NodeStore does not hold.
	ErrMissingNode = errors.New("trie: missing node")
	// ErrIncompleteProof reports a read that needs a node the proof does not contain.
	ErrIncompleteProof = errors.New("trie: incomplete proof")
	// ErrProofMismatch reports a proof that is complete but proves a different value.
	ErrProofMismatch = errors.New("trie: proof does not match the expected value")
	// ErrInvalidVersion reports a state version other than V0 or V1.
	ErrInvalidVersion = errors.New("trie: invalid state version")
	// ErrInvalidInput reports malformed input files (state dumps, chain specs).
	ErrInvalidInput = errors.New("trie: invalid input")
)
