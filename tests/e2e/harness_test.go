package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	// Not used directly: linking the node's packages and the embedded
	// runtime makes go test's cache key change whenever they change, so a
	// cached PASS never hides a node, consensus or runtime change (marsd is
	// a separate binary go test cannot see). cmd/marsd's own files are not
	// covered: use -count=1 after changing only them.
	_ "github.com/metamars/mars/consensus/aura"
	_ "github.com/metamars/mars/consensus/grandpa"
	_ "github.com/metamars/mars/host/node"
	_ "github.com/metamars/mars/runtime/blobs"
)

// marsdBin is the binary TestMain built (or MARSD_E2E_BIN).
var marsdBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if bin := os.Getenv("MARSD_E2E_BIN"); bin != "" {
		marsdBin = bin
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "marsd-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	marsdBin = filepath.Join(dir, "marsd")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", marsdBin, "github.com/metamars/mars/cmd/marsd")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building marsd:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: built marsd in %s\n", time.Since(start).Round(time.Millisecond))
	return m.Run()
}

// nodeOpts configures one marsd dev process.
type nodeOpts struct {
	basePath  string        // "" = no --base-path (temporary folder)
	blockTime time.Duration // 0 = the binary's default
	env       []string      // extra environment (KEY=VALUE)
	// args, when set, replace the dev command line entirely (e.g.
	// validator --chain … for the network tests).
	args []string
}

// node is one running `marsd dev` process.
type node struct {
	t       *testing.T
	name    string
	cmd     *exec.Cmd
	log     *logBuffer
	exited  chan struct{}
	waitErr error

	rpcHTTP string // http://127.0.0.1:PORT
	rpcWS   string // ws://127.0.0.1:PORT
	started time.Time
}

var (
	reReady   = regexp.MustCompile(`msg="node running".* rpc=(ws://\S+).*`)
	reBest    = regexp.MustCompile(`\bbest=(\d+)`)
	reTmpPath = regexp.MustCompile(`msg="using a temporary base path" path=(\S+)`)
	reStopped = regexp.MustCompile(`msg="node stopped".* best=(\d+)`)
	reAuthor  = regexp.MustCompile(`msg="authored block".* number=(\d+)`)
	reHash    = regexp.MustCompile(`\bhash=(0x[0-9a-f]{64})`)
)

// logBuffer keeps a process's stderr and lets tests wait for lines.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	lines   []string
	changed chan struct{} // closed and replaced on every new line
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	added := false
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
		added = true
	}
	if added {
		close(l.changed)
		l.changed = make(chan struct{})
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// find returns the submatches of the first line from index from on that
// matches re, the index after it, and a channel closed on the next line.
func (l *logBuffer) find(re *regexp.Regexp, from int) ([]string, int, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := from; i < len(l.lines); i++ {
		if m := re.FindStringSubmatch(l.lines[i]); m != nil {
			return m, i + 1, l.changed
		}
	}
	return nil, len(l.lines), l.changed
}

// grep returns all lines matching re.
func (l *logBuffer) grep(re *regexp.Regexp) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.lines {
		if re.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// startNode starts `marsd dev` and waits (bounded) until it logs that it
// runs. The process is killed in t.Cleanup if still alive.
func startNode(ctx context.Context, t *testing.T, name string, o nodeOpts) *node {
	t.Helper()
	args := []string{"dev", "--rpc-port", "0"}
	if o.basePath != "" {
		args = append(args, "--base-path", o.basePath)
	}
	if o.blockTime > 0 {
		args = append(args, "--block-time", o.blockTime.String())
	}
	if o.args != nil {
		args = o.args
	}
	n := &node{t: t, name: name, log: newLogBuffer(), exited: make(chan struct{})}
	n.cmd = exec.Command(marsdBin, args...)
	n.cmd.Env = append(os.Environ(), o.env...)
	n.cmd.Stdout = n.log
	n.cmd.Stderr = n.log
	n.cmd.WaitDelay = 5 * time.Second
	n.started = time.Now()
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("%s: start marsd: %v", name, err)
	}
	go func() {
		n.waitErr = n.cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		n.kill()
		if t.Failed() {
			t.Logf("---- %s log (%s) ----\n%s---- end %s log ----", name, strings.Join(args, " "), tail(n.log.String(), 60), name)
		}
	})
	m, err := n.waitLog(ctx, reReady, 0, 60*time.Second)
	if err != nil {
		t.Fatalf("%s: not ready: %v\n%s", name, err, tail(n.log.String(), 40))
	}
	n.rpcWS = m[1]
	n.rpcHTTP = "http://" + strings.TrimPrefix(m[1], "ws://")
	t.Logf("%s: ready after %s at %s (%s)", name, time.Since(n.started).Round(time.Millisecond), n.rpcWS, strings.Join(args, " "))
	return n
}

