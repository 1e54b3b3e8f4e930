package transactionpayment

// The pallet has no calls, so no call weights. Its work is part of every
// signed extrinsic's base weight (the runtime's BaseExtrinsic, which the
// benchmark of an empty extrinsic measures including the fee withdrawal
// and deposit).
