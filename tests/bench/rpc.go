package bench

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/rpcclient"
)

// The RPC figures (TestRPCFigures, MARS_BENCH=1; MARS_BENCH_RPC_CALLS sets
// the calls a method, default 2000):
//
//	MARS_BENCH=1 go test ./tests/bench/ -run TestRPCFigures -v -timeout 20m
//
// build marsd, start `marsd dev --block-time 1s` and measure, sequentially
// over one WebSocket and over HTTP, the round trip of state_call
// Core_version, state_call AccountNonceApi_account_nonce(Alice) and
// state_getStorage(System.Account(Alice)) (20 warm-up calls dropped); then,
// for C = 100, 500, 1000, dial C WebSocket clients (32 at a time), each
// with a chain_subscribeNewHeads subscription, follow the heads for 10 s and
// report how many clients were accepted (the server allows 100 connections
// and answers the rest with HTTP 429; marsd dev has no flag for it), how
// many received every head authored in the window, the delay from the
// node's "authored block" log line to each notification, and marsd's VmRSS
// at the end of the window.

// RPCConfig is one run of the RPC figures (issue "Substrate tools work
// unchanged"): call latency and head-subscription fan-out of `marsd dev`.
type RPCConfig struct {
	Calls       int           // sequential calls a method and transport (default 2000)
	Clients     []int         // concurrent WebSocket clients to try (default 100, 500, 1000)
	SubDuration time.Duration // how long the clients follow new heads (default 10 s)
	BlockTime   time.Duration // marsd --block-time (default 1 s)
	RepoRoot    string        // the mars module (default: found from this package's source)
	Log         io.Writer     // progress lines (default: discarded)
}

func (c *RPCConfig) fill() error {
	if c.Calls <= 0 {
		c.Calls = 2000
	}
	if len(c.Clients) == 0 {
		c.Clients = []int{100, 500, 1000}
	}
	if c.SubDuration <= 0 {
		c.SubDuration = 10 * time.Second
	}
	if c.BlockTime <= 0 {
		c.BlockTime = time.Second
	}
	if c.RepoRoot == "" {
		r, err := repoRoot()
		if err != nil {
			return err
		}
		c.RepoRoot = r
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}

func (c *RPCConfig) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", args...)
}

// CallFigure is the latency of one method over one transport.
type CallFigure struct {
	Method    string
	Transport string // "ws" or "http"
	Errors    int
	Latency   LatencySummary
}

// FanoutFigure is one run of C clients following chain_subscribeNewHeads.
type FanoutFigure struct {
	Clients    int            // C tried
	Connected  int            // connections the server accepted with a subscription
	Refused    int            // dial or subscribe failures
	RefusedErr string         // one such error
	Heads      int            // heads authored during the window
	GotAll     int            // connected clients that received every one of them
	Delay      LatencySummary // authored (node log, ms resolution) → notification received, over all clients and heads
	Spread     LatencySummary // per head: last client's receipt − first client's
	RSSKiB     uint64         // marsd's VmRSS at the end of the window
}

// RPCResult is a run's figures.
type RPCResult struct {
	Calls      []CallFigure
	Fanout     []FanoutFigure
	RSSIdleKiB uint64
	MaxConns   string // what bounds the connections
	Notes      []string
}

// mscAuthoredLine is marsd's log line for a block it authored.
var mscAuthoredLine = regexp.MustCompile(`^time=(\S+) .*msg="authored block".* number=(\d+)`)

