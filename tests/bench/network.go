package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/metamars/mars/host/rpcclient"
)

// NetResult holds the figures of a 4-validator loopback network with 1 s
// slots (issue "A real network"): authoring → finality latency, bytes
// sent per validator per block, warp sync time and transfers finalized per
// second under load.
type NetResult struct {
	Blocks                 int           // blocks observed for the latency figures
	FinalityMedian, FinP99 time.Duration // first seen as new head on validator-1 → finalized there
	BytesPerValidatorBlock float64       // libp2p payload bytes sent, per validator, per block
	WarpTook               time.Duration // a new full node's warp sync (proofs + state)
	WarpTarget             uint64
	Load                   *Result // transfers submitted to validator-1, finalized by the network
	Notes                  []string
}

var (
	reLocalnetReady = regexp.MustCompile(`Ctrl-C stops them all`)
	reLocalnetRPC   = regexp.MustCompile(`(validator-\d+)\s+rpc (ws://\S+)`)
	reNetStartedLog = regexp.MustCompile(`msg="network started" peer_id=\S+ addrs="?\[(\S+)`)
	reWarpDone      = regexp.MustCompile(`warp sync to #(\d+) done in (\S+)`)
)

// RunNetwork starts `marsd localnet --validators 4`, observes finality for
// observe, measures traffic, warp-syncs a new full node, then runs the
// transfer load of cfg against validator-1.
func RunNetwork(ctx context.Context, cfg Config, observe time.Duration) (*NetResult, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	tmp, err := mkTemp("marsd-bench-net-")
	if err != nil {
		return nil, err
	}
	defer removeAll(&cfg, tmp)
	bin := filepath.Join(tmp, "marsd")
	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	err = goCmd(bctx, cfg.RepoRoot, nil, "build", "-o", bin, "./cmd/marsd")
	cancel()
	if err != nil {
		return nil, err
	}
	base := filepath.Join(tmp, "net")
	p, err := startProc("localnet", bin, tmp, "localnet", "--validators", "4", "--base-path", base)
	if err != nil {
		return nil, err
	}
	defer p.stop()
	if _, err := p.waitLine(ctx, reLocalnetReady, 5*time.Minute); err != nil {
		return nil, err
	}
	rpcs := map[string]string{}
	for _, m := range reLocalnetRPC.FindAllStringSubmatch(p.tail(50), -1) {
		rpcs[m[1]] = m[2]
	}
	if len(rpcs) != 4 {
		return nil, fmt.Errorf("bench: localnet printed %d endpoints: %s", len(rpcs), p.tail(20))
	}
	res := &NetResult{}
	cfg.logf("net: 4 validators up: %v", rpcs)

	clients := map[string]*rpcclient.Client{}
	for name, url := range rpcs {
		c, err := rpcclient.Dial(ctx, url)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		clients[name] = c
	}
	v1 := clients["validator-1"]

	// Finality latency and traffic over the observation window.
	sent0, best0, err := networkTotals(ctx, clients)
	if err != nil {
		return nil, err
	}
	if err := finalityLatency(ctx, v1, observe, res); err != nil {
		return nil, err
	}
	sent1, best1, err := networkTotals(ctx, clients)
	if err != nil {
		return nil, err
	}
	if best1 > best0 {
		res.BytesPerValidatorBlock = float64(sent1-sent0) / 4 / float64(best1-best0)
	}

	// Warp sync of a new full node.
	if err := warpFigure(ctx, &cfg, bin, tmp, base, res); err != nil {
		res.Notes = append(res.Notes, "warp: "+err.Error())
	}

	// Transfers finalized per second under load, submitted to validator-1.
	load := &Result{Node: "MSC 4-validator network (localnet)", Senders: cfg.Senders, PerSender: cfg.PerSender}
	if err := runMSCLoad(ctx, &cfg, p, rpcs["validator-1"], load); err != nil {
		res.Notes = append(res.Notes, "load: "+err.Error())
	}
	res.Load = load
	return res, nil
}

// networkTotals sums bytesSent over the validators (system_networkState)
// and returns validator-1's best block number.
func networkTotals(ctx context.Context, clients map[string]*rpcclient.Client) (sent uint64, best uint64, err error) {
	for name, c := range clients {
		var st struct {
			BytesSent uint64 `json:"bytesSent"`
		}
		if err := c.Call(ctx, &st, "system_networkState"); err != nil {
			return 0, 0, fmt.Errorf("%s: system_networkState: %w", name, err)
		}
		sent += st.BytesSent
	}
	var hdr struct {
		Number string `json:"number"`
	}
	if err := clients["validator-1"].Call(ctx, &hdr, "chain_getHeader"); err != nil {
		return 0, 0, err
	}
	best, err = strconv.ParseUint(strings.TrimPrefix(hdr.Number, "0x"), 16, 64)
	return sent, best, err
}

