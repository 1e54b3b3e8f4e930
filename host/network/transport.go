package network

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// stream is one bidirectional protocol stream to a peer: a libp2p stream in
// the node, a pipe in the in-memory transport.
type stream interface {
	io.Reader
	io.Writer
	// Close closes both directions gracefully.
	Close() error
	// CloseWrite half-closes: the peer reads EOF after our last write.
	CloseWrite() error
	// Reset aborts the stream in both directions.
	Reset() error
	SetDeadline(time.Time) error
}

// transport is what the protocol handlers need from the network below them
// (STYLE.md §9): open a stream, accept streams, drop a peer. Connection
// events flow the other way: the transport calls engine.connected and
// engine.disconnected.
type transport interface {
	// handle registers h for inbound streams of proto. h owns the stream.
	handle(proto string, h func(peer string, s stream))
	// open opens a stream to a connected (or dialable) peer.
	open(ctx context.Context, peer, proto string) (stream, error)
	// disconnect closes every connection to peer.
	disconnect(peer string)
	// remoteAddr returns the address peer is connected on, if known.
	remoteAddr(peer string) string
}

// writeMsg writes one message: uvarint(len) ++ bytes, as Substrate's
// unsigned-varint framing.
func writeMsg(w io.Writer, msg []byte) error {
	var pre [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(pre[:], uint64(len(msg)))
	buf := make([]byte, 0, n+len(msg))
	buf = append(buf, pre[:n]...)
	buf = append(buf, msg...)
	_, err := w.Write(buf)
	return err
}

// readMsg reads one framed message of at most limit bytes. A larger length
// prefix is refused before any of the body is read, and the buffer grows
// with what actually arrives, so a lying prefix costs the liar, not us.
func readMsg(r io.Reader, limit int) ([]byte, error) {
	n, err := readUvarint(r)
	if err != nil {
		return nil, err
	}
	if n > uint64(limit) {
		return nil, fmt.Errorf("network: message of %d bytes (limit %d): %w", n, limit, ErrTooLarge)
	}
	var buf bytes.Buffer
	buf.Grow(int(min(n, 64<<10)))
	got, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, err
	}
	if uint64(got) != n {
		return nil, fmt.Errorf("network: message truncated at %d of %d bytes: %w", got, n, io.ErrUnexpectedEOF)
	}
	return buf.Bytes(), nil
}

// readUvarint reads a canonical uvarint of at most 5 bytes (lengths fit
// in 32 bits) one byte at a time, so nothing past the prefix is consumed.
func readUvarint(r io.Reader) (uint64, error) {
	var (
		b [1]byte
		x uint64
	)
	for i := 0; i < 5; i++ {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		x |= uint64(b[0]&0x7f) << (7 * i)
		if b[0] < 0x80 {
			if b[0] == 0 && i > 0 {
				return 0, fmt.Errorf("network: non-canonical length prefix: %w", ErrMalformed)
			}
			return x, nil
		}
	}
	return 0, fmt.Errorf("network: length prefix too long: %w", ErrMalformed)
}
