package staking

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.Currency == nil || p.cfg.Locks == nil {
		return errors.New("staking: Config.Currency or Config.Locks is nil")
	}
	if p.cfg.SessionsPerEra == 0 {
		return errors.New("staking: SessionsPerEra must be positive")
	}
	return nil
}

// OnFinalize implements frame.OnFinalizer: records the active era's start
// time once the timestamp is set (pallet_staking's on_finalize).
func (p *Pallet) OnFinalize(ctx *frame.Context, _ types.BlockNumber) error {
	if p.cfg.Time == nil {
		return nil
	}
	active, ok := p.s.activeEra.TryGet(ctx)
	if !ok || active.HasStart {
		return nil
	}
	if now := p.cfg.Time.Get(ctx); now != 0 {
		active.Start, active.HasStart = now, true
		p.s.activeEra.Set(ctx, active)
	}
	return nil
}

// TryState implements frame.TryStater. It checks: every Bonded stash has a
// ledger of its own and every ledger a Bonded entry; each ledger's total
// is its active bond plus its chunks (at most MaxUnlockingChunks) and
// equals the stash's staking lock, so the sum of the locks is the total
// bonded; validators and nominators are bonded and nominators name at
// most MaxNominations targets; the pool holds at least the rewards it has
// committed (its balance cannot go below them).
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	var err error
	fail := func(format string, args ...any) bool {
		err = fmt.Errorf("%w: "+format, append([]any{ErrInvariant}, args...)...)
		return false
	}
	var bonded, locked scale.U128
	_ = p.s.ledger.Iterate(ctx, func(stash types.AccountID, l StakingLedger) bool {
		if l.Stash != stash {
			return fail("ledger of %s names stash %s", stash, l.Stash)
		}
		if c, ok := p.s.bonded.TryGet(ctx, stash); !ok || c != stash {
			return fail("ledger of %s without Bonded", stash)
		}
		sum := l.Active
		for _, c := range l.Unlocking {
			sum = sum.SaturatingAdd(c.Value)
		}
		if sum != l.Total || len(l.Unlocking) > MaxUnlockingChunks {
			return fail("ledger of %s: total %s != active + chunks %s (%d chunks)", stash, l.Total, sum, len(l.Unlocking))
		}
		lock := p.cfg.Locks.LockAmount(ctx, StakingLockID, stash)
		if lock != l.Total {
			return fail("stash %s: lock %s != ledger total %s", stash, lock, l.Total)
		}
		bonded = bonded.SaturatingAdd(l.Total)
		locked = locked.SaturatingAdd(lock)
		return true
	})
	if err != nil {
		return err
	}
	if bonded != locked {
		return fmt.Errorf("%w: total bonded %s != total locked %s", ErrInvariant, bonded, locked)
	}
	_ = p.s.bonded.Iterate(ctx, func(stash, _ types.AccountID) bool {
		if !p.s.ledger.Exists(ctx, stash) {
			return fail("Bonded %s without ledger", stash)
		}
		return true
	})
	_ = p.s.validators.Iterate(ctx, func(v types.AccountID, _ ValidatorPrefs) bool {
		if !p.s.ledger.Exists(ctx, v) || p.s.nominators.Exists(ctx, v) {
			return fail("validator %s unbonded or also nominating", v)
		}
		return true
	})
	_ = p.s.nominators.Iterate(ctx, func(n types.AccountID, nom Nominations) bool {
		if !p.s.ledger.Exists(ctx, n) || len(nom.Targets) == 0 || len(nom.Targets) > MaxNominations {
			return fail("nominator %s unbonded or with %d targets", n, len(nom.Targets))
		}
		return true
	})
	if err != nil {
		return err
	}
	if free, c := p.cfg.Currency.Free(ctx, RewardsPoolAccount()), p.s.poolCommitted.Get(ctx); free.Lt(c) {
		return fmt.Errorf("%w: pool holds %s < committed rewards %s", ErrInvariant, free, c)
	}
	return nil
}
