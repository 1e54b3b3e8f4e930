package executor

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/metamars/mars/host/executor/internal/wasmbin"
)

// bounded runs f and fails the test if it has not returned after d, instead
// of hanging until the test binary's timeout.
func bounded(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		t.Fatalf("still running after %v:\n%s", d, buf[:runtime.Stack(buf, true)])
	}
}

// TestTimeoutUnderGC: a runaway runtime is stopped on time even while the
// Go GC keeps asking to stop the world, on one CPU. Compiled code that
// never leaves for Go cannot be preempted, so a stop-the-world would wait
// for it forever and with it the watchdog (and the test's own timeout):
// the interrupt check leaves compiled code every wasmbin.CheckPeriod checks.
func TestTimeoutUnderGC(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, interp := range []bool{false, true} {
		e := newTestExecutor(t, func(c *Config) { c.CallTimeout = 300 * time.Millisecond; c.Interpreter = interp })
		stop := make(chan struct{})
		gcDone := make(chan struct{})
		go func() {
			defer close(gcDone)
			for {
				select {
				case <-stop:
					return
				default:
					runtime.GC()
					time.Sleep(time.Millisecond)
				}
			}
		}()
		bounded(t, time.Minute, func() {
			for range 3 {
				inst := newTestInstance(t, e, newMemStorage())
				t0 := time.Now()
				_, err := inst.Call(context.Background(), "loop", nil)
				if !errors.Is(err, ErrTimeout) {
					t.Errorf("interpreter=%v: got %v, want ErrTimeout", interp, err)
				}
				if d := time.Since(t0); d > 10*time.Second {
					t.Errorf("interpreter=%v: stopped after %v", interp, d)
				}
			}
		})
		close(stop)
		<-gcDone
	}
}

// TestInterruptReusable: a call that ended before its deadline leaves the
// instance usable, even when the deadline passes right after it.
func TestInterruptReusable(t *testing.T) {
	e := newTestExecutor(t, nil)
	inst := newTestInstance(t, e, newMemStorage())
	for i := range 50 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%5)*50*time.Microsecond+time.Millisecond)
		out, err := inst.Call(ctx, "echo", []byte("x"))
		cancel()
		if err != nil {
			if !errors.Is(err, ErrTimeout) {
				t.Fatal(err)
			}
			inst = newTestInstance(t, e, newMemStorage())
			continue
		}
		if string(out) != "x" {
			t.Fatalf("%q", out)
		}
	}
	if out, err := inst.Call(context.Background(), "echo", []byte("y")); err != nil || string(out) != "y" {
		t.Fatalf("%q %v", out, err)
	}
}

// TestAddInterruptCheckTestRuntime: the instrumented test runtime still
// parses, and instrumenting twice is refused (the names are taken).
func TestAddInterruptCheckTestRuntime(t *testing.T) {
	out, err := wasmbin.AddInterruptCheck(testrtCode, interruptExport, countExport)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wasmbin.Parse(out); err != nil {
		t.Fatal(err)
	}
	if _, err := wasmbin.AddInterruptCheck(out, interruptExport, countExport); err == nil {
		t.Fatal("instrumented twice")
	}
}
