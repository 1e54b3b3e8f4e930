package frame_test

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

var (
	kAlice = frametest.NewKey("//Alice")
	kBob   = frametest.NewKey("//Bob")
)

func immortal(nonce uint32) frame.Extra { return frame.Extra{Era: types.ImmortalEra, Nonce: nonce} }

func inherents(env *frametest.Env, ms uint64) [][]byte {
	return env.RT.InherentExtrinsics(env.Ctx, timestamp.InherentData(ms))
}

func mustApply(t *testing.T, env *frametest.Env, xt []byte) *types.DispatchError {
	t.Helper()
	r := env.Apply(xt)
	if r.Invalid != nil {
		t.Fatalf("apply: invalid %v", r.Invalid)
	}
	return r.DispatchErr
}

func TestDispatchOriginsAndRollback(t *testing.T) {
	env := newEnv(t, kAlice)
	env.StartBlock()
	env.RequireNoop(t, func() error { return env.Dispatch(frame.None(), counterCall(0, 1)) })
	err := env.RequireNoop(t, func() error { return env.Dispatch(frame.Signed(kAlice.Account), counterCall(2, 5)) })
	if !errors.Is(err, frame.ErrBadOrigin) {
		t.Fatalf("root_only by signed: %v", err)
	}
	if err := env.Dispatch(frame.Root(), counterCall(2, 5)); err != nil || counterValue.Get(env.Ctx) != 5 {
		t.Fatalf("root_only by root: %v", err)
	}
	err = env.RequireNoop(t, func() error { return env.Dispatch(frame.Signed(kAlice.Account), counterCall(1, 0)) })
	if !errors.Is(err, errCounterFail) {
		t.Fatalf("fail: %v", err)
	}
	if de := env.RT.DispatchError(err); de != types.NewModuleError(9, 1) {
		t.Fatalf("dispatch error %+v", de)
	}
	if de := env.RT.DispatchError(frame.ErrBadOrigin); de.Kind != types.DispatchBadOrigin {
		t.Fatalf("bad origin %+v", de)
	}
	// unknown pallet / call / bad args
	for _, c := range [][]byte{{42, 0}, {9, 77}, {9, 0, 1}} {
		if _, err := env.RT.DecodeCallBytes(c); err == nil {
			t.Fatalf("decoded %x", c)
		}
	}
	if err := env.Dispatch(frame.Signed(kAlice.Account), counterCall(0, 3)); err != nil {
		t.Fatal(err)
	}
	env.RequireLastEvent(t, counterName, incremented{kAlice.Account, 8})
}

func TestApplyEventsPhasesAndFees(t *testing.T) {
	env := newEnv(t, kAlice)
	env.StartBlock()
	for _, xt := range inherents(env, 1_000) {
		if de := mustApply(t, env, xt); de != nil {
			t.Fatalf("inherent failed: %v", de)
		}
	}
	if de := mustApply(t, env, env.Sign(kAlice, immortal(0), counterCall(0, 2))); de != nil {
		t.Fatal(de)
	}
	before := system.Account.Get(env.Ctx, kAlice.Account)
	xt := env.Sign(kAlice, immortal(1), counterCall(1, 0))
	de := mustApply(t, env, xt)
	if de == nil || *de != types.NewModuleError(9, 1) {
		t.Fatalf("want Counter.Fail, got %v", de)
	}
	after := system.Account.Get(env.Ctx, kAlice.Account)
	if after.Nonce != 2 || counterValue.Get(env.Ctx) != 2 {
		t.Fatalf("nonce %d counter %d", after.Nonce, counterValue.Get(env.Ctx))
	}
	paid, _ := before.Data.Free.Sub(after.Data.Free)
	if paid != scale.FromUint64(feeBase+uint64(len(xt))) {
		t.Fatalf("fee %v", paid)
	}
	// actual weight + pays no: full refund, event info reflects post info
	if de := mustApply(t, env, env.Sign(kAlice, immortal(2), counterCall(4, 0))); de != nil {
		t.Fatal(de)
	}
	evs := env.Events()
	want := []struct {
		phase frame.Phase
		event []byte
	}{
		{frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 0}, env.EncodeEvent(system.Name, system.ExtrinsicSuccess{DispatchInfo: frame.DispatchInfo{
			Weight: types.Weight{RefTime: 10_000_000 + 50_000_000 + 125_000_000}, Class: frame.Mandatory}})},
		{frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1}, env.EncodeEvent(counterName, incremented{kAlice.Account, 2})},
		{frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1}, nil},
		{frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 2}, env.EncodeEvent(system.Name, system.ExtrinsicFailed{
			DispatchError: types.NewModuleError(9, 1), DispatchInfo: frame.DispatchInfo{Weight: types.Weight{RefTime: 1_000_000 + 125_000_000}}})},
		{frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 3}, env.EncodeEvent(system.Name, system.ExtrinsicSuccess{DispatchInfo: frame.DispatchInfo{
			Weight: types.Weight{RefTime: 1_000 + 125_000_000}, PaysFee: frame.PaysNo}})},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d", len(evs), len(want))
	}
	for i, w := range want {
		if evs[i].Phase != w.phase {
			t.Errorf("event %d phase %+v want %+v", i, evs[i].Phase, w.phase)
		}
		if w.event != nil && string(evs[i].Event) != string(w.event) {
			t.Errorf("event %d = %x want %x", i, evs[i].Event, w.event)
		}
	}
	if paidAll, _ := after.Data.Free.Sub(system.Account.Get(env.Ctx, kAlice.Account).Data.Free); !paidAll.IsZero() {
		t.Fatalf("pays-no call charged %v", paidAll)
	}
	bw := system.BlockWeight.Get(env.Ctx)
	if bw[frame.Normal].RefTime != 3*125_000_000+1_000_000+1_000_000+1_000 {
		t.Fatalf("normal block weight %d", bw[frame.Normal].RefTime)
	}
	env.FinishBlock()
	if system.ExtrinsicData.Exists(env.Ctx, 0) || system.ExtrinsicCount.Exists(env.Ctx) {
		t.Fatal("extrinsic data left after finalize")
	}
}

