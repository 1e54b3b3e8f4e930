package staking

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
)

var _ metadata.Describer = (*Pallet)(nil)

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// describedItem is what metadata needs of any storage item.
type describedItem interface {
	Name() string
	Query() frame.QueryKind
	DefaultBytes() []byte
}

func entry(it describedItem, hashers []frame.Hasher, key *metadata.TypeID, val metadata.TypeID, d string) metadata.StorageEntry {
	hs := make([]uint8, len(hashers))
	for i, h := range hashers {
		hs[i] = uint8(h)
	}
	return metadata.StorageEntry{Name: it.Name(), Optional: it.Query() == frame.OptionQuery, Hashers: hs,
		Key: key, Value: val, Default: it.DefaultBytes(), Docs: doc(d)}
}

// Metadata describes the pallet (calls, events, errors, storage, constants)
// exactly as this package encodes them, with pallet_staking's type paths.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	acc, u8, u32, u64, u128, b := r.AccountID32(), r.Prim(metadata.U8), r.Prim(metadata.U32), r.Prim(metadata.U64),
		r.Prim(metadata.U128), r.Prim(metadata.Bool)
	cu128, cu32 := r.Compact(u128), r.Compact(u32)
	path := func(name string) []string { return []string{"pallet_staking", "pallet", "pallet", name} }
	tparams := []metadata.Param{{Name: "T"}}
	perbill := r.Composite([]string{"sp_arithmetic", "per_things", "Perbill"}, nil, []metadata.Field{{Type: u32, TypeName: "u32"}})
	payee := r.Variant([]string{"pallet_staking", "RewardDestination"}, []metadata.Param{metadata.P("AccountId", acc)}, []metadata.Variant{
		{Name: "Staked", Index: PayeeStaked}, {Name: "Stash", Index: PayeeStash}, {Name: "Controller", Index: PayeeController},
		{Name: "Account", Index: PayeeAccount, Fields: []metadata.Field{{Type: acc, TypeName: "AccountId"}}},
		{Name: "None", Index: PayeeNone},
	})
	prefs := r.Composite([]string{"pallet_staking", "ValidatorPrefs"}, nil, []metadata.Field{
		field("commission", r.Compact(perbill), "Perbill"), field("blocked", b, "bool"),
	})
	chunk := r.Composite([]string{"pallet_staking", "UnlockChunk"}, []metadata.Param{metadata.P("Balance", u128)}, []metadata.Field{
		field("value", cu128, "Balance"), field("era", cu32, "EraIndex"),
	})
	ledger := r.Composite([]string{"pallet_staking", "StakingLedger"}, tparams, []metadata.Field{
		field("stash", acc, "T::AccountId"), field("total", cu128, "BalanceOf<T>"), field("active", cu128, "BalanceOf<T>"),
		field("unlocking", r.Sequence(chunk), "BoundedVec<UnlockChunk<BalanceOf<T>>, T::MaxUnlockingChunks>"),
		field("legacy_claimed_rewards", r.Sequence(u32), "BoundedVec<EraIndex, T::HistoryDepth>"),
	})
	nominations := r.Composite([]string{"pallet_staking", "Nominations"}, tparams, []metadata.Field{
		field("targets", r.Sequence(acc), "BoundedVec<T::AccountId, MaxNominationsOf<T>>"),
		field("submitted_in", u32, "EraIndex"), field("suppressed", b, "bool"),
	})
	activeEra := r.Composite([]string{"pallet_staking", "ActiveEraInfo"}, nil, []metadata.Field{
		field("index", u32, "EraIndex"), field("start", r.Option(u64), "Option<u64>"),
	})
	individual := r.Composite([]string{"sp_staking", "IndividualExposure"}, nil, []metadata.Field{
		field("who", acc, "AccountId"), field("value", cu128, "Balance"),
	})
	exposure := r.Composite([]string{"sp_staking", "Exposure"}, nil, []metadata.Field{
		field("total", cu128, "Balance"), field("own", cu128, "Balance"), field("others", r.Sequence(individual), "Vec<IndividualExposure<AccountId, Balance>>"),
	})
	pointsMap := r.Composite([]string{"BTreeMap"}, []metadata.Param{metadata.P("K", acc), metadata.P("V", u32)},
		[]metadata.Field{{Type: r.Sequence(r.Tuple(acc, u32))}})
	points := r.Composite([]string{"pallet_staking", "EraRewardPoints"}, nil, []metadata.Field{
		field("total", u32, "RewardPoint"), field("individual", pointsMap, "BTreeMap<AccountId, RewardPoint>"),
	})
	slash := r.Composite([]string{"pallet_staking", "UnappliedSlash"}, nil, []metadata.Field{
		field("validator", acc, "AccountId"), field("own", u128, "Balance"),
		field("others", r.Sequence(r.Tuple(acc, u128)), "Vec<(AccountId, Balance)>"),
		field("reporters", r.Sequence(acc), "Vec<AccountId>"), field("payout", u128, "Balance"),
	})
	forcing := r.Variant([]string{"pallet_staking", "Forcing"}, nil, []metadata.Variant{
		{Name: "NotForcing", Index: uint8(NotForcing)}, {Name: "ForceNew", Index: uint8(ForceNew)},
		{Name: "ForceNone", Index: uint8(ForceNone)}, {Name: "ForceAlways", Index: uint8(ForceAlways)},
	})

	v := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	value := func(name string) metadata.Field { return field(name, cu128, "BalanceOf<T>") }
	calls := r.Variant(path("Call"), tparams, []metadata.Variant{
		v("bond", CallBond, "Take the origin account as a stash and lock up `value` of its balance.", value("value"), field("payee", payee, "RewardDestination<T::AccountId>")),
		v("bond_extra", CallBondExtra, "Add some extra amount that have appeared in the stash `free_balance` into the balance up for staking.", value("max_additional")),
		v("unbond", CallUnbond, "Schedule a portion of the stash to be unlocked ready for transfer out after the bond period ends.", value("value")),
		v("withdraw_unbonded", CallWithdrawUnbonded, "Remove any unlocked chunks from the `unlocking` queue from our management.", field("num_slashing_spans", u32, "u32")),
		v("validate", CallValidate, "Declare the desire to validate for the origin controller.", field("prefs", prefs, "ValidatorPrefs")),
		v("nominate", CallNominate, "Declare the desire to nominate `targets` for the origin controller.", field("targets", r.Sequence(r.MultiAddress()), "Vec<AccountIdLookupOf<T>>")),
		v("chill", CallChill, "Declare no desire to either validate or nominate."),
		v("set_payee", CallSetPayee, "(Re-)set the payment target for a controller.", field("payee", payee, "RewardDestination<T::AccountId>")),
		v("set_validator_count", CallSetValidatorCount, "Sets the ideal number of validators.", field("new", cu32, "u32")),
		v("force_new_era", CallForceNewEra, "Force there to be a new era at the end of the next session."),
		v("cancel_deferred_slash", CallCancelDeferredSlash, "Cancel enactment of a deferred slash.",
			field("era", u32, "EraIndex"), field("slash_indices", r.Sequence(u32), "Vec<u32>")),
		v("payout_stakers", CallPayoutStakers, "Pay out the rewards for the given era for a validator and its nominators.",
			field("validator_stash", acc, "T::AccountId"), field("era", u32, "EraIndex")),
		v("rebond", CallRebond, "Rebond a portion of the stash scheduled to be unlocked.", value("value")),
	}, " Contains a variant per dispatchable extrinsic that this pallet has.")

	stash, amount := field("stash", acc, "T::AccountId"), field("amount", u128, "BalanceOf<T>")
	events := r.Variant(path("Event"), tparams, []metadata.Variant{
		v("EraPaid", EvEraPaid, "The era payout has been set; the first balance is the validator-payout; the second is the remainder left in the rewards pool.",
			field("era_index", u32, "EraIndex"), field("validator_payout", u128, "BalanceOf<T>"), field("remainder", u128, "BalanceOf<T>")),
		v("Rewarded", EvRewarded, "The nominator has been rewarded by this amount to this destination.",
			stash, field("dest", payee, "RewardDestination<T::AccountId>"), amount),
		v("Slashed", EvSlashed, "A staker (validator or nominator) has been slashed by the given amount.", field("staker", acc, "T::AccountId"), amount),
		v("SlashReported", EvSlashReported, "A slash for the given validator, for the given percentage of their stake, at the given era as been reported.",
			field("validator", acc, "T::AccountId"), field("fraction", perbill, "Perbill"), field("slash_era", u32, "EraIndex")),
		v("StakersElected", EvStakersElected, "A new set of stakers was elected."),
		v("Bonded", EvBonded, "An account has bonded this amount.", stash, amount),
		v("Unbonded", EvUnbonded, "An account has unbonded this amount.", stash, amount),
		v("Withdrawn", EvWithdrawn, "An account has called `withdraw_unbonded` and removed unbonding chunks worth `Balance` from the unlocking queue.", stash, amount),
		v("StakingElectionFailed", EvStakingElectionFailed, "The election failed. No new era is planned."),
		v("Chilled", EvChilled, "An account has stopped participating as either a validator or nominator.", stash),
		v("PayoutStarted", EvPayoutStarted, "A Page of stakers rewards are getting paid.",
			field("era_index", u32, "EraIndex"), field("validator_stash", acc, "T::AccountId"), field("page", u32, "Page"), field("next", r.Option(u32), "Option<Page>")),
		v("ValidatorPrefsSet", EvValidatorPrefsSet, "A validator has set their preferences.", stash, field("prefs", prefs, "ValidatorPrefs")),
		v("ForceEra", EvForceEra, "A new force era mode was set.", field("mode", forcing, "Forcing")),
	}, " The `Event` enum of this pallet")

	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), tparams, errVariants, " The `Error` enum of this pallet.")

	s := &p.s
	t64, b128 := frame.Twox64Concat, frame.Blake2_128Concat
	one := func(h frame.Hasher) []frame.Hasher { return []frame.Hasher{h} }
	two := []frame.Hasher{t64, t64}
	eraAcc := tid(r.Tuple(u32, acc))
	storage := []metadata.StorageEntry{
		entry(s.validatorCount, nil, nil, u32, "The ideal number of active validators."),
		entry(s.minValidatorCount, nil, nil, u32, "Minimum number of staking participants before emergency conditions are imposed."),
		entry(s.bonded, one(t64), tid(acc), acc, "Map from all locked \"stash\" accounts to the controller account (the stash itself)."),
		entry(s.minNominatorBond, nil, nil, u128, "The minimum active bond to become and maintain the role of a nominator."),
		entry(s.minValidatorBond, nil, nil, u128, "The minimum active bond to become and maintain the role of a validator."),
		entry(s.ledger, one(b128), tid(acc), ledger, "Map from all (unlocked) \"controller\" accounts to the info regarding the staking."),
		entry(s.payee, one(t64), tid(acc), payee, "Where the reward payment should be made. Keyed by stash."),
		entry(s.validators, one(t64), tid(acc), prefs, "The map from (wannabe) validator stash key to the preferences of that validator."),
		entry(s.nominators, one(t64), tid(acc), nominations, "The map from nominator stash key to their nomination preferences."),
		entry(s.currentEra, nil, nil, u32, "The current era index: the latest planned era."),
		entry(s.activeEra, nil, nil, activeEra, "The active era information: the era being currently rewarded."),
		entry(s.erasStartSession, one(t64), tid(u32), u32, "The session index at which the era start for the last `HistoryDepth` eras."),
		entry(s.erasStakers, two, eraAcc, exposure, "Exposure of validator at era."),
		entry(s.erasPrefs, two, eraAcc, prefs, "Similar to `ErasStakers`, this holds the preferences of validators."),
		entry(s.erasReward, one(t64), tid(u32), u128, "The total validator era payout for the last `HistoryDepth` eras."),
		entry(s.erasPoints, one(t64), tid(u32), points, "Rewards for the last `HistoryDepth` eras."),
		entry(s.erasTotalStake, one(t64), tid(u32), u128, "The total amount staked for the last `HistoryDepth` eras."),
		entry(s.claimedRewards, two, eraAcc, r.Sequence(u32), "History of claimed paged rewards by era and validator."),
		entry(s.forceEra, nil, nil, forcing, "Mode of era forcing."),
		entry(s.unappliedSlashes, one(t64), tid(u32), r.Sequence(slash), "All unapplied slashes that are queued for later."),
		entry(s.bondedEras, nil, nil, r.Sequence(r.Tuple(u32, u32)), "A mapping from still-bonded eras to the first session index of that era."),
		entry(s.validatorSlash, two, eraAcc, r.Tuple(perbill, u128), "All slashing events on validators, mapped by era to the highest slash proportion and slash value of the era."),
		entry(s.nominatorSlash, two, eraAcc, u128, "All slashing events on nominators, mapped by era to the highest slash value of the era."),
		entry(s.sessionsPerEra, nil, nil, u32, "MSC: number of sessions per era (set at genesis)."),
		entry(s.bondingDuration, nil, nil, u32, "MSC: number of eras that staked funds must remain bonded for (set at genesis)."),
		entry(s.slashDeferDuration, nil, nil, u32, "MSC: number of eras that slashes are deferred by (set at genesis)."),
		entry(s.eraPayout, nil, nil, u128, "MSC: the most the rewards pool pays per era, before the era's fees."),
		entry(s.poolCommitted, nil, nil, u128, "MSC: era rewards set but not yet paid out of the rewards pool."),
		entry(s.poolLastBalance, nil, nil, u128, "MSC: the rewards pool's balance when staking last moved funds, to measure fee inflow."),
		entry(s.erasRewardPaid, one(t64), tid(u32), u128, "MSC: the part of each era's reward already paid out."),
	}

	u32le := func(x uint32) []byte { e := scale.NewEncoder(4); e.PutU32(x); return e.Bytes() }
	konst := func(name string, x uint32, d string) metadata.Constant {
		return metadata.Constant{Name: name, Type: u32, Value: u32le(x), Docs: doc(d)}
	}
	palletID := r.Composite([]string{"frame_support", "PalletId"}, nil, []metadata.Field{{Type: r.Array(8, u8), TypeName: "[u8; 8]"}})
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName, Storage: storage,
		Calls: tid(calls), Event: tid(events), Error: tid(errs),
		Constants: []metadata.Constant{
			konst("HistoryDepth", HistoryDepth, "Number of eras to keep in history."),
			konst("SessionsPerEra", p.cfg.SessionsPerEra, "Number of sessions per era (the default; genesis may set SessionsPerEra in storage)."),
			konst("BondingDuration", p.cfg.BondingDuration, "Number of eras that staked funds must remain bonded for (the default; see storage)."),
			konst("SlashDeferDuration", p.cfg.SlashDeferDuration, "Number of eras that slashes are deferred by (the default; see storage)."),
			konst("MaxExposurePageSize", MaxExposureOthers, "The maximum size of each `T::ExposurePage`."),
			konst("MaxUnlockingChunks", MaxUnlockingChunks, "The maximum number of `unlocking` chunks a `StakingLedger` can have."),
			konst("MaxNominations", MaxNominations, "Maximum number of nominations per nominator."),
			{Name: "RewardsPoolId", Type: palletID, Value: PoolPalletID[:], Docs: doc("MSC: the PalletId of the rewards pool account.")},
		},
		Docs: doc("MSC's pallet_staking: bonding, nominations, sequential Phragmén elections per era, rewards from a fixed pool and the fee share, deferred slashing."),
	}
}
