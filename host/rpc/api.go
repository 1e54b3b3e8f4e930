package rpc

import (
	"context"

	"github.com/metamars/mars/runtime/types"
)

// The node implements these interfaces; RegisterAPI wires them to the
// Substrate method names. Callbacks handed to a Subscribe* method are
// cheap and never block (they only queue a notification), so the node may
// call them from its import or pool goroutine; the node must not call them
// after cancel has returned.

// HeadKind selects which headers SubscribeHeads reports.
type HeadKind uint8

// Head kinds.
const (
	HeadsBest      HeadKind = iota // each new best block (chain_subscribeNewHeads)
	HeadsFinalized                 // each newly finalized block
	HeadsAll                       // every imported block, forks included
)

// Chain is the block tree as the RPC reads it.
type Chain interface {
	BestHash() types.Hash
	FinalizedHash() types.Hash
	// CanonicalHash is the hash of block n on the best chain.
	CanonicalHash(n types.BlockNumber) (types.Hash, bool)
	// Header returns block h's header; ok is false when h is unknown.
	Header(h types.Hash) (hdr types.Header, ok bool, err error)
	// Body returns block h's extrinsics, each its full encoding (with its
	// own compact length prefix); ok is false when h is unknown.
	Body(h types.Hash) (exts [][]byte, ok bool, err error)
	// SubscribeHeads calls fn for each new header of the kind, in order.
	SubscribeHeads(kind HeadKind, fn func(types.Header)) (cancel func())
}

// State reads the state of a block. A backend wraps ErrUnknownBlock when
// it has no state for at.
type State interface {
	// Storage returns the value under key; ok is false when there is none.
	Storage(at types.Hash, key []byte) (value []byte, ok bool, err error)
	// StorageKeys returns up to count keys that start with prefix and sort
	// strictly after startKey (every prefixed key when startKey is nil),
	// in key order.
	StorageKeys(at types.Hash, prefix []byte, count int, startKey []byte) ([][]byte, error)
	// Call runs runtime API entry point method (e.g. "Core_version") with
	// SCALE-encoded args over the state of at, discarding its changes.
	Call(ctx context.Context, at types.Hash, method string, args []byte) ([]byte, error)
	// RuntimeVersion is the version of the runtime in at's state (cached by
	// the node: it is asked once per new best block per subscriber).
	RuntimeVersion(at types.Hash) (types.RuntimeVersion, error)
	// ReadProof returns the trie nodes proving the values of keys at at.
	ReadProof(at types.Hash, keys [][]byte) ([][]byte, error)
	// ClosestDescendantMerkleValue returns the Merkle value of the trie
	// node at key or, when none is exactly there, of the closest node
	// below it (a branch counts; key may end inside its partial key): the
	// node's encoding when shorter than 32 bytes, else its blake2_256
	// hash, and the root's always as its hash. ok is false when no key in
	// at's state starts with key.
	ClosestDescendantMerkleValue(at types.Hash, key []byte) (mv []byte, ok bool, err error)
}

// TxStatusKind is one step of a watched transaction's life
// (author_extrinsicUpdate).
type TxStatusKind uint8

// Transaction statuses; Finalized, Usurped, Dropped, Invalid and
// FinalityTimeout are final: the subscription ends after them.
const (
	TxFuture          TxStatusKind = iota // "future"
	TxReady                               // "ready"
	TxBroadcast                           // {"broadcast": Peers}
	TxInBlock                             // {"inBlock": Hash}
	TxRetracted                           // {"retracted": Hash}
	TxFinalityTimeout                     // {"finalityTimeout": Hash}
	TxFinalized                           // {"finalized": Hash}
	TxUsurped                             // {"usurped": Hash of the replacing transaction}
	TxDropped                             // "dropped"
	TxInvalid                             // "invalid"
)

// TxStatus is one update of a watched transaction.
type TxStatus struct {
	Kind  TxStatusKind
	Hash  types.Hash // block hash, or the usurper's hash
	Peers []string   // TxBroadcast
}

// Final reports whether no update follows this one.
func (s TxStatus) Final() bool {
	switch s.Kind {
	case TxFinalized, TxUsurped, TxDropped, TxInvalid, TxFinalityTimeout:
		return true
	}
	return false
}

// Pool is the transaction pool. Refusals are returned as
// types.TransactionValidityError (the runtime's verdict) or *PoolError.
type Pool interface {
	// Submit validates ext (its full encoding, with length prefix) and
	// adds it; it returns the transaction hash (blake2-256 of ext).
	Submit(ctx context.Context, ext []byte) (types.Hash, error)
	// SubmitAndWatch is Submit, then fn for each status until a final
	// one or cancel.
	SubmitAndWatch(ctx context.Context, ext []byte, fn func(TxStatus)) (hash types.Hash, cancel func(), err error)
	// Pending lists the pool's transactions (ready and future).
	Pending() [][]byte
	// ProvidesReady reports whether a ready transaction provides tag; used
	// to count an account's pooled nonces in system_accountNextIndex.
	ProvidesReady(tag []byte) bool
}

