package staking

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Event variant indices, in pallet_staking's order.
const (
	EvEraPaid               uint8 = 0  // {era_index, validator_payout, remainder}
	EvRewarded              uint8 = 1  // {stash, dest, amount}
	EvSlashed               uint8 = 2  // {staker, amount}
	EvSlashReported         uint8 = 3  // {validator, fraction, slash_era}
	EvStakersElected        uint8 = 5  // {}
	EvBonded                uint8 = 6  // {stash, amount}
	EvUnbonded              uint8 = 7  // {stash, amount}
	EvWithdrawn             uint8 = 8  // {stash, amount}
	EvStakingElectionFailed uint8 = 10 // {}
	EvChilled               uint8 = 11 // {stash}
	EvPayoutStarted         uint8 = 12 // {era_index, validator_stash, page, next}
	EvValidatorPrefsSet     uint8 = 13 // {stash, prefs}
	EvForceEra              uint8 = 16 // {mode}
)

// EventEraPaid: the era payout has been set; the first balance is the
// validator payout, the second the remainder left in the pool beyond what
// is committed to unclaimed rewards.
type EventEraPaid struct {
	Era                        uint32
	ValidatorPayout, Remainder scale.U128
}

// EncodeTo writes variant 0 ++ era ++ payout ++ remainder.
func (e EventEraPaid) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvEraPaid)
	enc.PutU32(e.Era)
	enc.PutU128(e.ValidatorPayout)
	enc.PutU128(e.Remainder)
}

// EventRewarded: the nominator or validator has been rewarded by this
// amount to this destination.
type EventRewarded struct {
	Stash  types.AccountID
	Dest   RewardDestination
	Amount scale.U128
}

// EncodeTo writes variant 1 ++ stash ++ dest ++ amount.
func (e EventRewarded) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvRewarded)
	enc.PutRaw(e.Stash[:])
	e.Dest.EncodeTo(enc)
	enc.PutU128(e.Amount)
}

// EventStash is every event whose fields are {stash/staker, amount}:
// Slashed, Bonded, Unbonded, Withdrawn. Index says which.
type EventStash struct {
	Index  uint8
	Stash  types.AccountID
	Amount scale.U128
}

// EncodeTo writes variant ++ stash ++ amount.
func (e EventStash) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(e.Index)
	enc.PutRaw(e.Stash[:])
	enc.PutU128(e.Amount)
}

// EventSlashReported: a slash for the given validator, for the given
// percentage of their stake, at the given era, has been reported.
type EventSlashReported struct {
	Validator types.AccountID
	Fraction  Perbill
	SlashEra  uint32
}

// EncodeTo writes variant 3 ++ validator ++ fraction (u32) ++ era.
func (e EventSlashReported) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvSlashReported)
	enc.PutRaw(e.Validator[:])
	enc.PutU32(uint32(e.Fraction))
	enc.PutU32(e.SlashEra)
}

// EventUnit is an event without fields: StakersElected,
// StakingElectionFailed.
type EventUnit uint8

// EncodeTo writes the variant.
func (e EventUnit) EncodeTo(enc *scale.Encoder) { enc.PutU8(uint8(e)) }

// EventChilled: an account has stopped participating as either a
// validator or nominator.
type EventChilled struct{ Stash types.AccountID }

// EncodeTo writes variant 11 ++ stash.
func (e EventChilled) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvChilled)
	enc.PutRaw(e.Stash[:])
}

// EventPayoutStarted: a payout has been started (page 0, no next page).
type EventPayoutStarted struct {
	Era       uint32
	Validator types.AccountID
}

// EncodeTo writes variant 12 ++ era ++ stash ++ page u32 (0) ++
// Option<u32> next (None).
func (e EventPayoutStarted) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvPayoutStarted)
	enc.PutU32(e.Era)
	enc.PutRaw(e.Validator[:])
	enc.PutU32(0)
	enc.PutOption(false)
}

// EventValidatorPrefsSet: a validator has set their preferences.
type EventValidatorPrefsSet struct {
	Stash types.AccountID
	Prefs ValidatorPrefs
}

// EncodeTo writes variant 13 ++ stash ++ prefs.
func (e EventValidatorPrefsSet) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvValidatorPrefsSet)
	enc.PutRaw(e.Stash[:])
	e.Prefs.EncodeTo(enc)
}

// EventForceEra: a new force era mode was set.
type EventForceEra struct{ Mode Forcing }

// EncodeTo writes variant 16 ++ mode.
func (e EventForceEra) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvForceEra)
	enc.PutU8(uint8(e.Mode))
}
