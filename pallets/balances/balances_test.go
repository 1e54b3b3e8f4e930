package balances

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func TestTransferKeepAliveCreatesAccount(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	r.requireOK(frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 100))
	r.requireFree(alice, 900)
	r.requireFree(bob, 100)
	r.requireIssuance(1_000)
	r.env.RequireEvent(t, system.Name, system.NewAccount{Account: bob})
	r.env.RequireEvent(t, PalletName, EventAccount{Index: EvEndowed, Who: bob, Amount: u(100)})
	requireEventTail(t, r, r.env.EncodeEvent(system.Name, system.NewAccount{Account: bob}),
		r.env.EncodeEvent(PalletName, EventAccount{Index: EvEndowed, Who: bob, Amount: u(100)}),
		r.env.EncodeEvent(PalletName, EventTransfer{From: alice, To: bob, Amount: u(100)}))
	if info := r.sys.Account(r.ctx(), bob); info.Providers != 1 || info.Data.Flags != newLogicFlag {
		t.Fatalf("bob's account %+v", info)
	}
}

func TestTransferBelowEDToNewAccountFails(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	r.requireNoop(frame.ErrBelowMinimum, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, testED-1))
	r.requireNoop(frame.ErrBelowMinimum, frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 0))
	// Exactly the ED is fine.
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, testED))
	// An existing account may receive less than the ED.
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 1))
	r.requireFree(bob, testED+1)
}

func TestKeepAliveRefusesToReap(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	r.requireNoop(frame.ErrNotExpendable, frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 995))
	r.requireNoop(frame.ErrNotExpendable, frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 1_000))
	r.requireNoop(frame.ErrFundsUnavailable, frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 1_001))
	// Leaving exactly the ED is allowed.
	r.requireOK(frame.Signed(alice), CallTransferKeepAlive, transferTo(bob, 990))
	r.requireFree(alice, testED)
}

func TestAllowDeathReapsAndBurnsDust(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 995))
	r.requireFree(alice, 0)
	r.requireFree(bob, 1_095)
	r.requireIssuance(1_095) // 5 of dust burnt
	r.env.RequireEvent(t, PalletName, EventAccount{Index: EvDustLost, Who: alice, Amount: u(5)})
	r.env.RequireEvent(t, system.Name, system.KilledAccount{Account: alice})
	r.requireLastEvent(EventTransfer{From: alice, To: bob, Amount: u(995)})
	// Substrate's order: System reaps inside the mutation, then DustLost,
	// then Transfer.
	requireEventTail(t, r, r.env.EncodeEvent(system.Name, system.KilledAccount{Account: alice}),
		r.env.EncodeEvent(PalletName, EventAccount{Index: EvDustLost, Who: alice, Amount: u(5)}),
		r.env.EncodeEvent(PalletName, EventTransfer{From: alice, To: bob, Amount: u(995)}))
	if r.sys.AccountExists(r.ctx(), alice) {
		t.Fatal("alice's account still exists")
	}
	// Spending everything reaps without dust.
	r.requireOK(frame.Signed(bob), CallTransferAllowDeath, transferTo(charlie, 1_095))
	if r.sys.AccountExists(r.ctx(), bob) || r.p.Free(r.ctx(), charlie) != u(1_095) {
		t.Fatal("bob not reaped or charlie not endowed")
	}
}

func TestInsufficientBalanceAndOrigins(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(charlie, 5_000).Build()
	r.requireNoop(frame.ErrFundsUnavailable, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 1_001))
	// More than the whole issuance: Substrate checks issuance first.
	r.requireNoop(frame.ErrUnderflow, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 6_001))
	r.requireNoop(frame.ErrFundsUnavailable, frame.Signed(bob), CallTransferAllowDeath, transferTo(alice, 50))
	r.requireNoop(frame.ErrBadOrigin, frame.Root(), CallTransferAllowDeath, transferTo(bob, 50))
	r.requireNoop(frame.ErrBadOrigin, frame.None(), CallTransferKeepAlive, transferTo(bob, 50))
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(alice), CallForceTransfer,
		&ForceTransferArgs{Source: types.NewAddress(alice), Dest: types.NewAddress(bob), Value: u(50)})
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(alice), CallForceSetBalance,
		&ForceSetBalanceArgs{Who: types.NewAddress(alice), NewFree: u(5_000)})
	r.requireNoop(frame.ErrBadOrigin, frame.Signed(alice), CallForceUnreserve,
		&ForceUnreserveArgs{Who: types.NewAddress(alice), Amount: u(5)})
	// Only MultiAddress::Id resolves.
	r.requireNoop(frame.ErrCannotLookup, frame.Signed(alice), CallTransferAllowDeath,
		&TransferArgs{Dest: types.MultiAddress{Kind: types.AddressIndex, Index: 3}, Value: u(50)})
}

