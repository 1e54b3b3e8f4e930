package executor

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/host/executor/internal/wasmbin"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/types"
)

// Config tunes an Executor. The zero value is usable.
type Config struct {
	// CacheDir holds wazero's on-disk compilation cache ("" = none), so a
	// restarted node does not recompile the runtimes it already knows.
	CacheDir string
	// Interpreter selects wazero's interpreter instead of its compiler
	// (differential tests; platforms without the compiler).
	Interpreter bool
	// MemoryLimitPages bounds each instance's memory in 64 KiB pages
	// (default 4096 = 256 MiB: Go's GC needs about twice its live heap).
	MemoryLimitPages uint32
	// CallTimeout bounds each call, and _initialize (default 20 s).
	CallTimeout time.Duration
	// Uninterruptible compiles code without any termination check: neither
	// CallTimeout nor ctx can then stop a runaway runtime. Only for trusted
	// code and benchmarks. By default every loop header of the runtime tests
	// an interrupt flag that a per-call watchdog raises on deadline (see
	// interrupt.go and docs/adr/0002-executor-interruption.md); that costs a
	// few percent, where wazero's WithCloseOnContextDone (an exit to Go at
	// every loop header) cost about 2x.
	Uninterruptible bool
	// VersionTimeout bounds Core_version when reading another blob's
	// version by running it (default 2 s).
	VersionTimeout time.Duration
	// MaxCodeSize bounds a runtime blob after decompression (default 32 MiB).
	MaxCodeSize int
	// ModuleCacheSize is how many compiled runtimes stay in memory (default 4).
	ModuleCacheSize int
	// Logger receives the runtime's logs and stdout/stderr (default slog.Default()).
	Logger *slog.Logger
	// MaxLogLevel is what ext_logging_max_level answers (0 Off … 5 Trace;
	// default 3 Info).
	MaxLogLevel uint8
}

func (c *Config) defaults() {
	if c.MemoryLimitPages == 0 {
		c.MemoryLimitPages = 4096
	}
	if c.CallTimeout == 0 {
		c.CallTimeout = 20 * time.Second
	}
	if c.VersionTimeout == 0 {
		c.VersionTimeout = 2 * time.Second
	}
	if c.MaxCodeSize == 0 {
		c.MaxCodeSize = defaultMaxCodeSize
	}
	if c.ModuleCacheSize == 0 {
		c.ModuleCacheSize = 4
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxLogLevel == 0 {
		c.MaxLogLevel = abi.LogInfo
	}
}

// Executor compiles runtime blobs (once per distinct code) and creates
// instances of them. It is safe for concurrent use; its Instances are not.
type Executor struct {
	cfg   Config
	rt    wazero.Runtime
	cache wazero.CompilationCache // nil without CacheDir

	mu struct {
		sync.Mutex
		entries map[[32]byte]*list.Element // guarded by mu; values *module
		order   *list.List                 // guarded by mu; front = most recent
		pending map[[32]byte]*compileCall  // guarded by mu; compilations in flight
		closed  bool                       // guarded by mu
	}
	refills sync.WaitGroup // spare instances being made (see refill)
}

// compileCall is one compilation in flight: concurrent requests for the
// same code wait for it instead of compiling again.
type compileCall struct {
	done chan struct{}
	m    *module
	err  error
}

// module is one compiled runtime.
type module struct {
	key      [32]byte // blake2_256 of code
	code     []byte   // the blob as given, for the hit path of Executor.module
	compiled wazero.CompiledModule

	mu        sync.Mutex
	version   []byte    // SCALE RuntimeVersion; nil until known (guarded by mu)
	stateVer  uint8     // guarded by mu
	spare     *Instance // a fresh instance not yet handed out (guarded by mu; see refill)
	refilling bool      // a spare is being made (guarded by mu)
	evicted   bool      // out of the LRU: no more spares (guarded by mu)
}

// New creates an Executor and registers the host modules.
func New(ctx context.Context, cfg Config) (*Executor, error) {
	cfg.defaults()
	var rc wazero.RuntimeConfig
	if cfg.Interpreter {
		rc = wazero.NewRuntimeConfigInterpreter()
	} else {
		rc = wazero.NewRuntimeConfigCompiler()
	}
	// Interruption is our own loop-header check (interrupt.go), not wazero's
	// exit to Go at every loop header.
	rc = rc.WithMemoryLimitPages(cfg.MemoryLimitPages).WithCloseOnContextDone(false)
	e := &Executor{cfg: cfg}
	if cfg.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("executor: compilation cache: %w", err)
		}
		e.cache = cache
		rc = rc.WithCompilationCache(cache)
	}
	e.rt = wazero.NewRuntimeWithConfig(ctx, rc)
	e.mu.entries = map[[32]byte]*list.Element{}
	e.mu.order = list.New()
	e.mu.pending = map[[32]byte]*compileCall{}
	if err := e.registerHost(ctx); err != nil {
		_ = e.Close(ctx)
		return nil, err
	}
	return e, nil
}

