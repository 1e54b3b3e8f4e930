package sudo

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/transactionpayment"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The mock runtime: System 0, Sudo 5, Balances 6, TransactionPayment 7.
const (
	sudoIndex     = 5
	balancesIndex = 6
	msca          = balances.MSCA
)

var (
	alice = frametest.NewKey("//Alice")
	bob   = frametest.NewKey("//Bob")
	carol = frametest.NewKey("//Carol")
)

func u(v uint64) scale.U128 { return scale.FromUint64(v) }

type testRuntime struct {
	t   testing.TB
	env *frametest.Env
	bal *balances.Pallet
	p   *Pallet
}

// newTestRuntime builds a chain whose sudo key is alice (1000 MSCA; bob
// has 100 MSCA) and opens block 1.
func newTestRuntime(t testing.TB) *testRuntime {
	limits := frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
		types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1}, Limits: limits})
	r := &testRuntime{t: t}
	sys := system.New()
	r.bal = balances.New(balances.DefaultConfig(sys))
	tp := transactionpayment.New(transactionpayment.DefaultConfig(r.bal, nil))
	r.p = New(Config{Calls: rt})
	rt.Register(0, sys)
	rt.Register(sudoIndex, r.p)
	rt.Register(balancesIndex, r.bal)
	rt.Register(7, tp)
	rt.SetPayment(tp)
	gen, _ := json.Marshal(map[string]any{
		"balances": map[string]any{"balances": [][2]any{
			{alice.Account.Hex(), 1_000 * msca}, {bob.Account.Hex(), 100 * msca},
			{transactionpayment.TreasuryAccount().Hex(), msca},
		}},
		"sudo": map[string]any{"key": alice.Account.SS58(42)},
	})
	r.env = frametest.New(t, rt).Genesis(string(gen))
	r.env.StartBlock()
	t.Cleanup(func() {
		if !t.Failed() {
			r.env.FinishBlock()
		}
	})
	return r
}

func (r *testRuntime) ctx() *frame.Context { return r.env.Ctx }

func encodeCall(pallet, call uint8, args ...scale.Encodable) []byte {
	e := scale.NewEncoder(64)
	e.PutU8(pallet)
	e.PutU8(call)
	for _, a := range args {
		a.EncodeTo(e)
	}
	return e.Bytes()
}

type raw []byte

func (b raw) EncodeTo(e *scale.Encoder) { e.PutRaw(b) }

func sudoCall(inner []byte) []byte { return encodeCall(sudoIndex, CallSudo, raw(inner)) }

func setBalance(who types.AccountID, v uint64) []byte {
	return encodeCall(balancesIndex, balances.CallForceSetBalance,
		&balances.ForceSetBalanceArgs{Who: types.NewAddress(who), NewFree: u(v)})
}

func transfer(to types.AccountID, v uint64) []byte {
	return encodeCall(balancesIndex, balances.CallTransferKeepAlive,
		&balances.TransferArgs{Dest: types.NewAddress(to), Value: u(v)})
}

func addr(who types.AccountID) raw {
	a := types.NewAddress(who)
	e := scale.NewEncoder(33)
	a.EncodeTo(e)
	return e.Bytes()
}

func TestSudoDispatchesAsRoot(t *testing.T) {
	r := newTestRuntime(t)
	if err := r.env.Dispatch(frame.Signed(alice.Account), sudoCall(setBalance(carol.Account, 5*msca))); err != nil {
		t.Fatal(err)
	}
	r.env.RequireLastEvent(t, PalletName, EventSudid{Index: EvSudid})
	if r.bal.Free(r.ctx(), carol.Account) != u(5*msca) {
		t.Fatal("inner call not applied")
	}
	// Root itself may use sudo too (ensure_sudo accepts Root).
	if err := r.env.Dispatch(frame.Root(), sudoCall(setBalance(carol.Account, 6*msca))); err != nil {
		t.Fatal(err)
	}
}

