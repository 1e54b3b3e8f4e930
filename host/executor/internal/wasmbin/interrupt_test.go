package wasmbin

import (
	"context"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

func sec(id byte, body ...byte) []byte {
	return append(append([]byte{id}, appendU32(nil, uint32(len(body)))...), body...)
}

// spinModule exports "spin" (n i32) -> i32, a loop of n iterations, and
// "rec" (n i32) -> i32, a recursion n deep without any loop; with memory
// if mem.
func spinModule(mem bool) []byte {
	spin := []byte{
		0x00,                   // no locals
		0x02, 0x40, 0x03, 0x40, // block, loop
		0x20, 0x00, 0x45, 0x0d, 0x01, // br_if 1 (n == 0)
		0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, // n--
		0x0c, 0x00, 0x0b, 0x0b, // br 0, end, end
		0x20, 0x00, 0x0b, // n
	}
	rec := []byte{
		0x00,
		0x20, 0x00, 0x45, 0x04, 0x7f, 0x41, 0x00, // if n == 0: 0
		0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x01, // else rec(n-1)
		0x0b, 0x0b,
	}
	mod := append([]byte(nil), magic[:]...)
	mod = append(mod, sec(1, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f)...)
	mod = append(mod, sec(3, 0x02, 0x00, 0x00)...)
	if mem {
		mod = append(mod, sec(5, 0x01, 0x00, 0x01)...)
	}
	exp := []byte{0x02}
	exp = append(appendName(exp, "spin"), 0x00, 0x00)
	exp = append(appendName(exp, "rec"), 0x00, 0x01)
	mod = append(mod, sec(7, exp...)...)
	code := []byte{0x02}
	code = append(appendU32(code, uint32(len(spin))), spin...)
	code = append(appendU32(code, uint32(len(rec))), rec...)
	mod = append(mod, sec(10, code...)...)
	return mod
}

func TestAddInterruptCheck(t *testing.T) {
	ctx := context.Background()
	for _, mem := range []bool{false, true} {
		for _, interp := range []bool{false, true} {
			cfg := wazero.NewRuntimeConfigCompiler()
			if interp {
				cfg = wazero.NewRuntimeConfigInterpreter()
			}
			rt := wazero.NewRuntimeWithConfig(ctx, cfg)
			b, err := AddInterruptCheck(spinModule(mem), "stop", "count")
			if err != nil {
				t.Fatal(err)
			}
			mod, err := rt.Instantiate(ctx, b)
			if err != nil {
				t.Fatalf("mem=%v interp=%v: %v", mem, interp, err)
			}
			stop := mod.ExportedGlobal("stop").(api.MutableGlobal)
			count := mod.ExportedGlobal("count").(api.MutableGlobal)
			if count.Get() != CheckPeriod || stop.Get() != 0 {
				t.Fatalf("initial globals %d %d", stop.Get(), count.Get())
			}
			// Unset: the code computes what it did before.
			for fn, n := range map[string]uint64{"spin": 3 * CheckPeriod, "rec": 1000} {
				if res, err := mod.ExportedFunction(fn).Call(ctx, n); err != nil || res[0] != 0 {
					t.Fatalf("%s: %v %v", fn, res, err)
				}
			}
			// Set: the next check traps, in a loop and in a recursion.
			for _, fn := range []string{"spin", "rec"} {
				stop.Set(1)
				count.Set(1)
				_, err := mod.ExportedFunction(fn).Call(ctx, 100)
				if err == nil || !strings.Contains(err.Error(), "unreachable") {
					t.Fatalf("mem=%v interp=%v %s: got %v, want unreachable", mem, interp, fn, err)
				}
			}
			_ = rt.Close(ctx)
		}
	}
}

func TestAddInterruptCheckRefusesTakenName(t *testing.T) {
	if _, err := AddInterruptCheck(spinModule(false), "spin", "count"); err == nil {
		t.Fatal("accepted an export name already taken")
	}
}
