package grandpa

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// The pallet's errors, in pallet_grandpa's variant order.
var (
	ErrPauseFailed              = frame.NewError(PalletName, 0, "PauseFailed")
	ErrResumeFailed             = frame.NewError(PalletName, 1, "ResumeFailed")
	ErrChangePending            = frame.NewError(PalletName, 2, "ChangePending")
	ErrTooSoon                  = frame.NewError(PalletName, 3, "TooSoon")
	ErrInvalidKeyOwnershipProof = frame.NewError(PalletName, 4, "InvalidKeyOwnershipProof")
	ErrInvalidEquivocationProof = frame.NewError(PalletName, 5, "InvalidEquivocationProof")
	ErrDuplicateOffenceReport   = frame.NewError(PalletName, 6, "DuplicateOffenceReport")
)

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{ErrPauseFailed, ErrResumeFailed, ErrChangePending, ErrTooSoon,
	ErrInvalidKeyOwnershipProof, ErrInvalidEquivocationProof, ErrDuplicateOffenceReport}

var errorDocs = [...]string{
	"Attempt to signal GRANDPA pause when the authority set isn't live (either paused or already pending pause).",
	"Attempt to signal GRANDPA resume when the authority set isn't paused (either live or already pending resume).",
	"Attempt to signal GRANDPA change with one already pending.",
	"Cannot signal forced change so soon after last.",
	"A key ownership proof provided as part of an equivocation report is invalid.",
	"An equivocation proof provided as part of an equivocation report is invalid.",
	"A given equivocation report is valid but already previously reported.",
}

// ErrBadProof reports an undecodable equivocation proof.
var ErrBadProof = errors.New("grandpa: bad equivocation proof")
