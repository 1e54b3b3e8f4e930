package staking

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The stored and call types, in pallet_staking's encodings.

// Perbill is parts per billion (sp_arithmetic::Perbill), at most Billion.
type Perbill uint32

// Billion is Perbill's one (100%).
const Billion Perbill = 1_000_000_000

// UnlockChunk is a part of a ledger being unbonded: value becomes free at era.
// SCALE: Compact<u128> ++ Compact<u32>.
type UnlockChunk struct {
	Value scale.U128
	Era   uint32
}

// StakingLedger is pallet_staking::StakingLedger: stash ++ Compact total ++
// Compact active ++ Vec<UnlockChunk> unlocking ++ Vec<u32>
// legacy_claimed_rewards (always empty: MSC records claims in
// ClaimedRewards). Invariant: total = active + Σ unlocking.
type StakingLedger struct {
	Stash     types.AccountID
	Total     scale.U128
	Active    scale.U128
	Unlocking []UnlockChunk
}

// EncodeTo writes the ledger.
func (l *StakingLedger) EncodeTo(e *scale.Encoder) {
	e.PutRaw(l.Stash[:])
	e.PutCompactU128(l.Total)
	e.PutCompactU128(l.Active)
	e.PutLen(len(l.Unlocking))
	for _, c := range l.Unlocking {
		e.PutCompactU128(c.Value)
		e.PutCompact(uint64(c.Era))
	}
	e.PutLen(0)
}

// DecodeFrom reads a ledger; legacy claimed rewards must be empty.
func (l *StakingLedger) DecodeFrom(d *scale.Decoder) {
	l.Stash = d.Fixed32()
	l.Total = d.CompactU128()
	l.Active = d.CompactU128()
	n := d.Len(2)
	l.Unlocking = nil
	for range n {
		l.Unlocking = append(l.Unlocking, UnlockChunk{Value: d.CompactU128(), Era: d.CompactU32()})
	}
	if d.Len(4) != 0 {
		d.Fail(ErrBadEncoding)
	}
}

// RewardDestination says where a staker's rewards go
// (pallet_staking::RewardDestination).
type RewardDestination struct {
	Kind    uint8 // PayeeStaked .. PayeeNone
	Account types.AccountID
}

// RewardDestination variants. Controller is deprecated (controller ==
// stash): bond and set_payee refuse it with ControllerDeprecated.
const (
	PayeeStaked     uint8 = 0
	PayeeStash      uint8 = 1
	PayeeController uint8 = 2
	PayeeAccount    uint8 = 3
	PayeeNone       uint8 = 4
)

// EncodeTo writes the variant (++ account for Account).
func (r *RewardDestination) EncodeTo(e *scale.Encoder) {
	e.PutU8(r.Kind)
	if r.Kind == PayeeAccount {
		e.PutRaw(r.Account[:])
	}
}

// DecodeFrom reads a RewardDestination.
func (r *RewardDestination) DecodeFrom(d *scale.Decoder) {
	r.Kind = d.U8()
	switch {
	case r.Kind == PayeeAccount:
		r.Account = d.Fixed32()
	case r.Kind > PayeeNone:
		d.Fail(ErrBadEncoding)
	}
}

// ValidatorPrefs are a validator's preferences: Compact<Perbill> commission
// ++ bool blocked (no new nominations).
type ValidatorPrefs struct {
	Commission Perbill
	Blocked    bool
}

// EncodeTo writes the prefs.
func (p *ValidatorPrefs) EncodeTo(e *scale.Encoder) {
	e.PutCompact(uint64(p.Commission))
	e.PutBool(p.Blocked)
}

// DecodeFrom reads prefs; a commission above 100% is refused (Perbill's
// decoder does the same).
func (p *ValidatorPrefs) DecodeFrom(d *scale.Decoder) {
	c := d.CompactU32()
	if c > uint32(Billion) {
		d.Fail(ErrBadEncoding)
	}
	p.Commission = Perbill(c)
	p.Blocked = d.Bool()
}

// Nominations are a nominator's targets, the era they were submitted in and
// whether they are suppressed (always false in MSC).
type Nominations struct {
	Targets     []types.AccountID
	SubmittedIn uint32
	Suppressed  bool
}