func TestLocksRestrictSpending(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	id := LockID{'s', 't', 'a', 'k', 'i', 'n', 'g', ' '}
	r.p.SetLock(r.ctx(), id, alice, u(600), ReasonsAll)
	r.requireLastEvent(EventAccount{Index: EvLocked, Who: alice, Amount: u(600)})
	if a := r.p.Account(r.ctx(), alice); a.Frozen != u(600) {
		t.Fatalf("frozen %s", a.Frozen)
	}
	if c := r.sys.Consumers(r.ctx(), alice); c != 2 { // the frozen balance and the lock entry, as Substrate
		t.Fatalf("consumers %d", c)
	}
	r.requireNoop(frame.ErrFrozen, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 401))
	// A locked account cannot be reaped either (its consumers pin it).
	r.requireNoop(frame.ErrOnlyProvider, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 1_000))
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 400))
	r.requireFree(alice, 600)

	r.p.ExtendLock(r.ctx(), id, alice, u(100), ReasonsFee) // never lowers
	if r.p.Locks(r.ctx(), alice)[0].Amount != u(600) {
		t.Fatal("extend lowered the lock")
	}
	r.p.SetLock(r.ctx(), id, alice, u(100), ReasonsAll)
	r.requireLastEvent(EventAccount{Index: EvUnlocked, Who: alice, Amount: u(500)})
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 500))
	r.p.RemoveLock(r.ctx(), id, alice)
	if r.sys.Consumers(r.ctx(), alice) != 0 || len(r.p.Locks(r.ctx(), alice)) != 0 {
		t.Fatal("lock not removed")
	}
	r.requireFree(alice, 100)
}

func TestTransferAll(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	r.requireOK(frame.Signed(alice), CallTransferAll, &TransferAllArgs{Dest: types.NewAddress(bob), KeepAlive: true})
	r.requireFree(alice, testED)
	r.requireLastEvent(EventTransfer{From: alice, To: bob, Amount: u(990)})
	r.requireOK(frame.Signed(alice), CallTransferAll, &TransferAllArgs{Dest: types.NewAddress(bob), KeepAlive: false})
	if r.sys.AccountExists(r.ctx(), alice) {
		t.Fatal("alice not reaped")
	}
	r.requireFree(bob, 1_100)
	r.requireIssuance(1_100)
}

func TestForceTransferAndSetBalance(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	r.requireOK(frame.Root(), CallForceTransfer,
		&ForceTransferArgs{Source: types.NewAddress(alice), Dest: types.NewAddress(bob), Value: u(300)})
	r.requireFree(bob, 300)

	r.requireOK(frame.Root(), CallForceSetBalance, &ForceSetBalanceArgs{Who: types.NewAddress(charlie), NewFree: u(5_000)})
	r.requireLastEvent(EventAccount{Index: EvBalanceSet, Who: charlie, Amount: u(5_000)})
	r.requireIssuance(6_000)
	r.requireOK(frame.Root(), CallForceSetBalance, &ForceSetBalanceArgs{Who: types.NewAddress(alice), NewFree: u(200)})
	r.requireIssuance(5_500)
	// Below the ED the account is wiped and reaped.
	r.requireOK(frame.Root(), CallForceSetBalance, &ForceSetBalanceArgs{Who: types.NewAddress(bob), NewFree: u(testED - 1)})
	r.requireLastEvent(EventAccount{Index: EvBalanceSet, Who: bob, Amount: u(0)})
	r.env.RequireEvent(t, system.Name, system.KilledAccount{Account: bob})
	r.requireIssuance(5_200)
}