// waitLog waits for a log line matching re (searching from line index
// from) until ctx, max or the process's exit.
func (n *node) waitLog(ctx context.Context, re *regexp.Regexp, from int, max time.Duration) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	for {
		m, next, changed := n.log.find(re, from)
		if m != nil {
			return m, nil
		}
		from = next
		select {
		case <-changed:
		case <-n.exited:
			if m, _, _ := n.log.find(re, from); m != nil {
				return m, nil
			}
			return nil, fmt.Errorf("process exited (%v) before logging %q", n.waitErr, re)
		case <-ctx.Done():
			return nil, fmt.Errorf("no log line %q: %w", re, ctx.Err())
		}
	}
}

// alive reports whether the process still runs.
func (n *node) alive() bool {
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// stop sends sig and waits up to max for the process to exit; it returns
// the exit error (nil for status 0).
func (n *node) stop(sig syscall.Signal, max time.Duration) error {
	if !n.alive() {
		return fmt.Errorf("already exited: %v", n.waitErr)
	}
	if err := n.cmd.Process.Signal(sig); err != nil {
		return err
	}
	select {
	case <-n.exited:
		return n.waitErr
	case <-time.After(max):
		n.kill()
		return fmt.Errorf("did not exit within %s after %v (killed)", max, sig)
	}
}

// kill sends SIGKILL (if alive) and waits for the exit.
func (n *node) kill() {
	if n.alive() {
		_ = n.cmd.Process.Kill()
	}
	select {
	case <-n.exited:
	case <-time.After(10 * time.Second):
		n.t.Errorf("%s: process %d did not exit after SIGKILL", n.name, n.cmd.Process.Pid)
	}
}

// errorLines returns the process's log lines at level ERROR (or panics).
func (n *node) errorLines() []string {
	return n.log.grep(regexp.MustCompile(`level=ERROR|panic:|fatal error:`))
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = append([]string{fmt.Sprintf("… (%d lines before)", len(parts)-lines)}, parts[len(parts)-lines:]...)
	}
	return strings.Join(parts, "\n")
}

// poll runs f every interval until it returns true or an error, or until
// the deadline max (or ctx) passes.
func poll(ctx context.Context, max, interval time.Duration, what string, f func(context.Context) (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var lastErr error
	for {
		ok, err := f(ctx)
		if ok && err == nil {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return fmt.Errorf("%s: %w (last error: %v)", what, ctx.Err(), lastErr)
			}
			return fmt.Errorf("%s: %w", what, ctx.Err())
		case <-tick.C:
		}
	}
}

func atoi(t *testing.T, s string) uint64 {
	t.Helper()
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("not a number %q", s)
	}
	return v
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

// reAnyPanic finds a crash of the node itself; the runtime's own panics
// (a trap the executor reports, logged as msg="runtime stderr") are not.
var reAnyPanic = regexp.MustCompile(`^(panic:|fatal error:|goroutine [0-9]+ \[)`)

var reSubDropped = regexp.MustCompile(`subscription dropped`)

var errNull = errors.New("null result")
