// Package relay is the MSC relay chain runtime ("mars-relay"): the
// composition of its pallets (System 0, Timestamp 1, Sudo 5, Balances 6,
// TransactionPayment 7), its RuntimeVersion, its genesis presets and its
// runtime API entry points (Dispatch), wired by hand in New.
//
// The same code runs natively (tests, differential checks through
// host/executor's native host) and as WASM: wasm/ is the `package main`
// that exports one `(len i32) -> i64` function per entry point and calls
// Dispatch with the WASM host.
package relay
