// Package txpool is the node's transaction pool: it holds extrinsics that
// the runtime judged valid but that are not yet in a block, orders them for
// the block author, and tells RPC watchers what happened to each one.
//
// # Why it looks like this
//
// The pool follows Substrate's graph pool (client/transaction-pool, graph/
// base_pool.rs, ready.rs, future.rs) because wallets and tools expect its
// behaviour: the same tags, the same replacement rule, the same status
// stream (author_extrinsicUpdate). It never decodes an extrinsic itself: the
// runtime's TaggedTransactionQueue_validate_transaction, reached through the
// Validator interface the node implements, says how a transaction ranks
// (priority), what it needs (requires tags), what it makes possible
// (provides tags) and how long it stays valid (longevity).
//
// # Ready and future
//
// A transaction is ready when every tag it requires is provided by a ready
// transaction or was provided by a block pruned recently (the runtime
// already drops tags the chain state provides from requires). Otherwise it
// waits in the future queue and is promoted as soon as its last missing tag
// appears. A ready transaction whose provider leaves the pool without being
// included (dropped, usurped, invalid) goes back to the future queue rather
// than being dropped with it: it may become ready again when the provider is
// resubmitted, and the future limits bound what that costs.
//
// Tags are unique in the whole pool. A transaction providing a tag that is
// already provided replaces (usurps) every holder of its tags when its
// priority is strictly greater than their summed priority, else it is
// rejected with ErrTooLowPriority. This is Substrate's ready-queue rule,
// applied to the future queue too so that two futures can never race for
// the same tag at promotion time. One consequence differs from Substrate:
// a low-priority transaction that would close a requires/provides cycle is
// refused with ErrTooLowPriority, where Substrate imports it, detects the
// cycle and drops the whole cycle.
//
// # Limits
//
// Count and byte limits for both queues (defaults: 8192 transactions and
// 20 MiB ready, 512 and 1 MiB future, as in Substrate) are enforced after
// each insertion: the ready queue evicts its lowest-priority transaction
// (the oldest among equals), the future queue its oldest, each found in
// O(log n) through a heap; a submission that is itself evicted fails with
// ErrPoolFull. An evicted ready transaction's dependants go back to the
// future queue (Substrate drops them with it). A per-sender limit is optional:
// the node may pass Config.Sender, a function that extracts the signer from
// an extrinsic (the pool stays chain-agnostic and does not guess senders
// from tag prefixes, whose layout is a runtime detail), and
// Config.MaxPerSender bounds how many of a sender's transactions the pool
// holds (replacing one of them is always allowed).
//
// # Block import
//
// After each imported best block the node calls Prune with the block's
// extrinsics (included transactions leave the pool, their tags count as
// provided for two more blocks, futures are promoted, transactions whose
// longevity ran out are dropped as invalid and banned), then Revalidate,
// which re-runs the validator on a bounded batch of the transactions that
// were checked longest ago and removes those now invalid (a validator
// failure, as opposed to a verdict, removes a transaction only at its third
// consecutive failure, where Substrate removes it at once, so that one
// missing state cannot empty the pool). Extrinsics in the
// block that the pool never saw are not validated by Prune: their effect
// (a conflicting nonce, a now-satisfied requirement) is picked up by
// Revalidate.
//
// BlockIncluded, BlockRetracted and BlockFinalized drive the watchers:
// Ready → InBlock(h) → Finalized(h), with Retracted(h) when a block leaves
// the best chain and FinalityTimeout(h) when a block stays unfinalized for
// Config.FinalityTimeout blocks. A watcher's channel is bounded: a slow
// reader loses its oldest non-final updates, never the final one, and never
// blocks the pool.
//
// Transactions found invalid are banned by hash for Config.BanTime (clock
// injected through Config.Now) so that gossip cannot make the pool validate
// them again and again. Included transactions are banned too, so that a
// peer re-gossiping them is not validated; a resubmission with
// types.SourceInBlock (the node re-injecting a retracted block's
// transactions) bypasses and lifts the ban.
//
// # Concurrency
//
// All state sits behind one mutex; the validator, which executes the
// runtime, is always called with that mutex released, so a slow validation
// never stalls the block author's ReadyIterator or block import.
package txpool