func TestSudoByNonKeyIsRequireSudo(t *testing.T) {
	r := newTestRuntime(t)
	for name, call := range map[string][]byte{
		"sudo":       sudoCall(setBalance(carol.Account, 5*msca)),
		"set_key":    encodeCall(sudoIndex, CallSetKey, addr(bob.Account)),
		"sudo_as":    encodeCall(sudoIndex, CallSudoAs, addr(alice.Account), raw(transfer(bob.Account, msca))),
		"remove_key": encodeCall(sudoIndex, CallRemoveKey),
		"unchecked":  encodeCall(sudoIndex, CallSudoUncheckedWeight, raw(setBalance(carol.Account, 1)), types.Weight{RefTime: 1}),
	} {
		err := r.env.RequireNoop(t, func() error { return r.env.Dispatch(frame.Signed(bob.Account), call) })
		if !errors.Is(err, ErrRequireSudo) {
			t.Fatalf("%s: %v", name, err)
		}
		err = r.env.RequireNoop(t, func() error { return r.env.Dispatch(frame.None(), call) })
		if !errors.Is(err, frame.ErrBadOrigin) {
			t.Fatalf("%s unsigned: %v", name, err)
		}
	}
}

func TestSudoOfFailingCallReportsErr(t *testing.T) {
	r := newTestRuntime(t)
	inner := encodeCall(balancesIndex, balances.CallForceTransfer, &balances.ForceTransferArgs{
		Source: types.NewAddress(bob.Account), Dest: types.NewAddress(carol.Account), Value: u(500 * msca)})
	if err := r.env.Dispatch(frame.Signed(alice.Account), sudoCall(inner)); err != nil {
		t.Fatalf("sudo itself must succeed: %v", err)
	}
	want := r.env.RT.DispatchError(frame.ErrFundsUnavailable)
	r.env.RequireLastEvent(t, PalletName, EventSudid{Index: EvSudid, Result: &want})
	if r.bal.Free(r.ctx(), bob.Account) != u(100*msca) {
		t.Fatal("failed inner call changed state")
	}
	// A module error keeps its pallet index: sudo(sudo(...)) by the
	// inner origin Root is fine, but sudo_as(bob, sudo(...)) is RequireSudo.
	nested := encodeCall(sudoIndex, CallSudoAs, addr(bob.Account), raw(sudoCall(setBalance(carol.Account, msca))))
	if err := r.env.Dispatch(frame.Signed(alice.Account), nested); err != nil {
		t.Fatal(err)
	}
	modErr := types.NewModuleError(sudoIndex, 0)
	r.env.RequireLastEvent(t, PalletName, EventSudid{Index: EvSudoAsDone, Result: &modErr})
}

func TestSudoAsDispatchesSigned(t *testing.T) {
	r := newTestRuntime(t)
	call := encodeCall(sudoIndex, CallSudoAs, addr(bob.Account), raw(transfer(carol.Account, 10*msca)))
	if err := r.env.Dispatch(frame.Signed(alice.Account), call); err != nil {
		t.Fatal(err)
	}
	r.env.RequireLastEvent(t, PalletName, EventSudid{Index: EvSudoAsDone})
	if r.bal.Free(r.ctx(), bob.Account) != u(90*msca) || r.bal.Free(r.ctx(), carol.Account) != u(10*msca) {
		t.Fatal("sudo_as transfer not applied")
	}
}

