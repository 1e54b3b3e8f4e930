// Package pipeline tests the whole block pipeline below the node: genesis
// built by the relay runtime, blocks of signed MSCA transfers built and
// imported through the WASM runtime over pebble, and the same blocks executed
// natively (the runtime's Go code over the native host) with equal state
// roots. Its benchmarks measure transfers per second built and imported.
package pipeline