// block builds block 1 on env (at genesis) with the timestamp inherent
// and the extrinsics made by mk, and returns it with a copy of the
// genesis state.
func buildBlock(t *testing.T, env *frametest.Env, mk func() [][]byte) (types.Block, *frametest.Host) {
	return buildBlockAt(t, env, 1_000, mk)
}

func buildBlockAt(t *testing.T, env *frametest.Env, ms uint64, mk func() [][]byte) (types.Block, *frametest.Host) {
	t.Helper()
	genesis := env.Host.Clone()
	env.StartBlock()
	xts := inherents(env, ms)
	xts = append(xts, mk()...)
	for _, xt := range xts {
		mustApply(t, env, xt)
	}
	h := env.FinishBlock()
	return types.Block{Header: h, Extrinsics: xts}, genesis
}

func execute(env *frametest.Env, st *frametest.Host, b types.Block) error {
	return env.RT.ExecuteBlock(env.RT.NewContext(st), &b)
}

func TestBuildAndExecuteBlock(t *testing.T) {
	env := newEnv(t, kAlice, kBob)
	b, genesis := buildBlock(t, env, func() [][]byte {
		return [][]byte{
			env.Sign(kAlice, immortal(0), counterCall(0, 1)),
			env.Sign(kBob, immortal(0), counterCall(0, 2)),
			env.Sign(kAlice, immortal(1), counterCall(1, 0)), // included, call fails
		}
	})
	if b.Header.ExtrinsicsRoot != env.Host.TrieBlake2OrderedRoot(b.Extrinsics, 0) || b.Header.Number != 1 ||
		b.Header.ParentHash != env.Last.ParentHash {
		t.Fatalf("header %+v", b.Header)
	}
	st := genesis.Clone()
	if err := execute(env, st, b); err != nil {
		t.Fatalf("execute: %v", err)
	}
	if st.StorageRoot() != b.Header.StateRoot || st.StorageRoot() != env.Host.StorageRoot() {
		t.Fatal("executed state differs from built state")
	}
	// round trip through the wire encoding
	var back types.Block
	if err := scale.Decode(scale.Encode(&b), &back); err != nil {
		t.Fatal(err)
	}
	if err := execute(env, genesis.Clone(), back); err != nil {
		t.Fatalf("execute decoded: %v", err)
	}

	tamper := func(name string, want error, f func(b *types.Block)) {
		t.Run(name, func(t *testing.T) {
			bb := b
			bb.Extrinsics = append([][]byte(nil), b.Extrinsics...)
			f(&bb)
			st := genesis.Clone()
			before := st.Snapshot()
			err := execute(env, st, bb)
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
			if st.Depth() != 0 {
				t.Fatalf("%d transactions open", st.Depth())
			}
			if st.StorageRoot() != genesis.StorageRoot() || len(st.Snapshot()) != len(before) {
				t.Fatalf("failed block left state behind: %d keys, was %d", len(st.Snapshot()), len(before))
			}
		})
	}
	tamper("state root", frame.ErrStateRootMismatch, func(b *types.Block) { b.Header.StateRoot[0] ^= 1 })
	tamper("extrinsics root", frame.ErrExtrinsicsRootMismatch, func(b *types.Block) { b.Header.ExtrinsicsRoot[0] ^= 1 })
	tamper("digest", frame.ErrDigestMismatch, func(b *types.Block) {
		b.Header.Digest = []types.DigestItem{{Kind: types.DigestOther, Data: []byte{1}}}
	})
	tamper("pre-runtime digest", frame.ErrStateRootMismatch, func(b *types.Block) {
		b.Header.Digest = []types.DigestItem{{Kind: types.DigestPreRuntime, Engine: types.EngineAura, Data: []byte{1}}}
	})
	tamper("missing timestamp", timestamp.ErrNotUpdated, func(b *types.Block) { b.Extrinsics = b.Extrinsics[1:] })
	tamper("inherent after signed", frame.ErrInherentAfterSigned, func(b *types.Block) {
		b.Extrinsics[0], b.Extrinsics[1] = b.Extrinsics[1], b.Extrinsics[0]
	})
	tamper("bad signature", frame.ErrInvalidExtrinsic, func(b *types.Block) {
		xt := append([]byte(nil), b.Extrinsics[1]...)
		xt[40] ^= 1 // inside the signature
		b.Extrinsics[1] = xt
	})
	tamper("replayed nonce", frame.ErrInvalidExtrinsic, func(b *types.Block) {
		b.Extrinsics = append(b.Extrinsics, b.Extrinsics[1])
	})
}

