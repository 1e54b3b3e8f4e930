// Package authorship is MSC's pallet_authorship: who authored the current
// block, found once per block from Aura's pre-runtime digest (slot % n is
// the index of the author in Aura's authorities, and session's Validators
// at that index is the validator's account), kept in Author for the block
// (transaction payment's author share reads it) and reported once to the
// EventHandler (staking's era points).
//
// Why through the index and not session's KeyOwner: a validator may set
// new keys at any time, which moves KeyOwner to the new keys while the old
// ones still author until the session after next; Aura's authorities and
// session's Validators come from the same queued list in the same order,
// so the index always names the right account (Substrate's
// FindAccountFromAuthorIndex).
//
// Blocks without the digest (the dev chain's manual author) have no author:
// fees go to the treasury and nobody gets points.
package authorship
