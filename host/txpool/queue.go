package txpool

import "container/heap"

// txQueue is a min-heap of pooled transactions, used to find the eviction
// victim of each queue in O(log n): the ready queue orders by (priority,
// age), the future queue by age. A transaction is in at most one queue;
// its position is tx.qidx.
type txQueue struct {
	txs  []*tx
	less func(a, b *tx) bool
}

func readyVictimFirst(a, b *tx) bool {
	if a.valid.Priority != b.valid.Priority {
		return a.valid.Priority < b.valid.Priority
	}
	return a.seq < b.seq
}

func futureVictimFirst(a, b *tx) bool { return a.seq < b.seq }

func (q *txQueue) Len() int           { return len(q.txs) }
func (q *txQueue) Less(i, j int) bool { return q.less(q.txs[i], q.txs[j]) }
func (q *txQueue) Swap(i, j int) {
	q.txs[i], q.txs[j] = q.txs[j], q.txs[i]
	q.txs[i].qidx, q.txs[j].qidx = i, j
}
func (q *txQueue) Push(x any) {
	t := x.(*tx)
	t.qidx = len(q.txs)
	q.txs = append(q.txs, t)
}
func (q *txQueue) Pop() any {
	t := q.txs[len(q.txs)-1]
	q.txs[len(q.txs)-1] = nil
	q.txs = q.txs[:len(q.txs)-1]
	t.qidx = -1
	return t
}

func (q *txQueue) add(t *tx) { heap.Push(q, t) }

func (q *txQueue) remove(t *tx) {
	if t.qidx >= 0 && t.qidx < len(q.txs) && q.txs[t.qidx] == t {
		heap.Remove(q, t.qidx)
	}
}

func (q *txQueue) min() *tx {
	if len(q.txs) == 0 {
		return nil
	}
	return q.txs[0]
}
