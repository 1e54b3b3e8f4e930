package executor

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
)

func inputFuncs() []hostFunc {
	return []hostFunc{
		// ext_input_read_version_1(buffer_out ps): copies the current entry
		// point's input into buffer_out. The runtime allocates exactly the
		// input length it was called with; a smaller buffer aborts the call.
		{abi.FnInputRead, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			ptr, n := outPS(m, stack[0])
			if int(n) < len(st.input) {
				trap(fmt.Errorf("%w: input buffer of %d bytes for %d of input", ErrBadArgument, n, len(st.input)))
			}
			write(m, ptr, st.input)
		}},
	}
}
