package scale

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"unicode/utf8"
)

// Decoder reads SCALE values from a byte slice. Its error is sticky: after
// the first failure every read returns a zero value and Err reports the
// failure, so a composite decoder can read all its fields and check once.
// Slices it returns (Bytes, Raw) alias the input.
type Decoder struct {
	b   []byte
	off int
	err error
}

// NewDecoder reads from b.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the first error, wrapped with the offset it happened at.
func (d *Decoder) Err() error { return d.err }

// Fail records err (if no error is recorded yet).
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %w", d.off, err)
	}
}

// Remaining returns how many input bytes are left.
func (d *Decoder) Remaining() int { return len(d.b) - d.off }

// Offset returns how many bytes have been read.
func (d *Decoder) Offset() int { return d.off }

// Finish returns Err, or ErrTrailingBytes if input is left over.
func (d *Decoder) Finish() error {
	if d.err == nil && d.off != len(d.b) {
		d.Fail(ErrTrailingBytes)
	}
	return d.err
}

// take returns the next n bytes, or nil after recording an error.
func (d *Decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.Fail(ErrUnexpectedEOF)
		return nil
	}
	s := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return s
}

func (d *Decoder) U8() uint8 {
	s := d.take(1)
	if s == nil {
		return 0
	}
	return s[0]
}

func (d *Decoder) Bool() bool {
	switch d.U8() {
	case 0:
		return false
	case 1:
		return true
	}
	d.Fail(ErrInvalidBool)
	return false
}

func (d *Decoder) U16() uint16 {
	s := d.take(2)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(s)
}

func (d *Decoder) U32() uint32 {
	s := d.take(4)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(s)
}

func (d *Decoder) U64() uint64 {
	s := d.take(8)
	if s == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(s)
}

func (d *Decoder) I8() int8   { return int8(d.U8()) }
func (d *Decoder) I16() int16 { return int16(d.U16()) }
func (d *Decoder) I32() int32 { return int32(d.U32()) }
func (d *Decoder) I64() int64 { return int64(d.U64()) }

func (d *Decoder) U128() U128 {
	lo := d.U64()
	hi := d.U64()
	return U128{Hi: hi, Lo: lo}
}

func (d *Decoder) U256() U256 {
	var v U256
	for i := range v {
		v[i] = d.U64()
	}
	return v
}

// compactHeader reads the mode byte; for big mode it returns the byte count.
func (d *Decoder) compactSmall() (v uint64, bigLen int) {
	b0 := d.U8()
	if d.err != nil {
		return 0, 0
	}
	switch b0 & 3 {
	case 0:
		return uint64(b0 >> 2), 0
	case 1:
		b1 := d.U8()
		v = (uint64(b0) | uint64(b1)<<8) >> 2
		if d.err == nil && v < 1<<6 {
			d.Fail(ErrNonCanonicalCompact)
		}
		return v, 0
	case 2:
		s := d.take(3)
		if s == nil {
			return 0, 0
		}
		v = (uint64(b0) | uint64(s[0])<<8 | uint64(s[1])<<16 | uint64(s[2])<<24) >> 2
		if v < 1<<14 {
			d.Fail(ErrNonCanonicalCompact)
		}
		return v, 0
	}
	return 0, int(b0>>2) + 4
}

// Compact reads a compact integer that must fit in 64 bits.
func (d *Decoder) Compact() uint64 {
	v, n := d.compactSmall()
	if n == 0 {
		return v
	}
	if n > 8 {
		d.Fail(ErrOverflow)
		return 0
	}
	s := d.take(n)
	if s == nil {
		return 0
	}
	if s[n-1] == 0 {
		d.Fail(ErrNonCanonicalCompact)
		return 0
	}
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	if v < 1<<30 {
		d.Fail(ErrNonCanonicalCompact)
		return 0
	}
	return v
}

// CompactU32 reads a compact integer that must fit in 32 bits.
func (d *Decoder) CompactU32() uint32 {
	v := d.Compact()
	if v > 1<<32-1 {
		d.Fail(ErrOverflow)
		return 0
	}
	return uint32(v)
}

