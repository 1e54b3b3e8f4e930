package transactionpayment

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func u(v uint64) scale.U128 { return scale.FromUint64(v) }

func TestMultiplier(t *testing.T) {
	if got := MultiplierOne.SaturatingMulInt(u(12345)); got != u(12345) {
		t.Fatalf("1.0 × 12345 = %s", got)
	}
	half := Multiplier{Inner: u(multiplierAccuracy / 2)}
	if got := half.SaturatingMulInt(u(3)); got != u(1) {
		t.Fatalf("0.5 × 3 = %s (floor)", got)
	}
	big := Multiplier{Inner: scale.MaxU128}
	if got := big.SaturatingMulInt(scale.MaxU128); got != scale.MaxU128 {
		t.Fatalf("saturation: %s", got)
	}
	// Large inner value: 2^70 / 1e18 × 1e18 = 2^70 without intermediate overflow.
	n := scale.U128{Hi: 1 << 6}
	if got := MultiplierOne.SaturatingMulInt(n); got != n {
		t.Fatalf("wide: %s", got)
	}
}

func TestComputeFeeDetails(t *testing.T) {
	p := feeParams{
		rates:         FeeRates{WeightFeeNumerator: 3, WeightFeeDenominator: 2, LengthFeePerByte: u(10)},
		baseExtrinsic: types.Weight{RefTime: 1000},
		maxBlock:      types.Weight{RefTime: 1_000_000, ProofSize: 1_000_000},
		multiplier:    Multiplier{Inner: u(2 * multiplierAccuracy)},
	}
	d := computeFeeDetails(p, 100, types.Weight{RefTime: 500, ProofSize: 77}, u(7), true)
	want := frame.InclusionFee{BaseFee: u(1500), LenFee: u(1000), AdjustedWeightFee: u(1500)}
	if d.InclusionFee == nil || *d.InclusionFee != want || d.Tip != u(7) {
		t.Fatalf("details %+v %+v", d, d.InclusionFee)
	}
	if finalFee(d) != u(4007) {
		t.Fatalf("final %s", finalFee(d))
	}
	// Weight above the block max is capped.
	d = computeFeeDetails(p, 0, types.Weight{RefTime: 1 << 62}, u(0), true)
	if d.InclusionFee.AdjustedWeightFee != u(3_000_000) {
		t.Fatalf("capped %s", d.InclusionFee.AdjustedWeightFee)
	}
	d = computeFeeDetails(p, 100, types.Weight{RefTime: 500}, u(7), false)
	if d.InclusionFee != nil || finalFee(d) != u(7) {
		t.Fatalf("pays no: %+v", d)
	}
	if b := scale.Encode(&frame.FeeDetails{Tip: u(1)}); len(b) != 17 || b[0] != 0 {
		t.Fatalf("none encoding %x", b)
	}
}

func TestPriority(t *testing.T) {
	maxBlock := types.Weight{RefTime: 2_000_000_000_000, ProofSize: 5 * 1024 * 1024}
	const maxLen = 5 * 1024 * 1024
	w := types.Weight{RefTime: 200_000_000, ProofSize: 4_000}
	// per weight: min(2e12/2e8=10000, 5242880/4000=1310) = 1310; per length: 5242880/150 = 34952.
	got := priority(frame.Normal, w, 150, u(0), u(999), maxBlock, maxLen, 5)
	if got != 1310 {
		t.Fatalf("normal no tip: %d", got)
	}
	got = priority(frame.Normal, w, 150, u(9), u(999), maxBlock, maxLen, 5)
	if got != 13100 {
		t.Fatalf("normal tip 9: %d", got)
	}
	got = priority(frame.Operational, w, 150, u(0), u(100), maxBlock, maxLen, 5)
	if got != 1310+500*1310 {
		t.Fatalf("operational: %d", got)
	}
	// Length is the scarce resource.
	got = priority(frame.Normal, types.Weight{RefTime: 1, ProofSize: 1}, maxLen/2, u(0), u(0), maxBlock, maxLen, 5)
	if got != 2 {
		t.Fatalf("length bound: %d", got)
	}
	// Huge tips saturate.
	if got := priority(frame.Normal, w, 150, scale.MaxU128, u(0), maxBlock, maxLen, 5); got != ^uint64(0) {
		t.Fatalf("saturate: %d", got)
	}
	// Zero weight and zero length are bounded to one.
	if got := priority(frame.Mandatory, types.Weight{}, 0, u(0), u(0), types.Weight{RefTime: 10, ProofSize: 10}, 100, 5); got != 10 {
		t.Fatalf("bounded: %d", got)
	}
}
