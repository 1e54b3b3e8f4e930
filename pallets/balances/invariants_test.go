package balances

import (
	"errors"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// TestTryStateCatchesBrokenInvariants checks that each invariant can fail.
func TestTryStateCatchesBrokenInvariants(t *testing.T) {
	r := newTestRuntime(t).Funded(alice, 1_000).Funded(bob, 100).Build()
	ctx := r.ctx()
	if err := r.p.TryState(ctx, 1); err != nil {
		t.Fatal(err)
	}
	breakAndRestore := func(name string, mutate func(), restore func()) {
		t.Helper()
		mutate()
		if err := r.p.TryState(ctx, 1); !errors.Is(err, ErrInvariant) {
			t.Errorf("%s: TryState = %v", name, err)
		}
		restore()
	}
	breakAndRestore("issuance",
		func() { r.p.s.totalIssuance.Set(ctx, u(1_099)) },
		func() { r.p.s.totalIssuance.Set(ctx, u(1_100)) })
	setFrozen := func(v uint64) {
		_ = r.sys.TryMutateAccountData(ctx, bob, func(d *frame.AccountData, _ bool) error { d.Frozen = u(v); return nil })
	}
	breakAndRestore("frozen without lock", func() { setFrozen(5) }, func() { setFrozen(0) })
	setFree := func(v uint64) {
		_ = r.sys.TryMutateAccountData(ctx, bob, func(d *frame.AccountData, _ bool) error { d.Free = u(v); return nil })
	}
	breakAndRestore("dust", func() { setFree(5); r.p.s.totalIssuance.Set(ctx, u(1_005)) },
		func() { setFree(100); r.p.s.totalIssuance.Set(ctx, u(1_100)) })
	breakAndRestore("hold above reserved",
		func() { r.p.s.holds.Set(ctx, alice, []IDAmount{{ID: Reason{1, 1}, Amount: u(1)}}) },
		func() { r.p.s.holds.Remove(ctx, alice) })
	if err := r.p.TryState(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

// FuzzCallDecoding feeds arbitrary argument bytes to every call: decoding
// never panics, and what decodes re-encodes to the same bytes.
func FuzzCallDecoding(f *testing.F) {
	f.Add(uint8(CallTransferKeepAlive), call(CallTransferKeepAlive, transferTo(bob, 5))[2:])
	f.Add(uint8(CallForceSetBalance), []byte{0, 1, 2})
	f.Add(uint8(CallTransferAll), append(make([]byte, 33), 1))
	f.Add(uint8(CallUpgradeAccounts), append([]byte{4}, make([]byte, 32)...))
	f.Add(uint8(CallForceAdjustTotalIssuance), []byte{1, 4})
	f.Add(uint8(CallBurn), []byte{8, 0})
	r := newTestRuntime(f).Funded(alice, 1_000).Build()
	f.Fuzz(func(t *testing.T, idx uint8, args []byte) {
		b := append([]byte{balancesIndex, idx}, args...)
		c, err := r.env.RT.DecodeCallBytes(b)
		if err != nil {
			return
		}
		var enc scale.Encodable
		switch a := c.Args.(type) {
		case TransferArgs:
			enc = &a
		case ForceTransferArgs:
			enc = &a
		case TransferAllArgs:
			enc = &a
		case ForceUnreserveArgs:
			enc = &a
		case ForceSetBalanceArgs:
			enc = &a
		case UpgradeAccountsArgs:
			enc = &a
		case AdjustIssuanceArgs:
			enc = &a
		case BurnArgs:
			enc = &a
		default:
			t.Fatalf("unexpected args %T", c.Args)
		}
		if got := call(idx, enc); string(got) != string(b) {
			t.Fatalf("re-encoding %x != %x", got, b)
		}
	})
}

// FuzzStoredVecs decodes arbitrary Locks/Holds values: no panic, and a
// decoded value re-encodes to the input.
func FuzzStoredVecs(f *testing.F) {
	f.Add(lockVecCodec.Bytes([]BalanceLock{{ID: LockID{'a'}, Amount: u(3), Reasons: ReasonsAll}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := lockVecCodec.Parse(b); err == nil && string(lockVecCodec.Bytes(v)) != string(b) {
			t.Fatalf("locks round trip %x", b)
		}
		if v, err := idAmountVecCodec.Parse(b); err == nil && string(idAmountVecCodec.Bytes(v)) != string(b) {
			t.Fatalf("holds round trip %x", b)
		}
	})
}
