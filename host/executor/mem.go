package executor

import (
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
)

// Memory access for host functions. Every helper checks bounds and aborts
// the call with a trap (a panic that wazero recovers into the call's error)
// when the runtime passed a bad pointer: out-of-bounds memory is the
// runtime's bug, never the host's, and never crashes the node.

// trap aborts the current host function, and with it the runtime call.
func trap(err error) { panic(err) }

// view returns n bytes at ptr, aliasing the runtime's memory: valid only
// until the host function returns (the memory may grow afterwards).
func view(m api.Memory, ptr, n uint32) []byte {
	b, ok := m.Read(ptr, n)
	if !ok {
		trap(fmt.Errorf("%w: read [%d, +%d) of %d bytes", ErrOutOfBounds, ptr, n, m.Size()))
	}
	return b
}

// viewPS is view of a pointer-size.
func viewPS(m api.Memory, ps uint64) []byte {
	ptr, n := abi.SplitPtrSize(int64(ps))
	return view(m, ptr, n)
}

// copyPS returns a copy of the bytes a pointer-size points to, for values
// that outlive the host function (storage writes).
func copyPS(m api.Memory, ps uint64) []byte {
	return append([]byte(nil), viewPS(m, ps)...)
}

// write stores b at ptr.
func write(m api.Memory, ptr uint32, b []byte) {
	if !m.Write(ptr, b) {
		trap(fmt.Errorf("%w: write [%d, +%d) of %d bytes", ErrOutOfBounds, ptr, len(b), m.Size()))
	}
}

// outPS checks that a pointer-size output buffer lies in memory and returns
// its bounds. RFC-0145 requires the whole buffer to be writable even when
// the host ends up writing nothing into it.
func outPS(m api.Memory, ps uint64) (ptr, n uint32) {
	ptr, n = abi.SplitPtrSize(int64(ps))
	if uint64(ptr)+uint64(n) > uint64(m.Size()) {
		trap(fmt.Errorf("%w: output [%d, +%d) of %d bytes", ErrOutOfBounds, ptr, n, m.Size()))
	}
	return ptr, n
}

func putU32(m api.Memory, ptr, v uint32) {
	if !m.WriteUint32Le(ptr, v) {
		trap(fmt.Errorf("%w: write u32 at %d", ErrOutOfBounds, ptr))
	}
}

func putU64(m api.Memory, ptr uint32, v uint64) {
	if !m.WriteUint64Le(ptr, v) {
		trap(fmt.Errorf("%w: write u64 at %d", ErrOutOfBounds, ptr))
	}
}

func getU32(m api.Memory, ptr uint32) uint32 {
	v, ok := m.ReadUint32Le(ptr)
	if !ok {
		trap(fmt.Errorf("%w: read u32 at %d", ErrOutOfBounds, ptr))
	}
	return v
}

// hostFunc is one host function: its name (its signature is
// abi.Signatures[name] or the WASI table) and its body.
type hostFunc struct {
	name string
	fn   api.GoModuleFunc
}

// memOf returns the calling module's memory.
func memOf(mod api.Module) api.Memory {
	m := mod.Memory()
	if m == nil {
		trap(fmt.Errorf("%w: module has no memory", ErrOutOfBounds))
	}
	return m
}

// u32arg/ i32arg decode stack slots.
func u32arg(v uint64) uint32 { return uint32(v) }

func boolResult(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// noneResult is -1 as an i64 result: the absent optional integer.
const noneResult = ^uint64(0)
