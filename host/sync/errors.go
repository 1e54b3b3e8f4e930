package sync

import "errors"

// Errors of requests a Server refuses.
var (
	// ErrBadRequest reports a request that cannot be served as asked.
	ErrBadRequest = errors.New("sync: bad request")
	// ErrUnknownBlock reports a request about a block this node does not have.
	ErrUnknownBlock = errors.New("sync: unknown block")
	// ErrStateUnavailable reports a state request for a pruned state.
	ErrStateUnavailable = errors.New("sync: state not available")
	// ErrNoProof reports a warp request this node cannot prove (a
	// set-change block without a stored justification).
	ErrNoProof = errors.New("sync: no finality proof")
)

// Errors of responses the Syncer refuses (each is reported to the network).
var (
	// ErrBadResponse reports a response that does not match its request or
	// is inconsistent (unlinked, wrong numbers, hash or body mismatch).
	ErrBadResponse = errors.New("sync: bad response")
	// ErrEmptyResponse reports a peer that sent nothing for blocks it
	// announced.
	ErrEmptyResponse = errors.New("sync: empty response")
	// ErrBadState reports downloaded state that does not hash to the
	// header's state root, or out-of-order entries.
	ErrBadState = errors.New("sync: downloaded state does not match")
	// ErrBadWarpProof reports a warp proof that does not verify.
	ErrBadWarpProof = errors.New("sync: bad warp proof")
	// ErrNoWarpChain reports warp sync on a Chain without ImportWarpState.
	ErrNoWarpChain = errors.New("sync: chain cannot import a warp state")
	// ErrConfig reports a missing required Config field.
	ErrConfig = errors.New("sync: invalid config")
)
