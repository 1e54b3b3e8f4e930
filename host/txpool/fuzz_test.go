package txpool

import (
	"context"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

// FuzzSubmit feeds arbitrary bytes, and arbitrary sequences of them, to a
// pool: the fake validator rejects most as invalid, accepts some with odd
// tags; nothing may panic and the indexes must stay consistent.
func FuzzSubmit(f *testing.F) {
	f.Add([]byte("id=a;p=1;v=a"), []byte("id=b;p=2;r=a;v=b"), uint8(0))
	f.Add([]byte{}, []byte{0xff, 0x00}, uint8(3))
	f.Add([]byte("v=x,x;r=x"), []byte("p=99;v=x"), uint8(7))
	f.Add([]byte("p=18446744073709551615;v=a"), []byte("p=18446744073709551615;v=a,b"), uint8(1))
	f.Fuzz(func(t *testing.T, a, b []byte, op uint8) {
		h := newHarness(t, Config{ReadyCount: 2, FutureCount: 1, MaxTxBytes: 64, RevalidateBatch: 1})
		ctx := context.Background()
		for i, ext := range [][]byte{a, b, a[:len(a)/2], b} {
			w, err := h.pool.SubmitAndWatch(ctx, types.TransactionSource(op%3), ext)
			if err == nil && i%2 == 0 {
				w.Stop()
			}
			checkInvariants(t, h.pool)
		}
		switch op % 4 {
		case 0:
			h.pool.Prune(types.Hash{1}, types.BlockNumber(op), [][]byte{a, b})
		case 1:
			h.chain.provide(string(a))
			_, _ = h.pool.Revalidate(ctx, types.Hash{1}, types.BlockNumber(op))
		case 2:
			h.pool.RemoveInvalid(hashOf(a), hashOf(b))
		case 3:
			it := h.pool.Ready()
			for tx, ok := it.Next(); ok; tx, ok = it.Next() {
				it.ReportInvalid(tx.Hash)
			}
		}
		checkInvariants(t, h.pool)
	})
}