func TestApplyValidityErrors(t *testing.T) {
	env := newEnv(t, kAlice)
	env.StartBlock()
	for _, xt := range inherents(env, 1_000) {
		mustApply(t, env, xt)
	}
	mustApply(t, env, env.Sign(kAlice, immortal(0), counterCall(0, 1)))
	nobody := frametest.NewKey("//Nobody")
	sig := env.Sign(kAlice, immortal(1), counterCall(0, 1))
	bad := append([]byte(nil), sig...)
	bad[40] ^= 1
	imp, _ := env.RT.Implicit(env.Ctx, &frame.Extra{Era: types.ImmortalEra})
	big := scale.NewEncoder(4<<20 + 8)
	big.PutU8(0)
	big.PutU8(system.CallRemark)
	big.PutBytes(make([]byte, 4<<20)) // > 75% of 5 MiB
	cases := []struct {
		name string
		xt   []byte
		kind uint8
	}{
		{"over length", env.Sign(kAlice, immortal(1), big.Bytes()), types.InvalidExhaustsResources},
		{"bad proof", bad, types.InvalidBadProof},
		{"stale", env.Sign(kAlice, immortal(0), counterCall(0, 1)), types.InvalidStale},
		{"future", env.Sign(kAlice, immortal(5), counterCall(0, 1)), types.InvalidFuture},
		{"no account", env.Sign(nobody, immortal(0), counterCall(0, 1)), types.InvalidPayment},
		{"over weight", env.Sign(kAlice, immortal(1), counterCall(3, 0)), types.InvalidExhaustsResources},
		{"ancient birth", frametest.SignWith(kAlice, frame.Extra{Era: types.NewMortalEra(1, 4), Nonce: 1}, imp, counterCall(0, 1)), types.InvalidAncientBirthBlock},
		{"wrong genesis", frametest.SignWith(kAlice, immortal(1), append([]byte{9}, imp[1:]...), counterCall(0, 1)), types.InvalidBadProof},
		{"second timestamp", inherents(env, 5_000)[0], types.InvalidBadMandatory},
		{"garbage", []byte{4, 0x84, 0, 0}, types.InvalidCall},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := env.Host.Snapshot()
			r := env.Apply(c.xt)
			if r.Invalid == nil || !r.Invalid.Invalid || r.Invalid.Kind != c.kind {
				t.Fatalf("got %+v want Invalid kind %d", r.Invalid, c.kind)
			}
			if len(env.Host.Snapshot()) != len(before) || env.Host.StorageRoot() != frametest.NewHostFrom(before).StorageRoot() {
				t.Fatal("invalid extrinsic changed state")
			}
		})
	}
	poor := frametest.NewKey("//Poor")
	system.Account.Set(env.Ctx, poor.Account, frame.AccountInfo{Providers: 1, Data: frame.AccountData{Free: scale.FromUint64(10)}})
	if r := env.Apply(env.Sign(poor, immortal(0), counterCall(0, 1))); r.Invalid == nil || r.Invalid.Kind != types.InvalidPayment {
		t.Fatalf("poor: %+v", r.Invalid)
	}
}

