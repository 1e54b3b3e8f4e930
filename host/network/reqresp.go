package network

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/metamars/mars/host/network/wire"
)

// request sends one request on a fresh stream of proto and reads one
// response of at most limit bytes. Timeouts and framing violations are
// charged to the peer; decoding the response is the caller's.
func (e *engine) request(ctx context.Context, peer, proto string, req []byte, limit int) ([]byte, error) {
	if e.rep.banned(peer) {
		return nil, ErrBanned
	}
	if len(req) > wire.MaxRequest {
		return nil, fmt.Errorf("network: request of %d bytes: %w", len(req), ErrTooLarge)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.reqTimeout)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopTie := context.AfterFunc(e.ctx, cancel) // the request dies with the engine
	defer stopTie()
	s, err := e.t.open(ctx, peer, proto)
	if err != nil {
		return nil, e.requestFailed(ctx, peer, proto, err)
	}
	stop := context.AfterFunc(ctx, func() { s.Reset() })
	defer stop()
	deadline, _ := ctx.Deadline()
	_ = s.SetDeadline(deadline)
	if err := writeMsg(s, req); err != nil {
		s.Reset()
		return nil, e.requestFailed(ctx, peer, proto, err)
	}
	_ = s.CloseWrite()
	resp, err := readMsg(s, limit)
	if err != nil {
		s.Reset()
		return nil, e.requestFailed(ctx, peer, proto, err)
	}
	_ = s.Close()
	return resp, nil
}

