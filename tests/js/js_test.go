package js

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	// Not used directly: linking the node and the embedded runtime blob
	// makes go test's cache key change whenever either changes, so a cached
	// PASS never hides a node or runtime change (marsd itself is a separate
	// binary that go test cannot see). The JS inputs are read below for the
	// same reason; cmd/marsd's own files are not covered: use -count=1.
	_ "github.com/metamars/mars/host/node"
	_ "github.com/metamars/mars/runtime/blobs"
)

// Bounds. The whole suite normally takes ~15 s plus the build; npm ci ~20 s.
const (
	buildTimeout = 5 * time.Minute
	readyTimeout = 60 * time.Second
	npmTimeout   = 5 * time.Minute
	nodeTimeout  = 5 * time.Minute  // node --test as a whole
	stopTimeout  = 20 * time.Second // SIGINT → exit, then SIGKILL
)

var reReady = regexp.MustCompile(`msg="node running".* rpc=(ws://127\.0\.0\.1:\d+)`)

// TestPolkadotJS runs `node --test` (api.test.mjs) against a fresh dev node.
func TestPolkadotJS(t *testing.T) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node (Node.js ≥ 20) is not on PATH: the @polkadot/api conformance suite cannot run (%v). Install Node.js 20 with npm", err)
	}
	npmBin, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm is not on PATH: cannot install the pinned @polkadot packages (%v). Install npm (comes with Node.js)", err)
	}
	dir, err := os.Getwd() // go test runs in the package folder: tests/js
	if err != nil {
		t.Fatal(err)
	}
	// Read the suite's inputs so that a change to them invalidates go test's cache.
	for _, f := range []string{"package.json", "package-lock.json", "api.test.mjs", "metadata.test.mjs", "upgrade.mjs"} {
		if _, err := os.ReadFile(filepath.Join(dir, f)); err != nil {
			t.Fatalf("tests/js: %v", err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	marsd := buildMarsd(ctx, t)
	v2 := buildV2Runtime(ctx, t, marsd, filepath.Join(dir, "..", ".."))
	ws := startMarsd(ctx, t, marsd)
	npmCI(ctx, t, npmBin, dir)
	defs, err := goDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	defsFile := filepath.Join(t.TempDir(), "pallets.json")
	if err := os.WriteFile(defsFile, defs, 0o644); err != nil {
		t.Fatal(err)
	}
	runNodeTest(ctx, t, nodeBin, dir, ws, "MSC_GO_METADATA="+defsFile)
	// Last: the upgrade replaces the runtime the tests above ran against.
	runNodeTest(ctx, t, nodeBin, dir, ws, "MSC_V2_WASM="+v2, "upgrade.mjs")
}

// buildV2Runtime builds the relay runtime with the relayv2 tag (spec
// version 2) into a temp file for the sudo setCode test.
func buildV2Runtime(ctx context.Context, t *testing.T, marsd, root string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	out := filepath.Join(t.TempDir(), "v2.wasm.zst")
	start := time.Now()
	cmd := exec.CommandContext(ctx, marsd, "runtime", "build", "--tags", "relayv2", "--source", root, "--out", out)
	cmd.WaitDelay = 5 * time.Second
	if b, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			t.Fatalf("building the v2 runtime did not finish within %s", buildTimeout)
		}
		t.Fatalf("marsd runtime build --tags relayv2: %v\n%s", err, b)
	}
	t.Logf("v2 runtime built in %s: %s", time.Since(start).Round(time.Millisecond), out)
	return out
}

// buildMarsd returns MSC_MARSD_BIN or builds cmd/marsd into a temp folder.
func buildMarsd(ctx context.Context, t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("MSC_MARSD_BIN"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("MSC_MARSD_BIN: %v", err)
		}
		t.Logf("using MSC_MARSD_BIN=%s", bin)
		return bin
	}
	bin := filepath.Join(t.TempDir(), "marsd")
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/metamars/mars/cmd/marsd")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build marsd: %v\n%s", err, out)
	}
	t.Logf("built marsd in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// logBuffer collects marsd's output and signals the ready line.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	pending []byte
	ready   chan string // receives the WS endpoint once
	sent    bool
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.pending = append(l.pending, p...)
	for {
		i := bytes.IndexByte(l.pending, '\n')
		if i < 0 {
			break
		}
		line := string(l.pending[:i])
		l.pending = l.pending[i+1:]
		if m := reReady.FindStringSubmatch(line); m != nil && !l.sent {
			l.sent = true
			l.ready <- m[1]
		}
	}
	return len(p), nil
}

