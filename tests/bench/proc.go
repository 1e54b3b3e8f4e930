package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a node has to exit after SIGINT before it is
// killed.
const stopGrace = 20 * time.Second

// maxLogLines bounds the log lines a proc keeps (the oldest are dropped).
const maxLogLines = 2000

// proc is a node process started by the benchmark: its combined
// stdout/stderr is kept (bounded) so that readiness lines can be matched
// and failures reported with the node's last words.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, valid after done

	mu      sync.Mutex
	lines   []string // the last maxLogLines lines
	dropped int      // lines dropped from the front of lines
	copied  chan struct{}
}

// startProc starts bin with args in dir. The process gets SIGKILL if the
// benchmark's thread dies (Pdeathsig) so that no node outlives an aborted
// run.
func startProc(name, bin, dir string, args ...string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	// Pdeathsig follows the OS thread that forks: keep the thread alive
	// while starting (the Go runtime does not retire unlocked threads).
	runtime.LockOSThread()
	err = cmd.Start()
	runtime.UnlockOSThread()
	pw.Close()
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("bench: starting %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{}), copied: make(chan struct{})}
	go p.copyLines(pr)
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) copyLines(r io.ReadCloser) {
	defer close(p.copied)
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		p.mu.Lock()
		p.lines = append(p.lines, sc.Text())
		if len(p.lines) > maxLogLines {
			n := len(p.lines) - maxLogLines
			p.lines = append(p.lines[:0:0], p.lines[n:]...)
			p.dropped += n
		}
		p.mu.Unlock()
	}
	io.Copy(io.Discard, r) // a line over 1 MiB: keep draining
}

// PID is the process id.
func (p *proc) PID() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// tail returns the last n log lines.
func (p *proc) tail(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines[max(0, len(p.lines)-n):], "\n")
}

// countLines counts the kept log lines that contain sub.
func (p *proc) countLines(sub string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

// waitLine waits until a log line matches re and returns the submatches
// of the first such line. It fails when the process exits or timeout
// passes first.
func (p *proc) waitLine(ctx context.Context, re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	next := 0 // absolute index of the next line to look at
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		for i := max(next, p.dropped); i < p.dropped+len(p.lines); i++ {
			if m := re.FindStringSubmatch(p.lines[i-p.dropped]); m != nil {
				p.mu.Unlock()
				return m, nil
			}
		}
		next = p.dropped + len(p.lines)
		p.mu.Unlock()
		select {
		case <-p.done:
			<-p.copied
			return nil, fmt.Errorf("bench: %s exited (%v) before logging %q; last lines:\n%s", p.name, p.err, re, p.tail(30))
		case <-ctx.Done():
			return nil, fmt.Errorf("bench: %s did not log %q within %s; last lines:\n%s", p.name, re, timeout, p.tail(30))
		case <-t.C:
		}
	}
}

// stop sends SIGINT, waits up to stopGrace, then kills. It returns the
// process's exit error when it had to be killed or had already died on
// its own; a clean exit after SIGINT is nil.
func (p *proc) stop() error {
	if p.exited() {
		return fmt.Errorf("bench: %s had already exited: %v", p.name, p.err)
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return nil
	case <-time.After(stopGrace):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("bench: %s (pid %d) did not die after SIGKILL", p.name, p.PID())
	}
	return fmt.Errorf("bench: %s ignored SIGINT for %s and was killed", p.name, stopGrace)
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// repoRoot finds the module root: the folder two levels above this source
// file when it is there, else `go env GOMOD`'s folder from the working
// directory.
func repoRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok {
		root := filepath.Join(filepath.Dir(file), "..", "..")
		if _, err := os.Stat(filepath.Join(root, "cmd", "marsd")); err == nil {
			return filepath.Clean(root), nil
		}
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("bench: go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("bench: not inside the mars module (set Config.RepoRoot)")
	}
	return filepath.Dir(mod), nil
}

// goCmd runs the go command in dir with extra environment, returning its
// combined output on failure.
func goCmd(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("bench: go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func mkTemp(prefix string) (string, error) { return os.MkdirTemp("", prefix) }

// removeAll removes a temp folder, noting a failure in the log.
func removeAll(cfg *Config, dir string) {
	if os.Getenv("MARS_BENCH_KEEP") == "1" {
		cfg.logf("bench: keeping %s (MARS_BENCH_KEEP=1)", dir)
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		cfg.logf("bench: removing %s: %v", dir, err)
	}
}
