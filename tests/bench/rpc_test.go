package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRPCFigures measures marsd's RPC latency and head-subscription
// fan-out; it runs only with MARS_BENCH=1 (see doc.go).
func TestRPCFigures(t *testing.T) {
	if os.Getenv("MARS_BENCH") != "1" {
		t.Skip("set MARS_BENCH=1 to measure marsd's RPC latency and subscription fan-out (see doc.go)")
	}
	cfg := RPCConfig{Calls: envInt(t, "MARS_BENCH_RPC_CALLS", 2000), Log: testWriter{t}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	res, err := RunRPC(ctx, cfg)
	if res != nil {
		var buf bytes.Buffer
		WriteRPCTable(&buf, res)
		t.Logf("\n%s", buf.String())
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteRPCTable(t *testing.T) {
	r := &RPCResult{
		Calls:      []CallFigure{{Method: "state_call Core_version", Transport: "ws", Latency: LatencySummary{N: 2, Median: 150 * time.Microsecond, P99: time.Millisecond}}},
		Fanout:     []FanoutFigure{{Clients: 500, Connected: 100, Refused: 400, RefusedErr: "429", Heads: 8, GotAll: 100, Delay: LatencySummary{Median: 3 * time.Millisecond}, RSSKiB: 2048}},
		RSSIdleKiB: 1024, MaxConns: "100",
	}
	var buf bytes.Buffer
	WriteRPCTable(&buf, r)
	for _, want := range []string{"150 µs", "1000 µs", "100/100", "3.0 ms", "2.0 MiB", "first refusal: 429"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestRPCConfigFill(t *testing.T) {
	c := RPCConfig{RepoRoot: "."}
	if err := c.fill(); err != nil {
		t.Fatal(err)
	}
	if c.Calls != 2000 || len(c.Clients) != 3 || c.SubDuration != 10*time.Second || c.BlockTime != time.Second {
		t.Errorf("defaults %+v", c)
	}
}
