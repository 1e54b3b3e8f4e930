package npos

import (
	"bytes"
	"encoding/binary"
	"math/big"
	"slices"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func id(n byte) types.AccountID { return types.AccountID{n} }

func u(v uint64) scale.U128 { return scale.FromUint64(v) }

func mkVoter(who byte, budget uint64, targets ...byte) Voter {
	v := Voter{Who: id(who), Budget: u(budget)}
	for _, t := range targets {
		v.Targets = append(v.Targets, id(t))
	}
	return v
}

// TestPhragmenPoc is sp-npos-elections' phragmen_poc example worked by hand:
// candidates 1, 2, 3; voters 10 (10 → 1, 2), 20 (20 → 1, 3), 30 (30 → 2, 3);
// two seats. Round 0: approvals 30, 40, 50, so 3 wins at score 1/50 and
// voters 20 and 30 carry load 1/50. Round 1: score(1) = (1 + 20/50)/30 =
// 1.4/30, score(2) = (1 + 30/50)/40 = 0.04: 2 wins. Voter 30's loads are
// 0.02 on each of 2 and 3, so it splits 15/15; 10 backs 2 with 10 and 20
// backs 3 with 20: 2 has 25, 3 has 35.
func TestPhragmenPoc(t *testing.T) {
	w, a, err := SeqPhragmen(2, []types.AccountID{id(1), id(2), id(3)},
		[]Voter{mkVoter(10, 10, 1, 2), mkVoter(20, 20, 1, 3), mkVoter(30, 30, 2, 3)})
	if err != nil {
		t.Fatal(err)
	}
	want := []Winner{{id(3), u(35)}, {id(2), u(25)}}
	if !slices.Equal(w, want) {
		t.Fatalf("winners %v, want %v", w, want)
	}
	wantA := []Assignment{
		{id(10), []Edge{{id(2), u(10)}}},
		{id(20), []Edge{{id(3), u(20)}}},
		{id(30), []Edge{{id(2), u(15)}, {id(3), u(15)}}},
	}
	for i := range wantA {
		if a[i].Who != wantA[i].Who || !slices.Equal(a[i].Distribution, wantA[i].Distribution) {
			t.Fatalf("assignment %d: %v, want %v", i, a[i], wantA[i])
		}
	}
}

// TestSelfVotesAndNominators: validators A (self 100) and B (self 10),
// C (self 10); nominator N (50 → B, C). One seat: A (100) beats B and C
// (60 each). Two seats: after A, B and C tie at score 1/60 and the first
// listed (B) wins; N's 50 all backs B.
func TestSelfVotesAndNominators(t *testing.T) {
	cands := []types.AccountID{id(1), id(2), id(3)}
	vs := []Voter{mkVoter(1, 100, 1), mkVoter(2, 10, 2), mkVoter(3, 10, 3), mkVoter(9, 50, 2, 3)}
	w, _, _ := SeqPhragmen(1, cands, vs)
	if !slices.Equal(w, []Winner{{id(1), u(100)}}) {
		t.Fatalf("one seat: %v", w)
	}
	w, a, _ := SeqPhragmen(2, cands, vs)
	if !slices.Equal(w, []Winner{{id(1), u(100)}, {id(2), u(60)}}) {
		t.Fatalf("two seats: %v", w)
	}
	if !slices.Equal(a[3].Distribution, []Edge{{id(2), u(50)}}) || len(a[2].Distribution) != 0 {
		t.Fatalf("assignments %v", a)
	}
	// The order of candidates breaks the tie.
	w, _, _ = SeqPhragmen(2, []types.AccountID{id(1), id(3), id(2)}, vs)
	if w[1].Who != id(3) {
		t.Fatalf("tie not broken by order: %v", w)
	}
}

func TestFewerCandidatesThanSeats(t *testing.T) {
	w, _, _ := SeqPhragmen(5, []types.AccountID{id(1), id(2), id(7)}, []Voter{mkVoter(1, 5, 1), mkVoter(2, 5, 2, 8)})
	if len(w) != 2 { // 7 has no approval stake, 8 is not a candidate
		t.Fatalf("winners %v", w)
	}
}

// rng is a tiny deterministic generator for the property tests.
type rng uint64

func (r *rng) next(n uint64) uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return (uint64(*r) >> 33) % n
}

