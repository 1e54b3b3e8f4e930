package system

import "github.com/metamars/mars/runtime/frame"

// Errors, in frame_system's order (their index is their DispatchError
// Module error byte).
var (
	// ErrInvalidSpecName: the new runtime's spec name differs.
	ErrInvalidSpecName = frame.NewError(Name, 0, "InvalidSpecName")
	// ErrSpecVersionNeedsToIncrease: the new spec version is not greater.
	ErrSpecVersionNeedsToIncrease = frame.NewError(Name, 1, "SpecVersionNeedsToIncrease")
	// ErrFailedToExtractRuntimeVersion: the code has no readable version.
	ErrFailedToExtractRuntimeVersion = frame.NewError(Name, 2, "FailedToExtractRuntimeVersion")
	// ErrNonDefaultComposite: suicide called when the account has non-default composite data.
	ErrNonDefaultComposite = frame.NewError(Name, 3, "NonDefaultComposite")
	// ErrNonZeroRefCount: there is a non-zero reference count preventing the account from being purged.
	ErrNonZeroRefCount = frame.NewError(Name, 4, "NonZeroRefCount")
	// ErrCallFiltered: the origin filter prevents the call.
	ErrCallFiltered = frame.NewError(Name, 5, "CallFiltered")
	// ErrMultiBlockMigrationsOngoing: a multi-block migration is ongoing.
	ErrMultiBlockMigrationsOngoing = frame.NewError(Name, 6, "MultiBlockMigrationsOngoing")
	// ErrNothingAuthorized: no upgrade authorized.
	ErrNothingAuthorized = frame.NewError(Name, 7, "NothingAuthorized")
	// ErrUnauthorized: the submitted code is not authorized.
	ErrUnauthorized = frame.NewError(Name, 8, "Unauthorized")
)