// envFuncs lists every host function, one family per file.
func envFuncs() []hostFunc {
	var fs []hostFunc
	for _, fam := range [][]hostFunc{inputFuncs(), storageFuncs(), hashingFuncs(), cryptoFuncs(), keystoreFuncs(), trieFuncs(), loggingFuncs(), miscFuncs()} {
		fs = append(fs, fam...)
	}
	return fs
}

func valueTypes(vs []abi.ValType) []api.ValueType {
	out := make([]api.ValueType, len(vs))
	for i, v := range vs {
		out[i] = api.ValueType(v)
	}
	return out
}

func (e *Executor) registerHost(ctx context.Context) error {
	env := e.rt.NewHostModuleBuilder(abi.HostModule)
	seen := map[string]bool{}
	for _, f := range envFuncs() {
		sig, ok := abi.Signatures[f.name]
		if !ok || seen[f.name] {
			return fmt.Errorf("executor: host function %s not in abi.Signatures or registered twice", f.name)
		}
		seen[f.name] = true
		env.NewFunctionBuilder().
			WithGoModuleFunction(f.fn, valueTypes(sig.Params), valueTypes(sig.Results)).
			WithName(f.name).Export(f.name)
	}
	for name := range abi.Signatures {
		if !seen[name] {
			return fmt.Errorf("executor: abi declares %s but no host function implements it", name)
		}
	}
	if _, err := env.Instantiate(ctx); err != nil {
		return fmt.Errorf("executor: host module: %w", err)
	}
	wasi := e.rt.NewHostModuleBuilder(wasiModule)
	for _, f := range wasiFuncs() {
		wasi.NewFunctionBuilder().WithGoModuleFunction(f.fn, f.params, f.results).WithName(f.name).Export(f.name)
	}
	if _, err := wasi.Instantiate(ctx); err != nil {
		return fmt.Errorf("executor: wasi module: %w", err)
	}
	return nil
}

// Close releases every compiled module and instance.
func (e *Executor) Close(ctx context.Context) error {
	e.mu.Lock()
	e.mu.closed = true
	e.mu.Unlock()
	e.refills.Wait() // no refill starts once closed
	e.mu.Lock()
	for el := e.mu.order.Front(); el != nil; el = el.Next() {
		el.Value.(*module).dropSpare(ctx)
	}
	e.mu.Unlock()
	err := e.rt.Close(ctx)
	if e.cache != nil {
		err = errors.Join(err, e.cache.Close(ctx))
	}
	return err
}

// Prepare compiles code ahead of its use (e.g. a runtime scheduled to
// replace the current one), so that its first block pays nothing.
func (e *Executor) Prepare(ctx context.Context, code []byte) error {
	_, err := e.module(ctx, code)
	return err
}

// module returns the compiled form of code from the LRU, compiling it on a
// miss. The key is blake2_256 of the blob as given (compressed or not).
//
// A hit is found by comparing code with the few cached blobs (a memcmp that
// stops at the first differing byte) before hashing: blake2_256 of a 3 MB
// blob costs ~4 ms, which would otherwise be paid on every block.
func (e *Executor) module(ctx context.Context, code []byte) (*module, error) {
	e.mu.Lock()
	for el := e.mu.order.Front(); el != nil; el = el.Next() {
		if m := el.Value.(*module); bytes.Equal(m.code, code) {
			e.mu.order.MoveToFront(el)
			e.mu.Unlock()
			return m, nil
		}
	}
	e.mu.Unlock()
	key := types.Blake2b256(code)
	e.mu.Lock()
	if el, ok := e.mu.entries[key]; ok {
		e.mu.order.MoveToFront(el)
		e.mu.Unlock()
		return el.Value.(*module), nil
	}
	if c, ok := e.mu.pending[key]; ok {
		e.mu.Unlock()
		select {
		case <-c.done:
			return c.m, c.err
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: waiting for compilation: %w", ErrTimeout, ctx.Err())
		}
	}
	c := &compileCall{done: make(chan struct{})}
	e.mu.pending[key] = c
	e.mu.Unlock()

	c.m, c.err = e.compile(ctx, key, code)

	e.mu.Lock()
	delete(e.mu.pending, key)
	if c.err == nil {
		e.mu.entries[key] = e.mu.order.PushFront(c.m)
		for e.mu.order.Len() > e.cfg.ModuleCacheSize {
			old := e.mu.order.Back()
			e.mu.order.Remove(old)
			om := old.Value.(*module)
			delete(e.mu.entries, om.key)
			om.dropSpare(ctx)
			// Safe with live instances: wazero keeps what they need.
			_ = om.compiled.Close(ctx)
		}
	}
	e.mu.Unlock()
	close(c.done)
	return c.m, c.err
}

