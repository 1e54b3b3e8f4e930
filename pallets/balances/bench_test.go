package balances

import (
	"testing"

	"github.com/metamars/mars/runtime/frame"
)

// BenchmarkTransferKeepAlive measures one transfer_keep_alive dispatch
// (decode + origin check + transfer between two existing accounts, in a
// storage transaction) on the native mock runtime with its map-backed
// host: the worst case of the call's hot path without account creation.
func BenchmarkTransferKeepAlive(b *testing.B) {
	r := newTestRuntime(b).Funded(alice, 1<<62).Funded(bob, 1_000).Build()
	c := call(CallTransferKeepAlive, transferTo(bob, 1))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.env.Dispatch(frame.Signed(alice), c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransferNewAccount is the worst case: the destination is
// created (NewAccount, Endowed) each time.
func BenchmarkTransferNewAccount(b *testing.B) {
	r := newTestRuntime(b).Funded(alice, 1<<62).Build()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var to [32]byte
		to[0], to[1], to[2], to[31] = byte(i), byte(i>>8), byte(i>>16), 1
		c := call(CallTransferKeepAlive, transferTo(to, testED))
		b.StartTimer()
		if err := r.env.Dispatch(frame.Signed(alice), c); err != nil {
			b.Fatal(err)
		}
	}
}
