package executor

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// testrtCode is the test runtime (internal/testrt) built once per test
// binary by TestMain.
var testrtCode []byte

// testCacheDir is a compilation cache shared by the tests' executors, so
// that each distinct blob is compiled once per test binary.
var testCacheDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "executor-testrt-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "testrt.wasm")
		testCacheDir = filepath.Join(dir, "cache")
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-trimpath", "-o", out, "./internal/testrt")
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building the test runtime: %v\n%s", err, b)
			return 1
		}
		if testrtCode, err = os.ReadFile(out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// quietLogger drops the runtime's logs (a panicking runtime prints a
// goroutine dump) unless -v.
func quietLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.Default()
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func newTestExecutor(t testing.TB, mutate func(*Config)) *Executor {
	t.Helper()
	cfg := Config{Logger: quietLogger(), CallTimeout: 10 * time.Second, CacheDir: testCacheDir}
	if mutate != nil {
		mutate(&cfg)
	}
	if cfg.Interpreter {
		cfg.CacheDir = ""
	}
	e, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close(context.Background()) })
	return e
}

func newTestInstance(t testing.TB, e *Executor, s Storage) *Instance {
	t.Helper()
	inst, err := e.NewInstance(context.Background(), testrtCode, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close(context.Background()) })
	return inst
}
