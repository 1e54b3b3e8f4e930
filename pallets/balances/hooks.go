package balances

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// ErrInvariant reports a broken storage invariant found by TryState.
var ErrInvariant = errors.New("balances: invariant broken")

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.Accounts == nil {
		return errors.New("balances: Config.Accounts is nil")
	}
	if p.cfg.ExistentialDeposit.IsZero() {
		return errors.New("balances: existential deposit must not be zero")
	}
	return nil
}

// systemAccountPrefix is twox128("System") ++ twox128("Account"): TryState
// walks every account record (the layout is Substrate's, fixed by metadata).
var systemAccountPrefix = frame.Prefix("System", "Account")

// TryState implements frame.TryStater. It checks, over every account:
// TotalIssuance == Σ(free + reserved); free >= ED unless something is
// reserved or free is zero; frozen == the largest lock or freeze; the
// holds sum to at most reserved; no more holds/freezes than allowed.
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	var sum scale.U128
	var err error
	ed := p.cfg.ExistentialDeposit
	frame.IteratePrefix(ctx, systemAccountPrefix, func(key, raw []byte) bool {
		var info frame.AccountInfo
		if e := scale.Decode(raw, &info); e != nil || len(key) < len(systemAccountPrefix)+16+32 {
			err = fmt.Errorf("%w: undecodable System.Account %x", ErrInvariant, key)
			return false
		}
		var who types.AccountID
		copy(who[:], key[len(key)-32:])
		a := info.Data
		sum = sum.SaturatingAdd(total(a))
		if !a.Free.IsZero() && a.Free.Lt(ed) && a.Reserved.IsZero() {
			err = fmt.Errorf("%w: %s holds dust %s", ErrInvariant, who, a.Free)
			return false
		}
		locks, holds, freezes := p.s.locks.Get(ctx, who), p.s.holds.Get(ctx, who), p.s.freezes.Get(ctx, who)
		if f := frozenAmount(locks, freezes); f != a.Frozen {
			err = fmt.Errorf("%w: %s frozen %s, locks/freezes say %s", ErrInvariant, who, a.Frozen, f)
			return false
		}
		var held scale.U128
		for _, h := range holds {
			held = held.SaturatingAdd(h.Amount)
		}
		if a.Reserved.Lt(held) || uint32(len(holds)) > p.cfg.MaxHolds || uint32(len(freezes)) > p.cfg.MaxFreezes {
			err = fmt.Errorf("%w: %s holds %s > reserved %s or too many holds/freezes", ErrInvariant, who, held, a.Reserved)
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	if ti := p.s.totalIssuance.Get(ctx); ti != sum {
		return fmt.Errorf("%w: TotalIssuance %s != sum of balances %s", ErrInvariant, ti, sum)
	}
	return nil
}
