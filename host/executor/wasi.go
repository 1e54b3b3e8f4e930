package executor

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// wasiModule is the WASI preview1 module name.
const wasiModule = "wasi_snapshot_preview1"

// WASI errno values we return.
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoInval   = 28
	errnoNosys   = 52
)

// fixedClockNanos is what clock_time_get answers for every clock: runtime
// code must not depend on time, and if Go's scheduler asks, every node must
// see the same value.
const fixedClockNanos = 1_577_836_800_000_000_000 // 2020-01-01T00:00:00Z

type wasiFunc struct {
	name            string
	params, results []api.ValueType
	fn              api.GoModuleFunc
}

var (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

func ps(n int) []api.ValueType {
	p := make([]api.ValueType, n)
	for i := range p {
		p[i] = i32
	}
	return p
}

// errnoFn answers every call with the same errno and touches no memory.
func errnoFn(errno uint64) api.GoModuleFunc {
	return func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = errno }
}

// wasiFuncs is every wasi_snapshot_preview1 function that Go's wasip1
// runtime and syscall packages may import, with deterministic answers: no
// arguments, no environment, no files, a fixed clock, seeded randomness,
// stdout/stderr to the node's log and proc_exit as the end of the call.
// A module importing any other WASI function is refused.
func wasiFuncs() []wasiFunc {
	r := []api.ValueType{i32}
	fs := []wasiFunc{
		// args_sizes_get(argc *u32, argv_buf_size *u32), environ_sizes_get: 0, 0.
		{"args_sizes_get", ps(2), r, zeroSizes},
		{"environ_sizes_get", ps(2), r, zeroSizes},
		// args_get / environ_get: nothing to write.
		{"args_get", ps(2), r, errnoFn(errnoSuccess)},
		{"environ_get", ps(2), r, errnoFn(errnoSuccess)},
		// clock_time_get(id u32, precision u64, out *u64)
		{"clock_time_get", []api.ValueType{i32, i64, i32}, r, func(_ context.Context, mod api.Module, stack []uint64) {
			putU64(memOf(mod), uint32(stack[2]), fixedClockNanos)
			stack[0] = errnoSuccess
		}},
		// random_get(buf *u8, len u32): the instance's seeded stream.
		{"random_get", ps(2), r, func(ctx context.Context, mod api.Module, stack []uint64) {
			b := view(memOf(mod), uint32(stack[0]), uint32(stack[1]))
			stateOf(ctx).rng.Read(b)
			stack[0] = errnoSuccess
		}},
		// fd_write(fd, iovs *iovec, iovs_len, nwritten *u32): fds 1 and 2 go
		// to the log (2 is also kept for error messages); others are EBADF.
		{"fd_write", ps(4), r, fdWrite},
		// proc_exit(code): ends the call. A Go panic lands here with code 2.
		{"proc_exit", ps(1), nil, func(ctx context.Context, mod api.Module, stack []uint64) {
			code := uint32(stack[0])
			_ = mod.CloseWithExitCode(ctx, code)
			panic(sys.NewExitError(code))
		}},
		{"sched_yield", nil, r, errnoFn(errnoSuccess)},
		// poll_oneoff(in *subscription, out *event, n, nevents *u32): every
		// subscription fires at once (time does not pass for a runtime).
		{"poll_oneoff", ps(4), r, pollOneoff},
		// fd_fdstat_get(fd, out *fdstat): stdio is a character device.
		{"fd_fdstat_get", ps(2), r, func(_ context.Context, mod api.Module, stack []uint64) {
			fd, out := uint32(stack[0]), uint32(stack[1])
			if fd > 2 {
				stack[0] = errnoBadf
				return
			}
			m := memOf(mod)
			var st [24]byte
			st[0] = 2 // character device
			write(m, out, st[:])
			stack[0] = errnoSuccess
		}},
		// fd_prestat_get: no preopened directories.
		{"fd_prestat_get", ps(2), r, errnoFn(errnoBadf)},
		{"fd_prestat_dir_name", ps(3), r, errnoFn(errnoBadf)},
		{"fd_close", ps(1), r, errnoFn(errnoBadf)},
		{"fd_read", ps(4), r, errnoFn(errnoBadf)},
		{"fd_sync", ps(1), r, errnoFn(errnoBadf)},
		{"fd_fdstat_set_flags", ps(2), r, errnoFn(errnoBadf)},
		{"fd_fdstat_set_rights", []api.ValueType{i32, i64, i64}, r, errnoFn(errnoBadf)},
		{"fd_filestat_get", ps(2), r, errnoFn(errnoBadf)},
		{"fd_filestat_set_size", []api.ValueType{i32, i64}, r, errnoFn(errnoBadf)},
		{"fd_pread", []api.ValueType{i32, i32, i32, i64, i32}, r, errnoFn(errnoBadf)},
		{"fd_pwrite", []api.ValueType{i32, i32, i32, i64, i32}, r, errnoFn(errnoBadf)},
		{"fd_readdir", []api.ValueType{i32, i32, i32, i64, i32}, r, errnoFn(errnoBadf)},
		{"fd_seek", []api.ValueType{i32, i64, i32, i32}, r, errnoFn(errnoBadf)},
		{"path_create_directory", ps(3), r, errnoFn(errnoNosys)},
		{"path_filestat_get", ps(5), r, errnoFn(errnoNosys)},
		{"path_filestat_set_times", []api.ValueType{i32, i32, i32, i32, i64, i64, i32}, r, errnoFn(errnoNosys)},
		{"path_link", ps(7), r, errnoFn(errnoNosys)},
		{"path_open", []api.ValueType{i32, i32, i32, i32, i32, i64, i64, i32, i32}, r, errnoFn(errnoNosys)},
		{"path_readlink", ps(6), r, errnoFn(errnoNosys)},
		{"path_remove_directory", ps(3), r, errnoFn(errnoNosys)},
		{"path_rename", ps(6), r, errnoFn(errnoNosys)},
		{"path_symlink", ps(5), r, errnoFn(errnoNosys)},
		{"path_unlink_file", ps(3), r, errnoFn(errnoNosys)},
		{"sock_accept", ps(3), r, errnoFn(errnoNosys)},
		{"sock_shutdown", ps(2), r, errnoFn(errnoNosys)},
	}
	return fs
}