func TestReserveUnreserve(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	ctx := r.ctx()
	if err := r.env.RequireNoop(t, func() error { return r.p.Reserve(ctx, alice, u(1_001)) }); err != ErrInsufficientBalance {
		t.Fatalf("reserve too much: %v", err)
	}
	// Reserving so much that free < ED would remove the provider while
	// the reserve consumes the account.
	if err := r.env.RequireNoop(t, func() error { return r.p.Reserve(ctx, alice, u(995)) }); err != frame.ErrConsumerRemaining {
		t.Fatalf("reserve below ED: %v", err)
	}
	if err := r.p.Reserve(ctx, alice, u(400)); err != nil {
		t.Fatal(err)
	}
	r.requireLastEvent(EventAccount{Index: EvReserved, Who: alice, Amount: u(400)})
	if a := r.p.Account(ctx, alice); a.Free != u(600) || a.Reserved != u(400) || r.sys.Consumers(ctx, alice) != 1 {
		t.Fatalf("after reserve %+v", a)
	}
	// Reserved funds cannot be transferred.
	r.requireNoop(frame.ErrFundsUnavailable, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 700))
	if left := r.p.Unreserve(ctx, alice, u(100)); !left.IsZero() {
		t.Fatalf("left %s", left)
	}
	r.requireLastEvent(EventAccount{Index: EvUnreserved, Who: alice, Amount: u(100)})
	r.requireOK(frame.Root(), CallForceUnreserve, &ForceUnreserveArgs{Who: types.NewAddress(alice), Amount: u(1_000)})
	r.requireLastEvent(EventAccount{Index: EvUnreserved, Who: alice, Amount: u(300)})
	if a := r.p.Account(ctx, alice); a.Free != u(1_000) || !a.Reserved.IsZero() || r.sys.Consumers(ctx, alice) != 0 {
		t.Fatalf("after unreserve %+v", a)
	}
	r.requireIssuance(1_000)
}

func TestHoldsAndFreezes(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	ctx := r.ctx()
	reason := Reason{Pallet: 9, Variant: 0}
	if err := r.p.Hold(ctx, reason, alice, u(300)); err != nil {
		t.Fatal(err)
	}
	if r.p.HeldBalance(ctx, reason, alice) != u(300) || r.p.Account(ctx, alice).Reserved != u(300) {
		t.Fatal("hold not recorded")
	}
	if err := r.env.RequireNoop(t, func() error { return r.p.Hold(ctx, reason, alice, u(700)) }); err != frame.ErrFundsUnavailable {
		t.Fatalf("hold beyond free: %v", err)
	}
	if got, err := r.p.Release(ctx, reason, alice, u(1_000)); err != nil || got != u(300) {
		t.Fatalf("release %s %v", got, err)
	}
	if len(r.p.Holds(ctx, alice)) != 0 {
		t.Fatal("hold entry left")
	}

	f1, f2 := Reason{Pallet: 9, Variant: 1}, Reason{Pallet: 9, Variant: 2}
	if err := r.p.SetFreeze(ctx, f1, alice, u(700)); err != nil {
		t.Fatal(err)
	}
	r.requireLastEvent(EventAccount{Index: EvFrozen, Who: alice, Amount: u(700)})
	r.requireNoop(frame.ErrFrozen, frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 301))
	r.p.cfg.MaxFreezes = 1
	if err := r.env.RequireNoop(t, func() error { return r.p.SetFreeze(ctx, f2, alice, u(1)) }); err != ErrTooManyFreezes {
		t.Fatalf("too many freezes: %v", err)
	}
	if err := r.p.Thaw(ctx, f1, alice); err != nil {
		t.Fatal(err)
	}
	r.requireLastEvent(EventAccount{Index: EvThawed, Who: alice, Amount: u(700)})
	r.requireOK(frame.Signed(alice), CallTransferAllowDeath, transferTo(bob, 301))
}

func TestCurrencyAPI(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	ctx := r.ctx()
	if err := r.env.RequireNoop(t, func() error { return r.p.Withdraw(ctx, alice, u(995), true) }); err != frame.ErrFundsUnavailable {
		t.Fatalf("withdraw keep-alive: %v", err)
	}
	if err := r.p.Withdraw(ctx, alice, u(100), true); err != nil {
		t.Fatal(err)
	}
	r.requireLastEvent(EventAccount{Index: EvWithdraw, Who: alice, Amount: u(100)})
	r.requireIssuance(900)
	if got, err := r.p.Deposit(ctx, bob, u(5), true); err != nil || !got.IsZero() {
		t.Fatalf("best-effort deposit below ED: %s %v", got, err)
	}
	if _, err := r.p.Deposit(ctx, bob, u(5), false); err != frame.ErrBelowMinimum {
		t.Fatalf("exact deposit below ED: %v", err)
	}
	if got, err := r.p.Deposit(ctx, bob, u(50), false); err != nil || got != u(50) {
		t.Fatalf("deposit %s %v", got, err)
	}
	r.requireLastEvent(EventAccount{Index: EvDeposit, Who: bob, Amount: u(50)})
	if err := r.p.Mint(ctx, charlie, u(20)); err != nil {
		t.Fatal(err)
	}
	if err := r.p.Burn(ctx, alice, u(900), false); err != nil {
		t.Fatal(err)
	}
	r.requireIssuance(70)
	if r.p.Total(ctx, bob) != u(50) || r.p.Reducible(ctx, bob, true, false) != u(40) {
		t.Fatal("total/reducible")
	}
}

