package rpc

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/metamars/mars/runtime/types"
)

// JSON-RPC 2.0 and jsonrpsee error codes, as Substrate nodes send them.
const (
	CodeParseError           = -32700
	CodeInvalidRequest       = -32600
	CodeMethodNotFound       = -32601
	CodeInvalidParams        = -32602
	CodeInternalError        = -32603
	CodeCallExecutionFailed  = -32000
	CodeTooManySubscriptions = -32006
	CodeOversizedRequest     = -32007
	CodeOversizedResponse    = -32008
	CodeServerBusy           = -32009
	CodeTooBigBatch          = -32010
)

// Substrate API error codes (sc-rpc-api: author 1000+, system 2000+,
// chain 3000+, state 4000+).
const (
	CodeAuthorBadFormat         = 1001
	CodeAuthorVerification      = 1002
	CodePoolInvalidTx           = 1010
	CodePoolUnknownValidity     = 1011
	CodePoolTemporarilyBanned   = 1012
	CodePoolAlreadyImported     = 1013
	CodePoolTooLowPriority      = 1014
	CodePoolCycleDetected       = 1015
	CodePoolImmediatelyDropped  = 1016
	CodePoolUnactionable        = 1018
	CodePoolNoTags              = 1019
	CodePoolInvalidBlockID      = 1020
	CodePoolFutureTx            = 1021
	CodeAuthorOther             = 1040
	CodeSystemNotHealthy        = 2001
	CodeSystemMalformedPeer     = 2002
	CodeChainOther              = 3001
	CodeChainClient             = 3002
	CodeStateInvalidBlockRange  = 4001
	CodeStateInvalidCount       = 4002
	CodeStateClient             = 4003
	CodePaymentRuntimeError     = 1
	CodePaymentDecodeError      = 2
	maxKeysPagedCount           = 1000
	unsafeMessage               = "RPC call is unsafe to be called externally"
	tooManySubscriptionsMessage = "Too many subscriptions on the connection"
)

// Sentinel errors. A backend wraps ErrUnknownBlock (with %w) when asked
// about a block it does not have.
var (
	ErrUnknownBlock  = errors.New("rpc: unknown block")
	ErrServerClosed  = errors.New("rpc: server closed")
	ErrDuplicate     = errors.New("rpc: method already registered")
	ErrBadMethodName = errors.New("rpc: bad method name")
)

// Error is a JSON-RPC error object. A Handler may return one to choose the
// code, message and data the client sees; any other error becomes
// CodeInternalError (or the mapping of the typed errors below).
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *Error) Error() string {
	if e.Data != nil {
		return fmt.Sprintf("rpc error %d: %s (%v)", e.Code, e.Message, e.Data)
	}
	return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message)
}

// NewError returns an *Error with the given code, message and optional data.
func NewError(code int, msg string, data any) *Error {
	return &Error{Code: code, Message: msg, Data: data}
}

func invalidParams(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParams, Message: "Invalid params", Data: fmt.Sprintf(format, args...)}
}

var (
	errParse          = &Error{Code: CodeParseError, Message: "Parse error"}
	errInvalidRequest = &Error{Code: CodeInvalidRequest, Message: "Invalid request"}
	errMethodNotFound = &Error{Code: CodeMethodNotFound, Message: "Method not found"}
	errUnsafe         = &Error{Code: CodeMethodNotFound, Message: unsafeMessage}
)

// PoolErrorKind says why the transaction pool refused a transaction for a
// reason other than the runtime's validity verdict.
type PoolErrorKind uint8

// Pool refusals, mapped to Substrate's author error codes.
const (
	PoolBadFormat          PoolErrorKind = iota // 1001: the bytes do not decode as an extrinsic
	PoolTemporarilyBanned                       // 1012
	PoolAlreadyImported                         // 1013
	PoolTooLowPriority                          // 1014 (Old, New priorities)
	PoolCycleDetected                           // 1015
	PoolImmediatelyDropped                      // 1016
	PoolUnactionable                            // 1018
	PoolNoTags                                  // 1019
	PoolInvalidBlockID                          // 1020
	PoolFutureRejected                          // 1021
)

// PoolError is what a Pool returns for a refusal that is not a
// types.TransactionValidityError (which the pool returns as is: it becomes
// 1010 "Invalid Transaction" or 1011 "Unknown Transaction Validity").
type PoolError struct {
	Kind     PoolErrorKind
	Old, New uint64     // priorities, for PoolTooLowPriority
	Hash     types.Hash // for PoolAlreadyImported
	Detail   string     // for PoolBadFormat
}

func (e *PoolError) Error() string { return "rpc: transaction pool: " + e.rpc().Message }

