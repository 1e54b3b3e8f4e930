package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/metamars/mars/runtime/abi"
)

// Instance is one instantiated runtime over one Storage. Calls run one at a
// time; a call that fails in the runtime closes the instance, because a Go
// module whose runtime panicked still answers later calls, with a broken
// heap. Every call runs in its own storage transaction: committed when the
// call succeeds, rolled back when it fails.
type Instance struct {
	exec *Executor
	st   *instState

	mu  sync.Mutex
	mod api.Module // guarded by mu
	// interrupt is the module's interrupt global (nil if Uninterruptible).
	interrupt *interruptor
	fns       map[string]api.Function // guarded by mu
	closed    bool                    // guarded by mu
}

func (e *Executor) instantiate(ctx context.Context, m *module, s Storage, stateVer uint8) (*Instance, error) {
	st := newInstState(e, s, stateVer, e.cfg.Logger, e.cfg.MaxLogLevel)
	cctx, cancel := context.WithTimeout(withState(ctx, st), e.cfg.CallTimeout)
	defer cancel()
	// _initialize runs below rather than as a start function, so that the
	// watchdog bounds it like any call.
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions()
	mod, err := e.rt.InstantiateModule(withMemoryAllocator(cctx), m.compiled, cfg)
	var interrupt *interruptor
	if err == nil {
		interrupt = interruptorOf(mod)
		if init := mod.ExportedFunction(abi.ExportInitialize); init != nil {
			w := startWatchdog(cctx, interrupt)
			_, err = init.Call(cctx)
			w.done()
		}
	}
	st.flushOutput(abi.ExportInitialize)
	if err != nil {
		if mod != nil {
			_ = mod.Close(ctx)
		}
		return nil, classify(abi.ExportInitialize, err, st, cctx)
	}
	return &Instance{exec: e, st: st, mod: mod, interrupt: interrupt, fns: map[string]api.Function{}}, nil
}

// StateVersion is the state version ext_storage_root uses in this instance.
func (i *Instance) StateVersion() uint8 { return i.st.version }

// Close releases the instance. It is idempotent.
func (i *Instance) Close(ctx context.Context) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.closeLocked(ctx)
}

func (i *Instance) closeLocked(ctx context.Context) error {
	if i.closed {
		return nil
	}
	i.closed = true
	i.fns = nil
	return i.mod.Close(ctx)
}

// Call runs the entry point name with SCALE input and returns its SCALE
// output. The call is bounded by the executor's CallTimeout (and ctx). A
// failure of the runtime is a *CallError and closes the instance; storage
// is then as it was before the call.
func (i *Instance) Call(ctx context.Context, name string, input []byte) ([]byte, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil, fmt.Errorf("%w (calling %s)", ErrInstanceClosed, name)
	}
	fn, ok := i.fns[name]
	if !ok {
		fn = i.mod.ExportedFunction(name)
		if fn == nil || !isEntryPoint(fn.Definition()) {
			return nil, fmt.Errorf("%w: %s", ErrUnknownExport, name)
		}
		i.fns[name] = fn
	}
	if uint64(len(input)) > 1<<31-1 {
		return nil, fmt.Errorf("%w: input of %d bytes", ErrBadArgument, len(input))
	}

	st := i.st
	st.input, st.txDepth = input, 0
	st.stderr.Reset()
	st.logged = 0
	if st.store != nil {
		st.store.StartTransaction()
	}
	cctx, cancel := context.WithTimeout(withState(ctx, st), i.exec.cfg.CallTimeout)
	defer cancel()
	stack := []uint64{uint64(len(input))}
	w := startWatchdog(cctx, i.interrupt)
	err := fn.CallWithStack(cctx, stack)
	w.done()
	st.input = nil
	st.flushOutput(name)

	var out []byte
	if err == nil {
		ptr, n := abi.SplitPtrSize(int64(stack[0]))
		if b, ok := i.mod.Memory().Read(ptr, n); ok {
			out = append([]byte(nil), b...)
		} else {
			err = &CallError{Func: name, Kind: ErrBadOutput,
				Message: fmt.Sprintf("output [%d, +%d) outside %d bytes of memory", ptr, n, i.mod.Memory().Size())}
		}
	}
	if st.batch != nil {
		// Left open by the runtime, or the call failed inside the batch:
		// wait for the checks (they hold copies) and drop them.
		st.batch.finish()
		st.batch = nil
		if err == nil {
			err = &CallError{Func: name, Kind: ErrTrap, Message: "signature batch left open"}
		}
	}
	if err == nil && st.txDepth != 0 {
		err = &CallError{Func: name, Kind: ErrUnbalancedTransaction,
			Message: fmt.Sprintf("%d transaction(s) left open", st.txDepth)}
	}
	if err != nil {
		var ce *CallError
		if !errors.As(err, &ce) {
			ce = classify(name, err, st, cctx)
		}
		if rbErr := i.rollbackAll(); rbErr != nil {
			ce.Cause = errors.Join(ce.Cause, rbErr)
		}
		_ = i.closeLocked(ctx)
		return nil, ce
	}
	if st.store != nil {
		if err := st.store.CommitTransaction(); err != nil {
			_ = i.closeLocked(ctx)
			return nil, &CallError{Func: name, Kind: ErrStorage, Cause: err}
		}
	}
	return out, nil
}

// rollbackAll unwinds the transactions the runtime left open and the call's
// own transaction.
func (i *Instance) rollbackAll() error {
	st := i.st
	if st.store == nil {
		return nil
	}
	var errs []error
	for ; st.txDepth > 0; st.txDepth-- {
		errs = append(errs, st.store.RollbackTransaction())
	}
	errs = append(errs, st.store.RollbackTransaction())
	return errors.Join(errs...)
}

// classify turns a failed wazero call into a *CallError.
func classify(name string, err error, st *instState, ctx context.Context) *CallError {
	ce := &CallError{Func: name, Cause: err, Message: st.stderr.message()}
	var exit *sys.ExitError
	isExit := errors.As(err, &exit)
	switch {
	case isExit && (exit.ExitCode() == sys.ExitCodeDeadlineExceeded || exit.ExitCode() == sys.ExitCodeContextCanceled),
		errors.Is(err, ErrTimeout), ctx.Err() != nil:
		ce.Kind = ErrTimeout
		if ce.Message == "" {
			ce.Message = "deadline exceeded"
			if ctx.Err() != nil {
				ce.Message = ctx.Err().Error()
			}
		}
	case strings.Contains(ce.Message, "out of memory"):
		ce.Kind = ErrOutOfMemory
	case errors.Is(err, ErrStorage):
		ce.Kind = ErrStorage
	case isExit, strings.HasPrefix(ce.Message, "panic: "), strings.Contains(ce.Message, "fatal error: "):
		// A Go panic in an exported function prints "panic: …" and aborts
		// (unreachable); runtime.exit and os.Exit go through proc_exit.
		ce.Kind = ErrPanic
		if ce.Message == "" {
			ce.Message = fmt.Sprintf("exit code %d", exit.ExitCode())
		}
	default:
		ce.Kind = ErrTrap
		if ce.Message == "" {
			ce.Message, _, _ = strings.Cut(err.Error(), "\n")
		}
	}
	return ce
}
