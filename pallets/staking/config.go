package staking

import "github.com/metamars/mars/runtime/types"

// PalletName is the pallet's name: the prefix of its storage items and the
// name of its errors, events and metadata.
const PalletName = "Staking"

// Limits of MSC's staking (Polkadot's values).
const (
	// MaxNominations is the most targets a nominator may name.
	MaxNominations = 16
	// MaxUnlockingChunks is the most unbonding chunks a ledger may hold.
	MaxUnlockingChunks = 32
	// HistoryDepth is how many eras of exposures, points and rewards are
	// kept (payouts older than that are lost).
	HistoryDepth uint32 = 84
	// MaxValidatorsCount bounds ValidatorCount.
	MaxValidatorsCount uint32 = 1000
	// MaxExposureOthers bounds the nominators rewarded per validator and
	// era (Polkadot's MaxExposurePageSize); the rest are kept in the
	// exposure but paid nothing, as on page > 0 in Substrate.
	MaxExposureOthers = 512
	// PointsPerBlock is the reward points an author earns per block
	// (pallet_staking's 20).
	PointsPerBlock uint32 = 20
)

// StakingLockID is the balance lock on bonded funds: "staking ".
var StakingLockID = [8]byte{'s', 't', 'a', 'k', 'i', 'n', 'g', ' '}

// PoolPalletID is the PalletId of the rewards pool: "py/stkpl".
var PoolPalletID = [8]byte{'p', 'y', '/', 's', 't', 'k', 'p', 'l'}

// RewardsPoolAccount is the account holding the rewards pool, derived as
// Substrate's PalletId::into_account_truncating ("modl" ++ id ++ zeros).
// Set it as the transaction-payment treasury so the fee share funds
// rewards; slashed funds go there too.
func RewardsPoolAccount() types.AccountID {
	var a types.AccountID
	copy(a[:], "modl")
	copy(a[4:], PoolPalletID[:])
	return a
}

// Config is the pallet's configuration. The era parameters that the
// genesis JSON may set (sessionsPerEra, bondingDuration,
// slashDeferDuration, eraPayout) are the defaults used when genesis omits
// them; the values in force live in storage.
type Config struct {
	// Currency is Balances (transfers).
	Currency Currency
	// Locks is Balances' locks (through the adapter in expected.go).
	Locks Locks
	// Time is optional: the active era's start is recorded from it.
	Time UnixTime
	// SessionsPerEra, BondingDuration (eras) and SlashDeferDuration (eras)
	// are the defaults of the genesis fields of the same names.
	SessionsPerEra, BondingDuration, SlashDeferDuration uint32
}

// DefaultConfig returns MSC's defaults: 6 sessions an era, 28 eras of
// unbonding, slashes deferred 27 eras (Polkadot's).
func DefaultConfig(c Currency, l Locks) Config {
	return Config{Currency: c, Locks: l, SessionsPerEra: 6, BondingDuration: 28, SlashDeferDuration: 27}
}

// Pallet is MSC's pallet_staking.
type Pallet struct {
	cfg Config
	s   storage
}

// New returns the pallet. A zero SessionsPerEra becomes 1.
func New(cfg Config) *Pallet {
	if cfg.SessionsPerEra == 0 {
		cfg.SessionsPerEra = 1
	}
	return &Pallet{cfg: cfg, s: newStorage()}
}

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// StorageVersion implements frame.StorageVersioned.
func (p *Pallet) StorageVersion() uint16 { return 1 }
