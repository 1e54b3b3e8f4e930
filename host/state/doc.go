// Package state is the node's trie-backed world state over host/db: it keeps
// the trie nodes of every retained block state, gives the executor a
// writable, transactional view of one state (Overlay), commits a block's
// changes atomically together with the caller's own writes, records storage
// proofs, and prunes states that are no longer needed.
//
// # Storage layout
//
// Trie nodes (and V1 hashed values) are stored content addressed under
// db.TrieNodeKey(blake2_256(encoding)). Each has a reference count under
// PrefixState 'r' ++ hash: the number of stored nodes that refer to it by hash
// plus the number of committed states whose root it is. Identical subtrees,
// within one state or across forks, are stored once and counted per
// reference, so dropping a state frees exactly the nodes no other state uses.
//
// # Lifecycle
//
//   - Overlay.Commit produces an Update (new nodes, reference counts) that
//     adds one reference to the new root; the caller may add its own writes
//     (header, body) and Write it: everything lands in one atomic batch.
//   - Finalize(root, number) moves a committed state into the finalized
//     window; once more than Config.KeepFinalized states are finalized the
//     oldest one's reference is dropped (never in archive mode).
//   - Discard(root) drops the reference of a committed state that will never
//     be finalized (a pruned fork).
//
// Each successful Commit+Write adds exactly one reference, so the chain must
// release each committed block state exactly once (Finalize window or
// Discard); committing the same root twice needs two releases.
//
// Only one Update may be outstanding at a time (ErrUpdatePending): reference
// counts are read-modify-write, and block import is sequential anyway. Every
// Update must end in Write or Abandon, on error paths too.
//
// Readers (State.Get, State.Trie, overlays) never lock: they read the
// database directly, so a read of a state that is pruned meanwhile fails with
// trie.ErrMissingNode, and a read of a retained state always succeeds.
//
// # Overlay
//
// An Overlay keeps the block's changes in a flat map of changed keys with an
// undo journal per transaction (Substrate's overlay design): a write is a map
// update, a nested transaction is a mark in the journal, and rollback undoes
// the journal back to the mark. The changes reach a persistent trie rooted at
// the parent state (loaded lazily) only when the trie itself is needed: Root,
// Commit, NextKey, ClearPrefix. Inside a transaction the trie is copied (O(1),
// path-copying) before such a flush, so rollback restores it too. Root
// re-hashes only the nodes written since the last Root. Changes lists the
// keys that differ from the parent (for storage notifications). A recording
// overlay (NewRecordingOverlay) remembers every node it loaded: Proof returns
// them, and a trie built from that proof (trie.NewFromProof) replays the same
// reads and writes statelessly, as a side-chain validator does with a proof
// of validity.
//
// # Caches
//
// Node encodings read or written are cached by hash (content addressing makes
// them valid forever; pruned nodes are evicted). Reference counts are cached
// too, exactly: a State must be the only writer of its database's state
// prefix (the one Update at a time already requires it).
package state
