package frame

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Codec is how a storage item encodes and decodes its keys or values: two
// small functions instead of reflection. The package-level codecs below cover
// the common primitives; CodecOf adapts any type whose pointer implements
// scale.Encodable and scale.Decodable.
type Codec[T any] struct {
	Encode func(e *scale.Encoder, v T)
	Decode func(d *scale.Decoder) T
}

// Common codecs.
var (
	U8Codec   = Codec[uint8]{func(e *scale.Encoder, v uint8) { e.PutU8(v) }, func(d *scale.Decoder) uint8 { return d.U8() }}
	U16Codec  = Codec[uint16]{func(e *scale.Encoder, v uint16) { e.PutU16(v) }, func(d *scale.Decoder) uint16 { return d.U16() }}
	U32Codec  = Codec[uint32]{func(e *scale.Encoder, v uint32) { e.PutU32(v) }, func(d *scale.Decoder) uint32 { return d.U32() }}
	U64Codec  = Codec[uint64]{func(e *scale.Encoder, v uint64) { e.PutU64(v) }, func(d *scale.Decoder) uint64 { return d.U64() }}
	U128Codec = Codec[scale.U128]{func(e *scale.Encoder, v scale.U128) { e.PutU128(v) }, func(d *scale.Decoder) scale.U128 { return d.U128() }}
	BoolCodec = Codec[bool]{func(e *scale.Encoder, v bool) { e.PutBool(v) }, func(d *scale.Decoder) bool { return d.Bool() }}
	// BytesCodec is Vec<u8> (compact length prefix).
	BytesCodec = Codec[[]byte]{func(e *scale.Encoder, v []byte) { e.PutBytes(v) }, func(d *scale.Decoder) []byte {
		b := d.Bytes()
		return append([]byte(nil), b...)
	}}
	HashCodec      = Codec[types.Hash]{func(e *scale.Encoder, v types.Hash) { e.PutRaw(v[:]) }, func(d *scale.Decoder) types.Hash { return types.Hash(d.Fixed32()) }}
	AccountIDCodec = Codec[types.AccountID]{func(e *scale.Encoder, v types.AccountID) { e.PutRaw(v[:]) }, func(d *scale.Decoder) types.AccountID { return types.AccountID(d.Fixed32()) }}
	// UnitCodec encodes nothing: for storage maps used as sets.
	UnitCodec = Codec[struct{}]{func(*scale.Encoder, struct{}) {}, func(*scale.Decoder) struct{} { return struct{}{} }}
)

// CodecOf returns the codec of a type whose pointer is Encodable and
// Decodable (the usual shape of SCALE structs in this code base).
func CodecOf[T any, P interface {
	*T
	scale.Encodable
	scale.Decodable
}]() Codec[T] {
	return Codec[T]{
		Encode: func(e *scale.Encoder, v T) { P(&v).EncodeTo(e) },
		Decode: func(d *scale.Decoder) T {
			var v T
			P(&v).DecodeFrom(d)
			return v
		},
	}
}

// VecCodec is the codec of Vec<T> given the codec of T and the smallest
// encoded size of one T (the decoder's allocation guard).
func VecCodec[T any](c Codec[T], minElemSize int) Codec[[]T] {
	return Codec[[]T]{
		Encode: func(e *scale.Encoder, v []T) { scale.EncodeVec(e, v, c.Encode) },
		Decode: func(d *scale.Decoder) []T { return scale.DecodeVec(d, minElemSize, c.Decode) },
	}
}

// Bytes returns the SCALE bytes of v.
func (c Codec[T]) Bytes(v T) []byte {
	e := scale.NewEncoder(16)
	c.Encode(e, v)
	return e.Bytes()
}

// Parse decodes b entirely (trailing bytes are an error).
func (c Codec[T]) Parse(b []byte) (T, error) {
	d := scale.NewDecoder(b)
	v := c.Decode(d)
	return v, d.Finish()
}

// Codecs of the hot System items, written out: CodecOf's generic method
// call makes its value escape, an allocation per encode and decode.
var (
	AccountInfoCodec = Codec[AccountInfo]{
		Encode: func(e *scale.Encoder, v AccountInfo) { v.EncodeTo(e) },
		Decode: func(d *scale.Decoder) AccountInfo {
			var v AccountInfo
			v.DecodeFrom(d)
			return v
		},
	}
	ConsumedWeightCodec = Codec[ConsumedWeight]{
		Encode: func(e *scale.Encoder, v ConsumedWeight) { v.EncodeTo(e) },
		Decode: func(d *scale.Decoder) ConsumedWeight {
			var v ConsumedWeight
			v.DecodeFrom(d)
			return v
		},
	}
	PhaseCodec = Codec[Phase]{
		Encode: func(e *scale.Encoder, v Phase) { v.EncodeTo(e) },
		Decode: func(d *scale.Decoder) Phase {
			var v Phase
			v.DecodeFrom(d)
			return v
		},
	}
)
