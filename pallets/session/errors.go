package session

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// The pallet's errors, in pallet_session's variant order.
var (
	// ErrInvalidProof: invalid ownership proof.
	ErrInvalidProof = frame.NewError(PalletName, 0, "InvalidProof")
	// ErrNoAssociatedValidatorID: no associated validator ID for account.
	ErrNoAssociatedValidatorID = frame.NewError(PalletName, 1, "NoAssociatedValidatorId")
	// ErrDuplicatedKey: registered duplicate key.
	ErrDuplicatedKey = frame.NewError(PalletName, 2, "DuplicatedKey")
	// ErrNoKeys: no keys are associated with this account.
	ErrNoKeys = frame.NewError(PalletName, 3, "NoKeys")
	// ErrNoAccount: key setting account is not live, so it's impossible to associate keys.
	ErrNoAccount = frame.NewError(PalletName, 4, "NoAccount")
)

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{ErrInvalidProof, ErrNoAssociatedValidatorID, ErrDuplicatedKey, ErrNoKeys, ErrNoAccount}

var errorDocs = [...]string{
	"Invalid ownership proof.",
	"No associated validator ID for account.",
	"Registered duplicate key.",
	"No keys are associated with this account.",
	"Key setting account is not live, so it's impossible to associate keys.",
}

// ErrInvariant reports a broken storage invariant found by TryState.
var ErrInvariant = errors.New("session: invariant broken")

// ErrGenesis reports an invalid genesis section.
var ErrGenesis = errors.New("session: invalid genesis")
