package transactionpayment

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Helpers for the TransactionPaymentApi runtime API (v4).

// RuntimeDispatchInfo is query_info's result: {weight: Weight, class: u8,
// partial_fee: u128}.
type RuntimeDispatchInfo struct {
	Weight     types.Weight
	Class      frame.DispatchClass
	PartialFee scale.U128
}

// EncodeTo writes weight (two Compact<u64>) ++ class ++ partial_fee.
func (r *RuntimeDispatchInfo) EncodeTo(e *scale.Encoder) {
	r.Weight.EncodeTo(e)
	e.PutU8(uint8(r.Class))
	e.PutU128(r.PartialFee)
}

// DecodeFrom reads a RuntimeDispatchInfo.
func (r *RuntimeDispatchInfo) DecodeFrom(d *scale.Decoder) {
	r.Weight.DecodeFrom(d)
	r.Class = frame.DispatchClass(d.U8())
	r.PartialFee = d.U128()
}

// dispatchInfoOf decodes a full extrinsic (with its length prefix) and
// returns its call's DispatchInfo and whether it is signed.
func dispatchInfoOf(ctx *frame.Context, ext []byte) (frame.DispatchInfo, bool, error) {
	x, err := types.DecodeExtrinsic(ext)
	if err != nil {
		return frame.DispatchInfo{}, false, fmt.Errorf("%w: %w", ErrBadExtrinsic, err)
	}
	call := x.Rest
	if x.Signed {
		d := scale.NewDecoder(x.Rest)
		var extra frame.Extra
		extra.DecodeFrom(d)
		if d.Err() != nil {
			return frame.DispatchInfo{}, false, fmt.Errorf("%w: extra: %w", ErrBadExtrinsic, d.Err())
		}
		call = x.Rest[d.Offset():]
	}
	c, err := ctx.Runtime().DecodeCallBytes(call)
	if err != nil {
		return frame.DispatchInfo{}, false, fmt.Errorf("%w: %w", ErrBadExtrinsic, err)
	}
	return c.Info(), x.Signed, nil
}

// QueryInfo is TransactionPaymentApi_query_info: the extrinsic's weight,
// class and fee without tip (zero for unsigned extrinsics).
func (p *Pallet) QueryInfo(ctx *frame.Context, ext []byte, length uint32) (RuntimeDispatchInfo, error) {
	info, signed, err := dispatchInfoOf(ctx, ext)
	if err != nil {
		return RuntimeDispatchInfo{}, err
	}
	r := RuntimeDispatchInfo{Weight: info.Weight, Class: info.Class}
	if signed {
		r.PartialFee = p.ComputeFee(ctx, length, info, scale.U128{})
	}
	return r, nil
}

// QueryFeeDetails is TransactionPaymentApi_query_fee_details: the fee
// breakdown without tip (no inclusion fee for unsigned extrinsics).
func (p *Pallet) QueryFeeDetails(ctx *frame.Context, ext []byte, length uint32) (frame.FeeDetails, error) {
	info, signed, err := dispatchInfoOf(ctx, ext)
	if err != nil {
		return frame.FeeDetails{}, err
	}
	if !signed {
		return frame.FeeDetails{}, nil
	}
	return p.ComputeFeeDetails(ctx, length, info, scale.U128{}), nil
}

// QueryWeightToFee is TransactionPaymentApi_query_weight_to_fee (no multiplier).
func (p *Pallet) QueryWeightToFee(ctx *frame.Context, w types.Weight) scale.U128 {
	return p.cfg.Rates.weightToFee(w, ctx.Runtime().Limits().MaxBlock)
}

// QueryLengthToFee is TransactionPaymentApi_query_length_to_fee.
func (p *Pallet) QueryLengthToFee(length uint32) scale.U128 { return p.cfg.Rates.lengthToFee(length) }
