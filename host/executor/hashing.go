package executor

import (
	"context"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/types"
)

// hashingFuncs are ext_hashing_*_version_2(data ps, out p): the digest of
// data is written to out, whose size the hash fixes (8, 16 or 32 bytes).
//
// The digest is copied straight into the view of out (no intermediate
// slice escapes to the heap): these are the hottest host functions.
func hashingFuncs() []hostFunc {
	return []hostFunc{
		{abi.FnHashingBlake2_128, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 16)
			h := types.Blake2b128(data)
			copy(out, h[:])
		}},
		{abi.FnHashingBlake2_256, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 32)
			h := types.Blake2b256(data)
			copy(out, h[:])
		}},
		{abi.FnHashingTwox64, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 8)
			h := types.Twox64(data)
			copy(out, h[:])
		}},
		{abi.FnHashingTwox128, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 16)
			h := types.Twox128(data)
			copy(out, h[:])
		}},
		{abi.FnHashingTwox256, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 32)
			h := types.Twox256(data)
			copy(out, h[:])
		}},
		{abi.FnHashingKeccak256, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			data, out := viewPS(m, stack[0]), view(m, uint32(stack[1]), 32)
			h := types.Keccak256(data)
			copy(out, h[:])
		}},
	}
}
