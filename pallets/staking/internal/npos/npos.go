// Package npos is MSC's sequential Phragmén election (sp-npos-elections'
// seq_phragmen without the post-election balancing): it elects toElect
// candidates from voters that each spread a budget over the candidates they
// approve, and returns how each voter's budget backs the winners.
//
// Why fixed point on big integers: the election runs inside the runtime,
// natively and in WASM, so it must give the same result everywhere (no
// floats) and must not lose precision on u128 budgets. Scores and loads
// are integers in units of 1/Den with Den = 2^160, computed with exact
// big.Int products and floor divisions; the result then depends only on the
// inputs and their order.
//
// Determinism of ties: among candidates of equal score the one that comes
// first in the candidates slice wins (Rust's Iterator::min_by); the caller
// fixes that order (staking sorts by account).
package npos

import (
	"errors"
	"math/big"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// ErrBudgetTooLarge is returned when the budgets do not fit the u128 sums
// the results are expressed in.
var ErrBudgetTooLarge = errors.New("npos: total approval stake overflows u128")

// den is the fixed-point denominator of scores and loads: 2^160.
var den = new(big.Int).Lsh(big.NewInt(1), 160)

// Voter is one voter: its budget (stake) and the candidates it approves.
// Candidates it names that are not in the election are ignored, as are
// repeated names.
type Voter struct {
	Who     types.AccountID
	Budget  scale.U128
	Targets []types.AccountID
}

// Winner is an elected candidate and the stake backing it (the sum of the
// voters' distributions to it).
type Winner struct {
	Who    types.AccountID
	Backed scale.U128
}

// Edge is part of a voter's budget assigned to one winner.
type Edge struct {
	Who   types.AccountID
	Stake scale.U128
}

// Assignment is how a voter's budget is spread over winners: the stakes
// sum to exactly the budget when the voter backs at least one winner;
// otherwise Distribution is empty. Edges are in the voter's target order.
type Assignment struct {
	Who          types.AccountID
	Distribution []Edge
}

type candidate struct {
	who      types.AccountID
	approval *big.Int
	score    *big.Int
	elected  bool
	backed   scale.U128
}

type edge struct {
	c      int // candidate index
	load   *big.Int
	weight scale.U128
}

type voter struct {
	who    types.AccountID
	budget *big.Int
	load   *big.Int
	edges  []edge
}

// SeqPhragmen elects up to toElect of candidates (fewer when fewer have any
// approval stake) by sequential Phragmén. Winners are returned in the order
// they were elected; assignments in voter order (voters that back no winner
// included, with an empty distribution). Candidates without approval stake
// are never elected.
func SeqPhragmen(toElect int, candidates []types.AccountID, voters []Voter) ([]Winner, []Assignment, error) {
	cs := make([]candidate, 0, len(candidates))
	index := make(map[types.AccountID]int, len(candidates))
	for _, c := range candidates {
		if _, dup := index[c]; dup {
			continue
		}
		index[c] = len(cs)
		cs = append(cs, candidate{who: c, approval: new(big.Int), score: new(big.Int)})
	}
	vs := make([]voter, 0, len(voters))
	total := new(big.Int)
	for _, v := range voters {
		nv := voter{who: v.Who, budget: v.Budget.Big(), load: new(big.Int)}
		seen := make(map[int]bool, len(v.Targets))
		for _, t := range v.Targets {
			ci, ok := index[t]
			if !ok || seen[ci] {
				continue
			}
			seen[ci] = true
			nv.edges = append(nv.edges, edge{c: ci, load: new(big.Int)})
			if nv.budget.Sign() > 0 {
				cs[ci].approval.Add(cs[ci].approval, nv.budget)
			}
		}
		total.Add(total, nv.budget)
		vs = append(vs, nv)
	}
	if _, ok := scale.U128FromBig(total); !ok {
		return nil, nil, ErrBudgetTooLarge
	}

	var winners []int
	tmp := new(big.Int)
	for round := 0; round < toElect; round++ {
		// Loop 1: score = 1 / approval.
		for i := range cs {
			c := &cs[i]
			if !c.elected && c.approval.Sign() > 0 {
				c.score.Quo(den, c.approval)
			}
		}
		// Loop 2: score += load_n * budget_n / approval over the voters
		// approving c.
		for i := range vs {
			n := &vs[i]
			if n.budget.Sign() == 0 {
				continue
			}
			for _, e := range n.edges {
				c := &cs[e.c]
				if c.elected || c.approval.Sign() == 0 {
					continue
				}
				tmp.Mul(n.load, n.budget)
				tmp.Quo(tmp, c.approval)
				c.score.Add(c.score, tmp)
			}
		}
		// Loop 3: the lowest score wins; the first of equals.
		best := -1
		for i := range cs {
			c := &cs[i]
			if c.elected || c.approval.Sign() == 0 {
				continue
			}
			if best < 0 || c.score.Cmp(cs[best].score) < 0 {
				best = i
			}
		}
		if best < 0 {
			break
		}
		w := &cs[best]
		w.elected = true
		winners = append(winners, best)
		for i := range vs {
			n := &vs[i]
			for j := range n.edges {
				if n.edges[j].c == best {
					n.edges[j].load = new(big.Int).Sub(w.score, n.load)
					n.load = new(big.Int).Set(w.score)
				}
			}
		}
	}

	// Each voter's budget goes to its elected edges in proportion to their
	// loads: weight = budget * load_e / load_n (floor), then the rounding
	// remainder goes to the largest edge (the first of equals) so that the
	// weights sum to the budget exactly.
	assignments := make([]Assignment, len(vs))
	for i := range vs {
		n := &vs[i]
		a := Assignment{Who: n.who}
		if n.load.Sign() > 0 && n.budget.Sign() > 0 {
			sum := new(big.Int)
			for j := range n.edges {
				e := &n.edges[j]
				if !cs[e.c].elected || e.load.Sign() == 0 {
					continue
				}
				wt := new(big.Int).Mul(n.budget, e.load)
				wt.Quo(wt, n.load)
				sum.Add(sum, wt)
				u, _ := scale.U128FromBig(wt) // ≤ budget ≤ total
				a.Distribution = append(a.Distribution, Edge{Who: cs[e.c].who, Stake: u})
			}
			if len(a.Distribution) > 0 {
				rest, _ := scale.U128FromBig(new(big.Int).Sub(n.budget, sum))
				top := 0
				for k := range a.Distribution {
					if a.Distribution[top].Stake.Lt(a.Distribution[k].Stake) {
						top = k
					}
				}
				a.Distribution[top].Stake = a.Distribution[top].Stake.SaturatingAdd(rest)
				kept := a.Distribution[:0]
				for _, d := range a.Distribution {
					if !d.Stake.IsZero() {
						kept = append(kept, d)
					}
				}
				a.Distribution = kept
			}
		}
		for _, d := range a.Distribution {
			c := &cs[index[d.Who]]
			c.backed = c.backed.SaturatingAdd(d.Stake)
		}
		assignments[i] = a
	}
	out := make([]Winner, len(winners))
	for i, ci := range winners {
		out[i] = Winner{Who: cs[ci].who, Backed: cs[ci].backed}
	}
	return out, assignments, nil
}
