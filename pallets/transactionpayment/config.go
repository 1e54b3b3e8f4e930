package transactionpayment

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name (storage prefix, events, metadata).
const PalletName = "TransactionPayment"

// DefaultOperationalFeeMultiplier is Substrate's (and Polkadot's) 5.
const DefaultOperationalFeeMultiplier uint8 = 5

// TreasuryPalletID is the treasury's PalletId.
var TreasuryPalletID = [8]byte{'p', 'y', '/', 't', 'r', 's', 'r', 'y'}

// PalletAccount derives a pallet's account as Substrate's
// PalletId::into_account_truncating does: "modl" ++ id ++ zero padding.
func PalletAccount(id [8]byte) types.AccountID {
	var a types.AccountID
	copy(a[:], "modl")
	copy(a[4:], id[:])
	return a
}

// TreasuryAccount is the account fees go to:
// 5EYCAe5ijiYfyeZ2JJCGq56LmPyNRAKzpG4QkoQkkQNB5e6Z.
func TreasuryAccount() types.AccountID { return PalletAccount(TreasuryPalletID) }

// Config is the pallet's configuration.
type Config struct {
	// Currency is Balances.
	Currency Currency
	// Author is optional; nil means the fee's author share goes to the
	// treasury too.
	Author BlockAuthor
	// Treasury receives the treasury share (TreasuryAccount() by default).
	Treasury types.AccountID
	// Rates convert weight and length to fees (DefaultFeeRates).
	Rates FeeRates
	// OperationalFeeMultiplier scales operational transactions' virtual
	// tip in their pool priority (5).
	OperationalFeeMultiplier uint8
	// TreasuryPercent is the treasury's share of the inclusion fee (80);
	// the rest and the tip go to the block author.
	TreasuryPercent uint64
}

// DefaultConfig returns MSC's configuration.
func DefaultConfig(c Currency, author BlockAuthor) Config {
	return Config{
		Currency:                 c,
		Author:                   author,
		Treasury:                 TreasuryAccount(),
		Rates:                    DefaultFeeRates,
		OperationalFeeMultiplier: DefaultOperationalFeeMultiplier,
		TreasuryPercent:          80,
	}
}

// Pallet is pallet_transaction_payment. It implements
// frame.TransactionPayment (wire it with Runtime.SetPayment).
type Pallet struct {
	cfg Config
	s   storage
}

var _ frame.TransactionPayment = (*Pallet)(nil)

// New returns the pallet.
func New(cfg Config) *Pallet {
	if cfg.Rates.WeightFeeDenominator == 0 {
		cfg.Rates.WeightFeeDenominator = 1
	}
	if cfg.TreasuryPercent > 100 {
		cfg.TreasuryPercent = 100
	}
	return &Pallet{cfg: cfg, s: newStorage()}
}

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// Calls implements frame.Pallet: the pallet has none.
func (p *Pallet) Calls() []frame.CallDef { return nil }
