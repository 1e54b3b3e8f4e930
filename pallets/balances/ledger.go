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
	return p.mutateAccountWithSet(ctx, who, r, f, false, scale.U128{}, scale.U128{})
}

// mutateAccountWithSet is mutateAccountWith; with setFree (and f nil) the
// change is writeBalance's: free becomes newFree unless that reduces it by
// more than maxReduction (ErrInsufficientBalance).
func (p *Pallet) mutateAccountWithSet(ctx *frame.Context, who types.AccountID, r refs,
	f func(a *AccountData, isNew bool) error, setFree bool, maxReduction, newFree scale.U128) (dust scale.U128, err error) {
	// The state of the mutation lives in one struct, so that handing its
	// method to System (an interface call) costs one allocation instead of
	// one per captured variable.
	m := &accountMutation{ctx: ctx, who: who, providers: r.providers, ed: p.cfg.ExistentialDeposit, sys: p.cfg.Accounts, f: f,
		setFree: setFree, maxReduction: maxReduction, newFree: newFree}
	if k, ok := m.sys.(knownAccounts); ok && r.known {
		err = k.TryMutateAccountDataKnown(ctx, who, r.info, r.mark, m.mutate)
	} else {
		err = m.sys.TryMutateAccountData(ctx, who, m.mutate)
	}
	if err != nil {
		return scale.U128{}, err
	}
	dust = m.dust
	if !dust.IsZero() {
		// Dust is burnt (Substrate's DustRemoval = ()).
		p.subIssuance(ctx, dust)
	}
	if m.isNew {
		p.emit(ctx, EventAccount{Index: EvEndowed, Who: who, Amount: m.endowed})
	}
	if !dust.IsZero() {
		p.emit(ctx, EventAccount{Index: EvDustLost, Who: who, Amount: dust})
	}
	return dust, nil
}

// accountMutation is the state of one mutateAccountWith.
type accountMutation struct {
	ctx       *frame.Context
	who       types.AccountID
	providers uint32
	ed        scale.U128
	sys       Accounts
	f         func(a *AccountData, isNew bool) error

	setFree               bool
	maxReduction, newFree scale.U128

	a             AccountData
	isNew         bool
	endowed, dust scale.U128
	didProvide    bool
	didConsume    bool
	doesProvide   bool
	doesConsume   bool
}

func (m *accountMutation) mutate(data *AccountData, exists bool) error {
	m.a = *data
	if m.a.Flags.IsZero() {
		m.a.Flags = newLogicFlag
	}
	m.isNew = !exists || isDefault(m.a)
	m.didProvide = providing(m.a, m.ed) && m.providers > 0
	m.didConsume = !m.isNew && consuming(m.a)
	if m.setFree {
		if m.maxReduction.Lt(m.a.Free.SaturatingSub(m.newFree)) {
			return ErrInsufficientBalance
		}
		m.a.Free = m.newFree
	} else if err := m.f(&m.a, m.isNew); err != nil {
		return err
	}
	m.doesProvide, m.doesConsume = providing(m.a, m.ed), consuming(m.a)
	// Only IncConsumers and DecProviders can fail; only then pay for a
	// storage transaction, so a failure leaves no write or event.
	var err error
	if (!m.didConsume && m.doesConsume) || (m.didProvide && !m.doesProvide) {
		err = m.ctx.Transactional(m.settle)
	} else {
		err = m.settle()
	}
	if err != nil {
		return err
	}
	m.endowed = m.a.Free
	if m.a.Free.Lt(m.ed) && m.a.Reserved.IsZero() {
		m.dust = m.a.Free
		m.a = DefaultAccountData()
	}
	*data = m.a
	return nil
}

func (m *accountMutation) settle() error {
	if !m.didProvide && m.doesProvide {
		m.sys.IncProviders(m.ctx, m.who)
	}
	if m.didConsume && !m.doesConsume {
		m.sys.DecConsumers(m.ctx, m.who)
	}
	if !m.didConsume && m.doesConsume {
		if err := m.sys.IncConsumers(m.ctx, m.who); err != nil {
			return err
		}
	}
	if m.didProvide && !m.doesProvide {
		// This may reap the account, so it goes last.
		return m.sys.DecProviders(m.ctx, m.who)
	}
	return nil
}

// writeBalance sets who's free balance (fungible::Unbalanced::write_balance):
// a reduction may not exceed what could be withdrawn by force. a and r are
// who's current data and references.
func (p *Pallet) writeBalance(ctx *frame.Context, who types.AccountID, a AccountData, r refs, newFree scale.U128) error {
	maxReduction := reducible(a, r, p.cfg.ExistentialDeposit, expendable, true)
	// mutateAccountWith with f nil sets the free balance itself (no
	// closure to allocate on this hot path).
	_, err := p.mutateAccountWithSet(ctx, who, r, nil, true, maxReduction, newFree)
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
