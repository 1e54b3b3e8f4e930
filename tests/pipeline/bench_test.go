package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkPipeline builds, then imports on a second node, blocks of n
// signed transfer_keep_alive between distinct accounts, through the WASM
// runtime with pebble on disk underneath. It reports build and import
// throughput in transfers per second.
//
//	go test ./tests/pipeline -run '^$' -bench Pipeline -benchtime 5x
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{100, 1000, 1500} { // a block holds ~1,680 transfers by weight
		b.Run(fmt.Sprintf("transfers=%d", n), func(b *testing.B) {
			ex := newExecutor(b, false)
			accts := newAccounts(b, n)
			gen := genesisWith(b, ex, accts, 10)
			author := openNode(b, ex, b.TempDir(), gen)
			follower := openNode(b, ex, b.TempDir(), gen)
			ctx := context.Background()
			var build, imp time.Duration
			b.ResetTimer()
			for it := 0; it < b.N; it++ {
				b.StopTimer()
				exts := make([][]byte, n)
				for i, a := range accts {
					exts[i] = signTransfer(author, a, accts[(i+1)%n].kp.AccountID(), 1_000_000_000)
				}
				b.StartTimer()
				t0 := time.Now()
				blk := buildBlock(b, author, it+1, exts)
				t1 := time.Now()
				if _, _, err := follower.chain.Import(ctx, blk); err != nil {
					b.Fatal(err)
				}
				build += t1.Sub(t0)
				imp += time.Since(t1)
				if len(blk.Extrinsics) != n+1 {
					b.Fatalf("block holds %d of %d transfers", len(blk.Extrinsics)-1, n)
				}
			}
			total := float64(n * b.N)
			b.ReportMetric(total/build.Seconds(), "build-tx/s")
			b.ReportMetric(total/imp.Seconds(), "import-tx/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
