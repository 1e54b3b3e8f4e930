package session

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// OnInitialize rotates the session at every block n with n % Period == 0.
func (p *Pallet) OnInitialize(ctx *frame.Context, n types.BlockNumber) types.Weight {
	period := p.Period(ctx)
	if n == 0 || n%period != 0 {
		return weightIdle
	}
	queued := p.rotate(ctx)
	return weightRotation(uint64(queued))
}

// rotate is pallet_session's rotate_session; it returns the number of
// queued validators.
func (p *Pallet) rotate(ctx *frame.Context) int {
	index := p.s.currentIndex.Get(ctx)
	changed := p.s.queuedChanged.Get(ctx)
	if m := p.cfg.Manager; m != nil {
		m.EndSession(ctx, index)
	}
	// The queued set becomes the current one.
	current := p.s.queuedKeys.Get(ctx)
	validators := make([]types.AccountID, len(current))
	for i, v := range current {
		validators[i] = v.Who
	}
	p.s.validators.Set(ctx, validators)
	index++
	p.s.currentIndex.Set(ctx, index)
	if m := p.cfg.Manager; m != nil {
		m.StartSession(ctx, index)
	}
	// Plan the set after: the manager's answer, or the current set again.
	next, nextChanged := validators, false
	if m := p.cfg.Manager; m != nil {
		if vs, ok := m.NewSession(ctx, index+1); ok && len(vs) > 0 {
			next, nextChanged = vs, true
		}
	}
	queued := make([]ValidatorKeys, 0, len(next))
	for _, who := range next {
		k, ok := p.s.nextKeys.TryGet(ctx, who)
		if !ok {
			continue // a validator without keys cannot take part
		}
		queued = append(queued, ValidatorKeys{Who: who, Keys: k})
	}
	if len(queued) == 0 {
		// Nobody planned has keys: keep the current set rather than stall.
		queued, nextChanged = current, false
		if len(current) > 0 {
			ctx.Log(3, "runtime::session", "no planned validator has session keys; the current set continues")
		}
	}
	if !nextChanged {
		nextChanged = !sameKeys(current, queued)
	}
	p.s.queuedKeys.Set(ctx, queued)
	p.s.queuedChanged.Set(ctx, nextChanged)
	ctx.Deposit(PalletName, EventNewSession{SessionIndex: index})
	p.notify(ctx, index, changed, current, queued)
	return len(queued)
}

// notify tells the handlers the new session's keys, by key type.
func (p *Pallet) notify(ctx *frame.Context, index uint32, changed bool, current, queued []ValidatorKeys) {
	aura, gran := columns(current)
	qAura, qGran := columns(queued)
	if h := p.cfg.Aura; h != nil {
		h.OnNewSession(ctx, index, changed, aura, qAura)
	}
	if h := p.cfg.Grandpa; h != nil {
		h.OnNewSession(ctx, index, changed, gran, qGran)
	}
}

func columns(vs []ValidatorKeys) (aura, gran [][32]byte) {
	aura, gran = make([][32]byte, len(vs)), make([][32]byte, len(vs))
	for i, v := range vs {
		aura[i], gran[i] = v.Keys.Aura, v.Keys.Grandpa
	}
	return aura, gran
}

func sameKeys(a, b []ValidatorKeys) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.Accounts == nil {
		return fmt.Errorf("session: Config.Accounts is nil")
	}
	return nil
}

// TryState implements frame.TryStater: every NextKeys entry owns its keys
// in KeyOwner, and a chain with a queued set has a current one.
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	var err error
	iterErr := p.s.nextKeys.Iterate(ctx, func(who types.AccountID, k Keys) bool {
		for _, kp := range keyPairs(k) {
			if owner, ok := p.s.keyOwner.TryGet(ctx, kp); !ok || owner != who {
				err = fmt.Errorf("%w: %s's %s key %x not owned by it", ErrInvariant, who, kp.Type[:], kp.Key)
				return false
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	if iterErr != nil {
		return iterErr
	}
	if len(p.s.queuedKeys.Get(ctx)) > 0 && len(p.s.validators.Get(ctx)) == 0 {
		return fmt.Errorf("%w: no validators", ErrInvariant)
	}
	return nil
}
