package types

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/metamars/mars/runtime/scale"
)

// Era is a transaction's validity window (sp_runtime::generic::Era). A
// mortal era of Period blocks (a power of two, 4..65536) is valid from its
// birth block, the latest block <= current whose number is Phase modulo
// Period, until birth+Period.
type Era struct {
	Immortal bool
	Period   uint64
	Phase    uint64
}

// ImmortalEra never expires.
var ImmortalEra = Era{Immortal: true}

// NewMortalEra returns the era of about period blocks that starts at
// block current: the period is rounded up to a power of two and clamped
// to 4..65536, and the phase is current modulo period, quantised for
// periods above 4096 so that it fits the 12-bit field.
func NewMortalEra(current, period uint64) Era {
	p := uint64(1 << 16)
	if period <= 1<<16 {
		p = 1
		for p < period {
			p <<= 1
		}
	}
	p = min(max(p, 4), 1<<16)
	phase := current % p
	q := max(p>>12, 1)
	return Era{Period: p, Phase: phase / q * q}
}

// Birth returns the first block of the era for a chain at block current.
func (e Era) Birth(current uint64) uint64 {
	if e.Immortal || e.Period == 0 {
		return 0
	}
	return (max(current, e.Phase)-e.Phase)/e.Period*e.Period + e.Phase
}

// Death returns the first block at which the era has expired
// (math.MaxUint64 for an immortal era).
func (e Era) Death(current uint64) uint64 {
	if e.Immortal || e.Period == 0 {
		return math.MaxUint64
	}
	b := e.Birth(current)
	if b > math.MaxUint64-e.Period {
		return math.MaxUint64
	}
	return b + e.Period
}

// EncodeTo writes 00 for an immortal era, else the two-byte little-endian
// u16 min(max(tz(period)-1, 1), 15) | (phase/q)<<4 with q = max(period>>12, 1).
func (e Era) EncodeTo(enc *scale.Encoder) {
	if e.Immortal {
		enc.PutU8(0)
		return
	}
	q := max(e.Period>>12, 1)
	tz := bits.TrailingZeros64(e.Period) - 1
	v := uint16(min(max(tz, 1), 15)) | uint16(e.Phase/q)<<4
	enc.PutU16(v)
}

// DecodeFrom reads an era: 00 is immortal, anything else is the first byte
// of a mortal u16, which must give period >= 4 and phase < period.
func (e *Era) DecodeFrom(d *scale.Decoder) {
	*e = Era{}
	first := d.U8()
	if d.Err() != nil {
		return
	}
	if first == 0 {
		e.Immortal = true
		return
	}
	v := uint64(first) | uint64(d.U8())<<8
	if d.Err() != nil {
		return
	}
	period := uint64(2) << (v & 15)
	q := max(period>>12, 1)
	phase := (v >> 4) * q
	if period < 4 || phase >= period {
		d.Fail(fmt.Errorf("%w: period %d phase %d", ErrInvalidEra, period, phase))
		return
	}
	e.Period, e.Phase = period, phase
}
