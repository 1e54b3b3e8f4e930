package executor

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
)

func miscFuncs() []hostFunc {
	return []hostFunc{
		// ext_misc_runtime_version_2(wasm ps, out ps) -> i64
		// Reads the SCALE RuntimeVersion of the (possibly compressed) blob at
		// wasm: its runtime_version custom section if present, else by
		// running its Core_version in a fresh instance with a tight time
		// bound. Writes it to out if it fits; returns its length, or -1 if
		// the blob has no readable version.
		{abi.FnMiscRuntimeVersion, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			code := copyPS(m, stack[0])
			optr, olen := outPS(m, stack[1])
			v, err := st.runtimeVersionOf(ctx, code)
			if err != nil {
				stack[0] = noneResult
				return
			}
			if len(v) <= int(olen) {
				write(m, optr, v)
			}
			stack[0] = uint64(len(v))
		}},
	}
}

// runtimeVersionOf is RuntimeVersionOf for host functions: an error means
// "no version" to the runtime, except a timeout of the caller's own call,
// which must abort it.
func (s *instState) runtimeVersionOf(ctx context.Context, code []byte) ([]byte, error) {
	if s.exec == nil {
		return versionFromSection(code, defaultMaxCodeSize)
	}
	v, err := s.exec.RuntimeVersion(ctx, code)
	if err != nil && ctx.Err() != nil {
		trap(errors.Join(ErrTimeout, ctx.Err()))
	}
	return v, err
}
