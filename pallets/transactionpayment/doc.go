// Package transactionpayment is MSC's pallet_transaction_payment: what a
// signed extrinsic pays and where the money goes.
//
// fee = base_fee + length_fee + multiplier × weight_fee + tip, where
// base_fee is the weight fee of the class's BaseExtrinsic weight,
// length_fee = encoded length × LengthFeePerByte, weight_fee =
// ref_time × WeightFeeNumerator / WeightFeeDenominator (proof size is
// free; weight is capped at the block's max), and multiplier is
// NextFeeMultiplier (FixedU128, 1.0 and not adjusted yet). MSC's rates
// (DefaultFeeRates): 1 planck per unit of ref_time (1 MSCA for a second of
// execution) and 10^6 planck per byte (1 MSCA per MB).
//
// The executive's ChargeTransactionPayment extension calls this pallet
// through frame.TransactionPayment: WithdrawFee before dispatch (an
// account that cannot pay without being reaped makes the transaction
// InvalidTransaction::Payment), CorrectAndDepositFee after it (the fee of
// unused weight is refunded; of the rest, 80% of the inclusion fee goes
// to the treasury account "modl" ++ "py/trsry" ++ zeros, 20% and the tip
// to the block author, or all to the treasury when the runtime knows no
// author; then TransactionFeePaid). Polkadot burns the author share when
// there is no author; MSC's dev chain has none, so it funds the treasury
// instead. A share that would leave its recipient below the existential
// deposit is burnt (as Substrate drops the imbalance), so a runtime should
// endow the treasury at genesis.
//
// api.go has the TransactionPaymentApi helpers (query_info,
// query_fee_details, query_weight_to_fee, query_length_to_fee) and
// Priority, Substrate's pool priority.
package transactionpayment
