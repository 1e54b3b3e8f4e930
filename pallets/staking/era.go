package staking

import (
	"slices"

	"github.com/metamars/mars/pallets/staking/internal/npos"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Era rotation, driven by pallet_session through SessionManager, with
// Substrate's timing. Session asks NewSession(i) for the validators of
// session i while session i-1 starts (one session ahead, so their keys can
// be queued); when i is the first session of a new era (sessionsPerEra
// after the current era's start, or forced), the election runs then and
// its winners become era CurrentEra+1, "planned". StartSession(i) of that
// first session makes it the ActiveEra (applying the slashes deferred to
// it); EndSession(i) of the session before ends the active era and sets
// its reward from the pool.

// NewSession implements session.SessionManager: the validators for session
// newIndex when it starts a new era (changed = true), or (nil, false) to
// keep the current set. With no era planned yet (genesis: session calls
// NewSession(0) then StartSession(0)) it elects era 0. An election with
// fewer than MinimumValidatorCount winners fails (StakingElectionFailed)
// and the old set stays; it is retried at the next session.
func (p *Pallet) NewSession(ctx *frame.Context, newIndex uint32) (validators []types.AccountID, changed bool) {
	cur, planned := p.s.currentEra.TryGet(ctx)
	if !planned {
		return p.tryTriggerNewEra(ctx, newIndex)
	}
	start := p.s.erasStartSession.Get(ctx, cur)
	length := uint32(0)
	if newIndex > start {
		length = newIndex - start
	}
	force := p.s.forceEra.Get(ctx)
	switch {
	case force == ForceNew || force == ForceAlways:
	case force == NotForcing && length >= p.s.sessionsPerEra.Get(ctx):
	default:
		return nil, false
	}
	vals, ok := p.tryTriggerNewEra(ctx, newIndex)
	if ok && force == ForceNew {
		p.s.forceEra.Set(ctx, NotForcing)
	}
	return vals, ok
}

// EndSession implements session.SessionManager: the session before the
// next era's first one ends the active era.
func (p *Pallet) EndSession(ctx *frame.Context, index uint32) {
	active, ok := p.s.activeEra.TryGet(ctx)
	if !ok {
		return
	}
	if start, ok := p.s.erasStartSession.TryGet(ctx, active.Index+1); ok && start == index+1 {
		p.endEra(ctx, active.Index)
	}
}

// StartSession implements session.SessionManager: the first session of the
// planned era activates it (also when a session was skipped).
func (p *Pallet) StartSession(ctx *frame.Context, index uint32) {
	next := uint32(0)
	if active, ok := p.s.activeEra.TryGet(ctx); ok {
		next = active.Index + 1
	}
	if start, ok := p.s.erasStartSession.TryGet(ctx, next); ok && start <= index {
		p.startEra(ctx, next, start)
	}
}

// NoteAuthor is authorship's event handler: 20 reward points to the
// author of a block in the active era.
func (p *Pallet) NoteAuthor(ctx *frame.Context, author types.AccountID) {
	active, ok := p.s.activeEra.TryGet(ctx)
	if !ok {
		return
	}
	_ = p.s.erasPoints.Mutate(ctx, active.Index, func(pts *EraRewardPoints) error {
		pts.Individual = slices.Clone(pts.Individual)
		pts.add(author, PointsPerBlock)
		return nil
	})
}

// tryTriggerNewEra elects the next era's validators and plans the era to
// start at startSession.
func (p *Pallet) tryTriggerNewEra(ctx *frame.Context, startSession uint32) ([]types.AccountID, bool) {
	winners, exposures := p.elect(ctx)
	minimum := max(p.s.minValidatorCount.Get(ctx), 1)
	if uint32(len(winners)) < minimum {
		p.emit(ctx, EventUnit(EvStakingElectionFailed))
		return nil, false
	}
	era := uint32(0)
	if cur, ok := p.s.currentEra.TryGet(ctx); ok {
		era = cur + 1
	}
	p.s.currentEra.Set(ctx, era)
	p.s.erasStartSession.Set(ctx, era, startSession)
	if era > HistoryDepth {
		p.clearEra(ctx, era-HistoryDepth-1)
	}
	var total = p.s.erasTotalStake.Get(ctx, era)
	for i, v := range winners {
		p.s.erasStakers.Set(ctx, era, v, exposures[i])
		p.s.erasPrefs.Set(ctx, era, v, p.s.validators.Get(ctx, v))
		total = total.SaturatingAdd(exposures[i].Total)
	}
	p.s.erasTotalStake.Set(ctx, era, total)
	p.emit(ctx, EventUnit(EvStakersElected))
	return winners, true
}

// elect runs sequential Phragmén over the validators (each voting for
// itself with its active bond) and the nominators (their active bond over
// their targets that still validate), in account order, and returns the
// winners (in election order) with their exposures.
func (p *Pallet) elect(ctx *frame.Context) ([]types.AccountID, []Exposure) {
	var cands []types.AccountID
	_ = p.s.validators.Iterate(ctx, func(v types.AccountID, _ ValidatorPrefs) bool {
		cands = append(cands, v)
		return true
	})
	sortAccounts(cands)
	var voters []npos.Voter
	for _, v := range cands {
		l, _ := p.s.ledger.TryGet(ctx, v)
		voters = append(voters, npos.Voter{Who: v, Budget: l.Active, Targets: []types.AccountID{v}})
	}
	var noms []npos.Voter
	_ = p.s.nominators.Iterate(ctx, func(n types.AccountID, nom Nominations) bool {
		l, _ := p.s.ledger.TryGet(ctx, n)
		noms = append(noms, npos.Voter{Who: n, Budget: l.Active, Targets: nom.Targets})
		return true
	})
	slices.SortFunc(noms, func(a, b npos.Voter) int { return cmpAccount(a.Who, b.Who) })
	voters = append(voters, noms...)
	winners, assignments, err := npos.SeqPhragmen(int(p.s.validatorCount.Get(ctx)), cands, voters)
	if err != nil {
		return nil, nil
	}
	ids := make([]types.AccountID, len(winners))
	exps := make([]Exposure, len(winners))
	index := make(map[types.AccountID]int, len(winners))
	for i, w := range winners {
		ids[i] = w.Who
		index[w.Who] = i
	}
	for _, a := range assignments {
		for _, e := range a.Distribution {
			x := &exps[index[e.Who]]
			x.Total = x.Total.SaturatingAdd(e.Stake)
			if a.Who == e.Who {
				x.Own = x.Own.SaturatingAdd(e.Stake)
			} else {
				x.Others = append(x.Others, IndividualExposure{Who: a.Who, Value: e.Stake})
			}
		}
	}
	return ids, exps
}

// startEra makes era active (its first session is start): records it in
// BondedEras, forgets the slashing records of eras no longer bonded, and
// applies the slashes deferred to it.
func (p *Pallet) startEra(ctx *frame.Context, era, start uint32) {
	p.s.activeEra.Set(ctx, ActiveEraInfo{Index: era})
	bonded := p.s.bondedEras.Get(ctx)
	bonded = append(slices.Clone(bonded), [2]uint32{era, start})
	if bd := p.s.bondingDuration.Get(ctx); era > bd {
		firstKept := era - bd
		n := 0
		for n < len(bonded) && bonded[n][0] < firstKept {
			p.s.validatorSlash.RemovePrefix(ctx, bonded[n][0], 0)
			p.s.nominatorSlash.RemovePrefix(ctx, bonded[n][0], 0)
			n++
		}
		bonded = bonded[n:]
	}
	p.s.bondedEras.Set(ctx, bonded)
	for _, s := range p.s.unappliedSlashes.Take(ctx, era) {
		p.applySlash(ctx, s)
	}
}

// endEra sets the ended era's reward: up to EraPayout plus the fees that
// reached the pool during the era, never more than the pool holds beyond
// its existential deposit and the rewards already promised. An era in
// which nobody earned points gets no reward.
func (p *Pallet) endEra(ctx *frame.Context, era uint32) {
	pool := RewardsPoolAccount()
	free := p.cfg.Currency.Free(ctx, pool)
	inflow := free.SaturatingSub(p.s.poolLastBalance.Get(ctx))
	committed := p.s.poolCommitted.Get(ctx)
	avail := free.SaturatingSub(committed).SaturatingSub(p.cfg.Currency.ExistentialDeposit())
	reward := minU128(p.s.eraPayout.Get(ctx).SaturatingAdd(inflow), avail)
	if p.s.erasPoints.Get(ctx, era).Total == 0 {
		reward = scale.U128{}
	}
	p.s.erasReward.Set(ctx, era, reward)
	p.s.poolCommitted.Set(ctx, committed.SaturatingAdd(reward))
	p.s.poolLastBalance.Set(ctx, free)
	p.emit(ctx, EventEraPaid{Era: era, ValidatorPayout: reward, Remainder: avail.SaturatingSub(reward)})
}

// clearEra removes what is kept of an era past the history depth; its
// unclaimed reward returns to the pool's free part.
func (p *Pallet) clearEra(ctx *frame.Context, era uint32) {
	if reward, ok := p.s.erasReward.TryGet(ctx, era); ok {
		unpaid := reward.SaturatingSub(p.s.erasRewardPaid.Get(ctx, era))
		p.s.poolCommitted.Set(ctx, p.s.poolCommitted.Get(ctx).SaturatingSub(unpaid))
	}
	p.s.erasStakers.RemovePrefix(ctx, era, 0)
	p.s.erasPrefs.RemovePrefix(ctx, era, 0)
	p.s.claimedRewards.RemovePrefix(ctx, era, 0)
	p.s.erasReward.Remove(ctx, era)
	p.s.erasRewardPaid.Remove(ctx, era)
	p.s.erasPoints.Remove(ctx, era)
	p.s.erasTotalStake.Remove(ctx, era)
	p.s.erasStartSession.Remove(ctx, era)
}

func cmpAccount(a, b types.AccountID) int {
	switch {
	case lessAccount(a, b):
		return -1
	case a == b:
		return 0
	}
	return 1
}

func sortAccounts(xs []types.AccountID) { slices.SortFunc(xs, cmpAccount) }
