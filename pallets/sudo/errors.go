package sudo

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// ErrRequireSudo: sender must be the Sudo account (error index 0).
var ErrRequireSudo = frame.NewError(PalletName, 0, "RequireSudo")

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{ErrRequireSudo}

// ErrTooDeep reports an inner call nested deeper than maxCallDepth.
var ErrTooDeep = errors.New("sudo: calls nested too deeply")
