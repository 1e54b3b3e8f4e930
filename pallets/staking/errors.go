package staking

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// The pallet's errors, in pallet_staking's variant order (the index is part
// of DispatchError::Module). The docs are the metadata docs.
var (
	// ErrNotController: not a controller account.
	ErrNotController = frame.NewError(PalletName, 0, "NotController")
	// ErrNotStash: not a stash account.
	ErrNotStash = frame.NewError(PalletName, 1, "NotStash")
	// ErrAlreadyBonded: stash is already bonded.
	ErrAlreadyBonded = frame.NewError(PalletName, 2, "AlreadyBonded")
	// ErrAlreadyPaired: controller is already paired.
	ErrAlreadyPaired = frame.NewError(PalletName, 3, "AlreadyPaired")
	// ErrEmptyTargets: targets cannot be empty.
	ErrEmptyTargets = frame.NewError(PalletName, 4, "EmptyTargets")
	// ErrDuplicateIndex: duplicate index.
	ErrDuplicateIndex = frame.NewError(PalletName, 5, "DuplicateIndex")
	// ErrInvalidSlashIndex: slash record index out of bounds.
	ErrInvalidSlashIndex = frame.NewError(PalletName, 6, "InvalidSlashIndex")
	// ErrInsufficientBond: cannot have a validator or nominator role with
	// a bond below the minimum, or bond less than the existential deposit.
	ErrInsufficientBond = frame.NewError(PalletName, 7, "InsufficientBond")
	// ErrNoMoreChunks: can not schedule more unlock chunks.
	ErrNoMoreChunks = frame.NewError(PalletName, 8, "NoMoreChunks")
	// ErrNoUnlockChunk: can not rebond without unlocking chunks.
	ErrNoUnlockChunk = frame.NewError(PalletName, 9, "NoUnlockChunk")
	// ErrFundedTarget: attempting to target a stash that still has funds.
	ErrFundedTarget = frame.NewError(PalletName, 10, "FundedTarget")
	// ErrInvalidEraToReward: invalid era to reward.
	ErrInvalidEraToReward = frame.NewError(PalletName, 11, "InvalidEraToReward")
	// ErrInvalidNumberOfNominations: invalid number of nominations.
	ErrInvalidNumberOfNominations = frame.NewError(PalletName, 12, "InvalidNumberOfNominations")
	// ErrNotSortedAndUnique: items are not sorted and unique.
	ErrNotSortedAndUnique = frame.NewError(PalletName, 13, "NotSortedAndUnique")
	// ErrAlreadyClaimed: rewards for this era have already been claimed
	// for this validator.
	ErrAlreadyClaimed = frame.NewError(PalletName, 14, "AlreadyClaimed")
	// ErrInvalidPage: no nominators exist on this page.
	ErrInvalidPage = frame.NewError(PalletName, 15, "InvalidPage")
	// ErrIncorrectHistoryDepth: incorrect previous history depth input
	// provided.
	ErrIncorrectHistoryDepth = frame.NewError(PalletName, 16, "IncorrectHistoryDepth")
	// ErrIncorrectSlashingSpans: incorrect number of slashing spans
	// provided.
	ErrIncorrectSlashingSpans = frame.NewError(PalletName, 17, "IncorrectSlashingSpans")
	// ErrBadState: internal state has become somehow corrupted and the
	// operation cannot continue.
	ErrBadState = frame.NewError(PalletName, 18, "BadState")
	// ErrTooManyTargets: too many nomination targets supplied.
	ErrTooManyTargets = frame.NewError(PalletName, 19, "TooManyTargets")
	// ErrBadTarget: a nomination target was supplied that was blocked or
	// otherwise not a validator.
	ErrBadTarget = frame.NewError(PalletName, 20, "BadTarget")
	// ErrCannotChillOther: the user has enough bond and thus cannot be
	// chilled forcefully by an external person.
	ErrCannotChillOther = frame.NewError(PalletName, 21, "CannotChillOther")
	// ErrTooManyNominators: there are too many nominators in the system.
	ErrTooManyNominators = frame.NewError(PalletName, 22, "TooManyNominators")
	// ErrTooManyValidators: there are too many validator candidates in the
	// system.
	ErrTooManyValidators = frame.NewError(PalletName, 23, "TooManyValidators")
	// ErrCommissionTooLow: commission is too low.
	ErrCommissionTooLow = frame.NewError(PalletName, 24, "CommissionTooLow")
	// ErrBoundNotMet: some bound is not met.
	ErrBoundNotMet = frame.NewError(PalletName, 25, "BoundNotMet")
	// ErrControllerDeprecated: used when attempting to use deprecated
	// controller account logic.
	ErrControllerDeprecated = frame.NewError(PalletName, 26, "ControllerDeprecated")
)

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{
	ErrNotController, ErrNotStash, ErrAlreadyBonded, ErrAlreadyPaired, ErrEmptyTargets, ErrDuplicateIndex,
	ErrInvalidSlashIndex, ErrInsufficientBond, ErrNoMoreChunks, ErrNoUnlockChunk, ErrFundedTarget,
	ErrInvalidEraToReward, ErrInvalidNumberOfNominations, ErrNotSortedAndUnique, ErrAlreadyClaimed,
	ErrInvalidPage, ErrIncorrectHistoryDepth, ErrIncorrectSlashingSpans, ErrBadState, ErrTooManyTargets,
	ErrBadTarget, ErrCannotChillOther, ErrTooManyNominators, ErrTooManyValidators, ErrCommissionTooLow,
	ErrBoundNotMet, ErrControllerDeprecated,
}

var errorDocs = [...]string{
	"Not a controller account.",
	"Not a stash account.",
	"Stash is already bonded.",
	"Controller is already paired.",
	"Targets cannot be empty.",
	"Duplicate index.",
	"Slash record index out of bounds.",
	"Cannot have a validator or nominator role, with value less than the minimum defined by governance. If unbonding is the intention, `chill` first to remove one's role as validator/nominator.",
	"Can not schedule more unlock chunks.",
	"Can not rebond without unlocking chunks.",
	"Attempting to target a stash that still has funds.",
	"Invalid era to reward.",
	"Invalid number of nominations.",
	"Items are not sorted and unique.",
	"Rewards for this era have already been claimed for this validator.",
	"No nominators exist on this page.",
	"Incorrect previous history depth input provided.",
	"Incorrect number of slashing spans provided.",
	"Internal state has become somehow corrupted and the operation cannot continue.",
	"Too many nomination targets supplied.",
	"A nomination target was supplied that was blocked or otherwise not a validator.",
	"The user has enough bond and thus cannot be chilled forcefully by an external person.",
	"There are too many nominators in the system. Governance needs to adjust the staking settings to keep things safe for the runtime.",
	"There are too many validator candidates in the system. Governance needs to adjust the staking settings to keep things safe for the runtime.",
	"Commission is too low. Must be at least `MinCommission`.",
	"Some bound is not met.",
	"Used when attempting to use deprecated controller account logic.",
}

// ErrBadEncoding reports bytes this pallet cannot decode.
var ErrBadEncoding = errors.New("staking: bad encoding")

// ErrInvariant reports a broken storage invariant found by TryState.
var ErrInvariant = errors.New("staking: invariant broken")

// ErrGenesis reports an invalid genesis section.
var ErrGenesis = errors.New("staking: invalid genesis")
