package scale

import (
	"errors"
	"math/big"
	"math/bits"
)

// U128 is an unsigned 128-bit integer, the type of every balance. Arithmetic
// is checked (ok=false on overflow) or saturating; never wrapping, because a
// wrapped balance mints money.
type U128 struct{ Hi, Lo uint64 }

// MaxU128 is 2^128-1.
var MaxU128 = U128{Hi: ^uint64(0), Lo: ^uint64(0)}

// FromUint64 widens v.
func FromUint64(v uint64) U128 { return U128{Lo: v} }

// IsZero reports v == 0.
func (v U128) IsZero() bool { return v.Hi == 0 && v.Lo == 0 }

// Cmp returns -1, 0 or 1.
func (v U128) Cmp(o U128) int {
	switch {
	case v.Hi < o.Hi:
		return -1
	case v.Hi > o.Hi:
		return 1
	case v.Lo < o.Lo:
		return -1
	case v.Lo > o.Lo:
		return 1
	}
	return 0
}

// Lt reports v < o.
func (v U128) Lt(o U128) bool { return v.Cmp(o) < 0 }

// Add returns v+o and false on overflow.
func (v U128) Add(o U128) (U128, bool) {
	lo, c := bits.Add64(v.Lo, o.Lo, 0)
	hi, c2 := bits.Add64(v.Hi, o.Hi, c)
	return U128{hi, lo}, c2 == 0
}

// Sub returns v-o and false on underflow.
func (v U128) Sub(o U128) (U128, bool) {
	lo, b := bits.Sub64(v.Lo, o.Lo, 0)
	hi, b2 := bits.Sub64(v.Hi, o.Hi, b)
	return U128{hi, lo}, b2 == 0
}

// SaturatingAdd returns v+o, or MaxU128 on overflow.
func (v U128) SaturatingAdd(o U128) U128 {
	r, ok := v.Add(o)
	if !ok {
		return MaxU128
	}
	return r
}

// SaturatingSub returns v-o, or 0 on underflow.
func (v U128) SaturatingSub(o U128) U128 {
	r, ok := v.Sub(o)
	if !ok {
		return U128{}
	}
	return r
}

// Mul64 returns v*m and false on overflow.
func (v U128) Mul64(m uint64) (U128, bool) {
	hiLo, lo := bits.Mul64(v.Lo, m)
	hiHi, hiLo2 := bits.Mul64(v.Hi, m)
	hi, c := bits.Add64(hiLo, hiLo2, 0)
	return U128{hi, lo}, hiHi == 0 && c == 0
}

// Mul returns v*o and false on overflow.
func (v U128) Mul(o U128) (U128, bool) {
	if v.Hi != 0 && o.Hi != 0 {
		return U128{}, false
	}
	a, ok := v.Mul64(o.Lo)
	if !ok {
		return U128{}, false
	}
	if o.Hi == 0 {
		return a, true
	}
	// v.Hi == 0 here: v.Lo * o.Hi shifted by 64.
	h, l := bits.Mul64(v.Lo, o.Hi)
	if h != 0 {
		return U128{}, false
	}
	return a.Add(U128{Hi: l})
}

// SaturatingMul returns v*o, or MaxU128 on overflow.
func (v U128) SaturatingMul(o U128) U128 {
	r, ok := v.Mul(o)
	if !ok {
		return MaxU128
	}
	return r
}

// Div64 returns v/d and v%d. d must not be zero (it panics like integer
// division, a broken caller invariant).
func (v U128) Div64(d uint64) (U128, uint64) {
	qHi := v.Hi / d
	r := v.Hi % d
	qLo, rem := bits.Div64(r, v.Lo, d)
	return U128{qHi, qLo}, rem
}

// Div returns v/o (o must not be zero).
func (v U128) Div(o U128) U128 {
	if o.Hi == 0 {
		q, _ := v.Div64(o.Lo)
		return q
	}
	// Rare path (divisor >= 2^64): exact via big.Int; not on a hot path.
	q := new(big.Int).Quo(v.Big(), o.Big())
	r, _ := U128FromBig(q)
	return r
}

// MulDiv returns v*m/d computed without intermediate overflow, or false if
// the result does not fit. Used for proportional splits (fees, rewards).
func (v U128) MulDiv(m, d U128) (U128, bool) {
	if d.IsZero() {
		return U128{}, false
	}
	if p, ok := v.Mul(m); ok {
		return p.Div(d), true
	}
	q := new(big.Int).Mul(v.Big(), m.Big())
	q.Quo(q, d.Big())
	return U128FromBig(q)
}

// Uint64 returns v as a uint64 and whether it fit.
func (v U128) Uint64() (uint64, bool) { return v.Lo, v.Hi == 0 }

// Big returns v as a new big.Int.
func (v U128) Big() *big.Int {
	b := new(big.Int).SetUint64(v.Hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(v.Lo))
}

// U128FromBig converts b, false if negative or wider than 128 bits.
func U128FromBig(b *big.Int) (U128, bool) {
	if b.Sign() < 0 || b.BitLen() > 128 {
		return U128{}, false
	}
	var lo, hi big.Int
	lo.And(b, new(big.Int).SetUint64(^uint64(0)))
	hi.Rsh(b, 64)
	return U128{Hi: hi.Uint64(), Lo: lo.Uint64()}, true
}

// String returns the decimal form.
func (v U128) String() string {
	if v.Hi == 0 {
		return uitoa(v.Lo)
	}
	return v.Big().String()
}

func uitoa(u uint64) string {
	var buf [20]byte
	i := len(buf)
	for u >= 10 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = byte('0' + u)
	return string(buf[i:])
}

var errBadU128 = errors.New("scale: invalid u128 decimal")

// ParseU128 parses a decimal string.
func ParseU128(s string) (U128, error) {
	if s == "" {
		return U128{}, errBadU128
	}
	var v U128
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return U128{}, errBadU128
		}
		m, ok := v.Mul64(10)
		if !ok {
			return U128{}, ErrOverflow
		}
		v, ok = m.Add(FromUint64(uint64(c - '0')))
		if !ok {
			return U128{}, ErrOverflow
		}
	}
	return v, nil
}

// U256 is an unsigned 256-bit integer as four little-endian 64-bit limbs.
type U256 [4]uint64

// MarshalJSON writes v as a bare JSON number, as Substrate's genesis JSON does.
func (v U128) MarshalJSON() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalJSON accepts a JSON number or a decimal string.
func (v *U128) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	r, err := ParseU128(s)
	if err != nil {
		return err
	}
	*v = r
	return nil
}
