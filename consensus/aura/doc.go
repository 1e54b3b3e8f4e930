// Package aura is Aura (authority round) block authoring and verification,
// Substrate's sc-consensus-aura in the node's terms.
//
// Time is cut into slots of slot_duration (from the runtime's AuraApi); slot
// s starts at s*slot_duration ms after the Unix epoch, and its author is
// authorities[s % n], the runtime's Aura authority list at the parent block.
// A block carries its slot in a PreRuntime digest (engine "aura", the slot as
// u64 LE) and ends with a Seal digest (engine "aura", the author's 64-byte
// sr25519 signature of the blake2b-256 hash of the header without the seal).
// The byte formats are exactly Substrate's, so headers are interchangeable
// with a Substrate Aura chain's.
//
// Why a separate verifier and author: the Verifier is what host/chain calls
// on every imported block (chain.Verifier), whoever authored it; the Author
// is the validator's slot worker. They share only the digest helpers.
//
// Equivocation: two different headers for one slot signed by its author are
// both valid blocks (Substrate imports both and lets fork choice decide), so
// the Verifier does not reject the second one; it remembers the first header
// per (slot, author) for a bounded window of recent slots and reports the
// pair once, as the SCALE AuraEquivocationProof the runtime's
// AuraEquivocationApi turns into an unsigned report extrinsic.
//
// The authority set comes from the runtime (AuraApi_authorities at the
// parent). A runtime call on a block whose instance is not warm costs about
// 10 ms, as much as executing a small block, so CachedAuthorities follows
// the set along the chain through pallet_aura's AuthoritiesChange logs and
// asks the runtime only where it cannot.
//
// Both are driven by an injected clock: the Verifier asks Now for the current
// slot (to refuse blocks from the future), the Author's Step takes the time
// it runs at, so tests step through slots without waiting.
package aura
