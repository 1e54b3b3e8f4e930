package staking

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The calls' arguments, in pallet_staking's encodings.

// BondArgs: value Compact<u128> ++ payee RewardDestination.
type BondArgs struct {
	Value scale.U128
	Payee RewardDestination
}

// EncodeTo writes the arguments.
func (a *BondArgs) EncodeTo(e *scale.Encoder) { e.PutCompactU128(a.Value); a.Payee.EncodeTo(e) }

// DecodeFrom reads the arguments.
func (a *BondArgs) DecodeFrom(d *scale.Decoder) { a.Value = d.CompactU128(); a.Payee.DecodeFrom(d) }

// ValueArgs: one Compact<u128> (bond_extra's max_additional, unbond's and
// rebond's value).
type ValueArgs struct{ Value scale.U128 }

// EncodeTo writes the argument.
func (a *ValueArgs) EncodeTo(e *scale.Encoder) { e.PutCompactU128(a.Value) }

// DecodeFrom reads the argument.
func (a *ValueArgs) DecodeFrom(d *scale.Decoder) { a.Value = d.CompactU128() }

// WithdrawUnbondedArgs: num_slashing_spans u32 (unused by MSC, which keeps
// no slashing spans).
type WithdrawUnbondedArgs struct{ NumSlashingSpans uint32 }

// EncodeTo writes the argument.
func (a *WithdrawUnbondedArgs) EncodeTo(e *scale.Encoder) { e.PutU32(a.NumSlashingSpans) }

// DecodeFrom reads the argument.
func (a *WithdrawUnbondedArgs) DecodeFrom(d *scale.Decoder) { a.NumSlashingSpans = d.U32() }

// ValidateArgs: prefs ValidatorPrefs.
type ValidateArgs struct{ Prefs ValidatorPrefs }

// EncodeTo writes the argument.
func (a *ValidateArgs) EncodeTo(e *scale.Encoder) { a.Prefs.EncodeTo(e) }

// DecodeFrom reads the argument.
func (a *ValidateArgs) DecodeFrom(d *scale.Decoder) { a.Prefs.DecodeFrom(d) }

// NominateArgs: targets Vec<MultiAddress>.
type NominateArgs struct{ Targets []types.MultiAddress }

// EncodeTo writes the argument.
func (a *NominateArgs) EncodeTo(e *scale.Encoder) {
	e.PutLen(len(a.Targets))
	for i := range a.Targets {
		a.Targets[i].EncodeTo(e)
	}
}

// DecodeFrom reads the argument; more than MaxNominations targets fail
// decoding (Substrate's call accepts any Vec and then refuses it with
// TooManyTargets, which the call does for up to 256).
func (a *NominateArgs) DecodeFrom(d *scale.Decoder) {
	n := d.Len(2)
	if n > 256 {
		d.Fail(ErrBadEncoding)
		return
	}
	a.Targets = make([]types.MultiAddress, n)
	for i := range a.Targets {
		a.Targets[i].DecodeFrom(d)
	}
}

// NoArgs are the arguments of chill and force_new_era.
type NoArgs struct{}

// EncodeTo writes nothing.
func (NoArgs) EncodeTo(*scale.Encoder) {}

// DecodeFrom reads nothing.
func (*NoArgs) DecodeFrom(*scale.Decoder) {}

// SetPayeeArgs: payee RewardDestination.
type SetPayeeArgs struct{ Payee RewardDestination }

// EncodeTo writes the argument.
func (a *SetPayeeArgs) EncodeTo(e *scale.Encoder) { a.Payee.EncodeTo(e) }

// DecodeFrom reads the argument.
func (a *SetPayeeArgs) DecodeFrom(d *scale.Decoder) { a.Payee.DecodeFrom(d) }

// SetValidatorCountArgs: new Compact<u32>.
type SetValidatorCountArgs struct{ New uint32 }

// EncodeTo writes the argument.
func (a *SetValidatorCountArgs) EncodeTo(e *scale.Encoder) { e.PutCompact(uint64(a.New)) }

// DecodeFrom reads the argument.
func (a *SetValidatorCountArgs) DecodeFrom(d *scale.Decoder) { a.New = d.CompactU32() }

// CancelDeferredSlashArgs: era u32 ++ slash_indices Vec<u32>.
type CancelDeferredSlashArgs struct {
	Era          uint32
	SlashIndices []uint32
}

// EncodeTo writes the arguments.
func (a *CancelDeferredSlashArgs) EncodeTo(e *scale.Encoder) {
	e.PutU32(a.Era)
	e.PutLen(len(a.SlashIndices))
	for _, i := range a.SlashIndices {
		e.PutU32(i)
	}
}

// DecodeFrom reads the arguments.
func (a *CancelDeferredSlashArgs) DecodeFrom(d *scale.Decoder) {
	a.Era = d.U32()
	n := d.Len(4)
	a.SlashIndices = make([]uint32, n)
	for i := range a.SlashIndices {
		a.SlashIndices[i] = d.U32()
	}
}

// PayoutStakersArgs: validator_stash AccountId ++ era u32.
type PayoutStakersArgs struct {
	ValidatorStash types.AccountID
	Era            uint32
}

// EncodeTo writes the arguments.
func (a *PayoutStakersArgs) EncodeTo(e *scale.Encoder) {
	e.PutRaw(a.ValidatorStash[:])
	e.PutU32(a.Era)
}

// DecodeFrom reads the arguments.
func (a *PayoutStakersArgs) DecodeFrom(d *scale.Decoder) {
	a.ValidatorStash = d.Fixed32()
	a.Era = d.U32()
}