// EncodeTo writes Vec<AccountId> ++ u32 ++ bool.
func (n *Nominations) EncodeTo(e *scale.Encoder) {
	e.PutLen(len(n.Targets))
	for _, t := range n.Targets {
		e.PutRaw(t[:])
	}
	e.PutU32(n.SubmittedIn)
	e.PutBool(n.Suppressed)
}

// DecodeFrom reads Nominations.
func (n *Nominations) DecodeFrom(d *scale.Decoder) {
	k := d.Len(32)
	n.Targets = nil
	for range k {
		n.Targets = append(n.Targets, d.Fixed32())
	}
	n.SubmittedIn = d.U32()
	n.Suppressed = d.Bool()
}

// IndividualExposure is one nominator's stake behind a validator.
type IndividualExposure struct {
	Who   types.AccountID
	Value scale.U128
}

// Exposure is the stake behind a validator in an era: Compact total ++
// Compact own ++ Vec<IndividualExposure{who, Compact value}> others.
type Exposure struct {
	Total, Own scale.U128
	Others     []IndividualExposure
}

// EncodeTo writes the exposure.
func (x *Exposure) EncodeTo(e *scale.Encoder) {
	e.PutCompactU128(x.Total)
	e.PutCompactU128(x.Own)
	e.PutLen(len(x.Others))
	for _, o := range x.Others {
		e.PutRaw(o.Who[:])
		e.PutCompactU128(o.Value)
	}
}

// DecodeFrom reads an exposure.
func (x *Exposure) DecodeFrom(d *scale.Decoder) {
	x.Total = d.CompactU128()
	x.Own = d.CompactU128()
	n := d.Len(33)
	x.Others = nil
	for range n {
		x.Others = append(x.Others, IndividualExposure{Who: d.Fixed32(), Value: d.CompactU128()})
	}
}

// ActiveEraInfo is the active era and its start (unix ms, None until the
// first block of the era with a timestamp).
type ActiveEraInfo struct {
	Index    uint32
	Start    uint64
	HasStart bool
}

// EncodeTo writes u32 ++ Option<u64>.
func (a *ActiveEraInfo) EncodeTo(e *scale.Encoder) {
	e.PutU32(a.Index)
	e.PutOption(a.HasStart)
	if a.HasStart {
		e.PutU64(a.Start)
	}
}

// DecodeFrom reads an ActiveEraInfo.
func (a *ActiveEraInfo) DecodeFrom(d *scale.Decoder) {
	a.Index = d.U32()
	a.HasStart = d.Option()
	a.Start = 0
	if a.HasStart {
		a.Start = d.U64()
	}
}

// Points is one validator's reward points.
type Points struct {
	Who    types.AccountID
	Points uint32
}

// EraRewardPoints are u32 total ++ BTreeMap<AccountId, u32> individual
// (kept sorted by account, as a BTreeMap encodes).
type EraRewardPoints struct {
	Total      uint32
	Individual []Points
}

// EncodeTo writes the points.
func (p *EraRewardPoints) EncodeTo(e *scale.Encoder) {
	e.PutU32(p.Total)
	e.PutLen(len(p.Individual))
	for _, x := range p.Individual {
		e.PutRaw(x.Who[:])
		e.PutU32(x.Points)
	}
}

// DecodeFrom reads points; keys must be strictly increasing.
func (p *EraRewardPoints) DecodeFrom(d *scale.Decoder) {
	p.Total = d.U32()
	n := d.Len(36)
	p.Individual = nil
	for i := range n {
		x := Points{Who: d.Fixed32(), Points: d.U32()}
		if i > 0 && !lessAccount(p.Individual[i-1].Who, x.Who) {
			d.Fail(ErrBadEncoding)
			return
		}
		p.Individual = append(p.Individual, x)
	}
}

// get returns who's points.
func (p *EraRewardPoints) get(who types.AccountID) uint32 {
	for _, x := range p.Individual {
		if x.Who == who {
			return x.Points
		}
	}
	return 0
}

// add adds n points to who, keeping the entries sorted (saturating).
func (p *EraRewardPoints) add(who types.AccountID, n uint32) {
	p.Total = satAdd32(p.Total, n)
	i := 0
	for i < len(p.Individual) && lessAccount(p.Individual[i].Who, who) {
		i++
	}
	if i < len(p.Individual) && p.Individual[i].Who == who {
		p.Individual[i].Points = satAdd32(p.Individual[i].Points, n)
		return
	}
	p.Individual = append(p.Individual, Points{})
	copy(p.Individual[i+1:], p.Individual[i:])
	p.Individual[i] = Points{Who: who, Points: n}
}

