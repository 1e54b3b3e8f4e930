package aura

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Runtime API entry points this package reads (API "AuraApi" v1 and
// "AuraEquivocationApi" v1).
const (
	APISlotDuration       = "AuraApi_slot_duration"
	APIAuthorities        = "AuraApi_authorities"
	APIReportEquivocation = "AuraEquivocationApi_report_extrinsic"
)

// maxAuthorities bounds a decoded authority list (far above any real set).
const maxAuthorities = 100_000

// Caller runs a runtime API at a block; *chain.Chain is one.
type Caller interface {
	Call(ctx context.Context, at types.Hash, method string, input []byte) ([]byte, error)
}

// RuntimeAuthorities returns an AuthoritiesFunc that calls
// AuraApi_authorities on c at the given block.
func RuntimeAuthorities(c Caller) AuthoritiesFunc {
	return func(at types.Hash) ([][32]byte, error) {
		out, err := c.Call(context.Background(), at, APIAuthorities, nil)
		if err != nil {
			return nil, err
		}
		return DecodeAuthorities(out)
	}
}

// DecodeAuthorities decodes a Vec<[u8; 32]> of sr25519 public keys.
func DecodeAuthorities(b []byte) ([][32]byte, error) {
	d := scale.NewDecoder(b)
	n := d.Len(32)
	if n > maxAuthorities {
		return nil, fmt.Errorf("%w: %d authorities", ErrBadRuntimeAnswer, n)
	}
	out := make([][32]byte, n)
	for i := range out {
		out[i] = d.Fixed32()
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: authorities: %w", ErrBadRuntimeAnswer, err)
	}
	return out, nil
}

// RuntimeSlotDuration reads AuraApi_slot_duration (u64 ms) at block at.
func RuntimeSlotDuration(ctx context.Context, c Caller, at types.Hash) (time.Duration, error) {
	out, err := c.Call(ctx, at, APISlotDuration, nil)
	if err != nil {
		return 0, err
	}
	d := scale.NewDecoder(out)
	ms := d.U64()
	if err := d.Finish(); err != nil {
		return 0, fmt.Errorf("%w: slot duration: %w", ErrBadRuntimeAnswer, err)
	}
	// Zero would divide by zero; a day is far beyond any real chain and
	// keeps the Duration from overflowing.
	if ms == 0 || ms > uint64(24*time.Hour/time.Millisecond) {
		return 0, fmt.Errorf("%w: slot duration of %d ms", ErrBadRuntimeAnswer, ms)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// ReportExtrinsic asks the runtime at block at to turn an encoded
// EquivocationProof into its unsigned report extrinsic
// (AuraEquivocationApi_report_extrinsic → Option<Vec<u8>>). ok is false
// when the runtime declines (e.g. the offender is not an authority there).
func ReportExtrinsic(ctx context.Context, c Caller, at types.Hash, proof []byte) (ext []byte, ok bool, err error) {
	out, err := c.Call(ctx, at, APIReportEquivocation, proof)
	if err != nil {
		return nil, false, err
	}
	d := scale.NewDecoder(out)
	if ok = d.Option(); ok {
		ext = d.Bytes()
	}
	if err := d.Finish(); err != nil {
		return nil, false, fmt.Errorf("%w: report extrinsic: %w", ErrBadRuntimeAnswer, err)
	}
	return ext, ok, nil
}

// Reporter returns a VerifierConfig.Report that, in its own goroutine,
// turns each proof into the runtime's report extrinsic at the block best()
// returns (ReportExtrinsic) and hands it to submit (the node's pool, as a
// local transaction). Failures are logged: a report is best effort.
func Reporter(c Caller, best func() types.Hash, submit func(ext []byte) error, log *slog.Logger) func(proof []byte) {
	if log == nil {
		log = slog.Default()
	}
	return func(proof []byte) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ext, ok, err := ReportExtrinsic(ctx, c, best(), proof)
			switch {
			case err != nil:
				log.Warn("aura: equivocation report not built", "err", err)
			case !ok:
				log.Warn("aura: the runtime declined an equivocation report")
			default:
				if err := submit(ext); err != nil {
					log.Warn("aura: equivocation report not submitted", "err", err)
					return
				}
				log.Info("aura: equivocation report submitted")
			}
		}()
	}
}
