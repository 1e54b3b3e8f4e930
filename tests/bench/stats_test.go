package bench

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		out := make([]time.Duration, len(vs))
		for i, v := range vs {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	// Unsorted input; nearest rank: ceil(p/100·n)-th smallest.
	ds := ms(50, 10, 40, 20, 30)
	for _, c := range []struct {
		p    float64
		want int
	}{{1, 10}, {20, 10}, {21, 20}, {50, 30}, {80, 40}, {99, 50}, {100, 50}} {
		if got := Percentile(ds, c.p); got != time.Duration(c.want)*time.Millisecond {
			t.Errorf("Percentile(p=%v) = %v, want %dms", c.p, got, c.want)
		}
	}
	if ds[0] != 50*time.Millisecond {
		t.Error("Percentile sorted its input in place")
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty input: want 0")
	}
	// 100 values 1..100: p99 is the 99th, the median the 50th.
	var hundred []time.Duration
	for i := 100; i >= 1; i-- {
		hundred = append(hundred, time.Duration(i))
	}
	s := Summarize(hundred)
	if s.N != 100 || s.Min != 1 || s.Median != 50 || s.P99 != 99 || s.Max != 100 {
		t.Errorf("Summarize(1..100) = %+v", s)
	}
	if (Summarize(nil) != LatencySummary{}) {
		t.Error("Summarize(nil) not zero")
	}
	if s := Summarize(ms(7)); s.Median != 7*time.Millisecond || s.P99 != 7*time.Millisecond {
		t.Errorf("one value: %+v", s)
	}
}

const statusSample = `Name:	marsd
Umask:	0022
State:	S (sleeping)
Pid:	4242
VmPeak:	 2817420 kB
VmSize:	 2751884 kB
VmLck:	       0 kB
VmHWM:	  187332 kB
VmRSS:	  150016 kB
RssAnon:	  120000 kB
Threads:	12
`

func TestParseProcStatus(t *testing.T) {
	m, err := ParseProcStatus(strings.NewReader(statusSample))
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 150016 || m.HWM != 187332 {
		t.Errorf("got %+v", m)
	}
	for name, bad := range map[string]string{
		"no VmRSS":   "VmHWM:\t 1 kB\n",
		"no VmHWM":   "VmRSS:\t 1 kB\n",
		"empty":      "",
		"bad unit":   "VmHWM:\t 1 MB\nVmRSS:\t 1 kB\n",
		"bad number": "VmHWM:\t x kB\nVmRSS:\t 1 kB\n",
	} {
		if _, err := ParseProcStatus(strings.NewReader(bad)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestReadMemSelf(t *testing.T) {
	m, err := ReadMem(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if m.RSS == 0 || m.HWM < m.RSS {
		t.Errorf("own memory: %+v", m)
	}
}

func TestFillFigures(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	recs := [][]txRec{
		{
			{sent: at(0), accepted: true, included: at(900), final: at(1000), block: "a"},
			{sent: at(10), accepted: true, included: at(1900), final: at(2000), block: "b"},
		},
		{
			{sent: at(5), accepted: true, included: at(905), final: at(1000), block: "a"},
			{sent: at(15), accepted: true, failed: "status invalid"},
			{}, // never sent
		},
	}
	var r Result
	fillFigures(&r, recs)
	if r.Submitted != 4 || r.Included != 3 || r.Failed != 2 {
		t.Errorf("counts: submitted %d included %d failed %d", r.Submitted, r.Included, r.Failed)
	}
	if r.Duration != 2*time.Second || r.TPS != 1.5 {
		t.Errorf("duration %v tps %v", r.Duration, r.TPS)
	}
	if r.Blocks != 2 || r.MaxPerBlock != 2 || !slices.Equal(r.PerBlock, []int{2, 1}) {
		t.Errorf("blocks %d max %d", r.Blocks, r.MaxPerBlock)
	}
	if r.Latency.N != 3 || r.Latency.Median != 900*time.Millisecond || r.Latency.P99 != 1890*time.Millisecond {
		t.Errorf("latency %+v", r.Latency)
	}
	reasons := failureReasons(recs)
	if reasons["status invalid"] != 1 || len(reasons) != 2 {
		t.Errorf("reasons %v", reasons)
	}
}

func TestWriteTable(t *testing.T) {
	a := &Result{Node: "A", TPS: 30, Senders: 2, PerSender: 3}
	b := &Result{Node: "B", TPS: 20, Senders: 2, PerSender: 3, Notes: []string{"slow"}}
	var sb strings.Builder
	WriteTable(&sb, a, b)
	out := sb.String()
	for _, want := range []string{"sustained tx/s", "30.0", "20.0", "ratio A tx/s ÷ B tx/s = 1.50", "note (B): slow"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	sb.Reset()
	WriteTable(&sb, a, nil)
	if !strings.Contains(sb.String(), "(not run)") || strings.Contains(sb.String(), "ratio") {
		t.Errorf("nil result:\n%s", sb.String())
	}
}

func TestConfigFill(t *testing.T) {
	for _, c := range []Config{{Senders: 0, PerSender: 1}, {Senders: 1, PerSender: 0}, {Senders: 65, PerSender: 1},
		{Senders: 1, PerSender: 1001}, {Senders: 1, PerSender: 1, BlockTime: 1500 * time.Millisecond}} {
		if err := c.fill(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	c := Config{Senders: 4, PerSender: 10, RepoRoot: "/x", CacheDir: "/y"}
	if err := c.fill(); err != nil {
		t.Fatal(err)
	}
	if c.BlockTime != time.Second || c.GethVersion != "v1.16.7" || c.LoadTimeout == 0 || c.Log == nil {
		t.Errorf("defaults: %+v", c)
	}
}

func TestWaitLoad(t *testing.T) {
	ctx := context.Background()
	var n atomic.Int64
	done := make(chan struct{})
	close(done)
	if why := waitLoad(ctx, done, nil, &n, 5, time.Hour); why != "" {
		t.Errorf("done: %q", why)
	}
	n.Store(5)
	start := time.Now()
	if why := waitLoad(ctx, nil, nil, &n, 5, 50*time.Millisecond); why != "" || time.Since(start) < 50*time.Millisecond {
		t.Errorf("all observed: %q after %s", why, time.Since(start))
	}
	errc := make(chan error, 1)
	errc <- errors.New("boom")
	if why := waitLoad(ctx, nil, errc, &n, 9, 0); !strings.Contains(why, "boom") {
		t.Errorf("observer error: %q", why)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if why := waitLoad(cctx, nil, nil, &n, 9, 0); why == "" {
		t.Error("cancelled: no reason")
	}
}
