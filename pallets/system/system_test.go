package system_test

import (
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

var (
	alice = types.AccountID{1}
	bob   = types.AccountID{2}
)

func version(name string, spec uint32) types.RuntimeVersion {
	return types.RuntimeVersion{SpecName: name, ImplName: "test", SpecVersion: spec, TransactionVersion: 1, SystemVersion: 1}
}

// newTestRuntime is a runtime of System alone, at block 1.
func newTestRuntime(t *testing.T) (*frametest.Env, *system.Pallet) {
	rt := frame.NewRuntime(frame.Config{Version: version("test", 5),
		Limits: frame.DefaultLimits(types.Weight{RefTime: 1e12, ProofSize: 5 << 20}, types.Weight{}, types.Weight{RefTime: 1e8}, 5<<20, 75)})
	sys := system.New()
	rt.Register(0, sys)
	env := frametest.New(t, rt).Genesis(`{"system":{}}`)
	env.StartBlock()
	return env, sys
}

func sysCall(idx uint8, args func(e *scale.Encoder)) []byte {
	e := scale.NewEncoder(32)
	e.PutU8(0)
	e.PutU8(idx)
	args(e)
	return e.Bytes()
}

func bytesArg(b []byte) func(*scale.Encoder) { return func(e *scale.Encoder) { e.PutBytes(b) } }

func TestGenesis(t *testing.T) {
	env, _ := newTestRuntime(t)
	if v, name, ok := env.RT.System().LastRuntimeUpgrade(env.Ctx); !ok || v != 5 || name != "test" {
		t.Fatalf("last upgrade %d %q %v", v, name, ok)
	}
	if h, ok := system.BlockHash.TryGet(env.Ctx, 0); !ok || h != env.Last.Hash() {
		t.Fatal("BlockHash(0) is not the genesis hash after block 1 started")
	}
	if err := env.RT.BuildGenesis(env.Ctx, []byte(`{"system":{"code":"0x00"}}`)); err == nil {
		t.Fatal("unknown system genesis field accepted")
	}
}

func TestRemark(t *testing.T) {
	env, _ := newTestRuntime(t)
	if err := env.Dispatch(frame.Signed(alice), sysCall(system.CallRemark, bytesArg([]byte("hi")))); err != nil {
		t.Fatal(err)
	}
	err := env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), sysCall(system.CallRemark, bytesArg(nil))) })
	if !errors.Is(err, frame.ErrBadOrigin) {
		t.Fatal(err)
	}
	if err := env.Dispatch(frame.Signed(alice), sysCall(system.CallRemarkWithEvent, bytesArg([]byte("hi")))); err != nil {
		t.Fatal(err)
	}
	env.RequireLastEvent(t, system.Name, system.Remarked{Sender: alice, Hash: types.Blake2b256([]byte("hi"))})
}

func TestSetCode(t *testing.T) {
	env, _ := newTestRuntime(t)
	good, older, other, garbage := []byte("code-v6"), []byte("code-v5"), []byte("other"), []byte("garbage")
	env.Host.Versions[string(good)] = scale.Encode(ptr(version("test", 6)))
	env.Host.Versions[string(older)] = scale.Encode(ptr(version("test", 5)))
	env.Host.Versions[string(other)] = scale.Encode(ptr(version("nope", 9)))
	cases := []struct {
		code []byte
		o    frame.Origin
		want error
	}{
		{good, frame.Signed(alice), frame.ErrBadOrigin},
		{older, frame.Root(), system.ErrSpecVersionNeedsToIncrease},
		{other, frame.Root(), system.ErrInvalidSpecName},
		{garbage, frame.Root(), system.ErrFailedToExtractRuntimeVersion},
	}
	for _, c := range cases {
		err := env.RequireNoop(t, func() error { return env.Dispatch(c.o, sysCall(system.CallSetCode, bytesArg(c.code))) })
		if !errors.Is(err, c.want) {
			t.Fatalf("%s: %v, want %v", c.code, err, c.want)
		}
	}
	if de := env.RT.DispatchError(system.ErrSpecVersionNeedsToIncrease); de != types.NewModuleError(0, 1) {
		t.Fatalf("%+v", de)
	}
	if err := env.Dispatch(frame.Root(), sysCall(system.CallSetCode, bytesArg(good))); err != nil {
		t.Fatal(err)
	}
	if c, _ := env.Host.StorageGet(system.KeyCode); string(c) != string(good) {
		t.Fatal(":code not written")
	}
	env.RequireLastEvent(t, system.Name, system.CodeUpdated{})
	d := system.Digest.Get(env.Ctx)
	if len(d) != 1 || d[0].Kind != types.DigestRuntimeEnvironmentUpdated {
		t.Fatalf("digest %+v", d)
	}
	h := env.FinishBlock()
	if len(h.Digest) != 1 {
		t.Fatal("header lacks RuntimeEnvironmentUpdated")
	}
	env.StartBlock()
	if err := env.Dispatch(frame.Root(), sysCall(system.CallSetCodeWithoutChecks, bytesArg(garbage))); err != nil {
		t.Fatal(err)
	}
	if c, _ := env.Host.StorageGet(system.KeyCode); string(c) != string(garbage) {
		t.Fatal(":code not written without checks")
	}
}

