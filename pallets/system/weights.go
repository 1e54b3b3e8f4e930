package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// Weights (ref time in picoseconds), in the range of frame_system's
// benchmarked weights on reference hardware. weightSetCode is a fixed
// 100 ms: the real cost is the host compiling the new code next block.
const (
	weightDbWrite      uint64 = 25_000_000
	weightSetHeapPages uint64 = 2_000_000 + weightDbWrite
	weightSetCode      uint64 = 100_000_000_000
)

func weightRemark(n int) uint64 { return 2_000_000 + 400*uint64(n) }

func weightPerItem(n int) uint64 { return 1_000_000 + uint64(n)*(weightDbWrite+1_000_000) }

func normal(ref uint64) frame.DispatchInfo {
	return frame.DispatchInfo{Weight: types.Weight{RefTime: ref}, Class: frame.Normal}
}

func operational(ref uint64) frame.DispatchInfo {
	return frame.DispatchInfo{Weight: types.Weight{RefTime: ref}, Class: frame.Operational}
}
