package e2e

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testnet is a network of real marsd processes on loopback: validators
// of a chain spec built with `marsd chain-spec build --validators N`, and
// full nodes, each with its own base path and OS-chosen ports.
type testnet struct {
	t     *testing.T
	dir   string
	spec  string
	nodes map[string]*node
	addrs map[string][]string // peer addresses of each started node
	order []string            // start order (bootnodes are taken from here)
}

var reNetStarted = regexp.MustCompile(`msg="network started" peer_id=(\S+) addrs="?\[([^\]]*)\]`)

// marsdRun runs a short marsd command and returns its combined output.
func marsdRun(ctx context.Context, t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, marsdBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("marsd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newTestnet writes the chain spec of n dev validators (sessions of
// sessionPeriod blocks, eras of sessionsPerEra sessions).
func newTestnet(ctx context.Context, t *testing.T, n int, sessionPeriod, sessionsPerEra int) *testnet {
	t.Helper()
	dir := t.TempDir()
	tn := &testnet{t: t, dir: dir, spec: filepath.Join(dir, "spec.json"), nodes: map[string]*node{}, addrs: map[string][]string{}}
	marsdRun(ctx, t, "chain-spec", "build", "--validators", fmt.Sprint(n),
		"--session-period", fmt.Sprint(sessionPeriod), "--sessions-per-era", fmt.Sprint(sessionsPerEra), "--output", tn.spec)
	return tn
}

// devURI is the secret URI of dev validator i (0-based), as marsd names them.
func devURI(i int) string {
	names := []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}
	if i < len(names) {
		return "//" + names[i]
	}
	return fmt.Sprintf("//Validator%d", i+1)
}

// bootnodes lists the addresses of running nodes (all but skip).
func (tn *testnet) bootnodes(skip string) []string {
	var out []string
	for _, name := range tn.order {
		if nd := tn.nodes[name]; name != skip && nd != nil && nd.alive() && len(tn.addrs[name]) > 0 {
			out = append(out, tn.addrs[name][0])
		}
	}
	return out
}

// startValidator starts (or restarts, keeping its base path) validator i
// with its dev session keys; extra flags are appended.
func (tn *testnet) startValidator(ctx context.Context, i int, extra ...string) *node {
	tn.t.Helper()
	name := fmt.Sprintf("v%d", i+1)
	base := filepath.Join(tn.dir, name)
	if _, ok := tn.addrs[name]; !ok {
		marsdRun(ctx, tn.t, "key", "insert", "--base-path", base, "--suri", devURI(i), "--key-type", "aura")
		marsdRun(ctx, tn.t, "key", "insert", "--base-path", base, "--suri", devURI(i), "--key-type", "gran")
	}
	return tn.start(ctx, name, "validator", base, extra...)
}

// startFull starts a full node syncing with mode (full or warp).
func (tn *testnet) startFull(ctx context.Context, name, mode string, extra ...string) *node {
	tn.t.Helper()
	return tn.start(ctx, name, "full", filepath.Join(tn.dir, name), append([]string{"--sync", mode}, extra...)...)
}

func (tn *testnet) start(ctx context.Context, name, role, base string, extra ...string) *node {
	tn.t.Helper()
	args := []string{role, "--chain", tn.spec, "--base-path", base, "--listen-addr", "/ip4/127.0.0.1/tcp/0,/ip4/127.0.0.1/udp/0/quic-v1", "--rpc-port", "0"}
	if boot := tn.bootnodes(name); len(boot) > 0 && !contains(extra, "--bootnodes") && !contains(extra, noBootnodes) {
		args = append(args, "--bootnodes", strings.Join(boot, ","))
	}
	for _, x := range extra {
		if x != noBootnodes {
			args = append(args, x)
		}
	}
	nd := startNode(ctx, tn.t, name, nodeOpts{args: args})
	m, err := nd.waitLog(ctx, reNetStarted, 0, 10*time.Second)
	if err != nil {
		tn.t.Fatalf("%s: %v", name, err)
	}
	tn.addrs[name] = strings.Fields(strings.ReplaceAll(m[2], ",", " "))
	if _, seen := tn.nodes[name]; !seen {
		tn.order = append(tn.order, name)
	}
	tn.nodes[name] = nd
	return nd
}

// noBootnodes, passed as an extra flag, starts a node that dials nobody.
const noBootnodes = "(no bootnodes)"

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// heads returns a node's best and finalized block numbers.
func (n *node) heads(ctx context.Context) (best, fin uint64, err error) {
	var h header
	if err = n.callInto(ctx, &h, "chain_getHeader"); err != nil {
		return 0, 0, err
	}
	best = h.num()
	var fh string
	if err = n.callInto(ctx, &fh, "chain_getFinalizedHead"); err != nil {
		return 0, 0, err
	}
	if err = n.callInto(ctx, &h, "chain_getHeader", fh); err != nil {
		return 0, 0, err
	}
	return best, h.num(), nil
}

// canonHash is chain_getBlockHash(num), "" when the node has no such block.
func (n *node) canonHash(ctx context.Context, num uint64) (string, error) {
	h, err := n.blockHash(ctx, num)
	if errors.Is(err, errNull) {
		return "", nil
	}
	return h, err
}

// eventually polls cond every 250 ms until it holds or max passes; on
// timeout it fails the test with cond's last explanation.
func eventually(ctx context.Context, t *testing.T, max time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	last := ""
	for {
		ok, why := cond()
		if ok {
			return
		}
		last = why
		select {
		case <-ctx.Done():
			t.Fatalf("%s: not within %s (last: %s)", what, max, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// finalityAgree checks that every node's canonical chain agrees on the
// hash of each block up to the lowest finalized number among them: no two
// nodes ever finalized conflicting blocks.
func finalityAgree(ctx context.Context, t *testing.T, nodes ...*node) uint64 {
	t.Helper()
	low := ^uint64(0)
	for _, n := range nodes {
		_, fin, err := n.heads(ctx)
		if err != nil {
			t.Fatalf("%s: %v", n.name, err)
		}
		low = min(low, fin)
	}
	for num := uint64(1); num <= low; num++ {
		var want string
		for _, n := range nodes {
			h, err := n.canonHash(ctx, num)
			if err != nil {
				t.Fatalf("%s: chain_getBlockHash(%d): %v", n.name, num, err)
			}
			switch {
			case h == "": // a warp-synced node has no history below its warp target
			case want == "":
				want = h
			case h != want:
				t.Fatalf("finalized block #%d differs: %s has %s, %s had %s", num, n.name, h, nodes[0].name, want)
			}
		}
	}
	return low
}

// reWarped is the sync's log line after a successful warp sync.
var reWarped = regexp.MustCompile(`sync: warp sync to #(\d+) done in (\S+)`)
