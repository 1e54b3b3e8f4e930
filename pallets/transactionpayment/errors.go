package transactionpayment

import "errors"

// The pallet has no dispatch errors (no calls). These are errors of its
// runtime-API helpers.
var (
	// ErrBadExtrinsic: query_info/query_fee_details got bytes that are not an extrinsic of this runtime.
	ErrBadExtrinsic = errors.New("transactionpayment: cannot decode extrinsic")
)