func (l *logBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.Split(strings.TrimRight(l.buf.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// startMarsd starts `marsd dev --rpc-port 0 --base-path <tmp>`, waits for
// its "node running" line and returns the WS endpoint. Cleanup stops it
// with SIGINT, then SIGKILL after stopTimeout.
func startMarsd(ctx context.Context, t *testing.T, bin string) string {
	t.Helper()
	base := t.TempDir()
	args := []string{"dev", "--rpc-port", "0", "--base-path", base}
	log := &logBuffer{ready: make(chan string, 1)}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("start marsd: %v", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()

	t.Cleanup(func() {
		start := time.Now()
		select {
		case <-exited:
			t.Errorf("marsd exited before the end of the test: %v\n%s", waitErr, log.tail(40))
			return
		default:
		}
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
			t.Logf("marsd stopped on SIGINT in %s (%v)", time.Since(start).Round(time.Millisecond), waitErr)
		case <-time.After(stopTimeout):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("marsd did not stop within %s of SIGINT; killed\n%s", stopTimeout, log.tail(20))
		}
		if t.Failed() {
			t.Logf("---- marsd log (last 60 lines; %s) ----\n%s\n---- end marsd log ----", strings.Join(args, " "), log.tail(60))
		}
	})

	start := time.Now()
	select {
	case ws := <-log.ready:
		t.Logf("marsd ready at %s after %s", ws, time.Since(start).Round(time.Millisecond))
		return ws
	case <-exited:
		t.Fatalf("marsd exited before it was ready: %v\n%s", waitErr, log.tail(40))
	case <-time.After(readyTimeout):
		t.Fatalf("marsd not ready within %s (no `node running` line)\n%s", readyTimeout, log.tail(40))
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	return ""
}

// npmCI installs the locked packages when node_modules is missing.
func npmCI(ctx context.Context, t *testing.T, npm, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@polkadot", "api", "package.json")); err == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, npmTimeout)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	if err := streamCmd(t, cmd, "npm"); err != nil {
		if ctx.Err() != nil {
			t.Fatalf("npm ci did not finish within %s", npmTimeout)
		}
		t.Fatalf("npm ci in %s: %v", dir, err)
	}
	t.Logf("npm ci took %s", time.Since(start).Round(time.Millisecond))
}

// runNodeTest runs `node --test` with MSC_WS (plus extra: NAME=value
// environment entries, then test files; no files: node's default
// discovery) and fails if it fails.
func runNodeTest(ctx context.Context, t *testing.T, node, dir, ws string, extra ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, nodeTimeout)
	defer cancel()
	start := time.Now()
	args := []string{"--test", "--test-reporter=spec", "--test-concurrency=1"}
	env := append(os.Environ(), "MSC_WS="+ws, "NO_COLOR=1", "FORCE_COLOR=0")
	for _, x := range extra {
		if strings.Contains(x, "=") {
			env = append(env, x)
		} else {
			args = append(args, x)
		}
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	err := streamCmd(t, cmd, "node")
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case ctx.Err() != nil:
		t.Fatalf("node --test did not finish within %s", nodeTimeout)
	case err != nil:
		t.Fatalf("node --test failed after %s: %v (see the output above)", took, err)
	}
	t.Logf("node --test passed in %s", took)
}

// streamCmd runs cmd and logs its combined output line by line as it comes.
func streamCmd(t *testing.T, cmd *exec.Cmd, prefix string) error {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			t.Logf("%s| %s", prefix, sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("exit status %d", ee.ExitCode())
	}
	return err
}