// CompactU128 reads a compact integer that must fit in 128 bits.
func (d *Decoder) CompactU128() U128 {
	v, n := d.compactSmall()
	if n == 0 {
		return FromUint64(v)
	}
	if n > 16 {
		d.Fail(ErrOverflow)
		return U128{}
	}
	s := d.take(n)
	if s == nil {
		return U128{}
	}
	if s[n-1] == 0 {
		d.Fail(ErrNonCanonicalCompact)
		return U128{}
	}
	var r U128
	for i := n - 1; i >= 0; i-- {
		r.Hi = r.Hi<<8 | r.Lo>>56
		r.Lo = r.Lo<<8 | uint64(s[i])
	}
	if r.Hi == 0 && r.Lo < 1<<30 {
		d.Fail(ErrNonCanonicalCompact)
		return U128{}
	}
	return r
}

// CompactBig reads a compact integer of any size (up to 67 bytes).
func (d *Decoder) CompactBig() *big.Int {
	v, n := d.compactSmall()
	if n == 0 {
		return new(big.Int).SetUint64(v)
	}
	s := d.take(n)
	if s == nil {
		return new(big.Int)
	}
	if s[n-1] == 0 {
		d.Fail(ErrNonCanonicalCompact)
		return new(big.Int)
	}
	be := make([]byte, n)
	for i := range s {
		be[n-1-i] = s[i]
	}
	r := new(big.Int).SetBytes(be)
	if r.BitLen() <= 30 {
		d.Fail(ErrNonCanonicalCompact)
		return new(big.Int)
	}
	return r
}

// Len reads a Vec length and checks that the remaining input can hold that
// many elements of at least minElemSize bytes each (use 1 for elements whose
// size is unknown but non-zero, 0 only for zero-sized elements). Call it
// before allocating for the elements.
func (d *Decoder) Len(minElemSize int) int {
	n := d.Compact()
	if d.err != nil {
		return 0
	}
	rem := uint64(d.Remaining())
	if minElemSize < 1 {
		minElemSize = 1
	}
	if n > rem/uint64(minElemSize) {
		d.Fail(ErrTooLong)
		return 0
	}
	return int(n)
}

// Bytes reads a Vec<u8>; the result aliases the input.
func (d *Decoder) Bytes() []byte {
	n := d.Len(1)
	return d.take(n)
}

// String reads a String and checks it is UTF-8.
func (d *Decoder) String() string {
	b := d.Bytes()
	if d.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		d.Fail(ErrInvalidUTF8)
		return ""
	}
	return string(b)
}

// Raw reads n bytes with no prefix; the result aliases the input.
func (d *Decoder) Raw(n int) []byte { return d.take(n) }

// Fixed32 reads a [u8; 32].
func (d *Decoder) Fixed32() (out [32]byte) {
	copy(out[:], d.take(32))
	return out
}

// Option reads an Option tag.
func (d *Decoder) Option() bool {
	switch d.U8() {
	case 0:
		return false
	case 1:
		return true
	}
	d.Fail(ErrInvalidOption)
	return false
}

// Enum reads an enum variant index.
func (d *Decoder) Enum() uint8 { return d.U8() }

// Get decodes into v.
func (d *Decoder) Get(v Decodable) { v.DecodeFrom(d) }

// Decode decodes b into v and requires all of b to be consumed.
func Decode(b []byte, v Decodable) error {
	d := NewDecoder(b)
	v.DecodeFrom(d)
	return d.Finish()
}

// DecodeVec reads a Vec<T>; minElemSize bounds the allocation (see Len).
func DecodeVec[T any](d *Decoder, minElemSize int, f func(*Decoder) T) []T {
	n := d.Len(minElemSize)
	if d.err != nil {
		return nil
	}
	xs := make([]T, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		xs = append(xs, f(d))
	}
	if d.err != nil {
		return nil
	}
	return xs
}