func TestValidateTransaction(t *testing.T) {
	env := newEnv(t, kAlice)
	b, _ := buildBlock(t, env, func() [][]byte { return [][]byte{env.Sign(kAlice, immortal(0), counterCall(0, 1))} })
	hash := b.Header.Hash()
	// now at block 1; the pool validates against it (as if for block 2).
	env.StartBlock()
	for _, x := range inherents(env, 2_000) {
		mustApply(t, env, x)
	}
	xt := env.Sign(kAlice, immortal(1), counterCall(0, 1))
	env.FinishBlock()
	_ = hash
	before := env.Host.StorageRoot()
	v := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, xt, env.Last.Hash())
	if v.Err != nil {
		t.Fatalf("valid tx rejected: %v", v.Err)
	}
	if env.Host.StorageRoot() != before {
		t.Fatal("validate_transaction changed state")
	}
	if len(v.Valid.Provides) != 1 || len(v.Valid.Requires) != 0 || v.Valid.Priority == 0 || v.Valid.Longevity != ^uint64(0)-3 {
		t.Fatalf("%+v", v.Valid)
	}
	fut := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, env.Sign(kAlice, immortal(3), counterCall(0, 1)), env.Last.Hash())
	if fut.Err != nil || len(fut.Valid.Requires) != 1 {
		t.Fatalf("future nonce: %+v %v", fut.Valid, fut.Err)
	}
	stale := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, env.Sign(kAlice, immortal(0), counterCall(0, 1)), env.Last.Hash())
	if stale.Err == nil || stale.Err.Kind != types.InvalidStale {
		t.Fatalf("stale: %v", stale.Err)
	}
	inh := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, inherents(env, 9_000)[0], env.Last.Hash())
	if inh.Err == nil || inh.Err.Kind != types.InvalidMandatoryValidation {
		t.Fatalf("inherent in pool: %v", inh.Err)
	}
	mortal := frame.Extra{Era: types.NewMortalEra(1, 64), Nonce: 1}
	mv := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, env.Sign(kAlice, mortal, counterCall(0, 1)), env.Last.Hash())
	if mv.Err != nil || mv.Valid.Longevity != 1+64-3 {
		t.Fatalf("mortal: %+v %v", mv.Valid, mv.Err)
	}
}

func TestCheckInherents(t *testing.T) {
	env := newEnv(t, kAlice)
	b, genesis := buildBlockAt(t, env, 100_000, func() [][]byte { return nil })
	ctx := env.RT.NewContext(genesis)
	if r := env.RT.CheckInherents(ctx, &b, timestamp.InherentData(100_000)); !r.Okay {
		t.Fatalf("check failed: %+v", r)
	}
	if r := env.RT.CheckInherents(ctx, &b, timestamp.InherentData(100_000-timestamp.MaxTimestampDriftMillis-1)); r.Okay || !r.FatalError {
		t.Fatalf("too far in future accepted: %+v", r)
	}
}

// TestMortalEraExpires: a transaction signed for a 4-block era born at
// block 0 is valid in block 1..3 and becomes BadProof once its birth block
// moves (Substrate reports an expired mortal transaction that way).
func TestMortalEraExpires(t *testing.T) {
	env := newEnv(t, kAlice)
	env.StartBlock()
	era := types.NewMortalEra(0, 4)
	xt := env.Sign(kAlice, frame.Extra{Era: era, Nonce: 0}, counterCall(0, 1))
	v := env.RT.ValidateTransaction(env.Ctx, types.SourceExternal, xt, env.Last.Hash())
	if v.Err != nil {
		t.Fatalf("fresh mortal tx: %v", v.Err)
	}
	for n := uint64(1); n <= 4; n++ {
		for _, x := range inherents(env, 1000*n) {
			mustApply(t, env, x)
		}
		env.NextBlock()
	}
	// block 5: birth(5) = 4, whose hash the signature does not cover
	r := env.Apply(xt)
	if r.Invalid == nil || r.Invalid.Kind != types.InvalidBadProof {
		t.Fatalf("expired era: %+v", r.Invalid)
	}
}

// TestInherentAfterSignedIsRejectedWhileBuilding: once a non-inherent was
// applied, an inherent is BadMandatory (System.InherentsApplied).
func TestInherentAfterSignedIsRejectedWhileBuilding(t *testing.T) {
	env := newEnv(t, kAlice)
	env.StartBlock()
	mustApply(t, env, env.Sign(kAlice, immortal(0), counterCall(0, 1)))
	before := env.Host.StorageRoot()
	r := env.Apply(inherents(env, 1_000)[0])
	if r.Invalid == nil || r.Invalid.Kind != types.InvalidBadMandatory || env.Host.StorageRoot() != before {
		t.Fatalf("late inherent: %+v", r.Invalid)
	}
}
