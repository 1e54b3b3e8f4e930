package executor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/scale"
)

// BenchmarkHostCall measures one host-function round trip from wasm: the
// test runtime's hash_loop calls ext_hashing_twox_64_version_2 on 32 bytes
// b.N times within a single entry-point call (ns/op = per host call,
// including the abi wrapper and the hash itself). max_level is the bare
// crossing: ext_logging_max_level_version_1 touches no memory.
func BenchmarkHostCall(b *testing.B) {
	for _, c := range []struct {
		name, export string
		interp       bool
	}{
		{"twox64/compiler", "hash_loop", false},
		{"twox64/interpreter", "hash_loop", true},
		{"max_level/compiler", "null_loop", false},
		{"twox64/compiler-uninterruptible", "hash_loop", false},
	} {
		interp := c.interp
		unint := strings.HasSuffix(c.name, "uninterruptible")
		b.Run(c.name, func(b *testing.B) {
			e := newTestExecutor(b, func(c *Config) { c.Interpreter, c.Uninterruptible = interp, unint })
			inst := newTestInstance(b, e, newMemStorage())
			in := scale.NewEncoder(4)
			in.PutU32(uint32(b.N))
			b.ResetTimer()
			if _, err := inst.Call(context.Background(), c.export, in.Bytes()); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkCall measures an empty entry-point call (echo of 32 bytes).
func BenchmarkCall(b *testing.B) {
	e := newTestExecutor(b, nil)
	inst := newTestInstance(b, e, newMemStorage())
	in := make([]byte, 32)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := inst.Call(context.Background(), "echo", in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInstantiate measures a fresh instance per block: instantiate
// (the compiled module is cached), run _initialize, one call, close.
// "fresh" makes each instance on the spot; "spare" is what block import
// sees, NewInstance handing out the instance made in the background while
// the previous block ran (the wait for it is not timed).
func BenchmarkInstantiate(b *testing.B) {
	e := newTestExecutor(b, nil)
	ctx := context.Background()
	s := newMemStorage()
	m, err := e.module(ctx, testrtCode)
	if err != nil {
		b.Fatal(err)
	}
	_, sv, err := e.versionOf(ctx, m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			inst, err := e.instantiate(ctx, m, s, sv)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := inst.Call(ctx, "echo", nil); err != nil {
				b.Fatal(err)
			}
			_ = inst.Close(ctx)
		}
	})
	b.Run("spare", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			for !spareOf(e, testrtCode) {
				e.refill(m, sv)
				time.Sleep(time.Millisecond)
			}
			b.StartTimer()
			inst, err := e.NewInstance(ctx, testrtCode, s)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := inst.Call(ctx, "echo", nil); err != nil {
				b.Fatal(err)
			}
			_ = inst.Close(ctx)
		}
	})
}

// BenchmarkCompile measures compiling the test runtime (≈2.8 MB of wasm)
// with an empty and with a warm on-disk compilation cache.
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			e, err := New(ctx, Config{Logger: quietLogger()})
			if err != nil {
				b.Fatal(err)
			}
			if err := e.Prepare(ctx, testrtCode); err != nil {
				b.Fatal(err)
			}
			_ = e.Close(ctx)
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		warm, err := New(ctx, Config{Logger: quietLogger(), CacheDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := warm.Prepare(ctx, testrtCode); err != nil {
			b.Fatal(err)
		}
		_ = warm.Close(ctx)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e, err := New(ctx, Config{Logger: quietLogger(), CacheDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			if err := e.Prepare(ctx, testrtCode); err != nil {
				b.Fatal(err)
			}
			_ = e.Close(ctx)
		}
	})
}

// boundaryModule is a hand-assembled module whose export "loop" (n i32)
// calls ext_logging_max_level_version_1 n times: the wazero crossing alone,
// without Go's wasm code around it.
func boundaryModule() []byte {
	imp := "ext_logging_max_level_version_1"
	code := []byte{
		0x01, 0x01, 0x7f, // one local i32 (acc)
		0x02, 0x40, 0x03, 0x40, // block, loop
		0x20, 0x00, 0x45, 0x0d, 0x01, // br_if 1 (n == 0)
		0x20, 0x01, 0x10, 0x00, 0x6a, 0x21, 0x01, // acc += call 0
		0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, // n--
		0x0c, 0x00, 0x0b, 0x0b, // br 0, end, end
		0x20, 0x01, 0x0b, // acc
	}
	impSec := append(append([]byte{0x01}, name("env")...), name(imp)...)
	impSec = append(impSec, 0x00, 0x00)
	return wasmModule(
		section(1, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f),
		section(2, impSec...),
		section(3, 0x01, 0x01),
		section(7, append(append([]byte{0x01}, name("loop")...), 0x00, 0x01)...),
		section(10, append([]byte{0x01, byte(len(code))}, code...)...),
	)
}

// BenchmarkBoundary measures wazero's wasm→Go host-function transition
// alone (ns/op = one call of a host function that only reads its state).
func BenchmarkBoundary(b *testing.B) {
	e := newTestExecutor(b, nil)
	ctx := withState(context.Background(), newInstState(e, nil, 0, quietLogger(), 3))
	mod, err := e.rt.Instantiate(ctx, boundaryModule())
	if err != nil {
		b.Fatal(err)
	}
	defer mod.Close(ctx)
	b.ResetTimer()
	res, err := mod.ExportedFunction("loop").Call(ctx, uint64(b.N))
	if err != nil || res[0] != uint64(3*b.N)&0xffffffff {
		b.Fatalf("%v %v", res, err)
	}
}

// BenchmarkStorageGet measures a storage read from wasm (32-byte value,
// in-memory Storage): ns/op = one StorageGet including the copy-out.
func BenchmarkStorageGet(b *testing.B) {
	e := newTestExecutor(b, nil)
	s := newMemStorage()
	if err := s.Set([]byte("bench"), make([]byte, 32)); err != nil {
		b.Fatal(err)
	}
	inst := newTestInstance(b, e, s)
	in := scale.NewEncoder(4)
	in.PutU32(uint32(b.N))
	b.ResetTimer()
	out, err := inst.Call(context.Background(), "read_loop", in.Bytes())
	if err != nil || scale.NewDecoder(out).U64() != uint64(32*b.N) {
		b.Fatalf("%x %v", out, err)
	}
}
