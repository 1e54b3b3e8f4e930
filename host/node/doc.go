// Package node assembles a running MSC node from its parts: the pebble
// database, the trie-backed state, the WASM executor, the chain, the
// transaction pool, the JSON-RPC server and an authoring engine, and runs
// them until its context ends.
//
// It is the only place that knows how the parts fit: each part declares the
// small interface it needs (rpc.Chain, txpool.Validator, manual.Pool, …) and
// the adapters here implement them over the concrete parts. Nothing here is
// pallet-specific; the runtime is reached through runtime APIs only.
package node
