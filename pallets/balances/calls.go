package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Call indices, as in pallet_balances (1 set_balance_deprecated and 7
// transfer are Substrate's removed calls; 6, 9 and 10 are in
// calls_admin.go).
const (
	CallTransferAllowDeath uint8 = 0
	CallForceTransfer      uint8 = 2
	CallTransferKeepAlive  uint8 = 3
	CallTransferAll        uint8 = 4
	CallForceUnreserve     uint8 = 5
	CallForceSetBalance    uint8 = 8
)

// TransferArgs are the arguments of transfer_allow_death and
// transfer_keep_alive: dest MultiAddress, value Compact<u128>.
type TransferArgs struct {
	Dest  types.MultiAddress
	Value scale.U128
}

// EncodeTo writes the arguments.
func (a *TransferArgs) EncodeTo(e *scale.Encoder) {
	a.Dest.EncodeTo(e)
	e.PutCompactU128(a.Value)
}

// DecodeFrom reads the arguments.
func (a *TransferArgs) DecodeFrom(d *scale.Decoder) {
	a.Dest.DecodeFrom(d)
	a.Value = d.CompactU128()
}

// ForceTransferArgs are force_transfer's: source, dest, value Compact<u128>.
type ForceTransferArgs struct {
	Source, Dest types.MultiAddress
	Value        scale.U128
}

// EncodeTo writes the arguments.
func (a *ForceTransferArgs) EncodeTo(e *scale.Encoder) {
	a.Source.EncodeTo(e)
	a.Dest.EncodeTo(e)
	e.PutCompactU128(a.Value)
}

// DecodeFrom reads the arguments.
func (a *ForceTransferArgs) DecodeFrom(d *scale.Decoder) {
	a.Source.DecodeFrom(d)
	a.Dest.DecodeFrom(d)
	a.Value = d.CompactU128()
}

// TransferAllArgs are transfer_all's: dest, keep_alive bool.
type TransferAllArgs struct {
	Dest      types.MultiAddress
	KeepAlive bool
}

// EncodeTo writes the arguments.
func (a *TransferAllArgs) EncodeTo(e *scale.Encoder) {
	a.Dest.EncodeTo(e)
	e.PutBool(a.KeepAlive)
}

// DecodeFrom reads the arguments.
func (a *TransferAllArgs) DecodeFrom(d *scale.Decoder) {
	a.Dest.DecodeFrom(d)
	a.KeepAlive = d.Bool()
}

// ForceUnreserveArgs are force_unreserve's: who, amount u128 (not compact).
type ForceUnreserveArgs struct {
	Who    types.MultiAddress
	Amount scale.U128
}

// EncodeTo writes the arguments.
func (a *ForceUnreserveArgs) EncodeTo(e *scale.Encoder) {
	a.Who.EncodeTo(e)
	e.PutU128(a.Amount)
}

// DecodeFrom reads the arguments.
func (a *ForceUnreserveArgs) DecodeFrom(d *scale.Decoder) {
	a.Who.DecodeFrom(d)
	a.Amount = d.U128()
}

// ForceSetBalanceArgs are force_set_balance's: who, new_free Compact<u128>.
type ForceSetBalanceArgs struct {
	Who     types.MultiAddress
	NewFree scale.U128
}

// EncodeTo writes the arguments.
func (a *ForceSetBalanceArgs) EncodeTo(e *scale.Encoder) {
	a.Who.EncodeTo(e)
	e.PutCompactU128(a.NewFree)
}

// DecodeFrom reads the arguments.
func (a *ForceSetBalanceArgs) DecodeFrom(d *scale.Decoder) {
	a.Who.DecodeFrom(d)
	a.NewFree = d.CompactU128()
}

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

func fixed[A any](w types.Weight) func(A) frame.DispatchInfo {
	return func(A) frame.DispatchInfo {
		return frame.DispatchInfo{Weight: w, Class: frame.Normal, PaysFee: frame.PaysYes}
	}
}

// Calls implements frame.Pallet.
func (p *Pallet) Calls() []frame.CallDef {
	return append([]frame.CallDef{
		frame.NewCall(CallTransferAllowDeath, "transfer_allow_death", decoder[TransferArgs](),
			fixed[TransferArgs](WeightTransferAllowDeath), p.transferAllowDeath),
		frame.NewCall(CallForceTransfer, "force_transfer", decoder[ForceTransferArgs](),
			fixed[ForceTransferArgs](WeightForceTransfer), p.forceTransfer),
		frame.NewCall(CallTransferKeepAlive, "transfer_keep_alive", decoder[TransferArgs](),
			fixed[TransferArgs](WeightTransferKeepAlive), p.transferKeepAlive),
		frame.NewCall(CallTransferAll, "transfer_all", decoder[TransferAllArgs](),
			fixed[TransferAllArgs](WeightTransferAll), p.transferAll),
		frame.NewCall(CallForceUnreserve, "force_unreserve", decoder[ForceUnreserveArgs](),
			fixed[ForceUnreserveArgs](WeightForceUnreserve), p.forceUnreserve),
		frame.NewCall(CallForceSetBalance, "force_set_balance", decoder[ForceSetBalanceArgs](),
			fixed[ForceSetBalanceArgs](WeightForceSetBalance), p.forceSetBalance),
	}, p.adminCalls()...)
}

// lookup resolves a MultiAddress as Substrate's AccountIdLookup: only
// MultiAddress::Id (MSC has no indices pallet).
func lookup(a types.MultiAddress) (types.AccountID, error) {
	if a.Kind != types.AddressID {
		return types.AccountID{}, frame.ErrCannotLookup
	}
	return a.ID, nil
}

// transfer_allow_death: move value, reaping the source if it falls below
// the existential deposit.
func (p *Pallet) transferAllowDeath(ctx *frame.Context, o frame.Origin, a TransferArgs) error {
	from, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	to, err := lookup(a.Dest)
	if err != nil {
		return err
	}
	return p.Transfer(ctx, from, to, a.Value, false)
}

// force_transfer: root moves value from any account.
func (p *Pallet) forceTransfer(ctx *frame.Context, o frame.Origin, a ForceTransferArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	from, err := lookup(a.Source)
	if err != nil {
		return err
	}
	to, err := lookup(a.Dest)
	if err != nil {
		return err
	}
	return p.Transfer(ctx, from, to, a.Value, false)
}

// transfer_keep_alive: like transfer_allow_death but the source must stay
// alive (Token(NotExpendable) otherwise).
func (p *Pallet) transferKeepAlive(ctx *frame.Context, o frame.Origin, a TransferArgs) error {
	from, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	to, err := lookup(a.Dest)
	if err != nil {
		return err
	}
	return p.Transfer(ctx, from, to, a.Value, true)
}

// transfer_all: move everything reducible (keeping the ED if keep_alive).
func (p *Pallet) transferAll(ctx *frame.Context, o frame.Origin, a TransferAllArgs) error {
	from, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	amount := p.Reducible(ctx, from, a.KeepAlive, false)
	to, err := lookup(a.Dest)
	if err != nil {
		return err
	}
	return p.Transfer(ctx, from, to, amount, a.KeepAlive)
}

// force_unreserve: root unreserves up to amount of who's reserved balance.
func (p *Pallet) forceUnreserve(ctx *frame.Context, o frame.Origin, a ForceUnreserveArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	who, err := lookup(a.Who)
	if err != nil {
		return err
	}
	p.Unreserve(ctx, who, a.Amount)
	return nil
}

// force_set_balance: root sets who's free balance (below the ED: zero,
// reaping the account), adjusting total issuance. Emits BalanceSet.
func (p *Pallet) forceSetBalance(ctx *frame.Context, o frame.Origin, a ForceSetBalanceArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	who, err := lookup(a.Who)
	if err != nil {
		return err
	}
	newFree := a.NewFree
	if newFree.Lt(p.cfg.ExistentialDeposit) {
		newFree = scale.U128{}
	}
	var oldFree scale.U128
	if _, err := p.mutateAccount(ctx, who, func(acc *AccountData, _ bool) error {
		oldFree, acc.Free = acc.Free, newFree
		return nil
	}); err != nil {
		return err
	}
	switch newFree.Cmp(oldFree) {
	case 1:
		p.addIssuance(ctx, newFree.SaturatingSub(oldFree))
	case -1:
		p.subIssuance(ctx, oldFree.SaturatingSub(newFree))
	}
	p.emit(ctx, EventAccount{Index: EvBalanceSet, Who: who, Amount: newFree})
	return nil
}
