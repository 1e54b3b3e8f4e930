package timestamp_test

import (
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func newTestRuntime(t *testing.T) (*frametest.Env, *timestamp.Pallet) {
	rt := frame.NewRuntime(frame.Config{
		Version: types.RuntimeVersion{SpecName: "t", SpecVersion: 1, SystemVersion: 1},
		Limits:  frame.DefaultLimits(types.Weight{RefTime: 1e12, ProofSize: 1 << 20}, types.Weight{}, types.Weight{RefTime: 1e8}, 1<<20, 75),
	})
	ts := timestamp.New(timestamp.Config{})
	rt.Register(0, system.New())
	rt.Register(3, ts)
	env := frametest.New(t, rt).Genesis("")
	env.StartBlock()
	return env, ts
}

func setCall(ms uint64) []byte {
	e := scale.NewEncoder(10)
	e.PutU8(3)
	e.PutU8(timestamp.CallSet)
	e.PutCompact(ms)
	return e.Bytes()
}

func TestSetOncePerBlockAndMonotonic(t *testing.T) {
	env, ts := newTestRuntime(t)
	if ts.MinimumPeriod() != 500 {
		t.Fatal("minimum period")
	}
	if err := env.RequireNoop(t, func() error { return env.Dispatch(frame.Signed(types.AccountID{1}), setCall(1000)) }); !errors.Is(err, frame.ErrBadOrigin) {
		t.Fatal(err)
	}
	if err := env.Dispatch(frame.None(), setCall(1000)); err != nil {
		t.Fatal(err)
	}
	if err := env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), setCall(2000)) }); !errors.Is(err, timestamp.ErrAlreadyUpdated) {
		t.Fatal(err)
	}
	env.FinishBlock()
	if ts.Get(env.Ctx) != 1000 || timestamp.DidUpdate.Exists(env.Ctx) {
		t.Fatal("state after block")
	}
	env.StartBlock()
	if err := env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), setCall(1499)) }); !errors.Is(err, timestamp.ErrTooEarly) {
		t.Fatal(err)
	}
	if err := env.Dispatch(frame.None(), setCall(1500)); err != nil {
		t.Fatal(err)
	}
	env.FinishBlock()
	env.StartBlock()
	if _, err := env.RT.FinalizeBlock(env.Ctx); !errors.Is(err, timestamp.ErrNotUpdated) {
		t.Fatalf("block without timestamp finalized: %v", err)
	}
}

func TestInherents(t *testing.T) {
	env, ts := newTestRuntime(t)
	timestamp.Now.Set(env.Ctx, 10_000)
	xts := env.RT.InherentExtrinsics(env.Ctx, timestamp.InherentData(9_000))
	if len(xts) != 1 {
		t.Fatal("no inherent")
	}
	if r := env.Apply(xts[0]); r.Invalid != nil || r.DispatchErr != nil {
		t.Fatalf("%+v", r)
	}
	if ts.Get(env.Ctx) != 10_500 {
		t.Fatalf("created inherent did not respect MinimumPeriod: %d", ts.Get(env.Ctx))
	}
	if n := env.RT.InherentExtrinsics(env.Ctx, &frame.InherentData{}); len(n) != 0 {
		t.Fatal("inherent without data")
	}
	// check_inherents on a block carrying set(t)
	check := func(tm, local uint64) frame.CheckInherentsResult {
		b := types.Block{Extrinsics: [][]byte{types.EncodeBareExtrinsic(setCall(tm))}}
		return env.RT.CheckInherents(env.Ctx, &b, timestamp.InherentData(local))
	}
	if r := check(11_000, 11_000); !r.Okay {
		t.Fatalf("good: %+v", r)
	}
	r := check(11_000+timestamp.MaxTimestampDriftMillis+1, 11_000)
	if d, _ := r.Errors.Get(timestamp.InherentID); r.Okay || !r.FatalError || len(d) != 1 || d[0] != timestamp.InherentTooFarInFuture {
		t.Fatalf("future: %+v", r)
	}
	r = check(10_600, 11_000) // Now is 10_500: needs >= 11_000
	if d, _ := r.Errors.Get(timestamp.InherentID); r.Okay || len(d) != 1 || d[0] != timestamp.InherentTooEarly {
		t.Fatalf("early: %+v", r)
	}
	if r := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, xts[0], types.Hash{}); r.Err == nil || r.Err.Kind != types.InvalidMandatoryValidation {
		t.Fatalf("inherent accepted by pool: %+v", r)
	}
}