func ptr[T any](v T) *T { return &v }

func TestStorageCalls(t *testing.T) {
	env, _ := newTestRuntime(t)
	set := sysCall(system.CallSetStorage, func(e *scale.Encoder) {
		e.PutLen(3)
		for _, k := range []string{"pa", "pb", "q"} {
			e.PutBytes([]byte(k))
			e.PutBytes([]byte("v"))
		}
	})
	env.RequireNoop(t, func() error { return env.Dispatch(frame.Signed(alice), set) })
	if err := env.Dispatch(frame.Root(), set); err != nil || !env.Host.StorageExists([]byte("pb")) {
		t.Fatal(err)
	}
	if err := env.Dispatch(frame.Root(), sysCall(system.CallKillStorage, func(e *scale.Encoder) {
		e.PutLen(1)
		e.PutBytes([]byte("q"))
	})); err != nil || env.Host.StorageExists([]byte("q")) {
		t.Fatal("kill_storage", err)
	}
	if err := env.Dispatch(frame.Root(), sysCall(system.CallKillPrefix, func(e *scale.Encoder) {
		e.PutBytes([]byte("p"))
		e.PutU32(10)
	})); err != nil || env.Host.StorageExists([]byte("pa")) || env.Host.StorageExists([]byte("pb")) {
		t.Fatal("kill_prefix", err)
	}
	if err := env.Dispatch(frame.Root(), sysCall(system.CallSetHeapPages, func(e *scale.Encoder) { e.PutU64(4096) })); err != nil {
		t.Fatal(err)
	}
	if v, _ := env.Host.StorageGet(system.KeyHeapPages); len(v) != 8 || v[1] != 0x10 {
		t.Fatalf(":heappages %x", v)
	}
}

