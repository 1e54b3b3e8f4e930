package transactionpayment

import "testing"

// BenchmarkApplyTransferKeepAlive measures BlockBuilder_apply_extrinsic of
// a signed (ed25519) transfer_keep_alive between existing accounts on the
// native mock runtime: decode, signature check, nonce, weight, fee
// withdrawal, dispatch, refund and fee deposit, events. Signing is not
// timed.
func BenchmarkApplyTransferKeepAlive(b *testing.B) {
	r := newTestRuntime(b).Funded(alice.Account, 1<<62).Funded(bob.Account, msca).Funded(TreasuryAccount(), ed).Build()
	xts := make([][]byte, b.N)
	for i := range xts {
		xts[i] = r.sign(alice, transferCall(bob.Account, msca), 0)
		r.nonce[alice.Account]++
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, xt := range xts {
		if res := r.env.Apply(xt); res.Invalid != nil || res.DispatchErr != nil {
			b.Fatalf("apply: %+v", res)
		}
	}
}
