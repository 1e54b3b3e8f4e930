// Command wasm is the WASM build of the relay runtime: one
// `//go:wasmexport` function per runtime API entry point, each
// `(len i32) -> i64` (RFC-0145): it reads its input with abi.ReadInput,
// runs relay.Dispatch with the WASM host and returns abi.Return(out). An
// error panics with its message, which traps; the host reports the trap.
//
// Build: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath \
// -o relay.wasm ./runtime/relay/wasm
package main