func TestRefCounts(t *testing.T) {
	env, sys := newTestRuntime(t)
	ctx := env.Ctx
	if err := sys.IncConsumers(ctx, alice); !errors.Is(err, frame.ErrNoProviders) {
		t.Fatal(err)
	}
	if !sys.IncProviders(ctx, alice) {
		t.Fatal("not created")
	}
	env.RequireLastEvent(t, system.Name, system.NewAccount{Account: alice})
	if sys.IncProviders(ctx, alice) {
		t.Fatal("created twice")
	}
	if err := sys.IncConsumers(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := sys.DecProviders(ctx, alice); err != nil { // 2 → 1
		t.Fatal(err)
	}
	err := env.RequireNoop(t, func() error { return sys.DecProviders(ctx, alice) })
	if !errors.Is(err, frame.ErrConsumerRemaining) {
		t.Fatal(err)
	}
	sys.DecConsumers(ctx, alice)
	if err := sys.DecProviders(ctx, alice); err != nil || sys.AccountExists(ctx, alice) {
		t.Fatal("not reaped", err)
	}
	env.RequireLastEvent(t, system.Name, system.KilledAccount{Account: alice})
	for i := uint32(0); i < system.MaxConsumers; i++ {
		sys.IncProviders(ctx, bob)
		if err := sys.IncConsumers(ctx, bob); err != nil {
			t.Fatal(err)
		}
	}
	if err := sys.IncConsumers(ctx, bob); !errors.Is(err, frame.ErrTooManyConsumers) {
		t.Fatal(err)
	}
	// sufficients
	c := types.AccountID{3}
	if !sys.IncSufficients(ctx, c) {
		t.Fatal("sufficient not created")
	}
	sys.DecSufficients(ctx, c)
	if sys.AccountExists(ctx, c) {
		t.Fatal("sufficient account not reaped")
	}
}

func TestTryMutateAccountData(t *testing.T) {
	env, sys := newTestRuntime(t)
	ctx := env.Ctx
	// no providers: data is not kept
	_ = sys.TryMutateAccountData(ctx, alice, func(d *frame.AccountData, exists bool) error {
		if exists {
			t.Fatal("exists")
		}
		d.Free = scale.FromUint64(5)
		return nil
	})
	if sys.AccountExists(ctx, alice) {
		t.Fatal("account without provider kept")
	}
	_ = sys.TryMutateAccountData(ctx, alice, func(d *frame.AccountData, exists bool) error {
		sys.IncProviders(ctx, alice)
		d.Free = scale.FromUint64(5)
		return nil
	})
	if a := system.Account.Get(ctx, alice); a.Providers != 1 || a.Data.Free != scale.FromUint64(5) {
		t.Fatalf("%+v", a)
	}
	boom := errors.New("boom")
	env.RequireNoop(t, func() error {
		return sys.TryMutateAccountData(ctx, alice, func(d *frame.AccountData, _ bool) error { d.Free = scale.U128{}; return boom })
	})
}

func TestBlockHashPruningAndPhases(t *testing.T) {
	env, _ := newTestRuntime(t)
	env.FinishBlock()
	system.BlockHash.Set(env.Ctx, 5, types.Hash{5})
	system.BlockHash.Set(env.Ctx, 6, types.Hash{6})
	env.Last.Number = 5 + system.BlockHashCount
	env.StartBlock() // number 4102: prunes 4102-4096-1 = 5
	env.FinishBlock()
	if system.BlockHash.Exists(env.Ctx, 5) || !system.BlockHash.Exists(env.Ctx, 6) {
		t.Fatal("pruning window wrong")
	}
	if _, ok := system.ExecutionPhase.TryGet(env.Ctx); ok {
		t.Fatal("phase left after finalize")
	}
	if system.Number.Get(env.Ctx) != 4102 {
		t.Fatal("number")
	}
}

func TestAuthorizedUpgrade(t *testing.T) {
	env, _ := newTestRuntime(t)
	code := []byte("code-v7")
	env.Host.Versions[string(code)] = scale.Encode(ptr(version("test", 7)))
	hash := types.Blake2b256(code)
	apply := sysCall(system.CallApplyAuthorizedUpgrade, bytesArg(code))
	if err := env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), apply) }); !errors.Is(err, system.ErrNothingAuthorized) {
		t.Fatal(err)
	}
	authorize := sysCall(system.CallAuthorizeUpgrade, func(e *scale.Encoder) { e.PutRaw(hash[:]) })
	env.RequireNoop(t, func() error { return env.Dispatch(frame.Signed(alice), authorize) })
	if err := env.Dispatch(frame.Root(), authorize); err != nil {
		t.Fatal(err)
	}
	env.RequireLastEvent(t, system.Name, system.UpgradeAuthorized{CodeHash: hash, CheckVersion: true})
	wrong := sysCall(system.CallApplyAuthorizedUpgrade, bytesArg([]byte("other")))
	if err := env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), wrong) }); !errors.Is(err, system.ErrUnauthorized) {
		t.Fatal(err)
	}
	// the pool accepts the bare call with the authorized code only
	if v := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, types.EncodeBareExtrinsic(apply), env.Last.Hash()); v.Err != nil || v.Valid.Priority != 100 {
		t.Fatalf("validate: %+v", v)
	}
	if v := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, types.EncodeBareExtrinsic(wrong), env.Last.Hash()); v.Err == nil {
		t.Fatal("wrong code accepted by the pool")
	}
	if r := env.Apply(types.EncodeBareExtrinsic(apply)); r.Invalid != nil || r.DispatchErr != nil {
		t.Fatalf("apply: %+v", r)
	}
	if c, _ := env.Host.StorageGet(system.KeyCode); string(c) != string(code) || system.AuthorizedUpgrade.Exists(env.Ctx) {
		t.Fatal("authorized upgrade not applied")
	}
	// a code failing the version check is rejected but the call succeeds
	old := []byte("code-v1")
	env.Host.Versions[string(old)] = scale.Encode(ptr(version("test", 1)))
	oh := types.Blake2b256(old)
	_ = env.Dispatch(frame.Root(), sysCall(system.CallAuthorizeUpgrade, func(e *scale.Encoder) { e.PutRaw(oh[:]) }))
	if err := env.Dispatch(frame.None(), sysCall(system.CallApplyAuthorizedUpgrade, bytesArg(old))); err != nil {
		t.Fatal(err)
	}
	env.RequireLastEvent(t, system.Name, system.RejectedInvalidAuthorizedUpgrade{CodeHash: oh, Error: types.NewModuleError(0, 1)})
}

func TestMetadataWellFormed(t *testing.T) {
	m := metadata.Build(metadata.RuntimeInfo{Crate: "test_runtime", Version: scale.Encode(ptr(version("test", 5)))},
		[]metadata.IndexedDescriber{{Index: 0, Pallet: system.New()}, {Index: 1, Pallet: timestamp.New(timestamp.Config{})}})
	for _, b := range [][]byte{m.V14(), m.V15()} {
		if _, np, err := metadata.Check(b); err != nil || np != 2 {
			t.Fatalf("%d pallets: %v", np, err)
		}
	}
	if len(m.Pallets[0].Constants) != 3 || m.Pallets[0].Constants[2].Name != "Version" {
		t.Fatal("System.Version constant missing")
	}
}