func TestGenesis(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 500).Build()
	r.requireIssuance(1_500)
	info := r.sys.Account(r.ctx(), alice)
	if info.Providers != 1 || info.Data.Free != u(1_000) || info.Data.Flags != newLogicFlag {
		t.Fatalf("alice %+v", info)
	}
	for name, cfg := range map[string]string{
		"below ED":  `{"balances":[["` + alice.SS58(42) + `", 9]]}`,
		"duplicate": `{"balances":[["` + alice.SS58(42) + `", 100],["` + alice.Hex() + `", 100]]}`,
		"unknown":   `{"balances":[], "devAccounts": null}`,
		"bad pair":  `{"balances":[["` + alice.SS58(42) + `"]]}`,
	} {
		rt := New(DefaultConfig(system.New()))
		if err := rt.BuildGenesis(r.ctx(), []byte(cfg)); err == nil {
			t.Errorf("%s: genesis accepted", name)
		}
	}
	// Amounts beyond float64 precision are exact.
	var g GenesisConfig
	if err := g.unmarshalForTest(`{"balances":[["` + bob.Hex() + `", 340282366920938463463374607431768211455]]}`); err != nil || g.Balances[0].Amount != scale.MaxU128 {
		t.Fatalf("u128 amount: %v %+v", err, g)
	}
}

func (g *GenesisConfig) unmarshalForTest(s string) error {
	return jsonUnmarshalStrict([]byte(s), g)
}

// TestStorageLayout pins the keys and encodings @polkadot/api reads.
func TestStorageLayout(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Build()
	want, _ := hex.DecodeString("c2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80")
	if !bytes.Equal(r.p.s.totalIssuance.Key(), want) {
		t.Fatalf("TotalIssuance key %x", r.p.s.totalIssuance.Key())
	}
	raw, ok := r.env.Host.StorageGet(want)
	if !ok || !bytes.Equal(raw, append([]byte{0xe8, 0x03}, make([]byte, 14)...)) {
		t.Fatalf("TotalIssuance value %x", raw)
	}
	// System.Account(alice) = nonce, consumers, providers, sufficients ++ data.
	key := append(frame.Prefix("System", "Account"), types.Blake2_128Concat(alice[:])...)
	raw, ok = r.env.Host.StorageGet(key)
	if !ok || len(raw) != 16+64 || raw[8] != 1 || raw[16] != 0xe8 || raw[17] != 0x03 || raw[79] != 0x80 {
		t.Fatalf("System.Account(alice) = %x", raw)
	}
	// Transfer event bytes: pallet 6, variant 2, from, to, amount.
	ev := r.env.EncodeEvent(PalletName, EventTransfer{From: alice, To: bob, Amount: u(1)})
	if len(ev) != 2+32+32+16 || ev[0] != 6 || ev[1] != 2 {
		t.Fatalf("event %x", ev)
	}
}

// TestErrorIndices pins Substrate's error order.
func TestErrorIndices(t *testing.T) {
	for i, e := range Errors {
		if int(e.Index) != i || e.Pallet != PalletName {
			t.Fatalf("error %d: %+v", i, e)
		}
	}
	if ErrExpendability.Index != 4 || ErrDeltaZero.Index != 11 || len(Errors) != 12 {
		t.Fatal("error indices")
	}
}

// requireEventTail requires the block's last events to be want, in order.
func requireEventTail(t *testing.T, r *testRuntime, want ...[]byte) {
	t.Helper()
	evs := r.env.Events()
	if len(evs) < len(want) {
		t.Fatalf("%d events, want at least %d", len(evs), len(want))
	}
	for i, w := range want {
		if got := evs[len(evs)-len(want)+i].Event; !bytes.Equal(got, w) {
			t.Fatalf("event %d from the end: %x, want %x", len(want)-i, got, w)
		}
	}
}
