package network

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/host/network/wire"
)

// BenchmarkRequestBlocksLoopback: one block request (one header and a
// one-extrinsic body) and its response over real libp2p on 127.0.0.1, over
// TCP (Noise, yamux) and over QUIC.
func BenchmarkRequestBlocksLoopback(b *testing.B) {
	for _, tr := range []string{"/tcp/", "/quic-v1"} {
		b.Run(strings.Trim(tr, "/"), func(b *testing.B) {
			a, err := New(context.Background(), Config{GenesisHash: genesisA, NoDHT: true}, newFakeBackend(genesisA, 10))
			if err != nil {
				b.Fatal(err)
			}
			defer a.Close()
			c, err := New(context.Background(), Config{GenesisHash: genesisA, NoDHT: true, Bootnodes: []string{addrWith(b, a, tr)}}, newFakeBackend(genesisA, 1))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			eventually(b, "handshake", func() bool { return hasPeer(c, a.ID()) })
			req := wire.BlockRequest{Fields: wire.FieldHeader | wire.FieldBody, FromNumber: 1, Max: 1}
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.RequestBlocks(ctx, a.ID(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRequestBlocksMemory: the same request over the in-memory
// transport: the cost of the protocol code alone.
func BenchmarkRequestBlocksMemory(b *testing.B) {
	m := newMemNet()
	_, a := newMemEngine(m, "A", genesisA, newFakeBackend(genesisA, 10))
	_, c := newMemEngine(m, "C", genesisA, newFakeBackend(genesisA, 1))
	defer a.close()
	defer c.close()
	m.connect("A", "C")
	req := wire.BlockRequest{Fields: wire.FieldHeader | wire.FieldBody, FromNumber: 1, Max: 1}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.requestBlocks(ctx, "A", req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGossipLatency3: three nodes on loopback; one publishes, and an
// op ends when both others have the message. Reports the median and p99
// of that latency.
func BenchmarkGossipLatency3(b *testing.B) {
	a := startNode(b, genesisA, newFakeBackend(genesisA, 1))
	n2 := startNode(b, genesisA, newFakeBackend(genesisA, 1), a.Addrs()[0])
	n3 := startNode(b, genesisA, newFakeBackend(genesisA, 1), a.Addrs()[0])
	eventually(b, "mesh", func() bool { return hasPeer(n2, n3.ID()) })
	ta, _ := a.Join("grandpa", nil)
	t2, _ := n2.Join("grandpa", nil)
	t3, _ := n3.Join("grandpa", nil)
	eventually(b, "topic peers", func() bool {
		return len(ta.t.ListPeers()) == 2 && len(t2.t.ListPeers()) == 2 && len(t3.t.ListPeers()) == 2
	})
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		msg := []byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)} // distinct: gossip dedups
		start := time.Now()
		if err := ta.Publish(ctx, msg); err != nil {
			b.Fatal(err)
		}
		for _, tp := range []*Topic{t2, t3} {
			select {
			case <-tp.Messages():
			case <-time.After(10 * time.Second):
				b.Fatal("gossip lost")
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
