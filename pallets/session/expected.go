package session

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// SessionManager decides the validators of each session
// (pallet_session::SessionManager); pallets/staking implements it.
//
// Call order at a rotation from session i to i+1: EndSession(i),
// StartSession(i+1), NewSession(i+2). At genesis: NewSession(0),
// NewSession(1), then StartSession(0) (Substrate's new_session_genesis is
// NewSession here: the manager sees newIndex 0 and 1 only at genesis).
type SessionManager interface {
	// NewSession returns the validators planned for session newIndex;
	// changed false (or an empty list) keeps the current set.
	NewSession(ctx *frame.Context, newIndex uint32) (validators []types.AccountID, changed bool)
	// EndSession: session index is over.
	EndSession(ctx *frame.Context, index uint32)
	// StartSession: session index begins (its validators are active).
	StartSession(ctx *frame.Context, index uint32)
}

// SessionHandler learns the session keys of one key type
// (pallet_session::OneSessionHandler); pallets/aura gets the Aura keys and
// pallets/grandpa the GRANDPA keys, each list in Validators' order.
type SessionHandler interface {
	// OnGenesisSession: the keys of the genesis validators.
	OnGenesisSession(ctx *frame.Context, keys [][32]byte)
	// OnNewSession: session index started with the current keys; queued
	// are the next session's; changed says whether the set (accounts or
	// keys) differs from the previous session's.
	OnNewSession(ctx *frame.Context, index uint32, changed bool, keys, queued [][32]byte)
}

// Accounts is what the pallet needs from System (*system.Pallet).
type Accounts interface {
	IncProviders(ctx *frame.Context, who types.AccountID) (created bool)
	IncConsumers(ctx *frame.Context, who types.AccountID) error
	DecConsumers(ctx *frame.Context, who types.AccountID)
}