// Health is system_health's answer.
type Health struct {
	Peers           int  `json:"peers"`
	IsSyncing       bool `json:"isSyncing"`
	ShouldHavePeers bool `json:"shouldHavePeers"`
}

// System describes the node.
type System interface {
	Name() string    // system_name, e.g. "marsd"
	Version() string // system_version
	Chain() string   // system_chain, the chain spec's name
	// ChainType is "Development", "Local", "Live" or a custom name.
	ChainType() string
	// Properties is system_properties, e.g. ss58Format, tokenDecimals,
	// tokenSymbol.
	Properties() map[string]any
	Health() Health
}

// SyncState is system_syncState's answer.
type SyncState struct {
	StartingBlock types.BlockNumber `json:"startingBlock"`
	CurrentBlock  types.BlockNumber `json:"currentBlock"`
	HighestBlock  types.BlockNumber `json:"highestBlock"`
}

// PeerInfo is one entry of system_peers.
type PeerInfo struct {
	PeerID     string            `json:"peerId"`
	Roles      string            `json:"roles"` // "FULL", "AUTHORITY", "LIGHT"
	BestHash   types.Hash        `json:"bestHash"`
	BestNumber types.BlockNumber `json:"bestNumber"`
}

// Network is optional: when the System also implements it, the network
// methods are served (system_peers and the reserved-peer changes are
// Unsafe).
type Network interface {
	LocalPeerID() string
	ListenAddresses() []string
	NodeRoles() []string // "Full", "Authority", "Light"
	SyncState() SyncState
	Peers() []PeerInfo
	ReservedPeers() []string
	// AddReservedPeer takes a multiaddress ending in /p2p/<peer id>; a
	// malformed one is an error of type *Error with code 2002.
	AddReservedPeer(addr string) error
	RemoveReservedPeer(peerID string) error
}

// Keys is the node's keystore, for the unsafe author_* key methods. Key
// types are four ASCII bytes ("aura", "gran", …).
type Keys interface {
	// InsertKey stores the key derived from suri under keyType; public is
	// what the caller expects it to be.
	InsertKey(keyType [4]byte, suri string, public []byte) error
	HasKey(keyType [4]byte, public []byte) bool
	// RotateKeys generates new session keys (the runtime's
	// SessionKeys_generate_session_keys at the best block, keys kept in
	// the keystore) and returns their SCALE encoding.
	RotateKeys(ctx context.Context) ([]byte, error)
	// HasSessionKeys reports whether the keystore holds every key in the
	// encoded session keys.
	HasSessionKeys(ctx context.Context, sessionKeys []byte) (bool, error)
}

// PoolRemover is implemented by a Pool that supports author_removeExtrinsic.
type PoolRemover interface {
	// Remove drops the transactions and returns the hashes it removed.
	Remove(hashes []types.Hash) []types.Hash
}

// Backend groups what RegisterAPI needs. A nil member leaves its methods
// out: chain_* need Chain; state_* and payment_* need Chain and State;
// author_* need Pool (author_removeExtrinsic a PoolRemover); the key
// methods need Keys; system_* need System (system_accountNextIndex also
// Chain and State). Key methods and author_removeExtrinsic are Unsafe.
type Backend struct {
	Chain  Chain
	State  State
	Pool   Pool
	System System
	Keys   Keys
}

// RegisterAPI registers the Substrate methods @polkadot/api uses.
func RegisterAPI(s *Server, b Backend) error {
	regs := []func(*Server) error{}
	if b.Chain != nil {
		c := &chainAPI{chain: b.Chain}
		regs = append(regs, c.register)
		if b.State != nil {
			st := &stateAPI{chain: b.Chain, state: b.State}
			regs = append(regs, st.register, st.registerPayment)
		}
	}
	if b.Pool != nil || b.Keys != nil {
		a := &authorAPI{pool: b.Pool, keys: b.Keys}
		regs = append(regs, a.register)
	}
	if b.System != nil {
		sy := &systemAPI{sys: b.System, chain: b.Chain, state: b.State, pool: b.Pool}
		regs = append(regs, sy.register)
	}
	for _, r := range regs {
		if err := r(s); err != nil {
			return err
		}
	}
	return nil
}

// regList registers a list of methods, stopping at the first error.
type regList []func() error

func (l regList) run() error {
	for _, f := range l {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// ChainEvent is one change of the block tree: an import (Finalized false;
// NewBest when it became the best block) or a finalization.
type ChainEvent struct {
	Header    types.Header
	Finalized bool
	NewBest   bool
}

// ChainEvents is optional on a Chain: one stream of imports and
// finalizations in the order the chain made them. chainHead_v1_follow uses
// it when present; otherwise it combines three SubscribeHeads, whose
// relative order it cannot rely on. fn is cheap and never blocks.
type ChainEvents interface {
	SubscribeEvents(fn func(ChainEvent)) (cancel func())
}
