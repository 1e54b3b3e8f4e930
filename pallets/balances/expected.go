package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// Accounts is what the pallet needs from System: the account records whose
// data field holds the balances, and frame_system's reference counts.
// *system.Pallet implements it; the runtime passes it in Config.
type Accounts interface {
	// Account returns System.Account(who) (zero value if absent).
	Account(ctx *frame.Context, who types.AccountID) frame.AccountInfo
	// TryMutateAccountData is frame_system's StoredMap::try_mutate_exists:
	// f sees the data (exists = it is not the default); unless f fails the
	// data is written back if the account still has a provider or
	// sufficient reference, else the account record is removed.
	TryMutateAccountData(ctx *frame.Context, who types.AccountID, f func(data *frame.AccountData, exists bool) error) error
	// IncProviders adds a provider reference (creating the account and
	// emitting System.NewAccount on the first one).
	IncProviders(ctx *frame.Context, who types.AccountID) (created bool)
	// DecProviders removes one: frame.ErrConsumerRemaining if it is the
	// last and something consumes the account; reaps the account (emitting
	// System.KilledAccount) when no reference is left.
	DecProviders(ctx *frame.Context, who types.AccountID) error
	// IncConsumers adds a consumer reference (frame.ErrNoProviders).
	IncConsumers(ctx *frame.Context, who types.AccountID) error
	// DecConsumers removes a consumer reference (saturating).
	DecConsumers(ctx *frame.Context, who types.AccountID)
}

// knownAccounts is optionally implemented by Accounts (*system.Pallet
// does): TryMutateAccountData for a caller that read who's record acc at
// write mark mark (frame.Context.WriteMark); System reads the record again
// only if storage was written since.
type knownAccounts interface {
	TryMutateAccountDataKnown(ctx *frame.Context, who types.AccountID, acc frame.AccountInfo, mark uint64,
		f func(data *frame.AccountData, exists bool) error) error
}
