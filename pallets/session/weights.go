package session

import "github.com/metamars/mars/runtime/types"

// Weights at ParityDB cost (8 µs a read, 50 µs a write) plus Polkadot's
// benchmarked execution time of pallet_session's calls. Worst case of
// set_keys: the account replaces both keys (2 KeyOwner removals, 2
// insertions, NextKeys, the consumer reference).
const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

var (
	// WeightSetKeys is set_keys' weight (4 reads, 6 writes).
	WeightSetKeys = types.Weight{RefTime: 35_000_000 + 4*dbRead + 6*dbWrite, ProofSize: 8_000}
	// WeightPurgeKeys is purge_keys' weight (2 reads, 4 writes).
	WeightPurgeKeys = types.Weight{RefTime: 25_000_000 + 2*dbRead + 4*dbWrite, ProofSize: 4_000}
)

// weightRotation is on_initialize's weight in a rotation block for n
// queued validators: the items it reads and writes, one NextKeys read each.
func weightRotation(n uint64) types.Weight {
	return types.Weight{RefTime: 20_000_000 + (6+n)*dbRead + 5*dbWrite, ProofSize: 2_000 + 100*n}
}

// weightIdle is on_initialize's weight otherwise (reads Period).
var weightIdle = types.Weight{RefTime: dbRead}
