package bench

import (
	"context"
	"fmt"
)

// Compare runs the MSC driver, then the geth driver, with the same load,
// one after the other on this machine. A driver that fails leaves its
// result nil and its error in errs (the other still runs).
func Compare(ctx context.Context, cfg Config) (msc, geth *Result, errs []error) {
	if err := cfg.fill(); err != nil {
		return nil, nil, []error{err}
	}
	// Install geth first so that its one-off compile does not overlap the
	// MSC measurement.
	_, gethErr := GethBinary(ctx, cfg)
	if gethErr != nil {
		errs = append(errs, fmt.Errorf("geth install: %w", gethErr))
	}
	var err error
	if msc, err = RunMSC(ctx, cfg); err != nil {
		errs = append(errs, fmt.Errorf("msc: %w", err))
	}
	if gethErr == nil && ctx.Err() == nil {
		if geth, err = RunGeth(ctx, cfg); err != nil {
			errs = append(errs, fmt.Errorf("geth: %w", err))
		}
	}
	return msc, geth, errs
}
