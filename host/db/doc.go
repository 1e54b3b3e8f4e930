// Package db is the node's key-value store: a narrow interface (in the style
// of go-ethereum's ethdb), an in-memory implementation for tests and dev
// chains, and the key-space layout every host package shares. The pebble
// implementation for disk is in the subpackage pebbledb (so importing the
// interface does not link pebble); the conformance suite is in dbtest.
//
// Why a narrow interface: chain, state and the rest only need point reads,
// atomic batches, bounded ordered iteration and snapshots. Keeping the surface
// this small lets one conformance suite (dbtest) hold every backend to
// the same semantics, and keeps pebble's API out of the rest of the node.
//
// Semantics shared by all backends:
//   - Get returns a copy the caller owns; a missing key is ErrNotFound.
//   - A Batch is applied atomically by Write: all of its writes or none. It is
//     write-only (no read-your-writes); callers keep their own pending view.
//   - An Iterator walks [lower, upper) in byte order over a consistent view
//     taken when it was created; Key and Value are valid until the next Next.
//   - A Snapshot is a consistent read-only view; Release it when done.
//   - After Close, every operation fails with ErrClosed.
package db
