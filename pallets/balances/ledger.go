package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// This file is the core of the pallet: reading and writing an account's
// balance with Substrate's bookkeeping (provider/consumer references, the
// existential deposit, dust, Endowed/DustLost events).

// account returns who's data and reference counts.
func (p *Pallet) account(ctx *frame.Context, who types.AccountID) (AccountData, refs) {
	info := p.cfg.Accounts.Account(ctx, who)
	a := info.Data
	if a.Flags.IsZero() {
		// MSC has no pre-"new logic" accounts: an unflagged record is simply
		// one that System created without balances (or no record at all).
		a.Flags = newLogicFlag
	}
	return a, refs{providers: info.Providers, consumers: info.Consumers, info: info, mark: ctx.WriteMark(), known: true}
}

func (p *Pallet) emit(ctx *frame.Context, ev scale.Encodable) { ctx.Deposit(PalletName, ev) }

// mutateAccount applies f to who's data and settles the consequences as
// pallet_balances' try_mutate_account does: a provider reference while
// free >= ED, a consumer reference while anything is reserved or frozen,
// the account's data wiped (and the rest burnt as dust) when free < ED and
// nothing is reserved. It emits Endowed for a new account and DustLost.
// Nothing is written when f fails; when a reference change fails the
// writes are rolled back.
func (p *Pallet) mutateAccount(ctx *frame.Context, who types.AccountID, f func(a *AccountData, isNew bool) error) (dust scale.U128, err error) {
	_, r := p.account(ctx, who)
	return p.mutateAccountWith(ctx, who, r, f)
}

// mutateAccountWith is mutateAccount for a caller that has just read who's
// record into r (System.Account reads are host calls in WASM; the
// transfer path avoids repeating them).
func (p *Pallet) mutateAccountWith(ctx *frame.Context, who types.AccountID, r refs,
	f func(a *AccountData, isNew bool) error) (dust scale.U128, err error) {
	providers := r.providers
	ed := p.cfg.ExistentialDeposit
	sys := p.cfg.Accounts
	var isNew bool
	var endowed scale.U128
	mutate := func(data *AccountData, exists bool) error {
		a := *data
		if a.Flags.IsZero() {
			a.Flags = newLogicFlag
		}
		isNew = !exists || isDefault(a)
		didProvide := providing(a, ed) && providers > 0
		didConsume := !isNew && consuming(a)
		if err := f(&a, isNew); err != nil {
			return err
		}
		doesProvide, doesConsume := providing(a, ed), consuming(a)
		settle := func() error {
			if !didProvide && doesProvide {
				sys.IncProviders(ctx, who)
			}
			if didConsume && !doesConsume {
				sys.DecConsumers(ctx, who)
			}
			if !didConsume && doesConsume {
				if err := sys.IncConsumers(ctx, who); err != nil {
					return err
				}
			}
			if didProvide && !doesProvide {
				// This may reap the account, so it goes last.
				return sys.DecProviders(ctx, who)
			}
			return nil
		}
		// Only IncConsumers and DecProviders can fail; only then pay for a
		// storage transaction, so a failure leaves no write or event.
		var err error
		if (!didConsume && doesConsume) || (didProvide && !doesProvide) {
			err = ctx.Transactional(settle)
		} else {
			err = settle()
		}
		if err != nil {
			return err
		}
		endowed = a.Free
		if a.Free.Lt(ed) && a.Reserved.IsZero() {
			dust = a.Free
			a = DefaultAccountData()
		}
		*data = a
		return nil
	}
	if k, ok := sys.(knownAccounts); ok && r.known {
		err = k.TryMutateAccountDataKnown(ctx, who, r.info, r.mark, mutate)
	} else {
		err = sys.TryMutateAccountData(ctx, who, mutate)
	}
	if err != nil {
		return scale.U128{}, err
	}
	if !dust.IsZero() {
		// Dust is burnt (Substrate's DustRemoval = ()).
		p.subIssuance(ctx, dust)
	}
	if isNew {
		p.emit(ctx, EventAccount{Index: EvEndowed, Who: who, Amount: endowed})
	}
	if !dust.IsZero() {
		p.emit(ctx, EventAccount{Index: EvDustLost, Who: who, Amount: dust})
	}
	return dust, nil
}

// writeBalance sets who's free balance (fungible::Unbalanced::write_balance):
// a reduction may not exceed what could be withdrawn by force. a and r are
// who's current data and references.
func (p *Pallet) writeBalance(ctx *frame.Context, who types.AccountID, a AccountData, r refs, newFree scale.U128) error {
	maxReduction := reducible(a, r, p.cfg.ExistentialDeposit, expendable, true)
	_, err := p.mutateAccountWith(ctx, who, r, func(a *AccountData, _ bool) error {
		if maxReduction.Lt(a.Free.SaturatingSub(newFree)) {
			return ErrInsufficientBalance
		}
		a.Free = newFree
		return nil
	})
	return err
}

// decreaseBalance removes exactly amount from who's free balance if that
// much is reducible under pres and force (fungible decrease_balance, Exact).
// a and r are who's current data and references.
func (p *Pallet) decreaseBalance(ctx *frame.Context, who types.AccountID, a AccountData, r refs,
	amount scale.U128, pres preservation, force bool) error {
	if reducible(a, r, p.cfg.ExistentialDeposit, pres, force).Lt(amount) {
		return frame.ErrFundsUnavailable
	}
	newFree, ok := a.Free.Sub(amount)
	if !ok {
		return frame.ErrFundsUnavailable
	}
	return p.writeBalance(ctx, who, a, r, newFree)
}

// increaseBalance adds amount to who's free balance (fungible
// increase_balance). Exact fails with Token(BelowMinimum) or
// Arithmetic(Overflow); bestEffort adds what it can (possibly nothing).
// It returns the amount added. a and r are who's current data and
// references.
func (p *Pallet) increaseBalance(ctx *frame.Context, who types.AccountID, a AccountData, r refs,
	amount scale.U128, bestEffort bool) (scale.U128, error) {
	newFree, ok := a.Free.Add(amount)
	if !ok {
		if !bestEffort {
			return scale.U128{}, frame.ErrOverflow
		}
		newFree = scale.MaxU128
	}
	if newFree.Lt(p.cfg.ExistentialDeposit) {
		if !bestEffort {
			return scale.U128{}, frame.ErrBelowMinimum
		}
		return scale.U128{}, nil
	}
	if newFree == a.Free {
		return scale.U128{}, nil
	}
	if err := p.writeBalance(ctx, who, a, r, newFree); err != nil {
		return scale.U128{}, err
	}
	return newFree.SaturatingSub(a.Free), nil
}

// addIssuance and subIssuance adjust TotalIssuance (saturating, as
// Substrate's imbalance drops do).
func (p *Pallet) addIssuance(ctx *frame.Context, v scale.U128) {
	if !v.IsZero() {
		p.s.totalIssuance.Set(ctx, p.s.totalIssuance.Get(ctx).SaturatingAdd(v))
	}
}

func (p *Pallet) subIssuance(ctx *frame.Context, v scale.U128) {
	if !v.IsZero() {
		p.s.totalIssuance.Set(ctx, p.s.totalIssuance.Get(ctx).SaturatingSub(v))
	}
}
