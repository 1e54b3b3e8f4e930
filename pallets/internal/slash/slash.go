// Package slash holds the slashing arithmetic the consensus pallets share
// (aura and grandpa report equivocations with the same fraction). Pallets
// may import pallets/internal; they may not import each other.
package slash

// EquivocationFraction is Substrate's equivocation slash for offenders out
// of n validators: min(3k/n, 1)², in parts per billion.
func EquivocationFraction(offenders, n int) uint32 {
	if n <= 0 {
		return 0
	}
	const billion = 1_000_000_000
	x := uint64(3*offenders) * billion / uint64(n)
	if x > billion {
		x = billion
	}
	return uint32(x * x / billion)
}
