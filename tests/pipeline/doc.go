// Package pipeline tests the whole block pipeline below the node with the
// real relay runtime: genesis built by the runtime, blocks of signed MSCA
// transfers built and imported through WASM over pebble, the same blocks
// executed natively and under wazero's interpreter with equal state roots,
// and host/chain's fork choice, reorgs, finality, restarts and runtime
// calls, and consensus/manual's authoring.
//
// These tests live here rather than beside host/chain because host/ may not
// import the runtime blobs (ARCHITECTURE.md §2): the chain is exercised with
// the runtime it will really run. Benchmarks measure transfers per second
// built and imported (BenchmarkPipeline) and the native floor
// (BenchmarkNativeExecuteBlock).
package pipeline
