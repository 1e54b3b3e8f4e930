package chain

import "errors"

// Errors of block import and chain queries.
var (
	ErrKnownBlock     = errors.New("chain: block already imported")
	ErrUnknownParent  = errors.New("chain: unknown parent block")
	ErrUnknownBlock   = errors.New("chain: unknown block")
	ErrBadNumber      = errors.New("chain: block number is not parent + 1")
	ErrStateMismatch  = errors.New("chain: state root mismatch")
	ErrExecution      = errors.New("chain: block execution failed")
	ErrNoCode         = errors.New("chain: no :code in parent state")
	ErrPrunedState    = errors.New("chain: state of block is pruned")
	ErrNotDescendant  = errors.New("chain: block does not descend from the finalized block")
	ErrGenesisMissing = errors.New("chain: database has no genesis and none was given")
	ErrGenesisDiffers = errors.New("chain: database holds another chain (genesis hash differs)")
	ErrBadVerifier    = errors.New("chain: header rejected by the consensus verifier")
)

// ErrRetryLater is wrapped by a Verifier's errors that say nothing about
// the block itself: a block from a slot that has not started yet (clock
// skew) or a local failure to read the authority set. Whoever sent such a
// block is not at fault; the block may be tried again later.
var ErrRetryLater = errors.New("chain: header cannot be judged now")
