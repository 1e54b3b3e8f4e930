package executor

import (
	"context"

	"github.com/tetratelabs/wazero/api"
)

// The globals that wasmbin.AddInterruptCheck adds to every runtime (unless
// Config.Uninterruptible): the runtime traps (unreachable) at its next
// check once the stop global is non-zero; the count global is the number
// of checks left before the next slow-path check.
const (
	interruptExport = "mars_interrupt"
	countExport     = "mars_interrupt_countdown"
)

// interruptor is an instance's pair of interrupt globals.
type interruptor struct {
	stop, count api.MutableGlobal
}

// interruptorOf returns the module's interrupt globals, or nil if it has
// none (Config.Uninterruptible).
func interruptorOf(mod api.Module) *interruptor {
	stop, ok1 := mod.ExportedGlobal(interruptExport).(api.MutableGlobal)
	count, ok2 := mod.ExportedGlobal(countExport).(api.MutableGlobal)
	if !ok1 || !ok2 {
		return nil
	}
	return &interruptor{stop: stop, count: count}
}

// watchdog bounds one guest call: when ctx ends (the call's deadline or the
// caller's cancellation) it raises the instance's stop global and sets the
// countdown to 1, and the guest traps at its next check (at most one loop
// iteration or function entry away, or right after the host call it is in).
//
// The globals are written from the watchdog's goroutine while compiled code
// reads them: plain aligned words that wazero reloads at every loop header
// and function entry. The guest's own decrement may overwrite the countdown
// the watchdog set; then it stops within wasmbin.CheckPeriod checks. The
// watchdog goroutine gets to run even on one CPU because the guest leaves
// compiled code every CheckPeriod checks, where Go can preempt it.
type watchdog struct {
	stop  func() bool
	fired chan struct{}
	in    *interruptor
}

func startWatchdog(ctx context.Context, in *interruptor) *watchdog {
	if in == nil {
		return nil
	}
	w := &watchdog{fired: make(chan struct{}), in: in}
	w.stop = context.AfterFunc(ctx, func() {
		in.stop.Set(1)
		in.count.Set(1)
		close(w.fired)
	})
	return w
}

// done ends the watch after the call returned and lowers the stop global
// for the instance's next call. If the watchdog had already started, it
// waits for it, so that it cannot raise the global after this.
func (w *watchdog) done() {
	if w == nil {
		return
	}
	if !w.stop() {
		<-w.fired
	}
	w.in.stop.Set(0)
}
