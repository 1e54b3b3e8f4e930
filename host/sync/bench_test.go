package sync

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/metamars/mars/host/network/wire"
)

// benchBlocks is the length of the benchmark chain (MARS_SYNC_BENCH_BLOCKS,
// 3000 by default).
func benchBlocks() int {
	if n, err := strconv.Atoi(os.Getenv("MARS_SYNC_BENCH_BLOCKS")); err == nil && n > 0 {
		return n
	}
	return 3000
}

// BenchmarkFullSync measures full sync of a chain of empty blocks from
// three honest in-memory peers (blocks/s, including execution), next to
// importing the same blocks one by one with chain.Import (the bound).
//
//	go test ./host/sync -run '^$' -bench FullSync -benchtime 1x
func BenchmarkFullSync(b *testing.B) {
	src := newChain(b)
	n := benchBlocks()
	extend(b, src, n)
	srv := NewServer(src, wire.RoleFull)

	b.Run("sync", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			c := newChain(b)
			net := newFakeNet()
			s := startSyncer(b, Config{Chain: c, Network: net, Logger: quiet, RequestTimeout: 20 * time.Second})
			peers := map[PeerID]wire.Status{}
			for _, id := range []PeerID{"a", "b", "c"} {
				net.add(id, srv, honest)
				peers[id] = srv.Status()
			}
			b.StartTimer()
			start := time.Now()
			s.SetPeers(peers)
			waitFor(b, c, 30*time.Minute, func() bool { return c.Best() == src.Best() })
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "blocks/s")
		}
	})
	b.Run("import-only", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			c := newChain(b)
			b.StartTimer()
			start := time.Now()
			for k := uint32(1); k <= uint32(n); k++ {
				importCanonical(b, src, c, k)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "blocks/s")
		}
	})
}
