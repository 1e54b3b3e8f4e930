// Package grandpa is MSC's pallet_grandpa: the GRANDPA authority set
// (ed25519 keys with weights, in session Validators' order), its set id,
// the authority-set changes announced to the node, and equivocation
// reports.
//
// Set changes: when a session starts with a changed validator set
// (session's changed flag, which staking raises when an election gives a
// new set; Substrate's rule), the pallet deposits the consensus digest FRNK
// ScheduledChange{next_authorities, delay 0}, replaces Authorities,
// increments CurrentSetId and emits NewAuthorities — all in the same block
// B (during its on_initialize). So the state after B already holds the new
// set, while B itself is finalized by the old one: the host rule is that
// the set which signs B's justification is the one in B's parent state.
// Sessions without a change only record SetIdSession(set id) = session.
//
// Equivocation: report_equivocation_unsigned(EquivocationProof) (call 1,
// pallet_grandpa's index) is submitted by the node to its own pool through
// GrandpaEquivocationApi. validate_unsigned accepts it only for the current
// set id, with two different votes of one kind in one round, both signed
// (ed25519 over SCALE(Message, round u64, set_id u64)) by an identity in
// the current set, and an offence not yet known; dispatch reports it to
// offences with the offender's account (session Validators at its index).
// MSC has no key-ownership proofs (the historical session pallet): reports
// about earlier sets are refused.
package grandpa
