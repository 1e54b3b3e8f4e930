package state

import "errors"

// Errors.
var (
	// ErrNoTransaction reports a commit or rollback without an open transaction.
	ErrNoTransaction = errors.New("state: no open transaction")
	// ErrOpenTransaction reports a block commit while a transaction is still open.
	ErrOpenTransaction = errors.New("state: transaction still open")
	// ErrUpdatePending reports a second update while one is neither written nor abandoned.
	ErrUpdatePending = errors.New("state: another update is pending")
	// ErrUpdateDone reports use of an update that was already written or abandoned.
	ErrUpdateDone = errors.New("state: update already written or abandoned")
	// ErrCommitted reports a write to an overlay after its Commit.
	ErrCommitted = errors.New("state: overlay already committed")
	// ErrUnknownState reports a root that has no retained state.
	ErrUnknownState = errors.New("state: unknown state root")
	// ErrFinalizeOrder reports a Finalize whose number does not follow the last one.
	ErrFinalizeOrder = errors.New("state: finalized numbers must increase")
	// ErrCorrupt reports broken bookkeeping (a reference count or node missing).
	ErrCorrupt = errors.New("state: corrupt database")
)
