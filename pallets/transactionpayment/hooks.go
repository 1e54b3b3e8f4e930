package transactionpayment

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// ErrInvariant reports a broken invariant found by TryState or IntegrityTest.
var ErrInvariant = errors.New("transactionpayment: invariant broken")

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.Currency == nil {
		return fmt.Errorf("%w: Config.Currency is nil", ErrInvariant)
	}
	return nil
}

// TryState implements frame.TryStater: the multiplier is never zero (a
// zero multiplier would make weight free).
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	if p.s.nextFeeMultiplier.Get(ctx).Inner.IsZero() {
		return fmt.Errorf("%w: NextFeeMultiplier is zero", ErrInvariant)
	}
	return nil
}

// The multiplier stays at 1.0: MSC does not adjust fees to congestion yet
// (Substrate's TargetedFeeAdjustment would update it in on_finalize).
