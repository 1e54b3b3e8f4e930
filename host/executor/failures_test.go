package executor

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// TestRuntimeFailures checks that each way a runtime can fail is a typed
// error, closes the instance, leaves storage as it was, and that the
// executor goes on serving new instances.
//
// It runs on the compiler and on the interpreter: both must fail the same way.
func TestRuntimeFailures(t *testing.T) {
	for _, interp := range []bool{false, true} {
		t.Run(map[bool]string{false: "compiler", true: "interpreter"}[interp], func(t *testing.T) {
			testRuntimeFailures(t, interp)
		})
	}
}

func testRuntimeFailures(t *testing.T, interp bool) {
	e := newTestExecutor(t, func(c *Config) {
		c.CallTimeout = 2 * time.Second
		c.MemoryLimitPages = 1024 // 64 MiB
		c.Interpreter = interp
	})
	ctx := context.Background()
	cases := []struct {
		export  string
		kind    error
		message string
		cause   error
	}{
		{"panic", ErrPanic, "panic: boom from runtime", nil},
		{"set_then_panic", ErrPanic, "panic: after set", nil},
		{"loop", ErrTimeout, "", nil},
		{"alloc", ErrOutOfMemory, "out of memory", nil},
		{"oob", ErrTrap, "", ErrOutOfBounds},
		{"bad_output", ErrBadOutput, "outside", nil},
		{"unbalanced", ErrUnbalancedTransaction, "1 transaction(s) left open", nil},
		{"exit", ErrPanic, "exit code 3", nil},
	}
	for _, c := range cases {
		t.Run(c.export, func(t *testing.T) {
			s := newMemStorage()
			if err := s.Set([]byte("pre"), []byte("existing")); err != nil {
				t.Fatal(err)
			}
			before := s.dump()
			inst := newTestInstance(t, e, s)
			_, err := inst.Call(ctx, c.export, []byte("payload"))
			var ce *CallError
			if !errors.As(err, &ce) || !errors.Is(err, c.kind) {
				t.Fatalf("got %v, want a *CallError of kind %v", err, c.kind)
			}
			t.Logf("%v", err)
			if ce.Func != c.export || !strings.Contains(ce.Message, c.message) {
				t.Fatalf("func %q message %q, want %q containing %q", ce.Func, ce.Message, c.export, c.message)
			}
			if c.cause != nil && !errors.Is(err, c.cause) {
				t.Fatalf("got %v, want cause %v", err, c.cause)
			}
			if got := s.dump(); got != before || len(s.journal) != 0 {
				t.Fatalf("storage changed by a failed call:\n%s\nwant\n%s (open tx %d)", got, before, len(s.journal))
			}
			if _, err := inst.Call(ctx, "echo", nil); !errors.Is(err, ErrInstanceClosed) {
				t.Fatalf("trapped instance still answers: %v", err)
			}
			// The executor goes on.
			fresh := newTestInstance(t, e, s)
			if out, err := fresh.Call(ctx, "echo", []byte("ok")); err != nil || string(out) != "ok" {
				t.Fatalf("fresh instance after failure: %q %v", out, err)
			}
		})
	}
}

