package session

import (
	"errors"
	"slices"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func TestGenesisSetsValidatorsAndTellsHandlers(t *testing.T) {
	r := newTestRuntime(t).Validator(alice).Validator(bob).Build()
	ctx := r.ctx()
	if vs := r.p.Validators(ctx); !slices.Equal(vs, []types.AccountID{alice, bob}) {
		t.Fatalf("validators %v", vs)
	}
	if len(r.aura.genesis) != 2 || r.aura.genesis[1] != keysOf(bob).Aura || r.grandpa.genesis[0] != keysOf(alice).Grandpa {
		t.Fatalf("handlers %x %x", r.aura.genesis, r.grandpa.genesis)
	}
	if !slices.Equal(r.m.calls, []string{"new 0", "new 1", "start 0"}) {
		t.Fatalf("manager calls %v", r.m.calls)
	}
	if who, ok := r.p.KeyOwner(ctx, KeyTypeGrandpa, sl(keysOf(bob).Grandpa)); !ok || who != bob {
		t.Fatal("KeyOwner of bob's grandpa key")
	}
	// Genesis accounts without a balance got a provider, and keys a consumer.
	if acc := r.sys.Account(ctx, alice); acc.Providers != 1 || acc.Consumers != 1 {
		t.Fatalf("alice %+v", acc)
	}
}

func sl(k [32]byte) []byte { return k[:] }

func TestRotationEveryPeriod(t *testing.T) {
	r := newTestRuntime(t).Validator(alice).Validator(bob).Period(3).Plan(2, bob).Build()
	r.m.calls = nil
	r.advance(3) // block 3 rotates: session 1 (queued set = genesis set)
	ctx := r.ctx()
	if r.p.CurrentIndex(ctx) != 1 || r.aura.count != 1 || r.aura.changed {
		t.Fatalf("session %d, handler calls %d changed %v", r.p.CurrentIndex(ctx), r.aura.count, r.aura.changed)
	}
	r.env.RequireLastEvent(t, PalletName, EventNewSession{SessionIndex: 1})
	if !slices.Equal(r.m.calls, []string{"end 0", "start 1", "new 2"}) {
		t.Fatalf("calls %v", r.m.calls)
	}
	// Session 2 was planned as {bob}: queued now, current at block 6.
	if q := r.p.QueuedKeys(ctx); len(q) != 1 || q[0].Who != bob {
		t.Fatalf("queued %v", q)
	}
	r.advance(6)
	if vs := r.p.Validators(r.ctx()); !slices.Equal(vs, []types.AccountID{bob}) || !r.grandpa.changed ||
		len(r.grandpa.last) != 1 || r.grandpa.last[0] != keysOf(bob).Grandpa || r.grandpa.index != 2 {
		t.Fatalf("validators %v, grandpa changed %v %x", vs, r.grandpa.changed, r.grandpa.last)
	}
	r.advance(8)
	if r.p.CurrentIndex(r.ctx()) != 2 {
		t.Fatal("rotated before the period")
	}
}

func TestSetKeysUsedTwoSessionsLater(t *testing.T) {
	r := newTestRuntime(t).Validator(alice).Period(2).Build()
	nk := keysOf(charlie)
	r.requireOK(frame.Signed(alice), CallSetKeys, &SetKeysArgs{Keys: nk})
	ctx := r.ctx()
	// The old keys lost their owner, the new ones have it.
	if _, ok := r.p.KeyOwner(ctx, KeyTypeAura, sl(keysOf(alice).Aura)); ok {
		t.Fatal("old key still owned")
	}
	if who, ok := r.p.KeyOwner(ctx, KeyTypeAura, sl(nk.Aura)); !ok || who != alice {
		t.Fatal("new key not owned")
	}
	r.advance(2) // session 1: current keys are still the genesis ones
	if r.aura.last[0] != keysOf(alice).Aura || !r.p.s.queuedChanged.Get(r.ctx()) {
		t.Fatalf("session 1 keys %x", r.aura.last)
	}
	r.advance(4) // session 2: the new keys
	if r.aura.last[0] != nk.Aura || !r.aura.changed {
		t.Fatalf("session 2 keys %x changed %v", r.aura.last, r.aura.changed)
	}
}

func TestSetKeysErrors(t *testing.T) {
	r := newTestRuntime(t).Validator(alice).Funded(bob).Build()
	// Another account's key.
	stolen := keysOf(bob)
	stolen.Grandpa = keysOf(alice).Grandpa
	r.requireNoop(ErrDuplicatedKey, frame.Signed(bob), CallSetKeys, &SetKeysArgs{Keys: stolen})
	// An account that does not exist cannot hold keys.
	r.requireNoop(ErrNoAccount, frame.Signed(dave), CallSetKeys, &SetKeysArgs{Keys: keysOf(dave)})
	r.requireNoop(frame.ErrBadOrigin, frame.Root(), CallSetKeys, &SetKeysArgs{Keys: keysOf(bob)})
	r.requireNoop(ErrNoKeys, frame.Signed(bob), CallPurgeKeys, nil)
	// A too long proof does not decode.
	err := r.env.Dispatch(frame.Signed(bob), call(CallSetKeys, &SetKeysArgs{Keys: keysOf(bob), Proof: make([]byte, MaxProofLen+1)}))
	if !errors.Is(err, frame.ErrBadCallArgs) {
		t.Fatalf("long proof: %v", err)
	}
	// Set, re-set the same keys (no second consumer), purge.
	r.requireOK(frame.Signed(bob), CallSetKeys, &SetKeysArgs{Keys: keysOf(bob), Proof: []byte{1, 2}})
	r.requireOK(frame.Signed(bob), CallSetKeys, &SetKeysArgs{Keys: keysOf(bob)})
	if c := r.sys.Account(r.ctx(), bob).Consumers; c != 1 {
		t.Fatalf("consumers %d", c)
	}
	r.requireOK(frame.Signed(bob), CallPurgeKeys, nil)
	if _, ok := r.p.NextKeys(r.ctx(), bob); ok || r.sys.Account(r.ctx(), bob).Consumers != 0 {
		t.Fatal("purge left keys or the consumer")
	}
	if _, ok := r.p.KeyOwner(r.ctx(), KeyTypeAura, sl(keysOf(bob).Aura)); ok {
		t.Fatal("purge left KeyOwner")
	}
}

func TestPlannedValidatorWithoutKeysIsSkipped(t *testing.T) {
	r := newTestRuntime(t).Validator(alice).Period(2).Plan(2, dave, alice).Plan(3, dave).Build()
	r.advance(2)
	if q := r.p.QueuedKeys(r.ctx()); len(q) != 1 || q[0].Who != alice {
		t.Fatalf("queued %v", q)
	}
	r.advance(4) // nobody planned for 3 has keys: the set continues
	if q := r.p.QueuedKeys(r.ctx()); len(q) != 1 || q[0].Who != alice {
		t.Fatalf("queued %v", q)
	}
}

func TestGenesisRejects(t *testing.T) {
	for name, cfg := range map[string]string{
		"unknown field":        `{"keys":[],"nope":1}`,
		"validator != account": `{"keys":[["0x` + hexOf(alice) + `","0x` + hexOf(bob) + `",{"aura":"0x` + hexOf(alice) + `","grandpa":"0x` + hexOf(bob) + `"}]]}`,
		"short triple":         `{"keys":[["0x` + hexOf(alice) + `"]]}`,
	} {
		p := New(Config{})
		rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "t", SpecVersion: 1}})
		rt.Register(sessionIndex, p)
		if err := p.BuildGenesis(rt.NewContext(newHost()), []byte(cfg)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestKeysCodec(t *testing.T) {
	k := keysOf(alice)
	b := scale.Encode(k)
	got, err := DecodeKeys(b)
	if err != nil || got != k || len(b) != KeysLen {
		t.Fatalf("%x %v", b, err)
	}
	if _, err := DecodeKeys(b[:63]); err == nil {
		t.Fatal("63 bytes decoded")
	}
}

func FuzzDecodeKeys(f *testing.F) {
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := DecodeKeys(b)
		if err == nil && string(scale.Encode(k)) != string(b) {
			t.Fatal("round trip")
		}
	})
}

func TestChainWithoutValidatorsRotates(t *testing.T) {
	r := newTestRuntime(t).Period(2).Build()
	r.advance(5) // TryState after every block
	if r.p.CurrentIndex(r.ctx()) != 2 || len(r.p.Validators(r.ctx())) != 0 || r.aura.count != 2 {
		t.Fatalf("session %d, validators %v", r.p.CurrentIndex(r.ctx()), r.p.Validators(r.ctx()))
	}
}
