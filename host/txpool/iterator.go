package txpool

import (
	"container/heap"

	"github.com/metamars/mars/runtime/types"
)

// ReadyIterator yields a snapshot of the ready queue in an order a block
// can include it: a transaction comes only after every ready transaction
// providing a tag it requires, and among those available the highest
// priority comes first (the oldest among equals), like Substrate's
// BestIterator. It is not safe for concurrent use; the pool may change
// while it is used.
type ReadyIterator struct {
	nodes []iterNode
	index map[types.Hash]int
	avail iterHeap
}

type iterNode struct {
	tx      Transaction
	seq     uint64
	deps    int   // ready providers not yet yielded
	unlocks []int // nodes that require a tag this one provides
	skip    bool
}

// Ready returns an iterator over the current ready transactions.
func (p *Pool) Ready() *ReadyIterator {
	p.mu.Lock()
	defer p.mu.Unlock()
	it := &ReadyIterator{nodes: make([]iterNode, 0, p.mu.readyCount)}
	ready := p.mu.readyQ.txs // every ready transaction, in heap order
	for i, t := range ready {
		t.snap = i
		it.nodes = append(it.nodes, iterNode{tx: t.view(), seq: t.seq})
	}
	var seen []int
	for i, t := range ready {
		seen = seen[:0]
		for _, tag := range t.valid.Requires {
			q := p.mu.providers[string(tag)]
			if q == nil || !q.ready || q == t || containsInt(seen, q.snap) {
				continue
			}
			seen = append(seen, q.snap)
			it.nodes[q.snap].unlocks = append(it.nodes[q.snap].unlocks, i)
			it.nodes[i].deps++
		}
	}
	it.avail.nodes = it.nodes
	for i := range it.nodes {
		if it.nodes[i].deps == 0 {
			it.avail.idx = append(it.avail.idx, i)
		}
	}
	heap.Init(&it.avail)
	return it
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Next returns the best transaction whose dependencies were all yielded,
// or false when none is left.
func (it *ReadyIterator) Next() (Transaction, bool) {
	for it.avail.Len() > 0 {
		i := heap.Pop(&it.avail).(int)
		n := &it.nodes[i]
		if n.skip {
			continue
		}
		for _, u := range n.unlocks {
			if it.nodes[u].deps--; it.nodes[u].deps == 0 && !it.nodes[u].skip {
				heap.Push(&it.avail, u)
			}
		}
		return n.tx, true
	}
	return Transaction{}, false
}

// ReportInvalid tells the iterator that transaction h could not be
// applied: it and everything depending on it, directly or not, will not be
// yielded. The pool itself is unchanged; call Pool.RemoveInvalid for that.
func (it *ReadyIterator) ReportInvalid(h types.Hash) {
	if it.index == nil { // built on first use: most blocks report nothing
		it.index = make(map[types.Hash]int, len(it.nodes))
		for i := range it.nodes {
			it.index[it.nodes[i].tx.Hash] = i
		}
	}
	i, ok := it.index[h]
	if !ok {
		return
	}
	work := []int{i}
	for len(work) > 0 {
		j := work[len(work)-1]
		work = work[:len(work)-1]
		if it.nodes[j].skip {
			continue
		}
		it.nodes[j].skip = true
		work = append(work, it.nodes[j].unlocks...)
	}
}

// iterHeap orders available nodes: higher priority first, then older.
type iterHeap struct {
	nodes []iterNode
	idx   []int
}

func (h *iterHeap) Len() int { return len(h.idx) }
func (h *iterHeap) Less(a, b int) bool {
	x, y := &h.nodes[h.idx[a]], &h.nodes[h.idx[b]]
	if x.tx.Priority != y.tx.Priority {
		return x.tx.Priority > y.tx.Priority
	}
	return x.seq < y.seq
}
func (h *iterHeap) Swap(a, b int) { h.idx[a], h.idx[b] = h.idx[b], h.idx[a] }
func (h *iterHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *iterHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}
