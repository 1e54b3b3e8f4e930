package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The less common calls: upgrade_accounts (6), force_adjust_total_issuance
// (9) and burn (10).

// Call indices of the calls in this file.
const (
	CallUpgradeAccounts          uint8 = 6
	CallForceAdjustTotalIssuance uint8 = 9
	CallBurn                     uint8 = 10
)

// UpgradeAccountsArgs are upgrade_accounts' arguments: who Vec<AccountId>.
type UpgradeAccountsArgs struct{ Who []types.AccountID }

// EncodeTo writes the arguments.
func (a *UpgradeAccountsArgs) EncodeTo(e *scale.Encoder) {
	e.PutLen(len(a.Who))
	for _, w := range a.Who {
		e.PutRaw(w[:])
	}
}

// DecodeFrom reads the arguments.
func (a *UpgradeAccountsArgs) DecodeFrom(d *scale.Decoder) {
	a.Who = scale.DecodeVec(d, 32, func(d *scale.Decoder) types.AccountID { return d.Fixed32() })
}

// Adjustment directions of force_adjust_total_issuance.
const (
	AdjustIncrease uint8 = 0
	AdjustDecrease uint8 = 1
)

// AdjustIssuanceArgs are force_adjust_total_issuance's arguments:
// direction (0 Increase, 1 Decrease), delta Compact<u128>.
type AdjustIssuanceArgs struct {
	Direction uint8
	Delta     scale.U128
}

// EncodeTo writes the arguments.
func (a *AdjustIssuanceArgs) EncodeTo(e *scale.Encoder) {
	e.PutU8(a.Direction)
	e.PutCompactU128(a.Delta)
}

// DecodeFrom reads the arguments.
func (a *AdjustIssuanceArgs) DecodeFrom(d *scale.Decoder) {
	a.Direction = d.U8()
	if a.Direction > AdjustDecrease {
		d.Fail(ErrBadEncoding)
	}
	a.Delta = d.CompactU128()
}

// BurnArgs are burn's arguments: value Compact<u128>, keep_alive bool.
type BurnArgs struct {
	Value     scale.U128
	KeepAlive bool
}

// EncodeTo writes the arguments.
func (a *BurnArgs) EncodeTo(e *scale.Encoder) {
	e.PutCompactU128(a.Value)
	e.PutBool(a.KeepAlive)
}

// DecodeFrom reads the arguments.
func (a *BurnArgs) DecodeFrom(d *scale.Decoder) {
	a.Value = d.CompactU128()
	a.KeepAlive = d.Bool()
}

func (p *Pallet) adminCalls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCallPost(CallUpgradeAccounts, "upgrade_accounts", decoder[UpgradeAccountsArgs](),
			func(a UpgradeAccountsArgs) frame.DispatchInfo {
				return frame.DispatchInfo{Weight: WeightUpgradeAccounts(uint64(len(a.Who)))}
			}, p.upgradeAccounts),
		frame.NewCall(CallForceAdjustTotalIssuance, "force_adjust_total_issuance", decoder[AdjustIssuanceArgs](),
			fixed[AdjustIssuanceArgs](WeightForceAdjustTotalIssuance), p.forceAdjustTotalIssuance),
		frame.NewCall(CallBurn, "burn", decoder[BurnArgs](),
			func(a BurnArgs) frame.DispatchInfo {
				if a.KeepAlive {
					return frame.DispatchInfo{Weight: WeightBurnKeepAlive}
				}
				return frame.DispatchInfo{Weight: WeightBurnAllowDeath}
			}, p.burn),
	}
}

// upgrade_accounts: set the new-logic flag on accounts that lack it
// (emitting Upgraded). Free of charge when at least 90% of the accounts
// needed it, as in Substrate. MSC creates every account with the flag, so
// this only matters for state imported from elsewhere.
func (p *Pallet) upgradeAccounts(ctx *frame.Context, o frame.Origin, a UpgradeAccountsArgs) (frame.PostDispatchInfo, error) {
	if _, err := o.EnsureSigned(); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	if len(a.Who) == 0 {
		return frame.PostDispatchInfo{}, nil
	}
	upgraded := 0
	for _, who := range a.Who {
		info := p.cfg.Accounts.Account(ctx, who)
		if !info.Data.Flags.IsZero() || (info.Providers == 0 && info.Sufficients == 0) {
			continue
		}
		if err := p.cfg.Accounts.TryMutateAccountData(ctx, who, func(d *AccountData, _ bool) error {
			d.Flags = newLogicFlag
			return nil
		}); err != nil {
			return frame.PostDispatchInfo{}, err
		}
		p.emit(ctx, EventUpgraded{Who: who})
		upgraded++
	}
	if upgraded*10 >= len(a.Who)*9 {
		return frame.PostDispatchInfo{PaysFee: frame.PaysNo}, nil
	}
	return frame.PostDispatchInfo{}, nil
}

// force_adjust_total_issuance: root corrects TotalIssuance by delta
// (DeltaZero for 0; IssuanceDeactivated if the result would be below
// InactiveIssuance). Emits TotalIssuanceForced.
func (p *Pallet) forceAdjustTotalIssuance(ctx *frame.Context, o frame.Origin, a AdjustIssuanceArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	if a.Delta.IsZero() {
		return ErrDeltaZero
	}
	old := p.s.totalIssuance.Get(ctx)
	next := old.SaturatingAdd(a.Delta)
	if a.Direction == AdjustDecrease {
		next = old.SaturatingSub(a.Delta)
	}
	if next.Lt(p.s.inactiveIssuance.Get(ctx)) {
		return ErrIssuanceDeactivated
	}
	p.s.totalIssuance.Set(ctx, next)
	p.emit(ctx, EventTotalIssuanceForced{Old: old, New: next})
	return nil
}

// burn: destroy value of the caller's free balance (keeping the ED if
// keep_alive). Emits Burned.
func (p *Pallet) burn(ctx *frame.Context, o frame.Origin, a BurnArgs) error {
	who, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	return p.Burn(ctx, who, a.Value, a.KeepAlive)
}
