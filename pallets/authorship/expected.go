package authorship

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// FindAuthor finds the author's index in the authority set from the
// block's digest (pallets/aura: AuthorIndex).
type FindAuthor interface {
	AuthorIndex(ctx *frame.Context) (uint32, bool)
}

// Validators maps an authority index to the validator's account
// (pallets/session: ValidatorAt).
type Validators interface {
	ValidatorAt(ctx *frame.Context, i uint32) (types.AccountID, bool)
}

// EventHandler is told the author of each block once, in on_initialize
// (pallets/staking: NoteAuthor, for era points).
type EventHandler interface {
	NoteAuthor(ctx *frame.Context, author types.AccountID)
}
