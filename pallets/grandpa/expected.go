package grandpa

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// Reporter receives offences (pallets/offences implements it).
type Reporter interface {
	// ReportOffence reports offenders for an offence of kind at timeSlot;
	// slashPercent is parts per billion. A duplicate report is an error.
	ReportOffence(ctx *frame.Context, kind [16]byte, timeSlot []byte, offenders []types.AccountID, slashPercent uint32) error
}

// knownOffences is optionally implemented by the Reporter.
type knownOffences interface {
	IsKnownOffence(st frame.Store, kind [16]byte, timeSlot []byte, offender types.AccountID) bool
}

// Validators maps an authority index to the validator's account
// (pallets/session: Validators[i]).
type Validators interface {
	ValidatorAt(ctx *frame.Context, i uint32) (types.AccountID, bool)
}