// compile decompresses, checks imports, compiles and checks exports.
func (e *Executor) compile(ctx context.Context, key [32]byte, code []byte) (*module, error) {
	wasm, err := decompress(code, e.cfg.MaxCodeSize)
	if err != nil {
		return nil, err
	}
	info, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
	}
	if err := checkImports(info.Imports); err != nil {
		return nil, err
	}
	if !e.cfg.Uninterruptible {
		if wasm, err = wasmbin.AddInterruptCheck(wasm, interruptExport, countExport); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
		}
	}
	compiled, err := e.rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
	}
	if err := checkCompiled(compiled); err != nil {
		_ = compiled.Close(ctx)
		return nil, err
	}
	m := &module{key: key, code: append([]byte(nil), code...), compiled: compiled}
	if v, err := sectionVersion(info); err == nil {
		if sv, err := stateVersionOf(v); err == nil {
			m.version, m.stateVer = v, sv
		}
	}
	return m, nil
}

// checkImports refuses any import other than our env functions and the
// WASI functions of wasiFuncs, naming the first offender.
func checkImports(imps []wasmbin.Import) error {
	wasiNames := map[string]bool{}
	for _, f := range wasiFuncs() {
		wasiNames[f.name] = true
	}
	for _, imp := range imps {
		ok := imp.Kind == wasmbin.KindFunc &&
			((imp.Module == abi.HostModule && hasSignature(imp.Name)) ||
				(imp.Module == wasiModule && wasiNames[imp.Name]))
		if !ok {
			return fmt.Errorf("%w: %s.%s (kind %d)", ErrForbiddenImport, imp.Module, imp.Name, imp.Kind)
		}
	}
	return nil
}

func hasSignature(name string) bool {
	_, ok := abi.Signatures[name]
	return ok
}

// checkCompiled checks import signatures and the required exports.
func checkCompiled(c wazero.CompiledModule) error {
	wasiSigs := map[string]wasiFunc{}
	for _, f := range wasiFuncs() {
		wasiSigs[f.name] = f
	}
	for _, def := range c.ImportedFunctions() {
		modName, name, _ := def.Import()
		var params, results []api.ValueType
		if modName == abi.HostModule {
			sig := abi.Signatures[name]
			params, results = valueTypes(sig.Params), valueTypes(sig.Results)
		} else {
			f := wasiSigs[name]
			params, results = f.params, f.results
		}
		if !sameTypes(def.ParamTypes(), params) || !sameTypes(def.ResultTypes(), results) {
			return fmt.Errorf("%w: %s.%s", ErrImportSignature, modName, name)
		}
	}
	if _, ok := c.ExportedMemories()[abi.ExportMemory]; !ok {
		return fmt.Errorf("%w: %s", ErrMissingExport, abi.ExportMemory)
	}
	exports := c.ExportedFunctions()
	if def, ok := exports[abi.ExportInitialize]; !ok || len(def.ParamTypes()) != 0 || len(def.ResultTypes()) != 0 {
		return fmt.Errorf("%w: %s", ErrMissingExport, abi.ExportInitialize)
	}
	for _, name := range abi.RequiredEntryPoints {
		if def, ok := exports[name]; !ok || !isEntryPoint(def) {
			return fmt.Errorf("%w: %s (len i32) -> i64", ErrMissingExport, name)
		}
	}
	return nil
}

func isEntryPoint(def api.FunctionDefinition) bool {
	return sameTypes(def.ParamTypes(), []api.ValueType{api.ValueTypeI32}) &&
		sameTypes(def.ResultTypes(), []api.ValueType{api.ValueTypeI64})
}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// probeKey marks a context that is running Core_version to learn a
// version: a runtime whose Core_version asks for another blob's version
// (ext_misc_runtime_version) must not recurse into more probes.
type probeKey struct{}

