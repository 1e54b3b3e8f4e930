package staking

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// storage holds the pallet's items: pallet_staking's names, hashers and
// encodings, plus MSC's own (marked MSC) for the parameters genesis sets and
// the rewards pool's bookkeeping.
type storage struct {
	validatorCount    *frame.StorageValue[uint32]
	minValidatorCount *frame.StorageValue[uint32]
	// Bonded: Twox64Concat(stash) → controller (always the stash).
	bonded           *frame.StorageMap[types.AccountID, types.AccountID]
	minNominatorBond *frame.StorageValue[scale.U128]
	minValidatorBond *frame.StorageValue[scale.U128]
	// Ledger: Blake2_128Concat(controller) → StakingLedger.
	ledger *frame.StorageMap[types.AccountID, StakingLedger]
	// Payee: Twox64Concat(stash) → RewardDestination.
	payee *frame.StorageMap[types.AccountID, RewardDestination]
	// Validators: Twox64Concat(stash) → ValidatorPrefs (ValueQuery).
	validators *frame.StorageMap[types.AccountID, ValidatorPrefs]
	// Nominators: Twox64Concat(stash) → Nominations.
	nominators *frame.StorageMap[types.AccountID, Nominations]
	currentEra *frame.StorageValue[uint32]
	activeEra  *frame.StorageValue[ActiveEraInfo]
	// ErasStartSessionIndex: Twox64Concat(era) → first session of era.
	erasStartSession *frame.StorageMap[uint32, uint32]
	// ErasStakers: (era, stash) → Exposure, both Twox64Concat.
	erasStakers      *frame.StorageDoubleMap[uint32, types.AccountID, Exposure]
	erasPrefs        *frame.StorageDoubleMap[uint32, types.AccountID, ValidatorPrefs]
	erasReward       *frame.StorageMap[uint32, scale.U128]
	erasPoints       *frame.StorageMap[uint32, EraRewardPoints]
	erasTotalStake   *frame.StorageMap[uint32, scale.U128]
	claimedRewards   *frame.StorageDoubleMap[uint32, types.AccountID, []uint32]
	forceEra         *frame.StorageValue[Forcing]
	unappliedSlashes *frame.StorageMap[uint32, []UnappliedSlash]
	// BondedEras: (era, its first session) of the eras whose stakers can
	// still be slashed.
	bondedEras     *frame.StorageValue[[][2]uint32]
	validatorSlash *frame.StorageDoubleMap[uint32, types.AccountID, SlashRecord]
	nominatorSlash *frame.StorageDoubleMap[uint32, types.AccountID, scale.U128]

	// MSC: era parameters set at genesis.
	sessionsPerEra     *frame.StorageValue[uint32]
	bondingDuration    *frame.StorageValue[uint32]
	slashDeferDuration *frame.StorageValue[uint32]
	eraPayout          *frame.StorageValue[scale.U128]
	// MSC: the pool's bookkeeping. PoolCommitted is the reward of finished
	// eras not yet paid out (the pool keeps it); PoolLastBalance is the
	// pool's free balance after staking last touched it, so the next era
	// end sees the fees (and gifts) that arrived since; ErasRewardPaid is
	// what was paid out of each era's reward.
	poolCommitted   *frame.StorageValue[scale.U128]
	poolLastBalance *frame.StorageValue[scale.U128]
	erasRewardPaid  *frame.StorageMap[uint32, scale.U128]
}

