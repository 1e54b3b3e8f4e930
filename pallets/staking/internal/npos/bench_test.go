package npos

import (
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// BenchmarkSeqPhragmen: 100 candidates (self-voting), 1000 nominators with
// 16 targets each, 24 seats — a small relay chain's era election.
func BenchmarkSeqPhragmen(b *testing.B) {
	r := rng(1)
	var cands []types.AccountID
	var voters []Voter
	for i := range 100 {
		c := types.AccountID{1, byte(i)}
		cands = append(cands, c)
		voters = append(voters, Voter{Who: c, Budget: scale.FromUint64(1e15 + r.next(1e15)), Targets: []types.AccountID{c}})
	}
	for i := range 1000 {
		v := Voter{Who: types.AccountID{2, byte(i), byte(i >> 8)}, Budget: scale.FromUint64(1e13 + r.next(1e15))}
		for range 16 {
			v.Targets = append(v.Targets, cands[r.next(100)])
		}
		voters = append(voters, v)
	}
	b.ResetTimer()
	for b.Loop() {
		if w, _, _ := SeqPhragmen(24, cands, voters); len(w) != 24 {
			b.Fatal(len(w))
		}
	}
}
