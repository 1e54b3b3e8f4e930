package staking

import (
	"math/big"

	"github.com/metamars/mars/runtime/scale"
)

// Perbill arithmetic as sp_arithmetic does it, so payouts match Substrate
// to the planck: from_rational rounds down, Perbill × balance rounds to the
// nearest, halves down.

// perbillFromRational is Perbill::from_rational(p, q) (rounding down); q = 0
// or p ≥ q give 100%.
func perbillFromRational(p, q scale.U128) Perbill {
	if q.IsZero() || !p.Lt(q) {
		return Billion
	}
	n := new(big.Int).Mul(p.Big(), big.NewInt(int64(Billion)))
	n.Quo(n, q.Big())
	return Perbill(n.Uint64())
}

// mulPerbill is Perbill × x, rounded to the nearest planck (halves down).
func mulPerbill(f Perbill, x scale.U128) scale.U128 {
	if f >= Billion {
		return x
	}
	n := new(big.Int).Mul(x.Big(), big.NewInt(int64(f)))
	q, r := new(big.Int).QuoRem(n, big.NewInt(int64(Billion)), new(big.Int))
	if r.Lsh(r, 1).Cmp(big.NewInt(int64(Billion))) > 0 {
		q.Add(q, big.NewInt(1))
	}
	v, _ := scale.U128FromBig(q) // ≤ x
	return v
}

func minU128(a, b scale.U128) scale.U128 {
	if a.Lt(b) {
		return a
	}
	return b
}
