// Package executor runs runtime WASM blobs with wazero: it compiles each
// distinct `:code` once, checks what it imports and exports, instantiates a
// fresh instance per block over a Storage, and implements the host
// functions of runtime/abi (RFC-0145 forms, PROTOCOL.md §2.2) plus a
// deterministic WASI preview1 for Go's wasip1 runtime.
//
// # Use
//
//	e, _ := executor.New(ctx, executor.Config{CacheDir: dir})
//	inst, _ := e.NewInstance(ctx, code, overlay) // one block
//	_, err := inst.Call(ctx, "Core_initialize_block", header)
//	… inst.Call(ctx, "BlockBuilder_apply_extrinsic", xt) …
//	inst.Close(ctx)
//
// Every failure of the runtime (trap, Go panic, out of memory, over time,
// bad output, unbalanced transactions, storage failure) is a *CallError
// unwrapping to one of ErrTrap, ErrPanic, ErrOutOfMemory, ErrTimeout,
// ErrBadOutput, ErrUnbalancedTransaction, ErrStorage, with the runtime's own
// message. Code problems are ErrInvalidCode, ErrCodeTooLarge,
// ErrForbiddenImport, ErrImportSignature, ErrMissingExport, ErrNoVersion.
//
// # Layout
//
// Host functions live one family per file (input.go, storage.go,
// hashing.go, crypto.go, trie.go, logging.go, misc.go), each an
// api.GoModuleFunc documented with its memory layout. They reach the
// instance's state through one typed accessor (stateOf(ctx)) and touch
// runtime memory only through the bounds-checked helpers of mem.go: a bad
// pointer is a trap of that call, never a panic of the node. wasi.go is the
// WASI subset; native.go is NewNativeHost, the same operations for runtime
// code compiled natively.
//
// # RATIONALE
//
// Why RFC-0145 (runtime-owned buffers) and not the legacy host API? The
// legacy API has the host allocate inside the runtime's memory. Go's wasm
// runtime owns its entire linear memory (GC, memory.grow) and exports it;
// a host allocator writing into it would corrupt its heap. RFC-0145 lets
// the runtime allocate every buffer, so Go can be a runtime language.
// Real Substrate nodes will not run our blobs anyway (WASI imports,
// exported memory); compatibility is kept at the SCALE/RPC level.
//
// Why a fresh instance per block? A block is initialize, apply×N, finalize
// on ONE instance (the runtime may keep per-block state in its heap), but
// nothing may survive into another block: a value left in a Go global, the
// GC's state, or memory grown by one block must not change how the next one
// runs, or two nodes that executed different histories (or restarted) would
// diverge. Instantiation from a compiled module costs ~10 ms here, which a
// 6 s block easily affords; the compiled code is shared.
//
// Why is a trapped instance thrown away? A Go module whose runtime panicked
// or trapped mid-call still answers later calls, but with a heap left in
// whatever state the interrupted code had reached (held locks, half-updated
// structures, a dead goroutine). Continuing would make later results depend
// on where exactly the failure hit. So a failed call closes its instance,
// and the call's storage transaction is rolled back: the state is exactly
// as before the call, and the caller decides what comes next (drop the
// extrinsic, reject the block) on a fresh instance.
//
// Why our own WASI instead of wazero's? Go's wasip1 runtime reads the clock
// and random_get (it seeds map hashing from it): both must give every node
// the same answers. We answer a fixed clock and a ChaCha8 stream with a
// fixed seed (fresh per instance), no args/env/files, stdout/stderr into the
// node's log (stderr also into the call's error), and proc_exit ends the
// call. Anything else a module imports is refused before compiling.
//
// Why a per-call deadline rather than fuel? wazero has no fuel metering; a
// deadline bounds a runaway runtime, and a timed-out call is a failed call
// like any other (its instance is closed). Block validity never depends on
// the deadline in an honest network: it is a guard against a buggy or
// hostile runtime, set far above real block time. The deadline is enforced
// by a check we add to every loop header and calling function of the
// runtime before compiling it (interrupt.go, wasmbin.AddInterruptCheck),
// raised by a per-call watchdog; it costs a decrement and a branch, where
// wazero's WithCloseOnContextDone left compiled code at every loop header
// and about halved the runtime's speed. See
// docs/adr/0002-executor-interruption.md.
package executor
