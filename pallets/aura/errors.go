package aura

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// The pallet's errors (pallet_aura has none; these are MSC's, for the
// equivocation report).
var (
	// ErrInvalidEquivocationProof: an equivocation proof did not verify.
	ErrInvalidEquivocationProof = frame.NewError(PalletName, 0, "InvalidEquivocationProof")
	// ErrDuplicateOffenceReport: the offence was already reported.
	ErrDuplicateOffenceReport = frame.NewError(PalletName, 1, "DuplicateOffenceReport")
)

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{ErrInvalidEquivocationProof, ErrDuplicateOffenceReport}

var errorDocs = [...]string{
	"An equivocation proof provided as part of an equivocation report is invalid.",
	"A given equivocation report is valid but already previously reported.",
}

// Errors that make a block invalid.
var (
	// ErrSlotMustIncrease: the block's slot is not above CurrentSlot.
	ErrSlotMustIncrease = errors.New("aura: slot must increase")
	// ErrTimestampSlot: the timestamp is not in the block's slot.
	ErrTimestampSlot = errors.New("aura: timestamp slot must match CurrentSlot")
	// ErrBadProof reports an undecodable equivocation proof.
	ErrBadProof = errors.New("aura: bad equivocation proof")
)
