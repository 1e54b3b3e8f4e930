package staking

import (
	"slices"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Call indices, as in pallet_staking (the indices in between are
// Substrate's calls MSC does not have; they are never reused).
const (
	CallBond                uint8 = 0
	CallBondExtra           uint8 = 1
	CallUnbond              uint8 = 2
	CallWithdrawUnbonded    uint8 = 3
	CallValidate            uint8 = 4
	CallNominate            uint8 = 5
	CallChill               uint8 = 6
	CallSetPayee            uint8 = 7
	CallSetValidatorCount   uint8 = 9
	CallForceNewEra         uint8 = 13
	CallCancelDeferredSlash uint8 = 17
	CallPayoutStakers       uint8 = 18
	CallRebond              uint8 = 19
)

func decoder[A any, P interface {
	*A
	scale.Decodable
}]() func(d *scale.Decoder) A {
	return func(d *scale.Decoder) A {
		var a A
		P(&a).DecodeFrom(d)
		return a
	}
}

func fixed[A any](w types.Weight, class frame.DispatchClass) func(A) frame.DispatchInfo {
	return func(A) frame.DispatchInfo {
		return frame.DispatchInfo{Weight: w, Class: class, PaysFee: frame.PaysYes}
	}
}

// Calls implements frame.Pallet.
func (p *Pallet) Calls() []frame.CallDef {
	n, op := frame.Normal, frame.Operational
	return []frame.CallDef{
		frame.NewCall(CallBond, "bond", decoder[BondArgs](), fixed[BondArgs](WeightBond, n), p.bond),
		frame.NewCall(CallBondExtra, "bond_extra", decoder[ValueArgs](), fixed[ValueArgs](WeightBondExtra, n), p.bondExtra),
		frame.NewCall(CallUnbond, "unbond", decoder[ValueArgs](), fixed[ValueArgs](WeightUnbond, n), p.unbond),
		frame.NewCall(CallWithdrawUnbonded, "withdraw_unbonded", decoder[WithdrawUnbondedArgs](),
			fixed[WithdrawUnbondedArgs](WeightWithdrawUnbonded, n), p.withdrawUnbonded),
		frame.NewCall(CallValidate, "validate", decoder[ValidateArgs](), fixed[ValidateArgs](WeightValidate, n), p.validate),
		frame.NewCall(CallNominate, "nominate", decoder[NominateArgs](),
			func(a NominateArgs) frame.DispatchInfo {
				return frame.DispatchInfo{Weight: WeightNominate(len(a.Targets)), Class: n}
			}, p.nominate),
		frame.NewCall(CallChill, "chill", decoder[NoArgs](), fixed[NoArgs](WeightChill, n), p.chillCall),
		frame.NewCall(CallSetPayee, "set_payee", decoder[SetPayeeArgs](), fixed[SetPayeeArgs](WeightSetPayee, n), p.setPayee),
		frame.NewCall(CallSetValidatorCount, "set_validator_count", decoder[SetValidatorCountArgs](),
			fixed[SetValidatorCountArgs](WeightSetValidatorCount, op), p.setValidatorCount),
		frame.NewCall(CallForceNewEra, "force_new_era", decoder[NoArgs](), fixed[NoArgs](WeightForceNewEra, op), p.forceNewEra),
		frame.NewCall(CallCancelDeferredSlash, "cancel_deferred_slash", decoder[CancelDeferredSlashArgs](),
			func(a CancelDeferredSlashArgs) frame.DispatchInfo {
				return frame.DispatchInfo{Weight: WeightCancelDeferredSlash(len(a.SlashIndices)), Class: op}
			}, p.cancelDeferredSlash),
		frame.NewCall(CallPayoutStakers, "payout_stakers", decoder[PayoutStakersArgs](),
			fixed[PayoutStakersArgs](WeightPayoutStakers, n), p.payoutStakers),
		frame.NewCall(CallRebond, "rebond", decoder[ValueArgs](), fixed[ValueArgs](WeightRebond, n), p.rebond),
	}
}

// bond: the signer bonds value of its free balance (controller == stash).
func (p *Pallet) bond(ctx *frame.Context, o frame.Origin, a BondArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	return p.bondStash(ctx, stash, a.Value, a.Payee)
}

// bond_extra: add up to max_additional of the stash's unbonded free
// balance to its active bond.
func (p *Pallet) bondExtra(ctx *frame.Context, o frame.Origin, a ValueArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, ok := p.s.ledger.TryGet(ctx, stash)
	if !ok {
		return ErrNotStash
	}
	extra := minU128(a.Value, p.cfg.Currency.Free(ctx, stash).SaturatingSub(l.Total))
	l.Total = l.Total.SaturatingAdd(extra)
	l.Active = l.Active.SaturatingAdd(extra)
	if l.Active.Lt(p.cfg.Currency.ExistentialDeposit()) {
		return ErrInsufficientBond
	}
	p.putLedger(ctx, l)
	p.emit(ctx, EventStash{Index: EvBonded, Stash: stash, Amount: extra})
	return nil
}

// unbond: schedule value of the active bond to unlock at current_era +
// bonding_duration. The active bond must stay at the role's minimum or
// reach zero (which chills); a remainder below the ED is unbonded too.
func (p *Pallet) unbond(ctx *frame.Context, o frame.Origin, a ValueArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, err := p.ledgerOf(ctx, stash)
	if err != nil {
		return err
	}
	value := minU128(a.Value, l.Active)
	era := p.s.currentEra.Get(ctx) + p.s.bondingDuration.Get(ctx)
	merged := len(l.Unlocking) > 0 && l.Unlocking[len(l.Unlocking)-1].Era == era
	if !merged && len(l.Unlocking) >= MaxUnlockingChunks && !value.IsZero() {
		return ErrNoMoreChunks
	}
	l.Active = l.Active.SaturatingSub(value)
	if l.Active.Lt(p.cfg.Currency.ExistentialDeposit()) {
		value = value.SaturatingAdd(l.Active)
		l.Active = scale.U128{}
	}
	if !l.Active.IsZero() && l.Active.Lt(p.minActiveBond(ctx, stash)) {
		return ErrInsufficientBond
	}
	if value.IsZero() {
		return nil
	}
	if l.Active.IsZero() {
		p.chill(ctx, stash)
	}
	if merged {
		l.Unlocking = slices.Clone(l.Unlocking)
		c := &l.Unlocking[len(l.Unlocking)-1]
		c.Value = c.Value.SaturatingAdd(value)
	} else {
		l.Unlocking = append(slices.Clone(l.Unlocking), UnlockChunk{Value: value, Era: era})
	}
	p.putLedger(ctx, l)
	p.emit(ctx, EventStash{Index: EvUnbonded, Stash: stash, Amount: value})
	return nil
}

// withdraw_unbonded: release the chunks whose era has come; a ledger left
// with nothing (active below the ED, no chunks) is removed with its lock.
func (p *Pallet) withdrawUnbonded(ctx *frame.Context, o frame.Origin, _ WithdrawUnbondedArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, err := p.ledgerOf(ctx, stash)
	if err != nil {
		return err
	}
	cur := p.s.currentEra.Get(ctx)
	before := l.Total
	var kept []UnlockChunk
	var freed scale.U128
	for _, c := range l.Unlocking {
		if c.Era <= cur {
			freed = freed.SaturatingAdd(c.Value)
		} else {
			kept = append(kept, c)
		}
	}
	l.Unlocking = kept
	l.Total = l.Total.SaturatingSub(freed)
	if len(l.Unlocking) == 0 && l.Active.Lt(p.cfg.Currency.ExistentialDeposit()) {
		p.killStash(ctx, stash)
		freed = before
	} else {
		p.putLedger(ctx, l)
	}
	if !freed.IsZero() {
		p.emit(ctx, EventStash{Index: EvWithdrawn, Stash: stash, Amount: freed})
	}
	return nil
}

// validate: declare the intention to validate with prefs (replacing a
// nomination).
func (p *Pallet) validate(ctx *frame.Context, o frame.Origin, a ValidateArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, err := p.ledgerOf(ctx, stash)
	if err != nil {
		return err
	}
	if l.Active.Lt(p.minValidatorBond(ctx)) {
		return ErrInsufficientBond
	}
	p.s.nominators.Remove(ctx, stash)
	p.s.validators.Set(ctx, stash, a.Prefs)
	p.emit(ctx, EventValidatorPrefsSet{Stash: stash, Prefs: a.Prefs})
	return nil
}

// nominate: declare the intention to nominate up to MaxNominations
// validators (replacing a validator role). A blocked validator may only be
// kept by those already nominating it.
func (p *Pallet) nominate(ctx *frame.Context, o frame.Origin, a NominateArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, err := p.ledgerOf(ctx, stash)
	if err != nil {
		return err
	}
	if l.Active.Lt(p.minNominatorBond(ctx)) {
		return ErrInsufficientBond
	}
	if len(a.Targets) == 0 {
		return ErrEmptyTargets
	}
	if len(a.Targets) > MaxNominations {
		return ErrTooManyTargets
	}
	old, _ := p.s.nominators.TryGet(ctx, stash)
	targets := make([]types.AccountID, 0, len(a.Targets))
	for _, t := range a.Targets {
		who, ok := t.AccountID()
		if !ok || t.Kind != types.AddressID {
			return frame.ErrCannotLookup
		}
		prefs, isValidator := p.s.validators.TryGet(ctx, who)
		if !isValidator || (prefs.Blocked && !slices.Contains(old.Targets, who)) {
			return ErrBadTarget
		}
		targets = append(targets, who)
	}
	sortAccounts(targets)
	targets = slices.Compact(targets)
	p.s.validators.Remove(ctx, stash)
	p.s.nominators.Set(ctx, stash, Nominations{Targets: targets, SubmittedIn: p.s.currentEra.Get(ctx)})
	return nil
}

// chill: stop validating or nominating (effective from the next election).
func (p *Pallet) chillCall(ctx *frame.Context, o frame.Origin, _ NoArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	if _, err := p.ledgerOf(ctx, stash); err != nil {
		return err
	}
	p.chill(ctx, stash)
	return nil
}

// set_payee: change where rewards go.
func (p *Pallet) setPayee(ctx *frame.Context, o frame.Origin, a SetPayeeArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	if _, err := p.ledgerOf(ctx, stash); err != nil {
		return err
	}
	if a.Payee.Kind == PayeeController {
		return ErrControllerDeprecated
	}
	p.s.payee.Set(ctx, stash, a.Payee)
	return nil
}

// set_validator_count: root sets the number of validators to elect.
func (p *Pallet) setValidatorCount(ctx *frame.Context, o frame.Origin, a SetValidatorCountArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	if a.New > MaxValidatorsCount {
		return ErrTooManyValidators
	}
	p.s.validatorCount.Set(ctx, a.New)
	return nil
}

// force_new_era: root makes the next session plan a new era.
func (p *Pallet) forceNewEra(ctx *frame.Context, o frame.Origin, _ NoArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	p.s.forceEra.Set(ctx, ForceNew)
	p.emit(ctx, EventForceEra{Mode: ForceNew})
	return nil
}

// rebond: move up to value from the newest unlocking chunks back to the
// active bond.
func (p *Pallet) rebond(ctx *frame.Context, o frame.Origin, a ValueArgs) error {
	stash, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	l, err := p.ledgerOf(ctx, stash)
	if err != nil {
		return err
	}
	if len(l.Unlocking) == 0 {
		return ErrNoUnlockChunk
	}
	chunks := slices.Clone(l.Unlocking)
	left := a.Value
	var moved scale.U128
	for len(chunks) > 0 && !left.IsZero() {
		last := &chunks[len(chunks)-1]
		take := minU128(last.Value, left)
		last.Value = last.Value.SaturatingSub(take)
		left = left.SaturatingSub(take)
		moved = moved.SaturatingAdd(take)
		if last.Value.IsZero() {
			chunks = chunks[:len(chunks)-1]
		}
	}
	l.Unlocking = chunks
	l.Active = l.Active.SaturatingAdd(moved)
	if l.Active.Lt(p.cfg.Currency.ExistentialDeposit()) {
		return ErrInsufficientBond
	}
	p.putLedger(ctx, l)
	p.emit(ctx, EventStash{Index: EvBonded, Stash: stash, Amount: moved})
	return nil
}
