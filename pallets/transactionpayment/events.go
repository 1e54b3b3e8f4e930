package transactionpayment

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// EvTransactionFeePaid is the variant index of TransactionFeePaid.
const EvTransactionFeePaid uint8 = 0

// EventTransactionFeePaid: a transaction fee actual_fee, of which tip was
// added to the minimum inclusion fee, has been paid by who.
type EventTransactionFeePaid struct {
	Who       types.AccountID
	ActualFee scale.U128
	Tip       scale.U128
}

// EncodeTo writes variant 0 ++ who ++ actual_fee ++ tip.
func (e EventTransactionFeePaid) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvTransactionFeePaid)
	enc.PutRaw(e.Who[:])
	enc.PutU128(e.ActualFee)
	enc.PutU128(e.Tip)
}
