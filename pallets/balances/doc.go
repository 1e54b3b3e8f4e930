// Package balances is MSC's pallet_balances: the MSCA balances of accounts
// (12 decimals, existential deposit 0.01 MSCA), transfers, and the money
// API other pallets build on (fees, locks, reserves, holds, freezes).
//
// Why it looks like Substrate's: wallets and @polkadot/api read balances
// straight from storage and decode events and errors by index, so the
// layout is pallet_balances' exactly. Balances live in System.Account's
// data field {free, reserved, frozen, flags}; the pallet's own items are
// TotalIssuance, InactiveIssuance, Locks, Holds and Freezes. Calls,
// events and errors keep Substrate's indices.
//
// The rules are those of the fungible implementation of pallet_balances
// (rules.go): an account exists while free >= ED (it holds a System
// provider reference); a withdrawal that leaves less is refused under
// Preserve (Token(NotExpendable)) and otherwise reaps the account, burning
// the rest as dust (DustLost, System.KilledAccount). Frozen funds (the
// largest lock or freeze, applying to free + reserved) cannot leave the
// account. Transfers report Token/Arithmetic dispatch errors as Polkadot
// does; the reserve API reports the pallet's Module errors.
//
// Other pallets use *Pallet through interfaces they declare (expected.go
// in their package): reads Account, Free, Total, Reducible, TotalIssuance,
// ExistentialDeposit; moves Transfer, Withdraw/Deposit (fees: issuance
// changes), Mint/Burn; Reserve/Unreserve; SetLock/ExtendLock/RemoveLock;
// Hold/Release/HeldBalance; SetFreeze/Thaw. Each checks before it writes,
// so a failed operation leaves storage unchanged.
//
// The invariant TotalIssuance == Σ(free + reserved) is checked by TryState
// after every test block.
package balances
