package transactionpayment

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// This file implements frame.TransactionPayment, used by the executive's
// ChargeTransactionPayment extension: the fee is withdrawn before
// dispatch, the unused part refunded after, and the paid fee split
// between the treasury and the block author.

// params reads the fee parameters of the current runtime and state.
func (p *Pallet) params(ctx *frame.Context, class frame.DispatchClass) feeParams {
	l := ctx.Runtime().Limits()
	fp := feeParams{rates: p.cfg.Rates, maxBlock: l.MaxBlock, multiplier: p.s.nextFeeMultiplier.Get(ctx)}
	if int(class) < len(l.PerClass) {
		fp.baseExtrinsic = l.PerClass[class].BaseExtrinsic
	}
	return fp
}

// ComputeFeeDetails implements frame.TransactionPayment (compute_fee_details).
func (p *Pallet) ComputeFeeDetails(ctx *frame.Context, length uint32, info frame.DispatchInfo, tip scale.U128) frame.FeeDetails {
	return computeFeeDetails(p.params(ctx, info.Class), length, info.Weight, tip, info.PaysFee == frame.PaysYes)
}

// ComputeFee implements frame.TransactionPayment (compute_fee): base fee +
// length fee + multiplier × weight fee + tip, or just the tip for a call
// that does not pay.
func (p *Pallet) ComputeFee(ctx *frame.Context, length uint32, info frame.DispatchInfo, tip scale.U128) scale.U128 {
	return finalFee(p.ComputeFeeDetails(ctx, length, info, tip))
}

// ComputeActualFee implements frame.TransactionPayment
// (compute_actual_fee): the fee of the weight actually used.
func (p *Pallet) ComputeActualFee(ctx *frame.Context, length uint32, info frame.DispatchInfo, post frame.PostDispatchInfo, tip scale.U128) scale.U128 {
	w := frame.ActualWeight(info, post)
	pays := frame.ActualPays(info, post) == frame.PaysYes
	return finalFee(computeFeeDetails(p.params(ctx, info.Class), length, w, tip, pays))
}

// WithdrawFee implements frame.TransactionPayment: takes fee (incl. tip)
// from who without reaping the account (FungibleAdapter::withdraw_fee with
// Preserve); the executive turns an error into InvalidTransaction::Payment.
func (p *Pallet) WithdrawFee(ctx *frame.Context, who types.AccountID, _ *frame.RuntimeCall, _ frame.DispatchInfo, fee, _ scale.U128) (scale.U128, error) {
	if fee.IsZero() {
		return fee, nil
	}
	if err := p.cfg.Currency.Withdraw(ctx, who, fee, true); err != nil {
		return scale.U128{}, fmt.Errorf("transactionpayment: withdraw fee: %w", err)
	}
	return fee, nil
}

// CorrectAndDepositFee implements frame.TransactionPayment: refunds
// withdrawn - actualFee to who (if the account still exists), then pays
// the fee: TreasuryPercent of the inclusion fee to the treasury, the rest
// and the tip to the block author, or everything to the treasury when the
// runtime knows no author. A share that cannot be deposited (it would
// leave its recipient below the existential deposit) stays burnt. Emits
// TransactionFeePaid{who, actual_fee, tip}.
func (p *Pallet) CorrectAndDepositFee(ctx *frame.Context, who types.AccountID, _ frame.DispatchInfo, _ frame.PostDispatchInfo,
	actualFee, tip, withdrawn scale.U128) error {
	if withdrawn.IsZero() && actualFee.IsZero() {
		p.emit(ctx, EventTransactionFeePaid{Who: who, ActualFee: actualFee, Tip: tip})
		return nil
	}
	refund := withdrawn.SaturatingSub(actualFee)
	if !refund.IsZero() {
		var refunded scale.U128
		if !p.cfg.Currency.Total(ctx, who).IsZero() {
			refunded, _ = p.cfg.Currency.Deposit(ctx, who, refund, true)
		}
		refund = refunded
	}
	paid := withdrawn.SaturatingSub(refund)
	tipPart := minU128(tip, paid)
	feePart := paid.SaturatingSub(tipPart)

	toTreasury, ok := feePart.MulDiv(scale.FromUint64(p.cfg.TreasuryPercent), scale.FromUint64(100))
	if !ok { // cannot happen: percent <= 100
		toTreasury = feePart
	}
	toAuthor := feePart.SaturatingSub(toTreasury).SaturatingAdd(tipPart)
	if p.cfg.Author != nil {
		if author, ok := p.cfg.Author.Author(ctx); ok {
			_, _ = p.cfg.Currency.Deposit(ctx, author, toAuthor, true)
			toAuthor = scale.U128{}
		}
	}
	_, _ = p.cfg.Currency.Deposit(ctx, p.cfg.Treasury, toTreasury.SaturatingAdd(toAuthor), true)
	p.emit(ctx, EventTransactionFeePaid{Who: who, ActualFee: actualFee, Tip: tip})
	return nil
}

func (p *Pallet) emit(ctx *frame.Context, ev scale.Encodable) { ctx.Deposit(PalletName, ev) }

func minU128(a, b scale.U128) scale.U128 {
	if a.Lt(b) {
		return a
	}
	return b
}

// Priority is the transaction-pool priority of an extrinsic as Substrate's
// ChargeTransactionPayment::get_priority computes it: (tip + 1) × the
// number of such extrinsics a block could hold (the scarcer of weight,
// per component, and the class's length limit); operational extrinsics add
// a virtual tip of fee × OperationalFeeMultiplier.
func (p *Pallet) Priority(ctx *frame.Context, info frame.DispatchInfo, length uint32, tip, fee scale.U128) uint64 {
	l := ctx.Runtime().Limits()
	maxLen := uint32(0)
	if int(info.Class) < len(l.MaxLength) {
		maxLen = l.MaxLength[info.Class]
	}
	return priority(info.Class, info.Weight, length, tip, fee, l.MaxBlock, maxLen, p.cfg.OperationalFeeMultiplier)
}
