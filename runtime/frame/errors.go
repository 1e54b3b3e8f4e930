package frame

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/types"
)

// Error is a pallet's dispatch error: the pallet's name and the error's
// fixed index in its error enum (Substrate's #[pallet::error] variant). The
// runtime maps Pallet to the pallet's index to build
// DispatchError::Module{index, error: [Index, 0, 0, 0]}. Declare them as
// package-level sentinels:
//
//	var ErrInsufficientBalance = frame.NewError("Balances", 2, "InsufficientBalance")
type Error struct {
	Pallet string
	Index  uint8
	Name   string
}

// NewError declares a pallet error.
func NewError(pallet string, index uint8, name string) *Error {
	return &Error{Pallet: pallet, Index: index, Name: name}
}

func (e *Error) Error() string { return e.Pallet + "." + e.Name }

// DispatchErr is an error that is one of the non-module DispatchError
// variants (BadOrigin, Token(..), Arithmetic(..), ...).
type DispatchErr struct {
	E    types.DispatchError
	Name string
}

func (e *DispatchErr) Error() string { return "frame: " + e.Name }

func dispatchErr(kind, sub uint8, name string) *DispatchErr {
	return &DispatchErr{E: types.DispatchError{Kind: kind, Sub: sub}, Name: name}
}

// The non-module dispatch errors, as sentinels.
var (
	ErrOther             = dispatchErr(types.DispatchOther, 0, "Other")
	ErrCannotLookup      = dispatchErr(types.DispatchCannotLookup, 0, "CannotLookup")
	ErrBadOrigin         = dispatchErr(types.DispatchBadOrigin, 0, "BadOrigin")
	ErrConsumerRemaining = dispatchErr(types.DispatchConsumerRemaining, 0, "ConsumerRemaining")
	ErrNoProviders       = dispatchErr(types.DispatchNoProviders, 0, "NoProviders")
	ErrTooManyConsumers  = dispatchErr(types.DispatchTooManyConsumers, 0, "TooManyConsumers")
	ErrExhausted         = dispatchErr(types.DispatchExhausted, 0, "Exhausted")
	ErrCorruption        = dispatchErr(types.DispatchCorruption, 0, "Corruption")
	ErrUnavailable       = dispatchErr(types.DispatchUnavailable, 0, "Unavailable")
	ErrRootNotAllowed    = dispatchErr(types.DispatchRootNotAllowed, 0, "RootNotAllowed")

	ErrUnderflow      = dispatchErr(types.DispatchArithmetic, types.ArithmeticUnderflow, "Arithmetic(Underflow)")
	ErrOverflow       = dispatchErr(types.DispatchArithmetic, types.ArithmeticOverflow, "Arithmetic(Overflow)")
	ErrDivisionByZero = dispatchErr(types.DispatchArithmetic, types.ArithmeticDivisionByZero, "Arithmetic(DivisionByZero)")

	ErrFundsUnavailable = dispatchErr(types.DispatchToken, types.TokenFundsUnavailable, "Token(FundsUnavailable)")
	ErrOnlyProvider     = dispatchErr(types.DispatchToken, types.TokenOnlyProvider, "Token(OnlyProvider)")
	ErrBelowMinimum     = dispatchErr(types.DispatchToken, types.TokenBelowMinimum, "Token(BelowMinimum)")
	ErrCannotCreate     = dispatchErr(types.DispatchToken, types.TokenCannotCreate, "Token(CannotCreate)")
	ErrUnknownAsset     = dispatchErr(types.DispatchToken, types.TokenUnknownAsset, "Token(UnknownAsset)")
	ErrFrozen           = dispatchErr(types.DispatchToken, types.TokenFrozen, "Token(Frozen)")
	ErrUnsupported      = dispatchErr(types.DispatchToken, types.TokenUnsupported, "Token(Unsupported)")
	ErrNotExpendable    = dispatchErr(types.DispatchToken, types.TokenNotExpendable, "Token(NotExpendable)")
	ErrBlocked          = dispatchErr(types.DispatchToken, types.TokenBlocked, "Token(Blocked)")

	ErrTransactionalLimit = dispatchErr(types.DispatchTransactional, types.TransactionalLimitReached, "Transactional(LimitReached)")
)

// InvalidTx is a transaction validity error as a Go error; validation code
// returns it and the executive encodes E.
type InvalidTx struct {
	E types.TransactionValidityError
}

func (e *InvalidTx) Error() string { return "frame: invalid transaction: " + e.E.Error() }

func invalid(kind uint8) *InvalidTx {
	return &InvalidTx{types.TransactionValidityError{Invalid: true, Kind: kind}}
}

// The transaction validity errors (sp_runtime InvalidTransaction /
// UnknownTransaction), as sentinels.
var (
	ErrTxCall                = invalid(types.InvalidCall)
	ErrTxPayment             = invalid(types.InvalidPayment)
	ErrTxFuture              = invalid(types.InvalidFuture)
	ErrTxStale               = invalid(types.InvalidStale)
	ErrTxBadProof            = invalid(types.InvalidBadProof)
	ErrTxAncientBirthBlock   = invalid(types.InvalidAncientBirthBlock)
	ErrTxExhaustsResources   = invalid(types.InvalidExhaustsResources)
	ErrTxBadMandatory        = invalid(types.InvalidBadMandatory)
	ErrTxMandatoryValidation = invalid(types.InvalidMandatoryValidation)
	ErrTxBadSigner           = invalid(types.InvalidBadSigner)
	ErrTxCannotLookup        = &InvalidTx{types.TransactionValidityError{Kind: types.UnknownCannotLookup}}
	ErrTxNoUnsignedValidator = &InvalidTx{types.TransactionValidityError{Kind: types.UnknownNoUnsignedValidator}}
)

// InvalidCustom returns InvalidTransaction::Custom(code).
func InvalidCustom(code uint8) *InvalidTx {
	return &InvalidTx{types.TransactionValidityError{Invalid: true, Kind: types.InvalidCustom, Custom: code}}
}

// ValidityError extracts the TransactionValidityError of err (an *InvalidTx
// anywhere in its chain); any other error is InvalidTransaction::Call.
func ValidityError(err error) types.TransactionValidityError {
	var it *InvalidTx
	if errors.As(err, &it) {
		return it.E
	}
	return ErrTxCall.E
}

// Errors of the executive and block execution (not dispatch errors: they
// make a block invalid).
var (
	ErrStateRootMismatch      = errors.New("frame: state root mismatch")
	ErrExtrinsicsRootMismatch = errors.New("frame: extrinsics root mismatch")
	ErrInvalidExtrinsic       = errors.New("frame: block contains an invalid extrinsic")
	// ErrBadSignature: a signature whose check was deferred to the end of
	// the block (executeBlock's signature batch) did not hold. It is an
	// ErrInvalidExtrinsic (InvalidTransaction::BadProof, found late).
	ErrBadSignature        = fmt.Errorf("%w: bad signature", ErrInvalidExtrinsic)
	ErrInherentAfterSigned = errors.New("frame: inherent after a non-inherent extrinsic")
	ErrUnknownPallet       = errors.New("frame: unknown pallet index")
	ErrUnknownCall         = errors.New("frame: unknown call index")
	ErrBadCallArgs         = errors.New("frame: cannot decode call arguments")
	ErrGenesis             = errors.New("frame: invalid genesis config")
)