// TestProperties runs random elections and checks: the number of winners is
// min(seats, candidates with approval); each voter's distribution sums to
// its budget or is empty, only names winners it approves; each winner's
// backing is the sum of the stakes assigned to it; rerunning gives the same
// result.
func TestProperties(t *testing.T) {
	for seed := range 300 {
		r := rng(seed + 1)
		nc := int(r.next(12)) + 1
		cands := make([]types.AccountID, nc)
		for i := range cands {
			cands[i] = id(byte(i + 1))
		}
		var vs []Voter
		for i := range int(r.next(25)) {
			v := Voter{Who: id(byte(100 + i)), Budget: scale.U128{Hi: r.next(3), Lo: r.next(1 << 62)}}
			for range int(r.next(5)) + 1 {
				v.Targets = append(v.Targets, id(byte(r.next(uint64(nc)+2)+1)))
			}
			vs = append(vs, v)
		}
		seats := int(r.next(uint64(nc))) + 1
		w, a, err := SeqPhragmen(seats, cands, vs)
		if err != nil {
			t.Fatal(err)
		}
		approved := map[types.AccountID]bool{}
		for _, v := range vs {
			for _, tg := range v.Targets {
				if int(tg[0]) <= nc && !v.Budget.IsZero() {
					approved[tg] = true
				}
			}
		}
		if len(w) != min(seats, len(approved)) {
			t.Fatalf("seed %d: %d winners, seats %d, approved %d", seed, len(w), seats, len(approved))
		}
		backed := map[types.AccountID]*big.Int{}
		winner := map[types.AccountID]bool{}
		for _, x := range w {
			winner[x.Who] = true
			backed[x.Who] = new(big.Int)
		}
		for i, as := range a {
			sum := new(big.Int)
			for _, e := range as.Distribution {
				if !winner[e.Who] || !slices.Contains(vs[i].Targets, e.Who) || e.Stake.IsZero() {
					t.Fatalf("seed %d: voter %d assigns to %v", seed, i, e.Who)
				}
				sum.Add(sum, e.Stake.Big())
				backed[e.Who].Add(backed[e.Who], e.Stake.Big())
			}
			if len(as.Distribution) > 0 && sum.Cmp(vs[i].Budget.Big()) != 0 {
				t.Fatalf("seed %d: voter %d distributes %s of %s", seed, i, sum, vs[i].Budget)
			}
		}
		for _, x := range w {
			if x.Backed.Big().Cmp(backed[x.Who]) != 0 {
				t.Fatalf("seed %d: %v backed %s, assignments say %s", seed, x.Who, x.Backed, backed[x.Who])
			}
		}
		w2, a2, _ := SeqPhragmen(seats, cands, vs)
		if !slices.Equal(w, w2) || len(a) != len(a2) {
			t.Fatalf("seed %d: not deterministic", seed)
		}
	}
}

func TestBudgetOverflow(t *testing.T) {
	max := scale.U128{Hi: ^uint64(0), Lo: ^uint64(0)}
	_, _, err := SeqPhragmen(1, []types.AccountID{id(1)}, []Voter{{Who: id(2), Budget: max, Targets: []types.AccountID{id(1)}}, {Who: id(3), Budget: u(1)}})
	if err != ErrBudgetTooLarge {
		t.Fatalf("err %v", err)
	}
}

// FuzzSeqPhragmen elects from arbitrary inputs: never panics, and every
// distribution sums to its voter's budget.
func FuzzSeqPhragmen(f *testing.F) {
	f.Add([]byte{3, 1, 10, 1, 2, 20, 1, 3, 30, 2, 3}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, seats uint8) {
		var vs []Voter
		for len(b) >= 3 {
			v := Voter{Who: id(b[0]), Budget: u(uint64(binary.LittleEndian.Uint16(b[1:3])))}
			b = b[3:]
			for len(b) > 0 && b[0] != 0 {
				v.Targets = append(v.Targets, id(b[0]%8))
				b = b[1:]
			}
			if len(b) > 0 {
				b = b[1:]
			}
			vs = append(vs, v)
		}
		cands := []types.AccountID{id(0), id(1), id(2), id(3), id(4), id(5), id(6), id(7)}
		_, a, err := SeqPhragmen(int(seats%10), cands, vs)
		if err != nil {
			t.Fatal(err)
		}
		for i, as := range a {
			var sum scale.U128
			for _, e := range as.Distribution {
				sum = sum.SaturatingAdd(e.Stake)
			}
			if len(as.Distribution) > 0 && !bytes.Equal(sum.Big().Bytes(), vs[i].Budget.Big().Bytes()) {
				t.Fatalf("voter %d: %s of %s", i, sum, vs[i].Budget)
			}
		}
	})
}