func zeroSizes(_ context.Context, mod api.Module, stack []uint64) {
	m := memOf(mod)
	putU32(m, uint32(stack[0]), 0)
	putU32(m, uint32(stack[1]), 0)
	stack[0] = errnoSuccess
}

func fdWrite(ctx context.Context, mod api.Module, stack []uint64) {
	fd, iovs, n, nwritten := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	if fd != 1 && fd != 2 {
		stack[0] = errnoBadf
		return
	}
	if n > 1024 { // IOV_MAX
		stack[0] = errnoInval
		return
	}
	st, m := stateOf(ctx), memOf(mod)
	var total uint32
	var out []byte
	for i := uint32(0); i < n; i++ {
		base := iovs + 8*i
		if base < iovs { // wrapped around the address space
			trap(fmt.Errorf("%w: iovec array at %d", ErrOutOfBounds, iovs))
		}
		buf := view(m, getU32(m, base), getU32(m, base+4))
		out = append(out, buf...)
		total += uint32(len(buf))
	}
	putU32(m, nwritten, total)
	if fd == 2 {
		st.stderr.add(out)
	} else {
		st.stdout.add(out)
	}
	stack[0] = errnoSuccess
}

func pollOneoff(_ context.Context, mod api.Module, stack []uint64) {
	in, out, n, nevents := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	if n == 0 || n > 1<<16 {
		stack[0] = errnoInval
		return
	}
	m := memOf(mod)
	subs := view(m, in, 48*n)
	view(m, out, 32*n) // bounds check before writing anything
	for i := uint32(0); i < n; i++ {
		s := subs[48*i:]
		var ev [32]byte
		copy(ev[0:8], s[0:8]) // userdata
		tag := s[8]
		ev[10] = tag
		if tag != 0 { // fd_read / fd_write: no such fds
			ev[8] = errnoBadf
		}
		write(m, out+32*i, ev[:])
	}
	putU32(m, nevents, n)
	stack[0] = errnoSuccess
}
