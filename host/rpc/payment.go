package rpc

import (
	"context"
	"errors"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// payment_* answer through the runtime's TransactionPaymentApi, as
// pallet-transaction-payment-rpc does.
func (a *stateAPI) registerPayment(s *Server) error {
	return regList{
		func() error { return s.Register("payment_queryInfo", a.queryInfo) },
		func() error { return s.Register("payment_queryFeeDetails", a.queryFeeDetails) },
	}.run()
}

var errExtrinsicLength = errors.New("extrinsic length prefix does not match its bytes")

// paymentArgs reads (extrinsic, at?) and returns the runtime call's args:
// the extrinsic (a Vec<u8>-style encoding) ++ its length as u32.
func (a *stateAPI) paymentArgs(p Params, what string) ([]byte, types.Hash, error) {
	ext, err := p.Bytes(0)
	if err != nil {
		return nil, types.Hash{}, err
	}
	at, err := a.at(p, 1)
	if err != nil {
		return nil, at, err
	}
	// Substrate's payment RPC decodes the extrinsic before calling the
	// runtime and answers 2 (decode error) for bytes that are not one; the
	// envelope check (framing, version, address, signature) does that here.
	d := scale.NewDecoder(ext)
	d.Bytes()
	if err := d.Finish(); err != nil {
		if errors.Is(err, scale.ErrTrailingBytes) {
			err = errExtrinsicLength
		}
		return nil, at, NewError(CodePaymentDecodeError, what, err.Error())
	}
	if _, err := types.DecodeExtrinsic(ext); err != nil {
		return nil, at, NewError(CodePaymentDecodeError, what, err.Error())
	}
	args := make([]byte, 0, len(ext)+4)
	args = append(args, ext...)
	args = append(args, byte(len(ext)), byte(len(ext)>>8), byte(len(ext)>>16), byte(len(ext)>>24))
	return args, at, nil
}

type weightJSON struct {
	RefTime   uint64 `json:"ref_time"`
	ProofSize uint64 `json:"proof_size"`
}

type dispatchInfoJSON struct {
	Weight     weightJSON `json:"weight"`
	Class      string     `json:"class"`
	PartialFee string     `json:"partialFee"` // decimal, as serde_balance writes it
}

var dispatchClasses = [...]string{"normal", "operational", "mandatory"}

func (a *stateAPI) queryInfo(ctx context.Context, p Params) (any, error) {
	const what = "Unable to query dispatch info."
	args, at, err := a.paymentArgs(p, what)
	if err != nil {
		return nil, err
	}
	out, err := a.state.Call(ctx, at, "TransactionPaymentApi_query_info", args)
	if err != nil {
		return nil, NewError(CodePaymentRuntimeError, what, err.Error())
	}
	d := scale.NewDecoder(out)
	var w types.Weight
	w.DecodeFrom(d)
	class := d.U8()
	fee := d.U128()
	if err := d.Finish(); err != nil {
		return nil, NewError(CodePaymentRuntimeError, what, "decoding RuntimeDispatchInfo: "+err.Error())
	}
	if int(class) >= len(dispatchClasses) {
		return nil, NewError(CodePaymentRuntimeError, what, "decoding RuntimeDispatchInfo: bad dispatch class")
	}
	return dispatchInfoJSON{
		Weight:     weightJSON{RefTime: w.RefTime, ProofSize: w.ProofSize},
		Class:      dispatchClasses[class],
		PartialFee: fee.String(),
	}, nil
}

type inclusionFeeJSON struct {
	BaseFee           string `json:"baseFee"`
	LenFee            string `json:"lenFee"`
	AdjustedWeightFee string `json:"adjustedWeightFee"`
}

// queryFeeDetails answers {"inclusionFee": {…} | null}; the balances are
// hex (sp_rpc NumberOrHex from a u128) and the tip is not serialised.
func (a *stateAPI) queryFeeDetails(ctx context.Context, p Params) (any, error) {
	const what = "Unable to query fee details."
	args, at, err := a.paymentArgs(p, what)
	if err != nil {
		return nil, err
	}
	out, err := a.state.Call(ctx, at, "TransactionPaymentApi_query_fee_details", args)
	if err != nil {
		return nil, NewError(CodePaymentRuntimeError, what, err.Error())
	}
	d := scale.NewDecoder(out)
	var fee *inclusionFeeJSON
	if d.Option() {
		base, length, weight := d.U128(), d.U128(), d.U128()
		fee = &inclusionFeeJSON{BaseFee: hexU128(base), LenFee: hexU128(length), AdjustedWeightFee: hexU128(weight)}
	}
	d.U128() // tip
	if err := d.Finish(); err != nil {
		return nil, NewError(CodePaymentRuntimeError, what, "decoding FeeDetails: "+err.Error())
	}
	return struct {
		InclusionFee *inclusionFeeJSON `json:"inclusionFee"`
	}{fee}, nil
}