// requestFailed classifies a failed request and charges the peer.
func (e *engine) requestFailed(ctx context.Context, peer, proto string, err error) error {
	switch {
	case errors.Is(err, ErrTooLarge) || errors.Is(err, ErrMalformed):
		e.report(peer, RepInvalid, proto+": "+err.Error())
		return err
	case isTimeout(ctx, err):
		e.report(peer, RepTimeout, proto+": timeout")
		return fmt.Errorf("%w: %s to %s", ErrTimeout, proto, peer)
	case e.ctx.Err() != nil:
		return ErrClosed
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %s: %w", ErrRefused, proto, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrRefused, proto, err)
}

// isTimeout reports whether a request failed for lack of time (the
// context's deadline, or a stream deadline: yamux and QUIC report theirs
// as net.Error timeouts).
func isTimeout(ctx context.Context, err error) bool {
	var ne net.Error
	return errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// invalidResponse charges the peer for a response that decodes badly or
// does not answer the request.
func (e *engine) invalidResponse(peer, proto string, err error) error {
	e.report(peer, RepInvalid, proto+": "+err.Error())
	if errors.Is(err, ErrBadResponse) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

func (e *engine) requestBlocks(ctx context.Context, peer string, req wire.BlockRequest) (wire.BlockResponse, error) {
	b, err := e.request(ctx, peer, e.protos.blocks, wire.Encode(req), wire.MaxBlockResponse)
	if err != nil {
		return wire.BlockResponse{}, err
	}
	resp, err := wire.DecodeBlockResponse(b)
	if err != nil {
		return wire.BlockResponse{}, e.invalidResponse(peer, e.protos.blocks, err)
	}
	if n := len(resp.Blocks); n > blocksWanted(req) {
		return wire.BlockResponse{}, e.invalidResponse(peer, e.protos.blocks, fmt.Errorf("%w: %d blocks for max %d", ErrBadResponse, n, req.Max))
	}
	for i, bd := range resp.Blocks {
		if bd.Header != nil && bd.Header.Hash() != bd.Hash {
			return wire.BlockResponse{}, e.invalidResponse(peer, e.protos.blocks, fmt.Errorf("%w: block %d: header does not hash to %s", ErrBadResponse, i, bd.Hash))
		}
	}
	return resp, nil
}

func (e *engine) requestState(ctx context.Context, peer string, req wire.StateRequest) (wire.StateResponse, error) {
	b, err := e.request(ctx, peer, e.protos.state, wire.Encode(req), wire.MaxStateResponse)
	if err != nil {
		return wire.StateResponse{}, err
	}
	resp, err := wire.DecodeStateResponse(b)
	if err != nil {
		return wire.StateResponse{}, e.invalidResponse(peer, e.protos.state, err)
	}
	prev := req.Start
	for i, kv := range resp.Entries {
		if (i > 0 || len(req.Start) > 0) && bytes.Compare(kv.Key, prev) <= 0 {
			return wire.StateResponse{}, e.invalidResponse(peer, e.protos.state, fmt.Errorf("%w: key %d not after %x", ErrBadResponse, i, prev))
		}
		prev = kv.Key
	}
	return resp, nil
}

func (e *engine) requestWarp(ctx context.Context, peer string, req wire.WarpRequest) (wire.WarpResponse, error) {
	b, err := e.request(ctx, peer, e.protos.warp, wire.Encode(req), wire.MaxWarpResponse)
	if err != nil {
		return wire.WarpResponse{}, err
	}
	resp, err := wire.DecodeWarpResponse(b)
	if err != nil {
		return wire.WarpResponse{}, e.invalidResponse(peer, e.protos.warp, err)
	}
	return resp, nil
}

// blocksWanted is how many blocks a server may return for req.
func blocksWanted(req wire.BlockRequest) int {
	if req.Max == 0 || req.Max > wire.MaxBlocksPerRequest {
		return wire.MaxBlocksPerRequest
	}
	return int(req.Max)
}

// serve reads one request, answers it with answer's bytes, and closes.
// Framing and decoding errors are charged to the peer; a Backend error
// resets the stream (the requester sees a refusal).
func (e *engine) serve(peer string, s stream, proto string, answer func(req []byte) ([]byte, error)) {
	done := false
	defer func() {
		if !done {
			_ = s.Reset()
		}
	}()
	if e.rep.banned(peer) {
		return
	}
	// One peer may hold only a couple of serving slots, and a request must
	// arrive promptly: a peer opening streams and sending nothing (or
	// slowly) cannot starve everyone else's block requests.
	if !e.takePeerSlot(peer) {
		e.report(peer, RepTimeout, proto+": too many concurrent requests")
		return
	}
	defer e.releasePeerSlot(peer)
	stop := context.AfterFunc(e.ctx, func() { s.Reset() })
	defer stop()
	_ = s.SetDeadline(time.Now().Add(min(requestReadTimeout, e.reqTimeout)))
	req, err := readMsg(s, wire.MaxRequest)
	if err != nil {
		e.readFailed(peer, proto+" request", err)
		return
	}
	select {
	case e.serving <- struct{}{}:
		defer func() { <-e.serving }()
	default:
		e.log.Debug("too many inbound requests; refusing", "peer", peer, "protocol", proto)
		return
	}
	_ = s.SetDeadline(time.Now().Add(e.reqTimeout))
	resp, err := answer(req)
	if err != nil {
		if errors.Is(err, ErrMalformed) {
			e.report(peer, RepInvalid, proto+": "+err.Error())
		} else {
			e.log.Debug("not serving request", "peer", peer, "protocol", proto, "err", err)
		}
		return
	}
	if err := writeMsg(s, resp); err != nil {
		return
	}
	done = true
	_ = s.Close()
}

func (e *engine) serveBlocks(peer string, s stream) {
	e.serve(peer, s, e.protos.blocks, func(b []byte) ([]byte, error) {
		req, err := wire.DecodeBlockRequest(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		req.Max = uint32(blocksWanted(req))
		resp, err := e.b.Blocks(req)
		if err != nil {
			return nil, err
		}
		if len(resp.Blocks) > int(req.Max) {
			resp.Blocks = resp.Blocks[:req.Max]
		}
		return encodeWithin(resp.Blocks, wire.MaxBlockResponse-5, func(bs []wire.BlockData) []byte {
			return wire.Encode(wire.BlockResponse{Blocks: bs})
		}), nil
	})
}

// stateBudget is the most key and value bytes asked of the Backend for one
// state response, leaving room for the framing of each entry.
const stateBudget = wire.MaxStateResponse / 2

func (e *engine) serveState(peer string, s stream) {
	e.serve(peer, s, e.protos.state, func(b []byte) ([]byte, error) {
		req, err := wire.DecodeStateRequest(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if req.MaxBytes == 0 || req.MaxBytes > stateBudget {
			req.MaxBytes = stateBudget
		}
		resp, err := e.b.State(req)
		if err != nil {
			return nil, err
		}
		out := encodeWithin(resp.Entries, wire.MaxStateResponse-1, func(kvs []wire.KV) []byte {
			return wire.Encode(wire.StateResponse{Entries: kvs, Complete: resp.Complete && len(kvs) == len(resp.Entries)})
		})
		return out, nil
	})
}

func (e *engine) serveWarp(peer string, s stream) {
	e.serve(peer, s, e.protos.warp, func(b []byte) ([]byte, error) {
		req, err := wire.DecodeWarpRequest(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		resp, err := e.b.Warp(req)
		if err != nil {
			return nil, err
		}
		return encodeWithin(resp.Fragments, wire.MaxWarpResponse-1, func(fs []wire.WarpFragment) []byte {
			return wire.Encode(wire.WarpResponse{Fragments: fs, IsFinished: resp.IsFinished && len(fs) == len(resp.Fragments)})
		}), nil
	})
}

// encodeWithin encodes the longest prefix of xs whose encoding fits in
// limit bytes, halving the prefix until it fits (a Backend that ignores
// the bounds costs a few encodings, not an oversized message).
func encodeWithin[T any](xs []T, limit int, enc func([]T) []byte) []byte {
	n := len(xs)
	for {
		out := enc(xs[:n])
		if len(out) <= limit || n == 0 {
			return out
		}
		n /= 2
	}
}

// takePeerSlot reserves one of peer's maxPeerRequests serving slots.
func (e *engine) takePeerSlot(peer string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.inflight[peer] >= maxPeerRequests {
		return false
	}
	e.inflight[peer]++
	return true
}

func (e *engine) releasePeerSlot(peer string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.inflight[peer] <= 1 {
		delete(e.inflight, peer)
	} else {
		e.inflight[peer]--
	}
}
