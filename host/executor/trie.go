package executor

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/abi"
)

// Trie computations over runtime-supplied data (no storage involved),
// shared by the wasm host functions and the native host.

func trieRoot(kvs [][2][]byte, version uint8) ([32]byte, error) {
	pairs := make([]trie.Pair, len(kvs))
	for i, kv := range kvs {
		pairs[i] = trie.Pair{Key: kv[0], Value: kv[1]}
	}
	return trie.RootOfPairs(pairs, trie.Version(version))
}

func trieOrderedRoot(values [][]byte, version uint8) ([32]byte, error) {
	return trie.OrderedRoot(values, trie.Version(version))
}

func trieVerifyProof(root *[32]byte, proof [][]byte, key, value []byte) bool {
	return trie.VerifyProof(*root, proof, key, value) == nil
}

// trieVersion checks a state-version argument (0 = V0, 1 = V1).
func trieVersion(v uint64) uint8 {
	if uint32(v) > 1 {
		trap(fmt.Errorf("%w: state version %d", ErrBadArgument, uint32(v)))
	}
	return uint8(v)
}

func trieFuncs() []hostFunc {
	return []hostFunc{
		// ext_trie_blake2_256_root_version_3(input ps, version i32, out p32)
		// input is SCALE Vec<(Vec<u8>, Vec<u8>)>; a later duplicate key wins.
		{abi.FnTrieBlake2Root, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			kvs, err := abi.DecodeKVs(viewPS(m, stack[0]))
			if err != nil {
				trap(fmt.Errorf("%w: trie root input: %w", ErrBadArgument, err))
			}
			out := uint32(stack[2])
			view(m, out, 32)
			r, err := trieRoot(kvs, trieVersion(stack[1]))
			if err != nil {
				trap(fmt.Errorf("%w: trie root: %w", ErrBadArgument, err))
			}
			write(m, out, r[:])
		}},
		// ext_trie_blake2_256_ordered_root_version_3(input ps, version i32, out p32)
		// input is SCALE Vec<Vec<u8>>; keys are Compact<u32>(index).
		{abi.FnTrieBlake2OrderedRoot, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			vs, err := abi.DecodeValues(viewPS(m, stack[0]))
			if err != nil {
				trap(fmt.Errorf("%w: ordered root input: %w", ErrBadArgument, err))
			}
			out := uint32(stack[2])
			view(m, out, 32)
			r, err := trieOrderedRoot(vs, trieVersion(stack[1]))
			if err != nil {
				trap(fmt.Errorf("%w: ordered root: %w", ErrBadArgument, err))
			}
			write(m, out, r[:])
		}},
		// ext_trie_blake2_256_verify_proof_version_2(root p32, proof ps, key ps,
		//   value ps, version i32) -> i32: 1 if proof (SCALE Vec<Vec<u8>> of
		// nodes) shows key holding value under root.
		{abi.FnTrieBlake2VerifyProof, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			root := fixed32(m, uint32(stack[0]))
			proof, err := abi.DecodeValues(viewPS(m, stack[1]))
			key, value := viewPS(m, stack[2]), viewPS(m, stack[3])
			trieVersion(stack[4])
			if err != nil {
				stack[0] = 0
				return
			}
			stack[0] = boolResult(trieVerifyProof(root, proof, key, value))
		}},
	}
}
