package grandpa

import (
	"bytes"
	"slices"

	"github.com/metamars/mars/runtime/types"
)

// lookupFn tells the parent and number of a known block.
type lookupFn func(h types.Hash) (parent types.Hash, number uint32, ok bool)

// voterSet is an authority set with its lookup index and thresholds.
type voterSet struct {
	auths []Authority
	index map[[32]byte]int
	total uint64
}

func newVoterSet(auths []Authority) (*voterSet, error) {
	if len(auths) == 0 || len(auths) > MaxAuthorities {
		return nil, ErrEmptyAuthorities
	}
	vs := &voterSet{auths: auths, index: make(map[[32]byte]int, len(auths))}
	for i, a := range auths {
		if _, dup := vs.index[a.ID]; dup || a.Weight == 0 {
			return nil, ErrEmptyAuthorities
		}
		vs.index[a.ID] = i
		vs.total += a.Weight
	}
	return vs, nil
}

// threshold is finality-grandpa's: total - floor((total-1)/3), i.e. the
// smallest weight strictly greater than 2/3 of the total when the faulty
// weight is at most a third.
func (vs *voterSet) threshold() uint64 { return vs.total - (vs.total-1)/3 }

// graphVote is one vote of one voter.
type graphVote struct {
	voter  int
	target Vote
}

// gnode is a block of the vote graph: the voters whose votes are at or below it.
type gnode struct {
	number   uint32
	parent   types.Hash
	voters   []bool
	children []types.Hash
}

// voteGraph is the GHOST graph of one stage of one round, rooted at base.
// An equivocating voter counts for every block (the paper's rule), so its
// weight is added to every node.
type voteGraph struct {
	vs          *voterSet
	base        Vote
	nodes       map[types.Hash]*gnode
	equivocator []bool
	equivWeight uint64
	seen        uint64 // weight of distinct voters that voted (equivocators once)
}

// buildGraph builds the graph of votes that descend from base through lookup.
// Votes not connected to base still count in seen (they were cast).
func buildGraph(vs *voterSet, base Vote, votes []graphVote, lookup lookupFn) *voteGraph {
	g := &voteGraph{vs: vs, base: base, nodes: map[types.Hash]*gnode{}, equivocator: make([]bool, len(vs.auths))}
	count := make([]int, len(vs.auths))
	for _, v := range votes {
		count[v.voter]++
	}
	for i, c := range count {
		if c > 0 {
			g.seen += vs.auths[i].Weight
		}
		if c > 1 {
			g.equivocator[i] = true
			g.equivWeight += vs.auths[i].Weight
		}
	}
	g.nodes[base.Hash] = &gnode{number: base.Number, voters: make([]bool, len(vs.auths))}
	var path []Vote
	for _, v := range votes {
		path = path[:0]
		h, n := v.target.Hash, v.target.Number
		ok := true
		for h != base.Hash {
			if n <= base.Number {
				ok = false
				break
			}
			p, pn, known := lookup(h)
			if !known || pn != n || (n > 0 && p == h) {
				ok = false
				break
			}
			path = append(path, Vote{h, n})
			h, n = p, n-1
		}
		if !ok {
			continue
		}
		// path runs from the target down to base's child.
		child := base.Hash
		for i := len(path) - 1; i >= 0; i-- {
			b := path[i]
			nd := g.nodes[b.Hash]
			if nd == nil {
				nd = &gnode{number: b.Number, parent: child, voters: make([]bool, len(vs.auths))}
				g.nodes[b.Hash] = nd
				g.nodes[child].children = append(g.nodes[child].children, b.Hash)
			}
			child = b.Hash
		}
		g.nodes[base.Hash].voters[v.voter] = true
		for _, b := range path {
			g.nodes[b.Hash].voters[v.voter] = true
		}
	}
	for _, nd := range g.nodes {
		slices.SortFunc(nd.children, func(a, b types.Hash) int { return bytes.Compare(a[:], b[:]) })
	}
	return g
}

// weight is the weight at or below h, equivocators counted everywhere.
func (g *voteGraph) weight(h types.Hash) uint64 {
	w := g.equivWeight
	nd := g.nodes[h]
	if nd == nil {
		return w
	}
	for i, on := range nd.voters {
		if on && !g.equivocator[i] {
			w += g.vs.auths[i].Weight
		}
	}
	return w
}

// ghost descends from base while cond holds, taking the heaviest child
// (ties: lowest hash) and returns the last block; ok is false if base fails cond.
func (g *voteGraph) ghost(cond func(h types.Hash) bool) (Vote, bool) {
	if !cond(g.base.Hash) {
		return Vote{}, false
	}
	cur := g.base.Hash
	for {
		var best types.Hash
		var bestW uint64
		found := false
		for _, c := range g.nodes[cur].children {
			if !cond(c) {
				continue
			}
			if w := g.weight(c); !found || w > bestW {
				best, bestW, found = c, w, true
			}
		}
		if !found {
			return Vote{cur, g.nodes[cur].number}, true
		}
		cur = best
	}
}

// ancestor walks from h towards base and returns the first block that
// satisfies cond.
func (g *voteGraph) ancestor(h types.Hash, cond func(h types.Hash) bool) (Vote, bool) {
	for {
		nd := g.nodes[h]
		if nd == nil {
			return Vote{}, false
		}
		if cond(h) {
			return Vote{h, nd.number}, true
		}
		if h == g.base.Hash {
			return Vote{}, false
		}
		h = nd.parent
	}
}

// thresholdGhost is the GHOST with >2/3 weight.
func (g *voteGraph) thresholdGhost() (Vote, bool) {
	t := g.vs.threshold()
	return g.ghost(func(h types.Hash) bool { return g.weight(h) >= t })
}
