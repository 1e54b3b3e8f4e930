package authorship

import (
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/types"
)

// finder answers the author index from the block number (a stand-in for
// Aura's digest), none on odd blocks.
type finder struct{}

func (finder) AuthorIndex(ctx *frame.Context) (uint32, bool) {
	n := system.Number.Get(ctx)
	return n / 2 % 3, n%2 == 0
}

type validators []types.AccountID

func (v validators) ValidatorAt(_ *frame.Context, i uint32) (types.AccountID, bool) {
	if int(i) >= len(v) {
		return types.AccountID{}, false
	}
	return v[i], true
}

type points map[types.AccountID]int

func (p points) NoteAuthor(_ *frame.Context, who types.AccountID) { p[who]++ }

func TestAuthorFoundOncePerBlock(t *testing.T) {
	vals := validators{{1}, {2}}
	pts := points{}
	p := New(Config{FindAuthor: finder{}, Validators: vals})
	p.SetEventHandler(pts)
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1},
		Limits: frame.DefaultLimits(types.Weight{RefTime: frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
			types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)})
	rt.Register(0, system.New())
	rt.Register(20, p)
	env := frametest.New(t, rt).Genesis(`{}`)
	for n := types.BlockNumber(1); n <= 8; n++ {
		env.StartBlock()
		a, ok := p.Author(env.Ctx)
		i := n / 2 % 3
		switch {
		case n%2 == 1 || i >= 2: // no digest, or an index beyond the set
			if ok {
				t.Fatalf("block %d: author %v", n, a)
			}
		case !ok || a != vals[i]:
			t.Fatalf("block %d: author %v %v, want %v", n, a, ok, vals[i])
		}
		env.FinishBlock() // TryState: Author removed
	}
	// Block 2 by index 1, 4 by index 2 (nobody), 6 by index 0, 8 by index 1.
	if len(pts) != 2 || pts[types.AccountID{1}] != 1 || pts[types.AccountID{2}] != 2 {
		t.Fatalf("points %v", pts)
	}
}
