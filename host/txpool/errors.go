package txpool

import (
	"errors"

	"github.com/metamars/mars/runtime/types"
)

// Errors returned by Submit and SubmitAndWatch. RPC maps them to Substrate's
// author error codes (1010 invalid, 1011 unknown, 1012 banned, 1013 already
// imported, 1014 priority too low, 1016 immediately dropped).
var (
	// ErrInvalid: the runtime says the transaction can never be included.
	// The returned error is a *ValidityError carrying the runtime's reason.
	ErrInvalid = errors.New("txpool: invalid transaction")
	// ErrUnknownValidity: the runtime could not decide (for example an
	// unknown signer lookup). Also carried by a *ValidityError.
	ErrUnknownValidity = errors.New("txpool: unknown transaction validity")
	// ErrNoProvides: the runtime returned a validity without provides tags,
	// so the pool could never tell when it is included.
	ErrNoProvides = errors.New("txpool: transaction provides no tags")
	// ErrAlreadyImported: a transaction with the same hash is in the pool.
	ErrAlreadyImported = errors.New("txpool: transaction already imported")
	// ErrBanned: the transaction was recently found invalid or included.
	ErrBanned = errors.New("txpool: transaction temporarily banned")
	// ErrTooLowPriority: the transaction provides a tag already provided by
	// transactions whose summed priority is not lower than its own.
	ErrTooLowPriority = errors.New("txpool: priority too low to replace")
	// ErrPoolFull: the pool is full and the transaction ranked lowest, so
	// it was dropped right away (Substrate's ImmediatelyDropped).
	ErrPoolFull = errors.New("txpool: pool full, transaction dropped")
	// ErrTooLarge: the encoding is longer than Config.MaxTxBytes.
	ErrTooLarge = errors.New("txpool: transaction too large")
	// ErrSenderLimit: the sender already has Config.MaxPerSender
	// transactions in the pool and this one replaces none of them.
	ErrSenderLimit = errors.New("txpool: too many transactions from sender")
	// ErrValidator: the validator itself failed (runtime call error,
	// cancelled context); the transaction's validity is not known.
	ErrValidator = errors.New("txpool: validator failed")
)

// ValidityError is the runtime's TransactionValidityError for a rejected
// submission. errors.Is(err, ErrInvalid) or errors.Is(err,
// ErrUnknownValidity) tells the two groups apart.
type ValidityError struct {
	Err types.TransactionValidityError
}

// Error implements error.
func (e *ValidityError) Error() string { return "txpool: " + e.Err.Error() }

// Unwrap returns ErrInvalid or ErrUnknownValidity.
func (e *ValidityError) Unwrap() error {
	if e.Err.Invalid {
		return ErrInvalid
	}
	return ErrUnknownValidity
}