// RunRPC builds marsd, runs `marsd dev` and measures its RPC figures.
func RunRPC(ctx context.Context, cfg RPCConfig) (*RPCResult, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	tmp, err := mkTemp("marsd-bench-rpc-")
	if err != nil {
		return nil, err
	}
	defer removeAll(&Config{Log: cfg.Log}, tmp)

	cfg.logf("rpc: building marsd")
	bin := filepath.Join(tmp, "marsd")
	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	err = goCmd(bctx, cfg.RepoRoot, nil, "build", "-o", bin, "./cmd/marsd")
	cancel()
	if err != nil {
		return nil, err
	}
	// The connection limit counts WebSocket connections plus in-flight
	// HTTP requests: room for the largest fan-out and the latency client.
	maxC := 100
	for _, c := range cfg.Clients {
		maxC = max(maxC, c+16)
	}
	p, err := startProc("marsd", bin, tmp, "dev", "--rpc-port", "0", "--base-path", filepath.Join(tmp, "base"),
		"--block-time", cfg.BlockTime.String(), "--rpc-max-connections", fmt.Sprint(maxC))
	if err != nil {
		return nil, err
	}
	res := &RPCResult{MaxConns: fmt.Sprintf("%d (--rpc-max-connections)", maxC)}
	defer func() {
		if err := p.stop(); err != nil {
			res.Notes = append(res.Notes, err.Error())
		}
	}()
	m, err := p.waitLine(ctx, mscReadyLine, 3*time.Minute)
	if err != nil {
		return nil, err
	}
	wsURL := m[1]
	httpURL := "http://" + strings.TrimPrefix(wsURL, "ws://")
	cfg.logf("rpc: marsd pid %d ready at %s", p.PID(), wsURL)
	if _, err := p.waitLine(ctx, mscAuthoredLine, time.Minute); err != nil {
		return nil, err
	}
	if mem, err := ReadMem(p.PID()); err == nil {
		res.RSSIdleKiB = mem.RSS
	}

	alice, err := keystore.FromURI(keystore.Sr25519, "//Alice")
	if err != nil {
		return nil, err
	}
	id := alice.AccountID()
	calls := []struct {
		name   string
		method string
		params []any
	}{
		{"state_call Core_version", "state_call", []any{"Core_version", "0x"}},
		{"state_call AccountNonceApi_account_nonce", "state_call", []any{"AccountNonceApi_account_nonce", "0x" + hex.EncodeToString(id[:])}},
		{"state_getStorage System.Account(Alice)", "state_getStorage", []any{"0x" + hex.EncodeToString(mscAccountKey(id))}},
	}
	for _, tr := range []struct{ name, url string }{{"ws", wsURL}, {"http", httpURL}} {
		c, err := rpcclient.Dial(ctx, tr.url)
		if err != nil {
			return nil, fmt.Errorf("bench: dial %s: %w", tr.url, err)
		}
		for _, call := range calls {
			f := CallFigure{Method: call.name, Transport: tr.name}
			ds := make([]time.Duration, 0, cfg.Calls)
			for i := 0; i < cfg.Calls+20; i++ { // the first 20 warm up
				var out json.RawMessage
				t0 := time.Now()
				err := c.Call(ctx, &out, call.method, call.params...)
				d := time.Since(t0)
				if ctx.Err() != nil {
					c.Close()
					return nil, ctx.Err()
				}
				if i < 20 {
					continue
				}
				if err != nil || string(out) == "null" {
					f.Errors++
					continue
				}
				ds = append(ds, d)
			}
			f.Latency = Summarize(ds)
			cfg.logf("rpc: %s over %s: median %s p99 %s (%d errors)", call.name, tr.name, f.Latency.Median, f.Latency.P99, f.Errors)
			res.Calls = append(res.Calls, f)
		}
		c.Close()
	}

	for _, n := range cfg.Clients {
		f, err := runFanout(ctx, &cfg, p, wsURL, n)
		if err != nil {
			return res, err
		}
		cfg.logf("rpc: %d clients: %d connected, %d/%d got all %d heads, delay median %s p99 %s, RSS %s",
			n, f.Connected, f.GotAll, f.Connected, f.Heads, f.Delay.Median, f.Delay.P99, mib(f.RSSKiB))
		res.Fanout = append(res.Fanout, *f)
		time.Sleep(2 * time.Second) // let the server release the connections
	}
	return res, nil
}

// authoredTimes returns the authoring time of each block marsd logged.
func (p *proc) authoredTimes() map[uint64]time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[uint64]time.Time{}
	for _, l := range p.lines {
		m := mscAuthoredLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		t, err1 := time.Parse(time.RFC3339Nano, m[1])
		n, err2 := strconv.ParseUint(m[2], 10, 64)
		if err1 == nil && err2 == nil {
			out[n] = t
		}
	}
	return out
}

type headRecv struct {
	num uint64
	at  time.Time
}

