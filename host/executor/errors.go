package executor

import (
	"errors"
	"fmt"
)

// Errors detected while loading code (Executor.NewInstance, Prepare,
// RuntimeVersion).
var (
	// ErrInvalidCode: the blob is not a valid wasm module (or not a valid
	// zstd frame behind the compression prefix).
	ErrInvalidCode = errors.New("executor: invalid runtime code")
	// ErrCodeTooLarge: the blob decompresses to more than Config.MaxCodeSize.
	ErrCodeTooLarge = errors.New("executor: runtime code too large")
	// ErrForbiddenImport: the module imports something the host does not
	// provide (the error names the import).
	ErrForbiddenImport = errors.New("executor: forbidden import")
	// ErrImportSignature: an import we provide is imported with another type.
	ErrImportSignature = errors.New("executor: import signature mismatch")
	// ErrMissingExport: a required export (memory, _initialize, Core_version)
	// is absent or has the wrong type.
	ErrMissingExport = errors.New("executor: missing required export")
	// ErrNoVersion: neither a runtime_version section nor Core_version gave a
	// decodable version.
	ErrNoVersion = errors.New("executor: runtime version unavailable")
)

// Errors of Instance.Call. Every failure of the runtime itself is a
// *CallError that unwraps to one of these.
var (
	// ErrTrap: the wasm code trapped (unreachable, out-of-bounds access, a
	// host function refused its arguments, …).
	ErrTrap = errors.New("executor: runtime trapped")
	// ErrPanic: the runtime exited through proc_exit, which is what a Go
	// panic does; the message is what it wrote to stderr.
	ErrPanic = errors.New("executor: runtime panicked")
	// ErrOutOfMemory: the runtime ran out of its memory bound.
	ErrOutOfMemory = errors.New("executor: runtime out of memory")
	// ErrTimeout: the call ran past its deadline or its context ended.
	ErrTimeout = errors.New("executor: runtime call timed out")
	// ErrBadOutput: the runtime returned a pointer-size outside its memory.
	ErrBadOutput = errors.New("executor: runtime output out of bounds")
	// ErrUnbalancedTransaction: the call returned with storage transactions
	// still open (they are rolled back).
	ErrUnbalancedTransaction = errors.New("executor: unbalanced storage transactions")
	// ErrStorage: the Storage backend failed during the call.
	ErrStorage = errors.New("executor: storage failure")

	// ErrInstanceClosed: the instance was closed (explicitly or after a
	// failed call) and cannot run calls.
	ErrInstanceClosed = errors.New("executor: instance closed")
	// ErrUnknownExport: the runtime has no entry point of that name and type.
	ErrUnknownExport = errors.New("executor: unknown entry point")
)

// Errors raised inside host functions; they abort the call (a trap) and
// reach the caller wrapped in a *CallError with Kind ErrTrap.
var (
	// ErrOutOfBounds: a pointer or pointer-size given to a host function
	// lies outside the runtime's memory.
	ErrOutOfBounds = errors.New("executor: host function memory access out of bounds")
	// ErrBadArgument: a host function argument is malformed (bad SCALE,
	// invalid optional value, buffer too small where the spec aborts).
	ErrBadArgument = errors.New("executor: bad host function argument")
	// ErrNoStorage: a storage function was called where no storage is
	// attached (e.g. while reading another runtime's version).
	ErrNoStorage = errors.New("executor: no storage attached")
)

// CallError is the error of a failed runtime call.
type CallError struct {
	// Func is the entry point that failed ("_initialize" for instantiation).
	Func string
	// Kind is one of ErrTrap, ErrPanic, ErrOutOfMemory, ErrTimeout,
	// ErrBadOutput, ErrUnbalancedTransaction, ErrStorage.
	Kind error
	// Message is what the runtime said: its stderr (a Go panic message) or
	// the trap reason.
	Message string
	// Cause is the underlying error (wazero's, or a host function's).
	Cause error
}

func (e *CallError) Error() string {
	msg := e.Message
	if msg == "" && e.Cause != nil {
		msg = e.Cause.Error()
	}
	return fmt.Sprintf("%v in %s: %s", e.Kind, e.Func, msg)
}

// Unwrap exposes both Kind and Cause to errors.Is / errors.As.
func (e *CallError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Cause}
}