func satAdd32(a, b uint32) uint32 {
	if a+b < a {
		return ^uint32(0)
	}
	return a + b
}

// OtherSlash is a nominator's part of an unapplied slash.
type OtherSlash struct {
	Who    types.AccountID
	Amount scale.U128
}

// UnappliedSlash is a slash waiting for its era: validator ++ own ++
// Vec<(AccountId, Balance)> others ++ Vec<AccountId> reporters ++ payout
// (u128 each, not compact).
type UnappliedSlash struct {
	Validator types.AccountID
	Own       scale.U128
	Others    []OtherSlash
	Reporters []types.AccountID
	Payout    scale.U128
}

// EncodeTo writes the slash.
func (s *UnappliedSlash) EncodeTo(e *scale.Encoder) {
	e.PutRaw(s.Validator[:])
	e.PutU128(s.Own)
	e.PutLen(len(s.Others))
	for _, o := range s.Others {
		e.PutRaw(o.Who[:])
		e.PutU128(o.Amount)
	}
	e.PutLen(len(s.Reporters))
	for _, r := range s.Reporters {
		e.PutRaw(r[:])
	}
	e.PutU128(s.Payout)
}

// DecodeFrom reads a slash.
func (s *UnappliedSlash) DecodeFrom(d *scale.Decoder) {
	s.Validator = d.Fixed32()
	s.Own = d.U128()
	n := d.Len(48)
	s.Others = nil
	for range n {
		s.Others = append(s.Others, OtherSlash{Who: d.Fixed32(), Amount: d.U128()})
	}
	n = d.Len(32)
	s.Reporters = nil
	for range n {
		s.Reporters = append(s.Reporters, d.Fixed32())
	}
	s.Payout = d.U128()
}

// SlashRecord is what was slashed from a staker for one era
// (ValidatorSlashInEra / NominatorSlashInEra: MSC keeps the fraction for
// both, so a later, larger offence in the same era slashes only the
// difference).
type SlashRecord struct {
	Fraction Perbill
	Amount   scale.U128
}

// EncodeTo writes Perbill (u32) ++ u128.
func (r *SlashRecord) EncodeTo(e *scale.Encoder) {
	e.PutU32(uint32(r.Fraction))
	e.PutU128(r.Amount)
}

// DecodeFrom reads a SlashRecord.
func (r *SlashRecord) DecodeFrom(d *scale.Decoder) {
	r.Fraction = Perbill(d.U32())
	r.Amount = d.U128()
}

// Forcing is pallet_staking::Forcing.
type Forcing uint8

// Forcing modes.
const (
	NotForcing  Forcing = 0
	ForceNew    Forcing = 1
	ForceNone   Forcing = 2
	ForceAlways Forcing = 3
)

var (
	ledgerCodec      = frame.CodecOf[StakingLedger]()
	payeeCodec       = frame.CodecOf[RewardDestination]()
	prefsCodec       = frame.CodecOf[ValidatorPrefs]()
	nominationsCodec = frame.CodecOf[Nominations]()
	exposureCodec    = frame.CodecOf[Exposure]()
	activeEraCodec   = frame.CodecOf[ActiveEraInfo]()
	pointsCodec      = frame.CodecOf[EraRewardPoints]()
	slashVecCodec    = frame.VecCodec(frame.CodecOf[UnappliedSlash](), 32+16+1+1+16)
	slashRecordCodec = frame.CodecOf[SlashRecord]()
	u32VecCodec      = frame.VecCodec(frame.U32Codec, 4)
	forcingCodec     = frame.Codec[Forcing]{
		Encode: func(e *scale.Encoder, v Forcing) { e.PutU8(uint8(v)) },
		Decode: func(d *scale.Decoder) Forcing {
			v := d.U8()
			if v > uint8(ForceAlways) {
				d.Fail(ErrBadEncoding)
			}
			return Forcing(v)
		},
	}
	bondedErasCodec = frame.VecCodec(frame.Codec[[2]uint32]{
		Encode: func(e *scale.Encoder, v [2]uint32) { e.PutU32(v[0]); e.PutU32(v[1]) },
		Decode: func(d *scale.Decoder) [2]uint32 { return [2]uint32{d.U32(), d.U32()} },
	}, 8)
)

func lessAccount(a, b types.AccountID) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