// runFanout opens n WebSocket clients, each following
// chain_subscribeNewHeads, for cfg.SubDuration.
func runFanout(ctx context.Context, cfg *RPCConfig, p *proc, url string, n int) (*FanoutFigure, error) {
	f := &FanoutFigure{Clients: n}
	type client struct {
		c    *rpcclient.Client
		sub  *rpcclient.Subscription
		recv []headRecv
	}
	clients := make([]*client, n)
	var refused atomic.Int64
	var errMu sync.Mutex
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fail := func(err error) {
				refused.Add(1)
				errMu.Lock()
				if f.RefusedErr == "" {
					f.RefusedErr = err.Error()
				}
				errMu.Unlock()
			}
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			c, err := rpcclient.Dial(dctx, url)
			if err != nil {
				fail(err)
				return
			}
			sub, err := c.Subscribe(dctx, "chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
			if err != nil {
				c.Close()
				fail(err)
				return
			}
			clients[i] = &client{c: c, sub: sub}
		}()
	}
	wg.Wait()
	f.Refused = int(refused.Load())
	defer func() {
		for _, c := range clients {
			if c != nil {
				c.c.Close()
			}
		}
	}()
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, cfg.SubDuration)
	defer cancel()
	for _, c := range clients {
		if c == nil {
			continue
		}
		f.Connected++
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				raw, err := c.sub.Next(wctx)
				if err != nil {
					return
				}
				at := time.Now()
				var h rpcclient.Header
				if json.Unmarshal(raw, &h) != nil {
					continue
				}
				if num, err := h.BlockNumber(); err == nil {
					c.recv = append(c.recv, headRecv{num, at})
				}
			}
		}()
	}
	<-wctx.Done()
	end := time.Now()
	if mem, err := ReadMem(p.PID()); err == nil {
		f.RSSKiB = mem.RSS
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	// The heads that count: authored after every client subscribed and at
	// least a second before the window closed (time to arrive).
	authored := p.authoredTimes()
	want := map[uint64]time.Time{}
	for num, t := range authored {
		if t.After(start) && t.Before(end.Add(-time.Second)) {
			want[num] = t
		}
	}
	f.Heads = len(want)
	var delays []time.Duration
	first, last := map[uint64]time.Time{}, map[uint64]time.Time{}
	for _, c := range clients {
		if c == nil {
			continue
		}
		got := map[uint64]bool{}
		for _, r := range c.recv {
			if t, ok := want[r.num]; ok && !got[r.num] {
				got[r.num] = true
				delays = append(delays, r.at.Sub(t))
				if f, ok := first[r.num]; !ok || r.at.Before(f) {
					first[r.num] = r.at
				}
				if l, ok := last[r.num]; !ok || r.at.After(l) {
					last[r.num] = r.at
				}
			}
		}
		if len(want) > 0 && len(got) == len(want) {
			f.GotAll++
		}
	}
	f.Delay = Summarize(delays)
	var spreads []time.Duration
	for num, t := range first {
		spreads = append(spreads, last[num].Sub(t))
	}
	f.Spread = Summarize(spreads)
	if f.Heads == 0 {
		return f, errors.New("bench: no block authored during the fan-out window")
	}
	return f, nil
}

// WriteRPCTable prints the figures.
func WriteRPCTable(w io.Writer, r *RPCResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "call\ttransport\tn\tmedian\tp99\tmax\terrors")
	for _, c := range r.Calls {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\n", c.Method, c.Transport, c.Latency.N,
			us(c.Latency.Median), us(c.Latency.P99), us(c.Latency.Max), c.Errors)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "clients\tconnected\trefused\theads\tgot every head\tdelay median\tdelay p99\tdelay max\tspread median\tspread max\tVmRSS")
	for _, f := range r.Fanout {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Clients, f.Connected, f.Refused, f.Heads,
			f.GotAll, f.Connected, ms1(f.Delay.Median), ms1(f.Delay.P99), ms1(f.Delay.Max),
			ms1(f.Spread.Median), ms1(f.Spread.Max), mib(f.RSSKiB))
	}
	tw.Flush()
	fmt.Fprintf(w, "\ndelay: from marsd's \"authored block\" log time (ms resolution, logged after import);"+
		" spread: a head's last receipt minus its first, over the clients\n")
	fmt.Fprintf(w, "VmRSS idle: %s; connection limit: %s\n", mib(r.RSSIdleKiB), r.MaxConns)
	for _, f := range r.Fanout {
		if f.RefusedErr != "" {
			fmt.Fprintf(w, "%d clients: first refusal: %s\n", f.Clients, f.RefusedErr)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func ms1(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}
