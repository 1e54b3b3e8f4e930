package balances

import "github.com/metamars/mars/runtime/scale"

// PalletName is the pallet's name: the prefix of its storage items and the
// name of its errors, events and metadata.
const PalletName = "Balances"

// Planck per MSCA (12 decimals).
const MSCA uint64 = 1_000_000_000_000

// DefaultExistentialDeposit is MSC's existential deposit: 0.01 MSCA.
const DefaultExistentialDeposit uint64 = MSCA / 100

// Config is the pallet's configuration (pallet_balances::Config).
type Config struct {
	// Accounts is System (pallets/system).
	Accounts Accounts
	// ExistentialDeposit is the minimum free balance an account may hold;
	// below it the account is reaped and the rest burnt as dust.
	ExistentialDeposit scale.U128
	// MaxLocks is a soft limit on locks per account (exceeding it only
	// costs weight, as in Substrate's WeakBoundedVec).
	MaxLocks uint32
	// MaxHolds and MaxFreezes are hard limits per account.
	MaxHolds, MaxFreezes uint32
}

// DefaultConfig returns MSC's relay-chain configuration (Polkadot's limits).
func DefaultConfig(accounts Accounts) Config {
	return Config{
		Accounts:           accounts,
		ExistentialDeposit: scale.FromUint64(DefaultExistentialDeposit),
		MaxLocks:           50,
		MaxHolds:           10,
		MaxFreezes:         10,
	}
}

// Pallet is pallet_balances: MSCA balances, stored in System.Account.
type Pallet struct {
	cfg Config
	s   storage
}

// New returns the pallet. cfg.Accounts must be set; a zero
// ExistentialDeposit is replaced by 1 (Substrate forbids 0, because an
// account of balance 0 must not exist).
func New(cfg Config) *Pallet {
	if cfg.ExistentialDeposit.IsZero() {
		cfg.ExistentialDeposit = scale.FromUint64(1)
	}
	return &Pallet{cfg: cfg, s: newStorage()}
}

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// ExistentialDeposit is the minimum balance of a live account.
func (p *Pallet) ExistentialDeposit() scale.U128 { return p.cfg.ExistentialDeposit }

// StorageVersion implements frame.StorageVersioned: pallet_balances' 1.
func (p *Pallet) StorageVersion() uint16 { return 1 }
