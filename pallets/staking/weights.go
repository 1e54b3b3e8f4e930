package staking

import "github.com/metamars/mars/runtime/types"

// Call weights: the ref time of Polkadot's benchmarked pallet_staking
// weights (polkadot-fellows/runtimes, relay/polkadot/src/weights/
// pallet_staking.rs, rounded) plus their database accesses at ParityDB cost
// (8 µs a read, 50 µs a write). Each is the worst case of its call:
// payout_stakers pays MaxExposureOthers nominators, each to a Staked
// payee; nominate names MaxNominations targets.
const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

func w(refTime, proof, reads, writes uint64) types.Weight {
	return types.Weight{RefTime: refTime + reads*dbRead + writes*dbWrite, ProofSize: proof}
}

var (
	// WeightBond: Bonded, Ledger, Payee, Locks, Account (5 reads, 4 writes).
	WeightBond = w(44_000_000, 4764, 5, 4)
	// WeightBondExtra: Ledger, Locks, Account (3 reads, 3 writes).
	WeightBondExtra = w(84_000_000, 8877, 3, 3)
	// WeightUnbond: Ledger, roles, CurrentEra, Locks (6 reads, 3 writes).
	WeightUnbond = w(89_000_000, 8877, 6, 3)
	// WeightWithdrawUnbonded: the stash is killed (7 reads, 6 writes).
	WeightWithdrawUnbonded = w(85_000_000, 6248, 7, 6)
	// WeightValidate: Ledger, MinValidatorBond, roles (4 reads, 3 writes).
	WeightValidate = w(50_000_000, 4556, 4, 3)
	// WeightChill: Ledger, roles (3 reads, 2 writes).
	WeightChill = w(49_000_000, 6248, 3, 2)
	// WeightSetPayee: Ledger, Payee (1 read, 1 write).
	WeightSetPayee = w(16_000_000, 4556, 1, 1)
	// WeightSetValidatorCount: 1 write.
	WeightSetValidatorCount = w(2_500_000, 0, 0, 1)
	// WeightForceNewEra: 1 write.
	WeightForceNewEra = w(8_500_000, 0, 0, 1)
	// WeightRebond: as unbond (ledger with MaxUnlockingChunks chunks).
	WeightRebond = w(80_000_000, 8877, 4, 3)
	// WeightPayoutStakers: era data (6 reads), then per nominator its
	// payee, ledger, lock and two accounts (5 reads, 4 writes).
	WeightPayoutStakers = w(150_000_000+MaxExposureOthers*60_000_000, 13_000+MaxExposureOthers*3_600,
		6+5*(MaxExposureOthers+1), 3+4*(MaxExposureOthers+1))
)

// WeightNominate is nominate's weight for n targets (each target read).
func WeightNominate(n int) types.Weight {
	return w(60_000_000+uint64(n)*3_000_000, 4556+uint64(n)*2520, 4+uint64(n), 3)
}

// WeightCancelDeferredSlash is cancel_deferred_slash's weight for n indices
// (one read and write of UnappliedSlashes, linear in n).
func WeightCancelDeferredSlash(n int) types.Weight {
	return w(15_000_000+uint64(n)*5_000_000, 70_000, 1, 1)
}
