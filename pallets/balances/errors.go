package balances

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
)

// The pallet's errors, in pallet_balances' variant order (their indices are
// part of the wire format: DispatchError::Module{index: 6, error: [i,0,0,0]}).
//
// Transfers and fee withdrawals follow Substrate's fungible rules and
// report frame's Token/Arithmetic errors (frame.ErrFundsUnavailable,
// ErrBelowMinimum, ErrNotExpendable, ErrFrozen, ErrOnlyProvider, ...),
// exactly as Polkadot does; the Module errors below are returned by the
// reserve API and the calls that Substrate implements on its Currency
// traits.
var (
	// ErrVestingBalance: vesting balance too high to send value.
	ErrVestingBalance = frame.NewError(PalletName, 0, "VestingBalance")
	// ErrLiquidityRestrictions: account liquidity restrictions prevent withdrawal.
	ErrLiquidityRestrictions = frame.NewError(PalletName, 1, "LiquidityRestrictions")
	// ErrInsufficientBalance: balance too low to send value.
	ErrInsufficientBalance = frame.NewError(PalletName, 2, "InsufficientBalance")
	// ErrExistentialDeposit: value too low to create account due to existential deposit.
	ErrExistentialDeposit = frame.NewError(PalletName, 3, "ExistentialDeposit")
	// ErrExpendability: transfer/payment would kill account.
	ErrExpendability = frame.NewError(PalletName, 4, "Expendability")
	// ErrExistingVestingSchedule: a vesting schedule already exists for this account.
	ErrExistingVestingSchedule = frame.NewError(PalletName, 5, "ExistingVestingSchedule")
	// ErrDeadAccount: beneficiary account must pre-exist.
	ErrDeadAccount = frame.NewError(PalletName, 6, "DeadAccount")
	// ErrTooManyReserves: number of named reserves exceed MaxReserves.
	ErrTooManyReserves = frame.NewError(PalletName, 7, "TooManyReserves")
	// ErrTooManyHolds: number of holds exceed MaxHolds.
	ErrTooManyHolds = frame.NewError(PalletName, 8, "TooManyHolds")
	// ErrTooManyFreezes: number of freezes exceed MaxFreezes.
	ErrTooManyFreezes = frame.NewError(PalletName, 9, "TooManyFreezes")
	// ErrIssuanceDeactivated: the issuance cannot be modified since it is already deactivated.
	ErrIssuanceDeactivated = frame.NewError(PalletName, 10, "IssuanceDeactivated")
	// ErrDeltaZero: the delta cannot be zero.
	ErrDeltaZero = frame.NewError(PalletName, 11, "DeltaZero")
)

// Errors lists the pallet's errors by index (for metadata).
var Errors = []*frame.Error{
	ErrVestingBalance, ErrLiquidityRestrictions, ErrInsufficientBalance, ErrExistentialDeposit,
	ErrExpendability, ErrExistingVestingSchedule, ErrDeadAccount, ErrTooManyReserves,
	ErrTooManyHolds, ErrTooManyFreezes, ErrIssuanceDeactivated, ErrDeltaZero,
}

// ErrBadEncoding reports a stored value this pallet cannot decode.
var ErrBadEncoding = errors.New("balances: bad encoding")