func TestCallerDeadline(t *testing.T) {
	e := newTestExecutor(t, nil)
	inst := newTestInstance(t, e, newMemStorage())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := inst.Call(ctx, "loop", nil); !errors.Is(err, ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
}

func TestUnknownExport(t *testing.T) {
	e := newTestExecutor(t, nil)
	inst := newTestInstance(t, e, newMemStorage())
	for _, name := range []string{"nope", "memory", "_initialize"} {
		if _, err := inst.Call(context.Background(), name, nil); !errors.Is(err, ErrUnknownExport) {
			t.Fatalf("%s: got %v, want ErrUnknownExport", name, err)
		}
	}
	// Not a runtime failure: the instance stays usable.
	if out, err := inst.Call(context.Background(), "echo", []byte("x")); err != nil || string(out) != "x" {
		t.Fatalf("%q %v", out, err)
	}
}

// TestFreshInstance shows state does not leak between instances, while one
// instance keeps its heap across the calls of a block.
func TestFreshInstance(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	a := newTestInstance(t, e, newMemStorage())
	for want := uint32(1); want <= 3; want++ {
		out, err := a.Call(ctx, "count", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := scale.NewDecoder(out).U32(); got != want {
			t.Fatalf("count %d, want %d", got, want)
		}
	}
	b := newTestInstance(t, e, newMemStorage())
	out, err := b.Call(ctx, "count", nil)
	if err != nil || scale.NewDecoder(out).U32() != 1 {
		t.Fatalf("fresh instance count %x %v", out, err)
	}
}

// wasmModule assembles a module from sections (id, content).
func wasmModule(sections ...[]byte) []byte {
	b := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

func section(id byte, content ...byte) []byte {
	return append([]byte{id, byte(len(content))}, content...)
}

func name(s string) []byte { return append([]byte{byte(len(s))}, s...) }

func importSection(mod, field string, typeIdx byte) []byte {
	c := []byte{0x01}
	c = append(c, name(mod)...)
	c = append(c, name(field)...)
	c = append(c, 0x00, typeIdx)
	return section(2, c...)
}

func TestBadModules(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	typeI32I32 := section(1, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f) // (i32) -> i32
	typeVoid := section(1, 0x01, 0x60, 0x00, 0x00)               // () -> ()
	memImport := section(2, append(append(append([]byte{0x01}, name("env")...), name("memory")...), 0x02, 0x00, 0x01)...)
	cases := []struct {
		name string
		code []byte
		want error
		text string
	}{
		{"allocator import", wasmModule(typeI32I32, importSection("env", "ext_allocator_malloc_version_1", 0)), ErrForbiddenImport, "env.ext_allocator_malloc_version_1"},
		{"legacy storage_get", wasmModule(typeI32I32, importSection("env", "ext_storage_get_version_1", 0)), ErrForbiddenImport, "ext_storage_get_version_1"},
		{"unknown module", wasmModule(typeVoid, importSection("evil", "f", 0)), ErrForbiddenImport, "evil.f"},
		{"unknown wasi", wasmModule(typeVoid, importSection("wasi_snapshot_preview1", "sock_recv", 0)), ErrForbiddenImport, "sock_recv"},
		{"memory import", wasmModule(memImport), ErrForbiddenImport, "env.memory"},
		{"wrong signature", wasmModule(typeVoid, importSection("env", "ext_storage_set_version_1", 0)), ErrImportSignature, "ext_storage_set_version_1"},
		{"no exports", wasmModule(), ErrMissingExport, "memory"},
		{"garbage", []byte("not wasm at all"), ErrInvalidCode, ""},
		{"bad zstd", append(append([]byte(nil), zstdPrefix...), 1, 2, 3), ErrInvalidCode, "zstd"},
	}
	for _, c := range cases {
		_, err := e.NewInstance(ctx, c.code, newMemStorage())
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: got %v, want %v mentioning %q", c.name, err, c.want, c.text)
		}
	}
	// The executor still works.
	inst := newTestInstance(t, e, newMemStorage())
	if _, err := inst.Call(ctx, "echo", nil); err != nil {
		t.Fatal(err)
	}
}

func compress(t testing.TB, b []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return append(append([]byte(nil), zstdPrefix...), enc.EncodeAll(b, nil)...)
}

func TestCompressedCode(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	inst, err := e.NewInstance(ctx, compress(t, testrtCode), newMemStorage())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	if out, err := inst.Call(ctx, "echo", []byte("z")); err != nil || string(out) != "z" {
		t.Fatalf("%q %v", out, err)
	}
	// A bomb: 64 MiB of zeros compress to a few KiB.
	small := newTestExecutor(t, func(c *Config) { c.MaxCodeSize = 8 << 20 })
	if _, err := small.NewInstance(ctx, compress(t, make([]byte, 64<<20)), nil); !errors.Is(err, ErrCodeTooLarge) {
		t.Fatalf("bomb: got %v, want ErrCodeTooLarge", err)
	}
}

// withVersionSection appends a runtime_version custom section.
func withVersionSection(code []byte, v *types.RuntimeVersion) []byte {
	content := append(name("runtime_version"), scale.Encode(v)...)
	out := append(append([]byte(nil), code...), 0x00)
	// Section size as unsigned LEB128.
	for n := uint32(len(content)); ; {
		c := byte(n & 0x7f)
		n >>= 7
		if n != 0 {
			out = append(out, c|0x80)
			continue
		}
		out = append(out, c)
		break
	}
	return append(out, content...)
}

func TestRuntimeVersion(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	// No section: Core_version runs.
	raw, err := e.RuntimeVersion(ctx, testrtCode)
	if err != nil {
		t.Fatal(err)
	}
	v, err := types.DecodeRuntimeVersion(raw)
	if err != nil || v.SpecName != "testrt" || v.SystemVersion != 1 {
		t.Fatalf("%+v %v", v, err)
	}
	// Section present: it wins (Core_version would say "testrt"), and it
	// decides the instance's state version.
	sv := types.RuntimeVersion{SpecName: "fromsection", ImplName: "x", SpecVersion: 7, TransactionVersion: 1, SystemVersion: 0}
	code := compress(t, withVersionSection(testrtCode, &sv))
	raw, err = e.RuntimeVersion(ctx, code)
	if err != nil || !bytes.Equal(raw, scale.Encode(&sv)) {
		t.Fatalf("section version %x %v", raw, err)
	}
	inst, err := e.NewInstance(ctx, code, newMemStorage())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(ctx)
	if inst.StateVersion() != 0 {
		t.Fatalf("state version %d, want 0 from the section", inst.StateVersion())
	}
	// From inside a runtime: ext_misc_runtime_version_2, both blobs. A
	// fresh executor has not seen testrtCode, so its version is found by
	// compiling and running it from within the host function.
	e2 := newTestExecutor(t, nil)
	inst2, err := e2.NewInstance(ctx, code, newMemStorage())
	if err != nil {
		t.Fatal(err)
	}
	defer inst2.Close(ctx)
	for _, c := range []struct {
		code []byte
		want []byte
	}{{code, scale.Encode(&sv)}, {testrtCode, scale.Encode(&v)}} {
		p := newProg().op(26 /* script.OpRuntimeVersionOf */, c.code).expectOpt(c.want, true)
		out, err := inst2.Call(ctx, "run", p.in.Bytes())
		if err != nil || !bytes.Equal(out, p.want.Bytes()) {
			t.Fatalf("runtime_version from wasm: %x %v", out, err)
		}
	}
	// Not wasm: absent, not a failure.
	p := newProg().op(26, []byte("junk")).expectOpt(nil, false)
	if out, err := inst.Call(ctx, "run", p.in.Bytes()); err != nil || !bytes.Equal(out, p.want.Bytes()) {
		t.Fatalf("junk: %x %v", out, err)
	}
}

func TestCompilationCacheDir(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		e := newTestExecutor(t, func(c *Config) { c.CacheDir = dir })
		inst := newTestInstance(t, e, newMemStorage())
		if out, err := inst.Call(ctx, "echo", []byte("c")); err != nil || string(out) != "c" {
			t.Fatalf("run %d: %q %v", i, out, err)
		}
	}
}

// failingStorage fails every read.
type failingStorage struct{ *memStorage }

var errDisk = errors.New("disk on fire")

func (failingStorage) Get([]byte) ([]byte, bool, error) { return nil, false, errDisk }

func TestStorageFailure(t *testing.T) {
	e := newTestExecutor(t, nil)
	s := failingStorage{newMemStorage()}
	inst := newTestInstance(t, e, s)
	_, err := inst.Call(context.Background(), "get_key", nil)
	if !errors.Is(err, ErrStorage) || !errors.Is(err, errDisk) {
		t.Fatalf("got %v, want ErrStorage wrapping the backend error", err)
	}
	if len(s.journal) != 0 {
		t.Fatalf("call transaction left open")
	}
	if _, err := inst.Call(context.Background(), "echo", nil); !errors.Is(err, ErrInstanceClosed) {
		t.Fatalf("instance still usable: %v", err)
	}
}

// TestModuleEviction: with room for one compiled module, alternating two
// blobs evicts and recompiles, and an instance of an evicted module keeps
// working.
func TestModuleEviction(t *testing.T) {
	e := newTestExecutor(t, func(c *Config) { c.ModuleCacheSize = 1 })
	ctx := context.Background()
	old := newTestInstance(t, e, newMemStorage())
	other := compress(t, testrtCode)
	for i := 0; i < 2; i++ {
		for _, code := range [][]byte{other, testrtCode} {
			inst, err := e.NewInstance(ctx, code, newMemStorage())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := inst.Call(ctx, "echo", nil); err != nil {
				t.Fatal(err)
			}
			_ = inst.Close(ctx)
		}
	}
	e.mu.Lock()
	n := e.mu.order.Len()
	e.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d modules cached, want 1", n)
	}
	if out, err := old.Call(ctx, "echo", []byte("still")); err != nil || string(out) != "still" {
		t.Fatalf("instance of an evicted module: %q %v", out, err)
	}
}
