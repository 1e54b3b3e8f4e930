package bench

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestDevThroughput is the benchmark tool's entry point; it runs only with
// MARS_BENCH=1 (see doc.go).
func TestDevThroughput(t *testing.T) {
	if os.Getenv("MARS_BENCH") != "1" {
		t.Skip("set MARS_BENCH=1 to run the MSC vs geth dev-node throughput comparison (see doc.go)")
	}
	cfg := Config{Senders: envInt(t, "MARS_BENCH_SENDERS", 8), PerSender: envInt(t, "MARS_BENCH_TXS", 100),
		Log: testWriter{t}}
	if s := os.Getenv("MARS_BENCH_ONLY"); s != "" && s != "msc" && s != "geth" {
		t.Fatalf("MARS_BENCH_ONLY=%q: want msc or geth", s)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var msc, geth *Result
	var errs []error
	switch os.Getenv("MARS_BENCH_ONLY") {
	case "msc":
		r, err := RunMSC(ctx, cfg)
		msc = r
		if err != nil {
			errs = append(errs, err)
		}
	case "geth":
		r, err := RunGeth(ctx, cfg)
		geth = r
		if err != nil {
			errs = append(errs, err)
		}
	default:
		msc, geth, errs = Compare(ctx, cfg)
	}
	var buf bytes.Buffer
	switch {
	case os.Getenv("MARS_BENCH_ONLY") == "msc":
		WriteTable(&buf, msc)
	case os.Getenv("MARS_BENCH_ONLY") == "geth":
		WriteTable(&buf, geth)
	default:
		WriteTable(&buf, msc, geth)
	}
	t.Logf("\n%s", buf.String())
	for _, err := range errs {
		t.Error(err)
	}
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// TestNetworkFigures measures the 4-validator network (MARS_BENCH=1).
func TestNetworkFigures(t *testing.T) {
	if os.Getenv("MARS_BENCH") != "1" {
		t.Skip("set MARS_BENCH=1 to measure a 4-validator loopback network (see doc.go)")
	}
	cfg := Config{Senders: envInt(t, "MARS_BENCH_SENDERS", 8), PerSender: envInt(t, "MARS_BENCH_TXS", 100), Log: testWriter{t}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	r, err := RunNetwork(ctx, cfg, time.Duration(envInt(t, "MARS_BENCH_OBSERVE_S", 60))*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	WriteNetTable(&buf, r)
	t.Logf("\n%s", buf.String())
}