func newStorage() storage {
	acc, u32, u128 := frame.AccountIDCodec, frame.U32Codec, frame.U128Codec
	t64 := frame.Twox64Concat
	return storage{
		validatorCount:     frame.NewValue(PalletName, "ValidatorCount", u32),
		minValidatorCount:  frame.NewValue(PalletName, "MinimumValidatorCount", u32),
		bonded:             frame.NewMap(PalletName, "Bonded", t64, acc, acc, frame.Optional[types.AccountID]()),
		minNominatorBond:   frame.NewValue(PalletName, "MinNominatorBond", u128),
		minValidatorBond:   frame.NewValue(PalletName, "MinValidatorBond", u128),
		ledger:             frame.NewMap(PalletName, "Ledger", frame.Blake2_128Concat, acc, ledgerCodec, frame.Optional[StakingLedger]()),
		payee:              frame.NewMap(PalletName, "Payee", t64, acc, payeeCodec, frame.Optional[RewardDestination]()),
		validators:         frame.NewMap(PalletName, "Validators", t64, acc, prefsCodec),
		nominators:         frame.NewMap(PalletName, "Nominators", t64, acc, nominationsCodec, frame.Optional[Nominations]()),
		currentEra:         frame.NewValue(PalletName, "CurrentEra", u32, frame.Optional[uint32]()),
		activeEra:          frame.NewValue(PalletName, "ActiveEra", activeEraCodec, frame.Optional[ActiveEraInfo]()),
		erasStartSession:   frame.NewMap(PalletName, "ErasStartSessionIndex", t64, u32, u32, frame.Optional[uint32]()),
		erasStakers:        frame.NewDoubleMap(PalletName, "ErasStakers", t64, u32, t64, acc, exposureCodec),
		erasPrefs:          frame.NewDoubleMap(PalletName, "ErasValidatorPrefs", t64, u32, t64, acc, prefsCodec),
		erasReward:         frame.NewMap(PalletName, "ErasValidatorReward", t64, u32, u128, frame.Optional[scale.U128]()),
		erasPoints:         frame.NewMap(PalletName, "ErasRewardPoints", t64, u32, pointsCodec),
		erasTotalStake:     frame.NewMap(PalletName, "ErasTotalStake", t64, u32, u128),
		claimedRewards:     frame.NewDoubleMap(PalletName, "ClaimedRewards", t64, u32, t64, acc, u32VecCodec),
		forceEra:           frame.NewValue(PalletName, "ForceEra", forcingCodec),
		unappliedSlashes:   frame.NewMap(PalletName, "UnappliedSlashes", t64, u32, slashVecCodec),
		bondedEras:         frame.NewValue(PalletName, "BondedEras", bondedErasCodec),
		validatorSlash:     frame.NewDoubleMap(PalletName, "ValidatorSlashInEra", t64, u32, t64, acc, slashRecordCodec, frame.Optional[SlashRecord]()),
		nominatorSlash:     frame.NewDoubleMap(PalletName, "NominatorSlashInEra", t64, u32, t64, acc, u128, frame.Optional[scale.U128]()),
		sessionsPerEra:     frame.NewValue(PalletName, "SessionsPerEra", u32),
		bondingDuration:    frame.NewValue(PalletName, "BondingDuration", u32),
		slashDeferDuration: frame.NewValue(PalletName, "SlashDeferDuration", u32),
		eraPayout:          frame.NewValue(PalletName, "EraPayout", u128),
		poolCommitted:      frame.NewValue(PalletName, "PoolCommitted", u128),
		poolLastBalance:    frame.NewValue(PalletName, "PoolLastBalance", u128),
		erasRewardPaid:     frame.NewMap(PalletName, "ErasRewardPaid", t64, u32, u128),
	}
}

// Read accessors for the runtime, RPC and other pallets.

// Ledger returns stash's ledger.
func (p *Pallet) Ledger(st frame.Store, stash types.AccountID) (StakingLedger, bool) {
	return p.s.ledger.TryGet(st, stash)
}

// CurrentEra returns the latest planned era.
func (p *Pallet) CurrentEra(st frame.Store) (uint32, bool) { return p.s.currentEra.TryGet(st) }

// ActiveEra returns the era being rewarded now.
func (p *Pallet) ActiveEra(st frame.Store) (ActiveEraInfo, bool) { return p.s.activeEra.TryGet(st) }

// Exposure returns the stake behind validator in era.
func (p *Pallet) Exposure(st frame.Store, era uint32, validator types.AccountID) Exposure {
	return p.s.erasStakers.Get(st, era, validator)
}

// IsValidator reports whether stash wants to validate.
func (p *Pallet) IsValidator(st frame.Store, stash types.AccountID) bool {
	return p.s.validators.Exists(st, stash)
}

// UnappliedSlashes returns the slashes due at the start of era.
func (p *Pallet) UnappliedSlashes(st frame.Store, era uint32) []UnappliedSlash {
	return p.s.unappliedSlashes.Get(st, era)
}
