// Package offences is MSC's pallet_offences: consensus reports misbehaviour
// here (an Aura or GRANDPA equivocation, through the runtime's
// equivocation extrinsics), each offence is recorded once, and the
// offenders are handed to staking to be slashed.
//
// Why a separate pallet, as in Substrate: the reporters (aura, grandpa)
// should not know about stake, and staking should not know about
// consensus. Reports are keyed by (kind, time slot, offender): kind is a
// 16-byte name of the offence ("aura:equivocati", "grandpa:equivoca"), the
// time slot its opaque SCALE-encoded instant (an Aura slot, a GRANDPA
// (set id, round)). A report whose offenders were all reported before for
// the same kind and slot is refused with ErrDuplicateReport and changes
// nothing; otherwise the new offenders are recorded (Reports,
// ConcurrentReportsIndex), the event Offence{kind, timeslot} is deposited
// and OnOffenceHandler (staking) gets them with the slash fraction.
//
// The pallet has no calls: ReportOffence is for other pallets.
package offences
