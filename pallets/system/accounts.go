package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// Account returns the account's info (zero if none).
func (p *Pallet) Account(ctx *frame.Context, who types.AccountID) frame.AccountInfo {
	return Account.Get(ctx, who)
}

// AccountExists reports whether the account has an entry.
func (p *Pallet) AccountExists(ctx *frame.Context, who types.AccountID) bool {
	return Account.Exists(ctx, who)
}

// Providers is the account's provider count.
func (p *Pallet) Providers(ctx *frame.Context, who types.AccountID) uint32 {
	return Account.Get(ctx, who).Providers
}

// Consumers is the account's consumer count.
func (p *Pallet) Consumers(ctx *frame.Context, who types.AccountID) uint32 {
	return Account.Get(ctx, who).Consumers
}

// Sufficients is the account's sufficient count.
func (p *Pallet) Sufficients(ctx *frame.Context, who types.AccountID) uint32 {
	return Account.Get(ctx, who).Sufficients
}

// IncNonce increments the account's nonce.
func (p *Pallet) IncNonce(ctx *frame.Context, who types.AccountID) {
	_ = Account.Mutate(ctx, who, func(a *frame.AccountInfo) error {
		a.Nonce++
		return nil
	})
}

// IncNonceOf increments the nonce of who, whose info acc the caller has
// just read (and not changed since): it writes acc with nonce + 1 without
// reading the account again.
func (p *Pallet) IncNonceOf(ctx *frame.Context, who types.AccountID, acc frame.AccountInfo) {
	acc.Nonce++
	Account.Set(ctx, who, acc)
}

// IncProviders adds a provider reference; created reports that the
// account came into existence (NewAccount is deposited).
func (p *Pallet) IncProviders(ctx *frame.Context, who types.AccountID) (created bool) {
	_ = Account.Mutate(ctx, who, func(a *frame.AccountInfo) error {
		if a.Providers == 0 && a.Sufficients == 0 {
			a.Providers = 1
			created = true
		} else {
			a.Providers = satInc(a.Providers)
		}
		return nil
	})
	if created {
		ctx.Deposit(Name, NewAccount{who})
	}
	return created
}

// DecProviders removes a provider reference. The last provider cannot go
// while consumers remain (frame.ErrConsumerRemaining); when nothing
// references the account any more it is reaped (KilledAccount).
func (p *Pallet) DecProviders(ctx *frame.Context, who types.AccountID) error {
	killed := false
	err := Account.MutateExists(ctx, who, func(a *frame.AccountInfo, exists *bool) error {
		if !*exists {
			return nil // nothing to do (Substrate logs and reports Reaped)
		}
		if a.Providers == 0 {
			a.Providers = 1 // logic error elsewhere; recover as Substrate does
		}
		switch {
		case a.Providers == 1 && a.Consumers == 0 && a.Sufficients == 0:
			*exists = false
			killed = true
		case a.Providers == 1 && a.Consumers > 0:
			return frame.ErrConsumerRemaining
		default:
			a.Providers--
		}
		return nil
	})
	if err == nil && killed {
		ctx.Deposit(Name, KilledAccount{who})
	}
	return err
}

// IncSufficients adds a self-sufficient reference; created as IncProviders.
func (p *Pallet) IncSufficients(ctx *frame.Context, who types.AccountID) (created bool) {
	_ = Account.Mutate(ctx, who, func(a *frame.AccountInfo) error {
		if a.Providers == 0 && a.Sufficients == 0 {
			a.Sufficients = 1
			created = true
		} else {
			a.Sufficients = satInc(a.Sufficients)
		}
		return nil
	})
	if created {
		ctx.Deposit(Name, NewAccount{who})
	}
	return created
}

// DecSufficients removes a self-sufficient reference, reaping the account
// when nothing else references it.
func (p *Pallet) DecSufficients(ctx *frame.Context, who types.AccountID) {
	killed := false
	_ = Account.MutateExists(ctx, who, func(a *frame.AccountInfo, exists *bool) error {
		if !*exists {
			return nil
		}
		if a.Sufficients <= 1 && a.Providers == 0 {
			*exists = false
			killed = true
			return nil
		}
		if a.Sufficients > 0 {
			a.Sufficients--
		}
		return nil
	})
	if killed {
		ctx.Deposit(Name, KilledAccount{who})
	}
}

// IncConsumers adds a consumer reference: frame.ErrNoProviders without a
// provider, frame.ErrTooManyConsumers at MaxConsumers.
func (p *Pallet) IncConsumers(ctx *frame.Context, who types.AccountID) error {
	return Account.Mutate(ctx, who, func(a *frame.AccountInfo) error {
		if a.Providers == 0 {
			return frame.ErrNoProviders
		}
		if a.Consumers >= MaxConsumers {
			return frame.ErrTooManyConsumers
		}
		a.Consumers++
		return nil
	})
}

// DecConsumers removes a consumer reference (no-op at zero).
func (p *Pallet) DecConsumers(ctx *frame.Context, who types.AccountID) {
	_ = Account.Mutate(ctx, who, func(a *frame.AccountInfo) error {
		if a.Consumers > 0 {
			a.Consumers--
		}
		return nil
	})
}

// CanIncConsumer reports whether IncConsumers would succeed.
func (p *Pallet) CanIncConsumer(ctx *frame.Context, who types.AccountID) bool {
	a := Account.Get(ctx, who)
	return a.Providers > 0 && a.Consumers < MaxConsumers
}

// TryMutateAccountData is Substrate's StoredMap::try_mutate_exists for the
// account's data: f sees the data and whether it is non-default; if f
// succeeds the data is written when the account has providers or
// sufficients, otherwise the account entry is removed. Reference counts are
// the caller's business (balances inc/dec providers around it).
func (p *Pallet) TryMutateAccountData(ctx *frame.Context, who types.AccountID, f func(data *frame.AccountData, exists bool) error) error {
	key := Account.Key(ctx, who)
	acc, _ := Account.GetKey(ctx, key)
	return tryMutateAccountData(ctx, key, acc, f)
}

// TryMutateAccountDataKnown is TryMutateAccountData for a caller that read
// who's record acc (Account) when ctx.WriteMark() was mark: it is not read
// again unless storage was written since.
func (p *Pallet) TryMutateAccountDataKnown(ctx *frame.Context, who types.AccountID, acc frame.AccountInfo, mark uint64,
	f func(data *frame.AccountData, exists bool) error) error {
	key := Account.Key(ctx, who)
	if ctx.WritesSince(mark) {
		acc, _ = Account.GetKey(ctx, key)
	}
	return tryMutateAccountData(ctx, key, acc, f)
}

func tryMutateAccountData(ctx *frame.Context, key []byte, acc frame.AccountInfo, f func(data *frame.AccountData, exists bool) error) error {
	data := acc.Data
	exists := !data.Equal(&frame.AccountData{})
	mark := ctx.WriteMark()
	if err := f(&data, exists); err != nil {
		return err
	}
	cur := acc
	if ctx.WritesSince(mark) {
		cur, _ = Account.GetKey(ctx, key) // f may have changed ref counts
	}
	if cur.Providers > 0 || cur.Sufficients > 0 {
		cur.Data = data
		Account.SetKey(ctx, key, cur)
	} else {
		ctx.StorageClear(key)
	}
	return nil
}

// AccountData returns the account's data.
func (p *Pallet) AccountData(ctx *frame.Context, who types.AccountID) frame.AccountData {
	return Account.Get(ctx, who).Data
}

func satInc(v uint32) uint32 {
	if v == ^uint32(0) {
		return v
	}
	return v + 1
}
