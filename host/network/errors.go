package network

import "errors"

// Errors returned by the network. Decoding errors from peers also wrap the
// wire package's sentinels.
var (
	// ErrTooLarge: a peer sent (or a caller tried to send) a message above
	// the protocol's bound.
	ErrTooLarge = errors.New("network: message too large")
	// ErrMalformed: a peer's bytes are not a valid message.
	ErrMalformed = errors.New("network: malformed message")
	// ErrTimeout: a request got no complete answer in time.
	ErrTimeout = errors.New("network: request timed out")
	// ErrBadResponse: a peer's response does not answer the request.
	ErrBadResponse = errors.New("network: response does not match the request")
	// ErrWrongGenesis: a peer's handshake names another chain.
	ErrWrongGenesis = errors.New("network: peer is on another chain")
	// ErrNotConnected: the peer has no completed handshake with us.
	ErrNotConnected = errors.New("network: peer not connected")
	// ErrBanned: the peer is banned for misbehaviour.
	ErrBanned = errors.New("network: peer is banned")
	// ErrClosed: the network has been closed.
	ErrClosed = errors.New("network: closed")
	// ErrRefused: the peer refused or failed to serve the request.
	ErrRefused = errors.New("network: request refused by peer")

	// errNotSupported: the peer does not speak the protocol (another chain,
	// or not a MSC node). Transports wrap it.
	errNotSupported = errors.New("network: peer does not speak the protocol")
)
