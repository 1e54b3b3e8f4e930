// Package trie implements the Substrate base-16 Patricia-Merkle trie that
// commits to a chain's state (PROTOCOL.md §3, SPEC chap-state).
//
// Why a package of its own: the state root is consensus. Every byte of the node
// encoding (header kinds, saturating partial-key length, children bitmap, inline
// versus hashed children, hashed values of layout V1) must match Substrate, or
// our nodes compute a different root than every other client. The conformance
// tests therefore reproduce the real Kusama and Westend genesis roots.
//
// Design:
//
//   - A Trie is copy-on-write: Copy is O(1) and is how callers take
//     snapshots for nested transactions. After a Copy neither trie changes
//     the nodes they share; each trie changes in place only the nodes it
//     created since its last Copy (a generation number), so a batch of
//     writes does not copy the same path over and over.
//   - Every node caches its merkle value. A write only creates new nodes along
//     one path, so Hash after changing k keys of an n-key trie re-hashes
//     O(k log n) nodes.
//   - Nodes can be loaded lazily from a NodeStore (content addressed by
//     blake2_256 of their encoding). Nodes loaded from a store keep the merkle
//     value they were stored with, whatever layout version later hashes the
//     trie: Substrate only re-encodes nodes a block touches.
//   - Commit hands every node not yet persisted (and, for V1, every hashed
//     value) to a NodeWriter, children before parents.
//   - Proofs are the encodings of the hashed nodes on the paths of a set of
//     keys; a proof is itself a NodeStore, so a partial trie built from it
//     answers reads statelessly and reports ErrIncompleteProof elsewhere.
//   - ClosestDescendantMerkleValue (merkle.go) reports the Merkle value of
//     the first node at or below a key (the root's always as its hash), for
//     the JSON-RPC spec's closestDescendantMerkleValue storage item.
//
// A Trie is not safe for concurrent use: reads resolve lazily loaded nodes and
// fill hash caches in place. Give each goroutine its own Trie (Copy is cheap
// only within one goroutine; a fresh Trie from a root hash is the way to share
// a stored state).
package trie
