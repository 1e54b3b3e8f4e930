package frame_test

import (
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// hooks is a pallet that records its hooks as events.
type hooks struct{ upgrades *int }

type hookEvent uint8

func (h hookEvent) EncodeTo(e *scale.Encoder) { e.PutU8(uint8(h)) }

func (hooks) Name() string           { return "Hooks" }
func (hooks) Calls() []frame.CallDef { return nil }
func (hooks) StorageVersion() uint16 { return 3 }
func (hooks) OnInitialize(ctx *frame.Context, n types.BlockNumber) types.Weight {
	ctx.Deposit("Hooks", hookEvent(0))
	return types.Weight{RefTime: 7}
}
func (hooks) OnFinalize(ctx *frame.Context, n types.BlockNumber) error {
	ctx.Deposit("Hooks", hookEvent(1))
	return nil
}
func (h hooks) OnRuntimeUpgrade(ctx *frame.Context) types.Weight {
	*h.upgrades++
	frame.SetStorageVersion(ctx, "Hooks", 3)
	ctx.Deposit("Hooks", hookEvent(2))
	return types.Weight{}
}

func TestHooksPhasesAndUpgrade(t *testing.T) {
	n := 0
	rt, _ := testRuntime()
	rt.Register(10, hooks{&n})
	env := frametest.New(t, rt).Genesis("")
	if frame.GetStorageVersion(env.Ctx, "Hooks") != 3 {
		t.Fatal("genesis did not write the storage version")
	}
	env.StartBlock()
	for _, x := range inherents(env, 1000) {
		mustApply(t, env, x)
	}
	if n != 0 {
		t.Fatal("upgrade hook ran without an upgrade")
	}
	bw := system.BlockWeight.Get(env.Ctx)
	if bw[frame.Mandatory].RefTime < 5_000_000_000+7 {
		t.Fatalf("on_initialize weight not counted: %d", bw[frame.Mandatory].RefTime)
	}
	env.FinishBlock()
	evs := env.Ctx.Events()
	first, last := evs[0], evs[len(evs)-1]
	if first.Phase.Kind != frame.PhaseInitialization || string(first.Event) != "\x0a\x00" {
		t.Fatalf("first event %+v", first)
	}
	if last.Phase.Kind != frame.PhaseFinalization || string(last.Event) != "\x0a\x01" {
		t.Fatalf("last event %+v", last)
	}
	// pretend the chain ran an older runtime
	system.LastRuntimeUpgrade.Set(env.Ctx, system.LastRuntimeUpgradeInfo{SpecVersion: 0, SpecName: "test"})
	frame.SetStorageVersion(env.Ctx, "Hooks", 2)
	env.Last = types.Header{Number: 1}
	env.StartBlock()
	if n != 1 || frame.GetStorageVersion(env.Ctx, "Hooks") != 3 {
		t.Fatalf("upgrade hook ran %d times", n)
	}
	if v, _, _ := env.RT.System().LastRuntimeUpgrade(env.Ctx); v != 1 {
		t.Fatal("LastRuntimeUpgrade not updated")
	}
	if env.Ctx.Events()[0].Event[1] != 2 {
		t.Fatal("upgrade event not kept")
	}
}