func TestSetAndRemoveKey(t *testing.T) {
	r := newTestRuntime(t)
	if err := r.env.Dispatch(frame.Signed(alice.Account), encodeCall(sudoIndex, CallSetKey, addr(bob.Account))); err != nil {
		t.Fatal(err)
	}
	old := alice.Account
	r.env.RequireLastEvent(t, PalletName, EventKeyChanged{Old: &old, New: bob.Account})
	if k, ok := r.p.Key(r.ctx()); !ok || k != bob.Account {
		t.Fatal("key not changed")
	}
	err := r.env.RequireNoop(t, func() error {
		return r.env.Dispatch(frame.Signed(alice.Account), sudoCall(setBalance(carol.Account, msca)))
	})
	if !errors.Is(err, ErrRequireSudo) {
		t.Fatalf("old key: %v", err)
	}
	if err := r.env.Dispatch(frame.Signed(bob.Account), encodeCall(sudoIndex, CallRemoveKey)); err != nil {
		t.Fatal(err)
	}
	r.env.RequireLastEvent(t, PalletName, EventKeyRemoved{})
	if _, ok := r.p.Key(r.ctx()); ok {
		t.Fatal("key not removed")
	}
	// Root can install a key again.
	if err := r.env.Dispatch(frame.Root(), encodeCall(sudoIndex, CallSetKey, addr(carol.Account))); err != nil {
		t.Fatal(err)
	}
	r.env.RequireLastEvent(t, PalletName, EventKeyChanged{New: carol.Account})
}

func TestSudoWeightAndNoFee(t *testing.T) {
	r := newTestRuntime(t)
	inner := setBalance(carol.Account, 5*msca)
	c, err := r.env.RT.DecodeCallBytes(sudoCall(inner))
	if err != nil {
		t.Fatal(err)
	}
	if want := WeightSudo.SaturatingAdd(balances.WeightForceSetBalance); c.Info().Weight != want {
		t.Fatalf("weight %+v want %+v", c.Info().Weight, want)
	}
	c, err = r.env.RT.DecodeCallBytes(encodeCall(sudoIndex, CallSudoUncheckedWeight, raw(inner), types.Weight{RefTime: 7, ProofSize: 9}))
	if err != nil || c.Info().Weight != (types.Weight{RefTime: 7, ProofSize: 9}) {
		t.Fatalf("unchecked weight %+v %v", c.Info(), err)
	}
	// Through a signed extrinsic the key pays no fee.
	xt := r.env.Sign(alice, frame.Extra{Era: types.Era{Immortal: true}}, sudoCall(inner))
	if res := r.env.Apply(xt); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("apply %+v", res)
	}
	if r.bal.Free(r.ctx(), alice.Account) != u(1_000*msca) {
		t.Fatalf("the key paid %s", u(1_000*msca).SaturatingSub(r.bal.Free(r.ctx(), alice.Account)))
	}
}

func TestNestingBounded(t *testing.T) {
	r := newTestRuntime(t)
	call := setBalance(carol.Account, msca)
	for i := 0; i < maxCallDepth+5; i++ {
		call = sudoCall(call)
	}
	if _, err := r.env.RT.DecodeCallBytes(call); err == nil {
		t.Fatal("deep nesting accepted")
	}
	if r.p.depth != 0 {
		t.Fatalf("depth counter leaked: %d", r.p.depth)
	}
	// Garbage inner call.
	if _, err := r.env.RT.DecodeCallBytes(sudoCall([]byte{99, 0})); err == nil {
		t.Fatal("unknown inner pallet accepted")
	}
}

// FuzzDecodeSudo decodes arbitrary sudo calls (nested calls included): no
// panic, and the nesting counter always returns to zero.
func FuzzDecodeSudo(f *testing.F) {
	f.Add(sudoCall(setBalance(carol.Account, 1)))
	f.Add(sudoCall(sudoCall(sudoCall(encodeCall(sudoIndex, CallRemoveKey)))))
	f.Add(encodeCall(sudoIndex, CallSudoAs, addr(bob.Account), raw(transfer(carol.Account, 1))))
	r := newTestRuntime(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 0 {
			b[0] = sudoIndex
		}
		_, _ = r.env.RT.DecodeCallBytes(b)
		if r.p.depth != 0 {
			t.Fatalf("depth %d after %x", r.p.depth, b)
		}
	})
}
