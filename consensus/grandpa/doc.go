// Package grandpa is MSC's finality gadget: GRANDPA (Stewart & Kokoris-Kogia,
// "GRANDPA: a Byzantine finality gadget") with Substrate's wire formats, so
// justifications, votes and equivocation proofs are byte-compatible with
// sc-consensus-grandpa and finality-grandpa.
//
// # Why a state machine
//
// Finality is where a bug costs the most and is the hardest to reproduce, so
// the voter is a deterministic state machine: State.Step(event) -> actions.
// Events (BlockImported, MessageReceived, Tick) carry their time; actions
// (Broadcast, Finalize, ReportEquivocation, Persist, Wakeup, Invalid) are
// executed by the driver. State reads no clock, does no I/O and iterates no
// map in a way that changes its output, so the tests run 4–5 voters over an
// in-memory bus and a virtual clock, through byzantine votes, partitions,
// crashes and set changes, in milliseconds. Voter is the driver: one
// goroutine over interfaces the node provides (Chain, Gossip, Store, clock).
//
// # The protocol as implemented
//
//   - Rounds of prevote and precommit on chains. A voter prevotes at 2T after
//     the round starts (T = Config.GossipDuration, 333 ms by default) for
//     the longest chain containing the previous round's estimate; it
//     precommits the prevote GHOST (the highest block with > 2/3 prevote
//     weight) once it exists and descends from that estimate, at 4T or as
//     soon as all prevotes are in or the round is completable. The next
//     round starts as soon as the current one is completable and the voter
//     has precommitted (finality-grandpa's rule). The best block with > 2/3
//     precommit weight of the current or the previous round is finalized.
//   - Weights, threshold (total - (total-1)/3), estimate and completability
//     follow finality-grandpa's Round: an equivocating voter counts for
//     every block, which keeps safety with up to f faulty voters of 3f+1.
//   - Two different votes of one voter in one round and stage produce a
//     ReportEquivocation with Substrate's EquivocationProof.
//   - Finalizing a block broadcasts a commit; commits of the current round
//     or later let a lagging voter or an observer (a full node) finalize and
//     jump ahead. Own votes and the latest commit are published again every
//     Config.Rebroadcast, which is how restarted or partitioned voters catch
//     up (there is no catch-up request protocol).
//   - Authority-set changes come from "FRNK" ScheduledChange digests. Votes
//     never go past the first unfinalized change block, so that block is
//     finalized by itself with a justification of the old set; the voter
//     then starts round 1 of set_id+1 with the new authorities. Votes of the
//     next set that arrive early are kept (bounded) and replayed.
//   - Own votes are persisted (Persist) before they are sent, so a restarted
//     validator resumes its round and never signs a conflicting vote.
//
// ProveFinality answers grandpa_proveFinality from stored justifications;
// Voter.Validate is the "grandpa" topic's gossip validator (members'
// signatures checked before a vote spreads); Voter.RoundState answers
// grandpa_roundState.
//
// VerifyJustification is the standalone check that sync, warp sync and the
// RPC use: Substrate's rules (all signers members, signatures over
// (precommit, round, set_id), ancestry connecting each precommit to the
// target with no unused header, precommit GHOST equal to the target).
//
// Not implemented: primary proposals (optional in the paper; received ones
// are ignored), catch-up request/response messages, neighbor-packet driven
// gossip (neighbor packets decode and are ignored), forced changes,
// pause/resume, and ScheduledChange delays other than 0 (a change is taken
// to take effect at the block that carries it, which is what the MSC
// runtime emits).
package grandpa
