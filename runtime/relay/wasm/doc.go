// Command wasm is the WASM build of the relay runtime: one
// `//go:wasmexport` function per runtime API entry point, each
// `(len i32) -> i64` (RFC-0145): it reads its input with abi.ReadInput,
// runs relay.Dispatch with the WASM host and returns abi.Return(out). An
// error panics with its message, which traps; the host reports the trap.
//
// Build: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath \
// -o relay.wasm ./runtime/relay/wasm (`marsd runtime build` does this).
//
// default.pgo is a CPU profile of the runtime's own Go code executing a
// block of 1,000 transfers natively; go build uses it (-pgo=auto) to inline
// the hot calls, which Go's wasm port makes dear (see docs/adr/0009). It
// is committed so that every machine builds the same bytes. Refresh it after
// large changes to the block path:
//
//	go test ./tests/pipeline -run '^$' -bench NativeExecuteBlock -benchtime 30x \
//	    -cpuprofile runtime/relay/wasm/default.pgo
//
// then rebuild the blobs.
package main
