package types

import "github.com/metamars/mars/runtime/scale"

// Weight is sp_weights::Weight (v2): computation time in picoseconds and
// proof size in bytes. Both fields encode as Compact<u64>.
type Weight struct {
	RefTime   uint64
	ProofSize uint64
}

// EncodeTo writes Compact(ref_time) ++ Compact(proof_size).
func (w Weight) EncodeTo(e *scale.Encoder) {
	e.PutCompact(w.RefTime)
	e.PutCompact(w.ProofSize)
}

// DecodeFrom reads two Compact<u64>.
func (w *Weight) DecodeFrom(d *scale.Decoder) {
	w.RefTime = d.Compact()
	w.ProofSize = d.Compact()
	if d.Err() != nil {
		*w = Weight{}
	}
}

// SaturatingAdd adds component-wise, saturating at u64::MAX.
func (w Weight) SaturatingAdd(o Weight) Weight {
	return Weight{satAdd(w.RefTime, o.RefTime), satAdd(w.ProofSize, o.ProofSize)}
}

// SaturatingSub subtracts component-wise, saturating at zero.
func (w Weight) SaturatingSub(o Weight) Weight {
	return Weight{satSub(w.RefTime, o.RefTime), satSub(w.ProofSize, o.ProofSize)}
}

// AllLTE reports whether both components are <= those of o (fits in o).
func (w Weight) AllLTE(o Weight) bool {
	return w.RefTime <= o.RefTime && w.ProofSize <= o.ProofSize
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

func satSub(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return 0
}
