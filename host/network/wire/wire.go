package wire

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// MaxMessage is the largest message any protocol accepts; anything larger is
// refused before it is read whole.
const MaxMessage = 16 << 20

// Per-message bounds (all ≤ MaxMessage).
const (
	// MaxStatus is the exact size of an encoded Status.
	MaxStatus = 1 + 4 + 32 + 32
	// MaxBlockAnnounce bounds an announcement (a header and small data),
	// as Substrate's 1 MiB.
	MaxBlockAnnounce = 1 << 20
	// MaxRequest bounds any request message (block, state or warp).
	MaxRequest = 64 << 10
	// MaxBlockResponse bounds a block response.
	MaxBlockResponse = 16 << 20
	// MaxStateResponse bounds a state response.
	MaxStateResponse = 8 << 20
	// MaxWarpResponse bounds a warp response.
	MaxWarpResponse = 8 << 20
	// MaxBlocksPerRequest is the most blocks a server returns for one
	// BlockRequest, whatever its Max says.
	MaxBlocksPerRequest = 128
)

// Errors returned by the Decode functions, wrapped with the message name.
var (
	// ErrTooLarge: the input is larger than the message's bound.
	ErrTooLarge = errors.New("wire: message too large")
	// ErrMalformed: the input is not a valid encoding (bad tag, short,
	// absurd length, trailing bytes). The scale error is wrapped too.
	ErrMalformed = errors.New("wire: malformed message")
)

// Roles is a node's role bit set, as Substrate's.
type Roles uint8

// Role bits.
const (
	RoleFull      Roles = 1
	RoleLight     Roles = 2
	RoleAuthority Roles = 4
)

// IsAuthority reports whether the authority bit is set.
func (r Roles) IsAuthority() bool { return r&RoleAuthority != 0 }

// Status is the block-announces handshake: what a peer is and where its
// chain is.
type Status struct {
	Roles       Roles
	BestNumber  uint32
	BestHash    types.Hash
	GenesisHash types.Hash
}

// EncodeTo writes roles ++ best_number ++ best_hash ++ genesis_hash.
func (s Status) EncodeTo(e *scale.Encoder) {
	e.PutU8(uint8(s.Roles))
	e.PutU32(s.BestNumber)
	s.BestHash.EncodeTo(e)
	s.GenesisHash.EncodeTo(e)
}

// DecodeFrom reads a Status.
func (s *Status) DecodeFrom(d *scale.Decoder) {
	s.Roles = Roles(d.U8())
	s.BestNumber = d.U32()
	s.BestHash.DecodeFrom(d)
	s.GenesisHash.DecodeFrom(d)
	if d.Err() != nil {
		*s = Status{}
	}
}

// DecodeStatus decodes a Status that spans all of b.
func DecodeStatus(b []byte) (Status, error) {
	var s Status
	return s, decode("status", b, MaxStatus, &s)
}

// BlockAnnounce tells peers about a new block.
type BlockAnnounce struct {
	Header types.Header
	// IsBest is encoded as Option<BlockState>: 01 01 best, 01 00 normal.
	// We always send Some; None (00) decodes as not best.
	IsBest bool
	// Data is Option<Vec<u8>>: nil is None.
	Data []byte
}

// EncodeTo writes header ++ Some(state) ++ Option<data>.
func (a BlockAnnounce) EncodeTo(e *scale.Encoder) {
	a.Header.EncodeTo(e)
	e.PutOption(true)
	e.PutBool(a.IsBest)
	e.PutOption(a.Data != nil)
	if a.Data != nil {
		e.PutBytes(a.Data)
	}
}

// DecodeFrom reads a BlockAnnounce.
func (a *BlockAnnounce) DecodeFrom(d *scale.Decoder) {
	*a = BlockAnnounce{}
	a.Header.DecodeFrom(d)
	if d.Option() {
		switch d.U8() {
		case 0:
		case 1:
			a.IsBest = true
		default:
			d.Fail(scale.ErrInvalidEnum)
		}
	}
	if d.Option() {
		a.Data = nonNil(d.Bytes())
	}
	if d.Err() != nil {
		*a = BlockAnnounce{}
	}
}

// DecodeBlockAnnounce decodes a BlockAnnounce that spans all of b.
func DecodeBlockAnnounce(b []byte) (BlockAnnounce, error) {
	var a BlockAnnounce
	return a, decode("block announce", b, MaxBlockAnnounce, &a)
}

// Encode returns the SCALE encoding of v (a convenience for the message
// types of this package).
func Encode(v scale.Encodable) []byte { return scale.Encode(v) }

// decode checks the size bound, decodes v from all of b, and wraps errors.
func decode(name string, b []byte, limit int, v scale.Decodable) error {
	if len(b) > limit {
		return fmt.Errorf("wire: %s of %d bytes (limit %d): %w", name, len(b), limit, ErrTooLarge)
	}
	if err := scale.Decode(b, v); err != nil {
		return fmt.Errorf("wire: %s: %w: %w", name, ErrMalformed, err)
	}
	return nil
}

// nonNil turns a decoded empty slice into a non-nil one, so that Some(empty)
// stays distinct from None after decoding.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
