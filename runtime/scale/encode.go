package scale

import (
	"encoding/binary"
	"math/big"
)

// Encodable is a value that writes its own SCALE encoding.
type Encodable interface{ EncodeTo(*Encoder) }

// Decodable is a value that reads its own SCALE encoding.
type Decodable interface{ DecodeFrom(*Decoder) }

// Encoder appends SCALE encodings to a growing buffer.
type Encoder struct{ buf []byte }

// NewEncoder returns an Encoder whose buffer starts with room for sizeHint bytes.
func NewEncoder(sizeHint int) *Encoder { return &Encoder{buf: make([]byte, 0, sizeHint)} }

// Bytes returns the encoded bytes (aliasing the internal buffer).
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns how many bytes have been written.
func (e *Encoder) Len() int { return len(e.buf) }

// Reset empties the buffer, keeping its capacity.
func (e *Encoder) Reset() { e.buf = e.buf[:0] }

func (e *Encoder) PutU8(v uint8) { e.buf = append(e.buf, v) }
func (e *Encoder) PutBool(v bool) {
	if v {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}
func (e *Encoder) PutU16(v uint16) { e.buf = binary.LittleEndian.AppendUint16(e.buf, v) }
func (e *Encoder) PutU32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v) }
func (e *Encoder) PutU64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }
func (e *Encoder) PutI8(v int8)    { e.PutU8(uint8(v)) }
func (e *Encoder) PutI16(v int16)  { e.PutU16(uint16(v)) }
func (e *Encoder) PutI32(v int32)  { e.PutU32(uint32(v)) }
func (e *Encoder) PutI64(v int64)  { e.PutU64(uint64(v)) }

// PutU128 writes v as 16 little-endian bytes.
func (e *Encoder) PutU128(v U128) { e.PutU64(v.Lo); e.PutU64(v.Hi) }

// PutU256 writes v as 32 little-endian bytes.
func (e *Encoder) PutU256(v U256) {
	for _, l := range v {
		e.PutU64(l)
	}
}

// PutCompact writes v in the shortest compact mode.
func (e *Encoder) PutCompact(v uint64) {
	switch {
	case v < 1<<6:
		e.buf = append(e.buf, byte(v<<2))
	case v < 1<<14:
		e.PutU16(uint16(v<<2 | 1))
	case v < 1<<30:
		e.PutU32(uint32(v<<2 | 2))
	default:
		n := (bits64(v) + 7) / 8
		e.buf = append(e.buf, byte((n-4)<<2|3))
		for i := 0; i < n; i++ {
			e.buf = append(e.buf, byte(v>>(8*i)))
		}
	}
}

// PutCompactU128 writes v in the shortest compact mode.
func (e *Encoder) PutCompactU128(v U128) {
	if v.Hi == 0 {
		e.PutCompact(v.Lo)
		return
	}
	n := 8 + (bits64(v.Hi)+7)/8
	e.buf = append(e.buf, byte((n-4)<<2|3))
	e.PutU64(v.Lo)
	for i := 0; i < n-8; i++ {
		e.buf = append(e.buf, byte(v.Hi>>(8*i)))
	}
}

// PutCompactBig writes a non-negative integer of at most 536 bits (67
// bytes, the compact limit). It reports false and writes nothing otherwise.
func (e *Encoder) PutCompactBig(v *big.Int) bool {
	if v.Sign() < 0 || v.BitLen() > 67*8 {
		return false
	}
	if v.BitLen() <= 64 {
		e.PutCompact(v.Uint64())
		return true
	}
	be := v.Bytes()
	n := len(be)
	e.buf = append(e.buf, byte((n-4)<<2|3))
	for i := n - 1; i >= 0; i-- {
		e.buf = append(e.buf, be[i])
	}
	return true
}

// PutLen writes a Vec length prefix.
func (e *Encoder) PutLen(n int) { e.PutCompact(uint64(n)) }

// PutBytes writes a Vec<u8>: compact length ++ bytes.
func (e *Encoder) PutBytes(b []byte) { e.PutLen(len(b)); e.buf = append(e.buf, b...) }

// PutString writes a String (a Vec<u8> of UTF-8).
func (e *Encoder) PutString(s string) { e.PutLen(len(s)); e.buf = append(e.buf, s...) }

// PutRaw writes b with no prefix (fixed arrays, pre-encoded values).
func (e *Encoder) PutRaw(b []byte) { e.buf = append(e.buf, b...) }

// PutOption writes the Option tag; the caller writes the value after it when present.
func (e *Encoder) PutOption(present bool) { e.PutBool(present) }

// Put writes an Encodable.
func (e *Encoder) Put(v Encodable) { v.EncodeTo(e) }

func bits64(v uint64) int {
	n := 0
	for v != 0 {
		n++
		v >>= 1
	}
	return n
}

// Encode returns the encoding of v.
func Encode(v Encodable) []byte {
	e := NewEncoder(64)
	v.EncodeTo(e)
	return e.buf
}

// EncodeVec writes a Vec<T>.
func EncodeVec[T any](e *Encoder, xs []T, f func(*Encoder, T)) {
	e.PutLen(len(xs))
	for _, x := range xs {
		f(e, x)
	}
}

// CompactLen returns the size of the compact encoding of v.
func CompactLen(v uint64) int {
	switch {
	case v < 1<<6:
		return 1
	case v < 1<<14:
		return 2
	case v < 1<<30:
		return 4
	}
	return 1 + (bits64(v)+7)/8
}
