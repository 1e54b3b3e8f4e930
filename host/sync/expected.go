package sync

import (
	"context"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// PeerID names a connected peer (the network's peer ID string).
type PeerID = string

// Network is what the Syncer needs from the network: request–response
// protocols to one peer, and the peer reputation (*network.Network has these
// methods).
//
// The network charges peers itself for transport failures: undecodable or
// oversized responses and timeouts. A request error therefore only makes the
// Syncer back off from the peer; it reports what only it can see: blocks that
// are inconsistent or fail import, nothing served for announced blocks, bad
// justifications, bad warp proofs and state.
type Network interface {
	RequestBlocks(ctx context.Context, p PeerID, req wire.BlockRequest) (wire.BlockResponse, error)
	RequestState(ctx context.Context, p PeerID, req wire.StateRequest) (wire.StateResponse, error)
	RequestWarp(ctx context.Context, p PeerID, req wire.WarpRequest) (wire.WarpResponse, error)
	// Report changes a peer's reputation by delta (negative for
	// misbehaviour); the network drops peers whose reputation sinks too low.
	Report(p PeerID, delta int, reason string)
}

// Chain is the part of *chain.Chain the Syncer uses.
type Chain interface {
	Genesis() chain.BlockRef
	Best() chain.BlockRef
	Finalized() chain.BlockRef
	HashByNumber(n uint32) (types.Hash, bool)
	Header(h types.Hash) (*types.Header, error)
	Import(ctx context.Context, blk *types.Block) (chain.BlockRef, bool, error)
	Finalize(h types.Hash, justification []byte) error
}

// WarpChain is a Chain that can start from a downloaded state (needed by
// warp sync only; found by type assertion on Config.Chain).
type WarpChain interface {
	Chain
	// ImportWarpState stores hdr (without body) with the given state and
	// justification, and makes it finalized and best.
	ImportWarpState(ctx context.Context, hdr *types.Header, justification []byte, pairs []trie.Pair) (chain.BlockRef, error)
}

// ServerChain is the part of *chain.Chain the Server reads.
type ServerChain interface {
	Genesis() chain.BlockRef
	Best() chain.BlockRef
	Finalized() chain.BlockRef
	HashByNumber(n uint32) (types.Hash, bool)
	Header(h types.Hash) (*types.Header, error)
	Body(h types.Hash) ([][]byte, error)
	Justification(h types.Hash) ([]byte, bool)
	StateRoot(h types.Hash) (types.Hash, error)
	State() *state.State
}

// JustificationVerifier checks a GRANDPA justification of block (hash,
// number) against the authority set in force there; the node supplies it
// (GRANDPA lives in consensus/).
type JustificationVerifier func(hash types.Hash, number uint32, justification []byte) error

// Authority is one GRANDPA voter.
type Authority struct {
	ID     [32]byte // ed25519 public key
	Weight uint64
}

// AuthoritySet is a GRANDPA authority set and its id.
type AuthoritySet struct {
	ID          uint64
	Authorities []Authority
}

// WarpVerifier checks one warp-proof fragment against the authority set in
// force before it (its justification must finalize the fragment's header
// under set) and returns the set in force after it: the next set when the
// header enacts a ScheduledChange, set itself otherwise. The node supplies it.
type WarpVerifier func(set AuthoritySet, frag wire.WarpFragment) (AuthoritySet, error)

// The node passes a *chain.Chain for each.
var (
	_ WarpChain   = (*chain.Chain)(nil)
	_ ServerChain = (*chain.Chain)(nil)
)
