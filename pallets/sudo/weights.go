package sudo

import "github.com/metamars/mars/runtime/types"

// Weights of Substrate's benchmarked pallet_sudo (substrate/frame/sudo/src/
// weights.rs, reference hardware), with their storage accesses at ParityDB
// cost (8 µs a read, 50 µs a write). Sudo.Key is one read (proof 1517 B);
// the inner call's weight is added on top.
var (
	// WeightSetKey is set_key's weight (1 read, 1 write).
	WeightSetKey = types.Weight{RefTime: 9_590_000 + 8_000_000 + 50_000_000, ProofSize: 1517}
	// WeightSudo is sudo's own weight (1 read).
	WeightSudo = types.Weight{RefTime: 10_382_000 + 8_000_000, ProofSize: 1517}
	// WeightSudoAs is sudo_as's own weight (1 read).
	WeightSudoAs = types.Weight{RefTime: 10_691_000 + 8_000_000, ProofSize: 1517}
	// WeightRemoveKey is remove_key's weight (1 read, 1 write).
	WeightRemoveKey = types.Weight{RefTime: 8_561_000 + 8_000_000 + 50_000_000, ProofSize: 1517}
)
