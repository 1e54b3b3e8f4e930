// Package chain is the node's block store and importer: it executes blocks
// through the WASM runtime, checks their state root, persists header, body
// and state changes in one atomic batch, tracks the tree of unfinalized
// blocks with the best chain (longest chain, first seen wins ties), keeps
// the canonical number→hash index through reorgs, and records finality.
//
// Why one package for all of it: import, fork choice and finality all mutate
// the same three facts (which blocks exist, which is best, which is final)
// and the state's reference counts, so they are serialised by one lock and
// written by one batch per step. A crash between two steps leaves the last
// complete step on disk: never a header without its state, never a best
// block whose state is missing.
//
// Consensus engines plug in through Verifier (checks a header's seal and
// returns it without the seal, as Core_execute_block expects) and by calling
// Finalize; the chain itself knows no consensus.
//
// The chain knows no pallet: it talks to the runtime only through runtime
// APIs (Core_execute_block, BlockBuilder_*, GenesisBuilder_*) and the
// well-known key :code.
package chain
