// Package aura is MSC's pallet_aura: the Aura authorities (sr25519 keys, in
// session Validators' order) and the current slot, checked in every block
// that carries Aura's pre-runtime digest.
//
// Why the checks live here: the node checks a block's seal and author
// against AuraApi_authorities of the parent state, but only the runtime can
// make a block with a non-increasing slot or a timestamp from another slot
// invalid for every node alike. A block's slot is its PreRuntime digest
// (engine "aura", SCALE u64); it must exceed CurrentSlot, and the
// timestamp inherent must lie in that slot (now / SlotDuration == slot, the
// rule of Substrate's pallet_aura; authors set slot * SlotDuration). Blocks
// without the digest (the dev chain's manual author) are left alone.
//
// A non-increasing slot is found in on_initialize, which cannot fail:
// it is remembered in a transient item (BadSlot, removed in the same
// block) and on_finalize fails the block, as Substrate's assertion would.
//
// Equivocation: report_equivocation_unsigned(AuraEquivocationProof) is an
// unsigned call the node submits to its own pool (AuraEquivocationApi):
// validate_unsigned accepts it only if both headers carry the proof's slot
// and an sr25519 seal by the offender over blake2_256 of the header without
// the seal, they differ, the offender is a current authority, and the
// offence is not known yet; dispatch reports it to offences with the
// offender's account (session Validators at the offender's index).
package aura
