package balances

import "github.com/metamars/mars/runtime/types"

// Call weights: Polkadot's benchmarked pallet_balances weights
// (polkadot-fellows/runtimes relay/polkadot/src/weights/pallet_balances.rs)
// plus their database accesses at ParityDB cost (8 µs a read, 50 µs a
// write). Worst case of each call: the destination account is created and
// the source is reaped. Proof size: one System.Account entry is 3593 bytes
// of proof (MaxEncodedLen + trie path), two are 6196.
const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

func w(refTime, proof uint64, reads, writes uint64) types.Weight {
	return types.Weight{RefTime: refTime + reads*dbRead + writes*dbWrite, ProofSize: proof}
}

var (
	// WeightTransferAllowDeath is transfer_allow_death's weight (1 read, 1 write).
	WeightTransferAllowDeath = w(50_023_000, 3593, 1, 1)
	// WeightForceTransfer is force_transfer's weight (2 reads, 2 writes).
	WeightForceTransfer = w(52_132_000, 6196, 2, 2)
	// WeightTransferKeepAlive is transfer_keep_alive's weight (1 read, 1 write).
	WeightTransferKeepAlive = w(39_480_000, 3593, 1, 1)
	// WeightTransferAll is transfer_all's weight (1 read, 1 write).
	WeightTransferAll = w(49_080_000, 3593, 1, 1)
	// WeightForceUnreserve is force_unreserve's weight (1 read, 1 write).
	WeightForceUnreserve = w(16_981_000, 3593, 1, 1)
	// WeightForceSetBalance is force_set_balance's weight (worst of
	// creating and killing: 1 read, 1 write).
	WeightForceSetBalance = w(20_945_000, 3593, 1, 1)
)

var (
	// WeightForceAdjustTotalIssuance is force_adjust_total_issuance's
	// weight (1 read, 1 write).
	WeightForceAdjustTotalIssuance = w(6_507_000, 1501, 1, 1)
	// WeightBurnAllowDeath and WeightBurnKeepAlive are burn's weights
	// (1 read, 1 write).
	WeightBurnAllowDeath = w(30_151_000, 3593, 1, 1)
	WeightBurnKeepAlive  = w(20_005_000, 3593, 1, 1)
)

// WeightUpgradeAccounts is upgrade_accounts' weight for n accounts (one
// read and one write each, 2603 bytes of proof each).
func WeightUpgradeAccounts(n uint64) types.Weight {
	return types.Weight{
		RefTime:   satMul(15_000_000+dbRead+dbWrite, n),
		ProofSize: 990 + satMul(2603, n),
	}
}

func satMul(a, b uint64) uint64 {
	if b != 0 && a > ^uint64(0)/b {
		return ^uint64(0)
	}
	return a * b
}
