package types

import (
	"fmt"
	"math"

	"github.com/metamars/mars/runtime/scale"
)

// BlockNumber is the block height; headers encode it as Compact<u32>.
type BlockNumber = uint32

// DigestItem kinds (the SCALE enum index of sp_runtime::generic::DigestItem).
const (
	DigestOther                     uint8 = 0
	DigestConsensus                 uint8 = 4
	DigestSeal                      uint8 = 5
	DigestPreRuntime                uint8 = 6
	DigestRuntimeEnvironmentUpdated uint8 = 8
)

// Well-known consensus engine ids.
var (
	EngineAura    = [4]byte{'a', 'u', 'r', 'a'}
	EngineBabe    = [4]byte{'B', 'A', 'B', 'E'}
	EngineGrandpa = [4]byte{'F', 'R', 'N', 'K'}
)

// DigestItem is one header log. Engine is used by Consensus, Seal and
// PreRuntime; Data by every kind except RuntimeEnvironmentUpdated.
type DigestItem struct {
	Kind   uint8
	Engine [4]byte
	Data   []byte
}

// EncodeTo writes the enum index and its payload. Fields a kind does not
// use are not written.
func (di DigestItem) EncodeTo(e *scale.Encoder) {
	e.PutU8(di.Kind)
	switch di.Kind {
	case DigestConsensus, DigestSeal, DigestPreRuntime:
		e.PutRaw(di.Engine[:])
		e.PutBytes(di.Data)
	case DigestOther:
		e.PutBytes(di.Data)
	}
}

// DecodeFrom reads a digest item; unknown kinds fail with ErrUnknownVariant.
func (di *DigestItem) DecodeFrom(d *scale.Decoder) {
	*di = DigestItem{Kind: d.U8()}
	switch di.Kind {
	case DigestConsensus, DigestSeal, DigestPreRuntime:
		copy(di.Engine[:], d.Raw(4))
		di.Data = d.Bytes()
	case DigestOther:
		di.Data = d.Bytes()
	case DigestRuntimeEnvironmentUpdated:
	default:
		d.Fail(badVariant("digest item", di.Kind))
	}
}

// Header is a Substrate block header. The block hash is blake2_256 of its
// SCALE encoding, seal included.
type Header struct {
	ParentHash     Hash
	Number         BlockNumber
	StateRoot      Hash
	ExtrinsicsRoot Hash
	Digest         []DigestItem
}

// EncodeTo writes parent ++ Compact(number) ++ state root ++ extrinsics
// root ++ Vec<DigestItem>.
func (h Header) EncodeTo(e *scale.Encoder) {
	e.PutRaw(h.ParentHash[:])
	e.PutCompact(uint64(h.Number))
	e.PutRaw(h.StateRoot[:])
	e.PutRaw(h.ExtrinsicsRoot[:])
	e.PutLen(len(h.Digest))
	for i := range h.Digest {
		h.Digest[i].EncodeTo(e)
	}
}

// DecodeFrom reads a header; a number above u32::MAX fails with
// ErrBlockNumber.
func (h *Header) DecodeFrom(d *scale.Decoder) {
	*h = Header{}
	h.ParentHash = d.Fixed32()
	n := d.Compact()
	if n > math.MaxUint32 && d.Err() == nil {
		d.Fail(fmt.Errorf("%w: %d", ErrBlockNumber, n))
	}
	h.Number = BlockNumber(n)
	h.StateRoot = d.Fixed32()
	h.ExtrinsicsRoot = d.Fixed32()
	// The smallest item (RuntimeEnvironmentUpdated) is one byte.
	count := d.Len(1)
	if count > 0 {
		h.Digest = make([]DigestItem, count)
		for i := range h.Digest {
			h.Digest[i].DecodeFrom(d)
			if d.Err() != nil {
				break
			}
		}
	}
	if d.Err() != nil {
		*h = Header{}
	}
}

// encodedSizeHint is a cheap upper-bound guess for the encoder buffer.
func (h Header) encodedSizeHint() int {
	n := 32 + 5 + 64 + 5
	for i := range h.Digest {
		n += 1 + 4 + 5 + len(h.Digest[i].Data)
	}
	return n
}

// Bytes returns the SCALE encoding of the header.
func (h Header) Bytes() []byte {
	e := scale.NewEncoder(h.encodedSizeHint())
	h.EncodeTo(e)
	return e.Bytes()
}

// Hash returns blake2_256(SCALE(header)), the block hash.
func (h Header) Hash() Hash { return Blake2b256(h.Bytes()) }

// Seal returns the last digest item if it is a Seal.
func (h Header) Seal() (DigestItem, bool) {
	if n := len(h.Digest); n > 0 && h.Digest[n-1].Kind == DigestSeal {
		return h.Digest[n-1], true
	}
	return DigestItem{}, false
}

// WithoutSeal returns a copy of the header without a trailing Seal item
// (the form the author signs and the runtime executes). The Digest slice
// of the copy shares its items with h.
func (h Header) WithoutSeal() Header {
	c := h
	if _, ok := h.Seal(); ok {
		c.Digest = h.Digest[: len(h.Digest)-1 : len(h.Digest)-1]
	}
	return c
}

// DecodeHeader decodes a header that must span all of b.
func DecodeHeader(b []byte) (Header, error) {
	var h Header
	if err := scale.Decode(b, &h); err != nil {
		return Header{}, err
	}
	return h, nil
}

// Block is a header and its body. Each extrinsic is its full encoding,
// including its own compact length prefix, so the body encodes as
// Compact(n) ++ concatenation.
type Block struct {
	Header     Header
	Extrinsics [][]byte
}

// EncodeTo writes header ++ Compact(n) ++ extrinsics as they are.
func (b Block) EncodeTo(e *scale.Encoder) {
	b.Header.EncodeTo(e)
	e.PutLen(len(b.Extrinsics))
	for _, x := range b.Extrinsics {
		e.PutRaw(x)
	}
}

// DecodeFrom reads a block. Each extrinsic is taken as an opaque Vec<u8>
// (its envelope is checked by DecodeExtrinsic later), kept with its
// length prefix.
func (b *Block) DecodeFrom(d *scale.Decoder) {
	*b = Block{}
	b.Header.DecodeFrom(d)
	count := d.Len(1)
	if count > 0 {
		b.Extrinsics = make([][]byte, count)
		for i := range b.Extrinsics {
			b.Extrinsics[i] = readPrefixed(d)
			if d.Err() != nil {
				break
			}
		}
	}
	if d.Err() != nil {
		*b = Block{}
	}
}

// readPrefixed reads a Vec<u8> and returns it together with its compact
// length prefix, as one sub-slice of the input.
func readPrefixed(d *scale.Decoder) []byte {
	// Peek at the length with a copy of the decoder (a slice, an offset and
	// an error: copying it is safe), then take prefix and body as one Raw.
	peek := *d
	n := peek.Compact()
	if peek.Err() != nil {
		d.Compact() // record the same error on d
		return nil
	}
	prefix := peek.Offset() - d.Offset()
	if n > uint64(peek.Remaining()) {
		d.Fail(fmt.Errorf("types: extrinsic of %d bytes: %w", n, scale.ErrUnexpectedEOF))
		return nil
	}
	return d.Raw(prefix + int(n))
}

// Hash returns the block hash (the header's hash).
func (b Block) Hash() Hash { return b.Header.Hash() }

// DecodeBlock decodes a block that must span all of b.
func DecodeBlock(b []byte) (Block, error) {
	var blk Block
	if err := scale.Decode(b, &blk); err != nil {
		return Block{}, err
	}
	return blk, nil
}
