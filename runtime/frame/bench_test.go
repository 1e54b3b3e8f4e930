package frame_test

import (
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// BenchmarkApplySignedExtrinsic measures the executive's cost of one
// ed25519-signed extrinsic on the map-backed test host: decode, implicit,
// signature check, nonce, weight, fee withdraw/refund, dispatch, events.
func BenchmarkApplySignedExtrinsic(b *testing.B) {
	env := newEnv(&testing.T{}, kAlice)
	env.StartBlock()
	system.Account.Mutate(env.Ctx, kAlice.Account, func(a *frame.AccountInfo) error {
		a.Data.Free = scale.FromUint64(1 << 60)
		return nil
	})
	xts := make([][]byte, b.N)
	for i := range xts {
		xts[i] = env.Sign(kAlice, immortal(uint32(i)), counterCall(0, 1))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := env.Apply(xts[i]); r.Invalid != nil {
			b.Fatal(r.Invalid)
		}
	}
}

// BenchmarkStorageMapGet measures a typed map read (key hashing with
// blake2_128_concat + SCALE decode).
func BenchmarkStorageMapGet(b *testing.B) {
	env := newEnv(&testing.T{}, kAlice)
	for i := 0; i < b.N; i++ {
		_ = system.Account.Get(env.Ctx, kAlice.Account)
	}
}
