package grandpa

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// LogScheduledChange is sp_consensus_grandpa::ConsensusLog::ScheduledChange.
const LogScheduledChange uint8 = 1

// OnGenesisSession implements session.SessionHandler: the genesis set,
// weight 1 each, set id 0 in session 0.
func (p *Pallet) OnGenesisSession(ctx *frame.Context, keys [][32]byte) {
	if len(keys) == 0 {
		return
	}
	authorities.Set(ctx, weighted(keys))
	currentSetID.Set(ctx, 0)
	setIDSession.Set(ctx, 0, 0)
}

// OnNewSession implements session.SessionHandler (see the package doc).
func (p *Pallet) OnNewSession(ctx *frame.Context, index uint32, changed bool, keys, _ [][32]byte) {
	if changed && len(keys) > 0 {
		next := weighted(keys)
		ScheduleChange(ctx, next)
		authorities.Set(ctx, next)
		id := currentSetID.Get(ctx) + 1
		currentSetID.Set(ctx, id)
		ctx.Deposit(PalletName, EventNewAuthorities{AuthoritySet: next})
	}
	setIDSession.Set(ctx, currentSetID.Get(ctx), index)
}

// ScheduleChange deposits FRNK ScheduledChange{next, delay 0}.
func ScheduleChange(ctx *frame.Context, next []Authority) {
	e := scale.NewEncoder(1 + 5 + 40*len(next) + 4)
	e.PutU8(LogScheduledChange)
	e.PutLen(len(next))
	for _, a := range next {
		a.EncodeTo(e)
	}
	e.PutU32(0)
	depositLog(ctx, types.DigestItem{Kind: types.DigestConsensus, Engine: types.EngineGrandpa, Data: e.Bytes()})
}

func weighted(keys [][32]byte) []Authority {
	out := make([]Authority, len(keys))
	for i, k := range keys {
		out[i] = Authority{ID: k, Weight: 1}
	}
	return out
}

// TryState implements frame.TryStater: weights are positive, keys unique,
// and the current set id has its session recorded once a set exists.
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	auths := authorities.Get(ctx)
	seen := map[[32]byte]bool{}
	for _, a := range auths {
		if a.Weight == 0 || seen[a.ID] {
			return fmt.Errorf("grandpa: authority %x has weight 0 or is listed twice", a.ID)
		}
		seen[a.ID] = true
	}
	if len(auths) > 0 && !setIDSession.Exists(ctx, currentSetID.Get(ctx)) {
		return fmt.Errorf("grandpa: no session recorded for set %d", currentSetID.Get(ctx))
	}
	return nil
}
