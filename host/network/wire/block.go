package wire

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// BlockRequest.Fields bits (Substrate's BlockAttributes).
const (
	FieldHeader        uint8 = 1
	FieldBody          uint8 = 2
	FieldJustification uint8 = 16
)

// BlockRequest asks a peer for up to Max blocks starting at one block
// (by hash or by number), walking up (ascending) or down (descending).
type BlockRequest struct {
	Fields     uint8
	FromHash   types.Hash // used when ByHash
	FromNumber uint32     // used when !ByHash
	ByHash     bool       // FromBlock enum: 0 Hash(H256), 1 Number(u32)
	Descending bool       // direction u8: 0 ascending, 1 descending
	Max        uint32     // servers cap it at MaxBlocksPerRequest
}

// EncodeTo writes fields ++ from ++ direction ++ max.
func (r BlockRequest) EncodeTo(e *scale.Encoder) {
	e.PutU8(r.Fields)
	if r.ByHash {
		e.PutU8(0)
		r.FromHash.EncodeTo(e)
	} else {
		e.PutU8(1)
		e.PutU32(r.FromNumber)
	}
	e.PutBool(r.Descending)
	e.PutU32(r.Max)
}

// DecodeFrom reads a BlockRequest.
func (r *BlockRequest) DecodeFrom(d *scale.Decoder) {
	*r = BlockRequest{}
	r.Fields = d.U8()
	switch d.Enum() {
	case 0:
		r.ByHash = true
		r.FromHash.DecodeFrom(d)
	case 1:
		r.FromNumber = d.U32()
	default:
		d.Fail(scale.ErrInvalidEnum)
	}
	r.Descending = d.Bool()
	r.Max = d.U32()
	if d.Err() != nil {
		*r = BlockRequest{}
	}
}

// DecodeBlockRequest decodes a BlockRequest that spans all of b.
func DecodeBlockRequest(b []byte) (BlockRequest, error) {
	var r BlockRequest
	return r, decode("block request", b, MaxRequest, &r)
}

// BlockData is one block of a BlockResponse; which parts are present
// depends on the request's Fields.
type BlockData struct {
	Hash   types.Hash
	Header *types.Header // Option<Header>
	// Body is Option<Vec<Extrinsic>>: each extrinsic keeps its compact
	// length prefix, as in types.Block. The option is Some when HasBody
	// or Body is non-nil.
	Body    [][]byte
	HasBody bool
	// Justification is Option<Vec<u8>>: Some when HasJustification or
	// Justification is non-nil.
	Justification    []byte
	HasJustification bool
}

// EncodeTo writes hash ++ Option<header> ++ Option<body> ++ Option<justification>.
func (b BlockData) EncodeTo(e *scale.Encoder) {
	b.Hash.EncodeTo(e)
	e.PutOption(b.Header != nil)
	if b.Header != nil {
		b.Header.EncodeTo(e)
	}
	hasBody := b.HasBody || b.Body != nil
	e.PutOption(hasBody)
	if hasBody {
		e.PutLen(len(b.Body))
		for _, x := range b.Body {
			e.PutRaw(x)
		}
	}
	hasJ := b.HasJustification || b.Justification != nil
	e.PutOption(hasJ)
	if hasJ {
		e.PutBytes(b.Justification)
	}
}

// DecodeFrom reads a BlockData.
func (b *BlockData) DecodeFrom(d *scale.Decoder) {
	*b = BlockData{}
	b.Hash.DecodeFrom(d)
	if d.Option() {
		var h types.Header
		h.DecodeFrom(d)
		b.Header = &h
	}
	if d.Option() {
		b.HasBody = true
		// Each extrinsic is at least its one-byte length prefix.
		n := d.Len(1)
		b.Body = make([][]byte, 0, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			b.Body = append(b.Body, readPrefixed(d))
		}
	}
	if d.Option() {
		b.HasJustification = true
		b.Justification = nonNil(d.Bytes())
	}
	if d.Err() != nil {
		*b = BlockData{}
	}
}

// Block returns the data as a types.Block, if header and body are present.
func (b BlockData) Block() (types.Block, bool) {
	if b.Header == nil || !(b.HasBody || b.Body != nil) {
		return types.Block{}, false
	}
	return types.Block{Header: *b.Header, Extrinsics: b.Body}, true
}

// readPrefixed reads a Vec<u8> and returns it with its compact length
// prefix, as one sub-slice of the input (as types.Block does).
func readPrefixed(d *scale.Decoder) []byte {
	peek := *d // a slice, an offset and an error: copying is safe
	n := peek.Compact()
	if peek.Err() != nil {
		d.Compact() // record the same error on d
		return nil
	}
	prefix := peek.Offset() - d.Offset()
	if n > uint64(peek.Remaining()) {
		d.Fail(fmt.Errorf("wire: extrinsic of %d bytes: %w", n, scale.ErrUnexpectedEOF))
		return nil
	}
	return d.Raw(prefix + int(n))
}

// minBlockData is the smallest encoded BlockData: a hash and three None tags.
const minBlockData = 32 + 3

// BlockResponse answers a BlockRequest.
type BlockResponse struct {
	Blocks []BlockData
}

// EncodeTo writes Vec<BlockData>.
func (r BlockResponse) EncodeTo(e *scale.Encoder) {
	scale.EncodeVec(e, r.Blocks, func(e *scale.Encoder, b BlockData) { b.EncodeTo(e) })
}

// DecodeFrom reads a BlockResponse.
func (r *BlockResponse) DecodeFrom(d *scale.Decoder) {
	r.Blocks = scale.DecodeVec(d, minBlockData, func(d *scale.Decoder) BlockData {
		var b BlockData
		b.DecodeFrom(d)
		return b
	})
}

// DecodeBlockResponse decodes a BlockResponse that spans all of b.
func DecodeBlockResponse(b []byte) (BlockResponse, error) {
	var r BlockResponse
	return r, decode("block response", b, MaxBlockResponse, &r)
}
