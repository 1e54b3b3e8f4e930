// Package rpc is the node's JSON-RPC 2.0 server: HTTP POST and WebSocket on
// one port (127.0.0.1:9944 by default), speaking the Substrate method set
// that @polkadot/api 16.x calls, with Substrate's shapes and error codes.
//
// Why its own server rather than a generic JSON-RPC library: wallets and
// tools check exact details that generic servers get wrong — subscription
// ids as strings, notifications as
// {"method":m,"params":{"subscription":id,"result":r}}, a subscription's
// first notification never overtaking the response that carries its id,
// jsonrpsee's limit codes (-32006 too many subscriptions, -32007 request
// too big, -32008 response too big, -32010 batch too large), unsafe
// methods refused on an external interface with -32601 "RPC call is
// unsafe to be called externally", and the author (1010 "Invalid
// Transaction" with sp-runtime's text in data …), chain (300x) and state
// (4003 "Client error: …") codes.
//
// Layout:
//   - server.go: Config and limits, HTTP routing, CORS, connection limit,
//     graceful Shutdown.
//   - dispatch.go: request/batch parsing and responses; registry.go: the
//     method table (Register, RegisterSubscription, aliases, Unsafe,
//     rpc_methods) and Params.
//   - ws.go: a WebSocket connection (one writer fed by a bounded queue,
//     calls run concurrently up to a bound) and Sink, a subscription's
//     non-blocking sender: when a client reads too slowly its queue fills
//     and the subscription is dropped, so the node never waits on a client.
//   - api.go: the backend interfaces the node implements (Chain, State,
//     Pool, System) and RegisterAPI; chain.go, state.go, payment.go,
//     author.go, system.go: the methods; shapes.go: their JSON forms.
//   - RegisterV1 (chainhead.go) adds the new JSON-RPC spec's groups
//     (paritytech/json-rpc-interface-spec), each whole or not at all:
//     chainHead_v1 (chainhead.go), archive_v1 (archive.go: body, call,
//     finalizedHeight, genesisHash, hashByHeight, header;
//     archive_storage.go: the storage and storageDiff subscriptions, whose
//     workers are globally bounded and wait for a slow client rather than
//     drop it), transaction_v1/transactionWatch_v1 (transaction_v1.go),
//     chainSpec_v1 (chainspec_v1.go); storage_items.go builds the storage
//     items both chainHead_v1 and archive_v1 report.
//
// Wiring (for host/node): build a Server with NewServer, call RegisterAPI
// with adapters over the chain, state, executor and pool, register any
// further methods, then Serve and, on exit, Shutdown. Adapter notes:
//   - Chain.SubscribeHeads: fan host/chain's event stream out to the
//     callbacks (HeadsBest on imports that move the best block, HeadsAll
//     on every import, HeadsFinalized on finality).
//   - Pool errors: return the runtime's types.TransactionValidityError
//     (unwrap txpool's *ValidityError) and *PoolError for the rest
//     (already imported → PoolAlreadyImported, banned →
//     PoolTemporarilyBanned, priority too low → PoolTooLowPriority, pool
//     full → PoolImmediatelyDropped, no provides → PoolNoTags); any other
//     error becomes 1040 "Transaction pool error: …".
//   - State errors: wrap ErrUnknownBlock for a block without state; every
//     error becomes 4003 "Client error: <err>".
//   - State.ClosestDescendantMerkleValue: read the block's stored trie
//     (host/trie's Trie.ClosestDescendantMerkleValue); the root's Merkle
//     value is its hash.
//
// The package knows no other host package: it declares what it needs as
// small interfaces and the node adapts its block tree, state, executor and
// transaction pool to them. Backend callbacks (head and transaction status
// streams) only enqueue, so they may be called from the node's hot paths.
package rpc