func (e *PoolError) rpc() *Error {
	switch e.Kind {
	case PoolBadFormat:
		return NewError(CodeAuthorBadFormat, "Extrinsic has invalid format: "+e.Detail, nil)
	case PoolTemporarilyBanned:
		return NewError(CodePoolTemporarilyBanned, "Transaction is temporarily banned", nil)
	case PoolAlreadyImported:
		return NewError(CodePoolAlreadyImported, "Transaction Already Imported", e.Hash.Hex())
	case PoolTooLowPriority:
		return NewError(CodePoolTooLowPriority, fmt.Sprintf("Priority is too low: (%d vs %d)", e.Old, e.New),
			"The transaction has too low priority to replace another transaction already in the pool.")
	case PoolCycleDetected:
		return NewError(CodePoolCycleDetected, "Cycle Detected", nil)
	case PoolImmediatelyDropped:
		return NewError(CodePoolImmediatelyDropped, "Immediately Dropped",
			"The transaction couldn't enter the pool because of the limit")
	case PoolUnactionable:
		return NewError(CodePoolUnactionable, "Unactionable",
			"The transaction is unactionable since it is not propagable and the local node does not author blocks")
	case PoolNoTags:
		return NewError(CodePoolNoTags, "No tags provided",
			"Transaction does not provide any tags, so the pool can't identify it")
	case PoolInvalidBlockID:
		return NewError(CodePoolInvalidBlockID, "The provided block ID is not valid", nil)
	case PoolFutureRejected:
		return NewError(CodePoolFutureTx, "The pool is not accepting future transactions", nil)
	}
	return NewError(CodeAuthorOther, "Transaction pool error: kind "+strconv.Itoa(int(e.Kind)), nil)
}

// invalidTxText is sp-runtime's text for each InvalidTransaction variant,
// which Substrate puts in the data of a 1010 error.
var invalidTxText = [...]string{
	types.InvalidCall:                  "Transaction call is not expected",
	types.InvalidPayment:               "Inability to pay some fees (e.g. account balance too low)",
	types.InvalidFuture:                "Transaction will be valid in the future",
	types.InvalidStale:                 "Transaction is outdated",
	types.InvalidBadProof:              "Transaction has a bad signature",
	types.InvalidAncientBirthBlock:     "Transaction has an ancient birth block",
	types.InvalidExhaustsResources:     "Transaction would exhaust the block limits",
	types.InvalidCustom:                "InvalidTransaction custom error",
	types.InvalidBadMandatory:          "A call was labelled as mandatory, but resulted in an Error.",
	types.InvalidMandatoryValidation:   "Transaction dispatch is mandatory; transactions must not be validated.",
	types.InvalidBadSigner:             "Invalid signing address",
	types.InvalidIndeterminateImplicit: "The implicit data was unable to be calculated",
	types.InvalidUnknownOrigin:         "The transaction extension did not authorize any origin",
}

var unknownTxText = [...]string{"CannotLookup", "NoUnsignedValidator", "Custom"}

func txValidityError(e types.TransactionValidityError) *Error {
	if e.Invalid {
		if e.Kind == types.InvalidCustom {
			return NewError(CodePoolInvalidTx, "Invalid Transaction", fmt.Sprintf("Custom error: %d", e.Custom))
		}
		text := fmt.Sprintf("InvalidTransaction kind %d", e.Kind)
		if int(e.Kind) < len(invalidTxText) {
			text = invalidTxText[e.Kind]
		}
		return NewError(CodePoolInvalidTx, "Invalid Transaction", text)
	}
	text := fmt.Sprintf("kind %d", e.Kind)
	switch {
	case e.Kind == types.UnknownCustom:
		text = fmt.Sprintf("Custom(%d)", e.Custom)
	case int(e.Kind) < len(unknownTxText):
		text = unknownTxText[e.Kind]
	}
	return NewError(CodePoolUnknownValidity, "Unknown Transaction Validity", text)
}

// authorError maps a pool error to Substrate's author codes.
func authorError(err error) *Error {
	var re *Error
	var pe *PoolError
	var ve types.TransactionValidityError
	var vp *types.TransactionValidityError
	switch {
	case errors.As(err, &re):
		return re
	case errors.As(err, &pe):
		return pe.rpc()
	case errors.As(err, &ve):
		return txValidityError(ve)
	case errors.As(err, &vp):
		return txValidityError(*vp)
	}
	return NewError(CodeAuthorOther, "Transaction pool error: "+err.Error(), nil)
}

// stateError maps a backend error of a state_* method: 4003 "Client
// error: …" as Substrate does, unless the handler built an *Error itself.
func stateError(err error) *Error {
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	return NewError(CodeStateClient, "Client error: "+err.Error(), nil)
}

// chainError maps a backend error of a chain_* method.
func chainError(err error) *Error {
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	return NewError(CodeChainClient, "Client error: "+err.Error(), nil)
}

// toError turns any handler error into the error object sent.
func toError(err error) *Error {
	var re *Error
	if errors.As(err, &re) {
		return re
	}
	return NewError(CodeInternalError, err.Error(), nil)
}
