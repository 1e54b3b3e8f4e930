// Package staking is MSC's pallet_staking: nominated proof of stake for the
// relay chain, done as Polkadot does it, paid from a fixed pool because the
// MSCA supply is fixed at 84,000,000 (no inflation).
//
// Why Substrate's shape: wallets, explorers and @polkadot/api read staking
// state and submit staking calls by index, so storage names, hashers,
// encodings, call indices, event and error indices are pallet_staking's
// (controller == stash, as in current Substrate). MSC's own items (era
// parameters set at genesis, the pool's bookkeeping) are marked MSC in
// metadata.
//
// Stakers bond part of their free balance (a balance lock "staking "
// equal to the ledger's total), declare themselves validators (with a
// commission) or nominators (up to 16 validators), and unbond in chunks
// that unlock BondingDuration eras later (rebond takes the newest chunks
// back). Locks never move funds: the invariants (TryState) check that every
// ledger's total equals its lock and its active bond plus its chunks.
//
// Eras: session drives the pallet through SessionManager (NewSession,
// EndSession, StartSession; see era.go for the timing). Every
// SessionsPerEra sessions the next era's validators are elected by
// sequential Phragmén (internal/npos, exact integer arithmetic) over the
// validators' self-votes and the nominations, and their exposures stored
// per era. Authors earn 20 points a block (NoteAuthor). When an era ends its
// reward is min(EraPayout + fees received by the pool in the era, what the
// pool holds beyond the rewards already promised); payout_stakers pays a
// validator's share (by points) split by commission, then by stake, to
// each staker's payee. Unclaimed rewards are released after HistoryDepth
// eras.
//
// Slashing (slashing.go): offences (pallets/offences) call OnOffence; the
// offender is chilled and fraction × its exposure is taken from it and its
// nominators SlashDeferDuration eras later unless root cancels it; the
// slashed funds go to the rewards pool.
package staking
