package transactionpayment

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// This file holds the pure fee arithmetic: weight and length to fee, the
// fee multiplier, the fee breakdown and the pool priority. It reads no
// storage.

// Multiplier is Substrate's FixedU128 (the type of NextFeeMultiplier): the
// real value is Inner / 10^18. It is encoded as its inner u128.
type Multiplier struct{ Inner scale.U128 }

// multiplierAccuracy is FixedU128::DIV.
const multiplierAccuracy = 1_000_000_000_000_000_000

// MultiplierOne is the multiplier 1.0, the genesis value of NextFeeMultiplier.
var MultiplierOne = Multiplier{Inner: scale.FromUint64(multiplierAccuracy)}

// SaturatingMulInt returns floor(n × m), or u128::MAX if that overflows, as
// FixedU128::saturating_mul_int does.
func (m Multiplier) SaturatingMulInt(n scale.U128) scale.U128 {
	r, ok := n.MulDiv(m.Inner, scale.FromUint64(multiplierAccuracy))
	if !ok {
		return scale.MaxU128
	}
	return r
}

// FeeRates are the linear conversions from resources to planck.
//
// The weight fee is RefTime × WeightFeeNumerator / WeightFeeDenominator
// (proof size is free, as on Polkadot); the length fee is bytes ×
// LengthFeePerByte. MSC's defaults (DefaultFeeRates) charge 1 planck per
// unit of ref_time, i.e. 1 MSCA (10^12 planck) for a full second of
// execution, and 10^6 planck per byte, i.e. 1 MSCA per megabyte.
type FeeRates struct {
	WeightFeeNumerator   uint64
	WeightFeeDenominator uint64 // must not be zero
	LengthFeePerByte     scale.U128
}

// DefaultFeeRates are MSC's rates; see FeeRates.
var DefaultFeeRates = FeeRates{WeightFeeNumerator: 1, WeightFeeDenominator: 1, LengthFeePerByte: scale.FromUint64(1_000_000)}

// weightToFee converts the ref_time of w (capped at maxBlock, as Substrate's
// Pallet::weight_to_fee does) to planck.
func (r FeeRates) weightToFee(w, maxBlock types.Weight) scale.U128 {
	rt := min(w.RefTime, maxBlock.RefTime)
	den := r.WeightFeeDenominator
	if den == 0 {
		den = 1
	}
	v, ok := scale.FromUint64(rt).MulDiv(scale.FromUint64(r.WeightFeeNumerator), scale.FromUint64(den))
	if !ok {
		return scale.MaxU128
	}
	return v
}

// lengthToFee converts an encoded length to planck.
func (r FeeRates) lengthToFee(length uint32) scale.U128 {
	return r.LengthFeePerByte.SaturatingMul(scale.FromUint64(uint64(length)))
}

// finalFee is the inclusion fee plus the tip (what is withdrawn).
func finalFee(d frame.FeeDetails) scale.U128 {
	if d.InclusionFee == nil {
		return d.Tip
	}
	f := d.InclusionFee
	return f.BaseFee.SaturatingAdd(f.LenFee).SaturatingAdd(f.AdjustedWeightFee).SaturatingAdd(d.Tip)
}

// feeParams are the chain parameters a fee depends on.
type feeParams struct {
	rates         FeeRates
	baseExtrinsic types.Weight // weight of an empty extrinsic of the class
	maxBlock      types.Weight
	multiplier    Multiplier
}

// computeFeeDetails mirrors Pallet::compute_fee_raw.
func computeFeeDetails(p feeParams, length uint32, weight types.Weight, tip scale.U128, paysFee bool) frame.FeeDetails {
	if !paysFee {
		return frame.FeeDetails{Tip: tip}
	}
	return frame.FeeDetails{
		InclusionFee: &frame.InclusionFee{
			BaseFee:           p.rates.weightToFee(p.baseExtrinsic, p.maxBlock),
			LenFee:            p.rates.lengthToFee(length),
			AdjustedWeightFee: p.multiplier.SaturatingMulInt(p.rates.weightToFee(weight, p.maxBlock)),
		},
		Tip: tip,
	}
}

// priority mirrors ChargeTransactionPayment::get_priority: the tip (plus
// one, so smaller zero-tip transactions win) times how many such
// transactions fit in a block by the scarcer of weight and length;
// operational transactions add a virtual tip of final fee × multiplier.
func priority(class frame.DispatchClass, weight types.Weight, length uint32, tip, finalFee scale.U128,
	maxBlock types.Weight, maxLength uint32, operationalFeeMultiplier uint8) uint64 {
	bounded := types.Weight{RefTime: max(weight.RefTime, 1), ProofSize: max(weight.ProofSize, 1)}
	bounded.RefTime = min(bounded.RefTime, maxBlock.RefTime)
	bounded.ProofSize = min(bounded.ProofSize, maxBlock.ProofSize)
	boundedLen := min(max(uint64(length), 1), uint64(maxLength))

	perWeight := uint64(1)
	if q, ok := checkedDivPerComponent(maxBlock, bounded); ok {
		perWeight = q
	}
	var perLength uint64
	if boundedLen != 0 {
		perLength = uint64(maxLength) / boundedLen
	}
	perBlock := scale.FromUint64(min(perLength, perWeight))

	scaledTip := tip.SaturatingAdd(scale.FromUint64(1)).SaturatingMul(perBlock)
	if class == frame.Operational {
		virtualTip := finalFee.SaturatingMul(scale.FromUint64(uint64(operationalFeeMultiplier)))
		scaledTip = scaledTip.SaturatingAdd(virtualTip.SaturatingMul(perBlock))
	}
	if v, ok := scaledTip.Uint64(); ok {
		return v
	}
	return ^uint64(0)
}

// checkedDivPerComponent mirrors Weight::checked_div_per_component: the
// smallest per-component quotient, skipping zero divisors; false if both are.
func checkedDivPerComponent(a, b types.Weight) (uint64, bool) {
	rt, ps := ^uint64(0), ^uint64(0)
	any := false
	if b.RefTime != 0 {
		rt, any = a.RefTime/b.RefTime, true
	}
	if b.ProofSize != 0 {
		ps, any = a.ProofSize/b.ProofSize, true
	}
	return min(rt, ps), any
}