// versionOf returns the module's RuntimeVersion and state version: from
// its custom section (read at compile time) or by running Core_version once
// in a throwaway instance without storage. The module lock is not held
// while the probe runs, so a probe can never deadlock on its own module;
// two concurrent probes just compute the same value.
func (e *Executor) versionOf(ctx context.Context, m *module) ([]byte, uint8, error) {
	m.mu.Lock()
	v, sv := m.version, m.stateVer
	m.mu.Unlock()
	if v != nil {
		return v, sv, nil
	}
	if ctx.Value(probeKey{}) != nil {
		return nil, 0, fmt.Errorf("%w: Core_version asked for a version it has to run Core_version for", ErrNoVersion)
	}
	cctx, cancel := context.WithTimeout(context.WithValue(ctx, probeKey{}, true), e.cfg.VersionTimeout)
	defer cancel()
	inst, err := e.instantiate(cctx, m, nil, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrNoVersion, err)
	}
	defer inst.Close(ctx)
	v, err = inst.Call(cctx, abi.EntryCoreVersion, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrNoVersion, err)
	}
	if sv, err = stateVersionOf(v); err != nil {
		return nil, 0, err
	}
	m.mu.Lock()
	m.version, m.stateVer = v, sv
	m.mu.Unlock()
	return v, sv, nil
}

// RuntimeVersion returns the SCALE-encoded RuntimeVersion of a (possibly
// compressed) runtime blob: its runtime_version custom section if present,
// else what its Core_version returns (bounded by Config.VersionTimeout).
func (e *Executor) RuntimeVersion(ctx context.Context, code []byte) ([]byte, error) {
	m, err := e.module(ctx, code)
	if err != nil {
		return nil, err
	}
	v, _, err := e.versionOf(ctx, m)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), v...), nil
}

// NewInstance instantiates code over s: a fresh instance, to run one block
// (initialize, apply×N, finalize) or one block-building session, then Close.
// The state version of ext_storage_root follows the runtime's version.
func (e *Executor) NewInstance(ctx context.Context, code []byte, s Storage) (*Instance, error) {
	m, err := e.module(ctx, code)
	if err != nil {
		return nil, err
	}
	_, sv, err := e.versionOf(ctx, m)
	if err != nil {
		return nil, err
	}
	inst := m.takeSpare()
	if inst != nil {
		inst.st.store, inst.st.version = s, sv
	} else if inst, err = e.instantiate(ctx, m, s, sv); err != nil {
		return nil, err
	}
	e.refill(m, sv)
	return inst, nil
}

// refill makes m's next instance in the background, so that the next
// NewInstance of the same code finds it ready: instantiating the relay
// runtime (memory, data segments, Go's own start-up in _initialize) takes
// 10-15 ms, which block import would otherwise pay on its one busy core
// for every block. The spare is made without storage (_initialize makes no
// storage calls) and is exactly what a fresh instance would be, since a
// runtime's start-up is deterministic (fixed WASI seed and clock); each
// instance is still used for one block or call only. The interpreter (for
// tests and differential checks) gets no spares.
func (e *Executor) refill(m *module, sv uint8) {
	if e.cfg.Interpreter {
		return
	}
	e.mu.Lock()
	closed := e.mu.closed
	if !closed {
		e.refills.Add(1)
	}
	e.mu.Unlock()
	if closed {
		return
	}
	m.mu.Lock()
	if m.spare != nil || m.refilling || m.evicted {
		m.mu.Unlock()
		e.refills.Done()
		return
	}
	m.refilling = true
	m.mu.Unlock()
	go func() {
		defer e.refills.Done()
		ctx := context.Background()
		inst, err := e.instantiate(ctx, m, nil, sv)
		m.mu.Lock()
		m.refilling = false
		if err == nil && !m.evicted {
			m.spare, inst = inst, nil
		}
		m.mu.Unlock()
		if inst != nil {
			_ = inst.Close(ctx)
		}
	}()
}

// takeSpare hands out m's spare instance, if it has one.
func (m *module) takeSpare() *Instance {
	m.mu.Lock()
	defer m.mu.Unlock()
	inst := m.spare
	m.spare = nil
	return inst
}

// dropSpare closes m's spare and stops making new ones (m left the LRU).
func (m *module) dropSpare(ctx context.Context) {
	m.mu.Lock()
	inst := m.spare
	m.spare, m.evicted = nil, true
	m.mu.Unlock()
	if inst != nil {
		_ = inst.Close(ctx)
	}
}
