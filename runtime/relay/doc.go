// Package relay is the MSC relay chain runtime ("mars-relay"): the
// composition of its pallets, its RuntimeVersion, its genesis presets and
// its runtime API entry points (Dispatch), wired by hand in New.
//
// Pallet indices (fixed forever: they are in every call and event):
// System 0, Timestamp 1, Sudo 5, Balances 6, TransactionPayment 7,
// Authorship 20, Staking 21, Offences 22, Session 23, Grandpa 24, Aura 25.
// Authorship precedes Session so that it finds a block's author with the
// parent's authorities before a rotation replaces them; Aura's slot check
// and GRANDPA's set change happen in the rotation block itself.
//
// Consensus wiring: Session asks Staking (SessionManager) for each
// session's validators and tells Aura and GRANDPA (SessionHandler) their
// keys; Authorship finds the author from Aura's digest and Session's
// validators, pays it the fees' author share (TransactionPayment) and
// notes it to Staking (era points); the fees' other share goes to
// Staking's rewards pool; Aura and GRANDPA equivocation reports go to
// Offences, which has Staking slash. Timestamp tells Aura each block's
// time (it must lie in the block's slot). consensus_api.go serves AuraApi,
// GrandpaApi, SessionKeys and the two equivocation-report APIs.
//
// Genesis: presets "development" and "local_testnet" (Alice the only
// validator) and "local" (Alice, Bob, Charlie, Dave), built by
// ValidatorsGenesisConfig, which cmd/marsd also uses for N validators.
//
// The same code runs natively (tests, differential checks through
// host/executor's native host) and as WASM: wasm/ is the `package main`
// that exports one `(len i32) -> i64` function per entry point and calls
// Dispatch with the WASM host.
package relay
