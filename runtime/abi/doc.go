// Package abi is the contract between a runtime and its host: the names and
// signatures of the host functions a runtime may import, the entry-point
// convention, and the Host interface through which runtime Go code reaches
// its host.
//
// # Why RFC-0145
//
// The legacy Polkadot host interface lets the host allocate inside the
// runtime's linear memory (ext_allocator_malloc, host-allocated return
// buffers). Go's wasm runtime owns all of its linear memory (its GC and
// memory.grow), so a host-side allocator cannot coexist with it. We therefore
// implement the runtime-owned-buffer forms of RFC-0145 (PROTOCOL.md §2.2):
//
//   - Every entry point is `(len i32) -> i64`. The runtime allocates len
//     bytes, fills them with ext_input_read_version_1 and returns
//     ptr | len<<32 of its SCALE-encoded output (ReadInput, Return).
//   - Host functions write only into buffers the runtime passes. A "ps"
//     (pointer-size) argument is an i64 holding ptr | len<<32 (PtrSize).
//
// # Two implementations of Host
//
// Under GOOS=wasip1 (build tag wasip1) WasmHost returns a Host over
// `//go:wasmimport env …` declarations. Natively, host/executor provides
// NewNativeHost over the very state the wasm host uses, so the same runtime
// code runs natively for differential tests. Runtime code must not tell the
// two apart.
//
// This package may import only std, runtime/scale and runtime/types; it is
// the only package under runtime/ allowed to import unsafe (wasm side only).
package abi