// finalityLatency subscribes to new and finalized heads on c for d and
// records, per block, first seen as a new head → first finalized.
func finalityLatency(ctx context.Context, c *rpcclient.Client, d time.Duration, res *NetResult) error {
	heads, err := c.Subscribe(ctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
	if err != nil {
		return err
	}
	fins, err := c.Subscribe(ctx, "chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
	if err != nil {
		return err
	}
	seen := map[uint64]time.Time{}
	final := map[uint64]time.Time{}
	type ev struct {
		num uint64
		fin bool
		at  time.Time
	}
	evs := make(chan ev, 1024)
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	read := func(s *rpcclient.Subscription, fin bool) {
		for {
			raw, err := s.Next(wctx)
			if err != nil {
				return
			}
			var h struct {
				Number string `json:"number"`
			}
			if json.Unmarshal(raw, &h) != nil {
				continue
			}
			n, err := strconv.ParseUint(strings.TrimPrefix(h.Number, "0x"), 16, 64)
			if err == nil {
				evs <- ev{n, fin, time.Now()}
			}
		}
	}
	go read(heads, false)
	go read(fins, true)
	var lastFin uint64
loop:
	for {
		select {
		case <-wctx.Done():
			break loop
		case e := <-evs:
			if !e.fin {
				if _, ok := seen[e.num]; !ok {
					seen[e.num] = e.at
				}
				continue
			}
			for n := lastFin + 1; n <= e.num; n++ {
				final[n] = e.at
			}
			lastFin = max(lastFin, e.num)
		}
	}
	var lat []time.Duration
	for n, t := range seen {
		if f, ok := final[n]; ok {
			lat = append(lat, f.Sub(t))
		}
	}
	if len(lat) == 0 {
		return fmt.Errorf("bench: no block both seen and finalized in %s", d)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.Blocks = len(lat)
	res.FinalityMedian = lat[len(lat)/2]
	res.FinP99 = lat[min(len(lat)-1, (len(lat)*99+99)/100-1)]
	return nil
}

// warpFigure starts a full node with --sync warp against validator-1 and
// reads the warp sync time from its log.
func warpFigure(ctx context.Context, cfg *Config, bin, tmp, base string, res *NetResult) error {
	logb, err := os.ReadFile(filepath.Join(base, "validator-1.log"))
	if err != nil {
		return err
	}
	m := reNetStartedLog.FindSubmatch(logb)
	if m == nil {
		return fmt.Errorf("no network address in validator-1's log")
	}
	boot := strings.TrimRight(string(m[1]), "],\"")
	w, err := startProc("warp", bin, tmp, "full", "--chain", filepath.Join(base, "spec.json"), "--base-path", filepath.Join(tmp, "warp"),
		"--listen-addr", "/ip4/127.0.0.1/tcp/0,/ip4/127.0.0.1/udp/0/quic-v1", "--rpc-port", "0", "--sync", "warp", "--bootnodes", boot)
	if err != nil {
		return err
	}
	defer w.stop()
	wm, err := w.waitLine(ctx, reWarpDone, 2*time.Minute)
	if err != nil {
		return err
	}
	res.WarpTarget, _ = strconv.ParseUint(wm[1], 10, 64)
	res.WarpTook, err = time.ParseDuration(wm[2])
	cfg.logf("net: warp sync to #%d took %s", res.WarpTarget, res.WarpTook)
	return err
}

// WriteNetTable prints the network figures.
func WriteNetTable(w io.Writer, r *NetResult) {
	fmt.Fprintf(w, "4 validators, 1 s slots, loopback:\n")
	fmt.Fprintf(w, "  authoring → finalized (validator-1): median %s, p99 %s over %d blocks\n", ms1(r.FinalityMedian), ms1(r.FinP99), r.Blocks)
	fmt.Fprintf(w, "  bytes sent per validator per block: %.0f\n", r.BytesPerValidatorBlock)
	fmt.Fprintf(w, "  warp sync of a new full node: %s (to #%d)\n", r.WarpTook, r.WarpTarget)
	if r.Load != nil {
		fmt.Fprintf(w, "  transfers finalized under load: %.1f tx/s (%d of %d submitted, %d blocks, max %d per block)\n",
			r.Load.TPS, r.Load.Included, r.Load.Senders*r.Load.PerSender, r.Load.Blocks, r.Load.MaxPerBlock)
		fmt.Fprintf(w, "  load: %d failed; submit → in block median %s, p99 %s\n", r.Load.Failed, ms1(r.Load.Latency.Median), ms1(r.Load.Latency.P99))
		for _, n := range r.Load.Notes {
			fmt.Fprintf(w, "  load note: %s\n", n)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}
