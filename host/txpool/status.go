package txpool

import (
	"github.com/metamars/mars/runtime/types"
)

// StatusKind is one of the transaction states RPC reports in
// author_extrinsicUpdate.
type StatusKind uint8

// Status kinds, in Substrate's TransactionStatus order.
const (
	StatusFuture          StatusKind = iota // waiting for a required tag
	StatusReady                             // can be included now
	StatusBroadcast                         // gossiped to peers (not emitted yet)
	StatusInBlock                           // included in block Hash
	StatusRetracted                         // block Hash left the best chain
	StatusFinalityTimeout                   // block Hash stayed unfinalized too long (final)
	StatusFinalized                         // block Hash was finalized (final)
	StatusUsurped                           // replaced by transaction Hash (final)
	StatusDropped                           // evicted by the pool's limits (final)
	StatusInvalid                           // no longer valid (final)
)

var statusNames = [...]string{"future", "ready", "broadcast", "inBlock", "retracted",
	"finalityTimeout", "finalized", "usurped", "dropped", "invalid"}

// String returns the author_extrinsicUpdate name of the kind.
func (k StatusKind) String() string {
	if int(k) < len(statusNames) {
		return statusNames[k]
	}
	return "unknown"
}

// Status is one update of a watched transaction. Hash is the block for
// InBlock, Retracted, FinalityTimeout and Finalized, the usurping
// transaction for Usurped, and zero otherwise.
type Status struct {
	Kind StatusKind
	Hash types.Hash
}

// Final reports whether no update can follow this one.
func (s Status) Final() bool {
	switch s.Kind {
	case StatusFinalityTimeout, StatusFinalized, StatusUsurped, StatusDropped, StatusInvalid:
		return true
	}
	return false
}

// String renders the status as "kind" or "kind(0x…)".
func (s Status) String() string {
	switch s.Kind {
	case StatusInBlock, StatusRetracted, StatusFinalityTimeout, StatusFinalized, StatusUsurped:
		return s.Kind.String() + "(" + s.Hash.Hex() + ")"
	}
	return s.Kind.String()
}

// Watcher streams the statuses of one transaction. Its channel is closed
// after a final status or Stop.
type Watcher struct {
	pool *Pool
	hash types.Hash
	ch   chan Status // sent to and closed only with pool.mu held
}

// Hash is the watched transaction's hash.
func (w *Watcher) Hash() types.Hash { return w.hash }

// Updates returns the status channel. It is buffered (Config.WatcherBuffer);
// when the reader falls behind, the oldest non-final updates are dropped.
func (w *Watcher) Updates() <-chan Status { return w.ch }

// Stop unsubscribes and closes the channel; it is safe to call twice and
// after the final status.
func (w *Watcher) Stop() {
	p := w.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	ws := p.mu.watchers[w.hash]
	for i, x := range ws {
		if x == w {
			close(w.ch)
			ws = append(ws[:i:i], ws[i+1:]...)
			if len(ws) == 0 {
				delete(p.mu.watchers, w.hash)
			} else {
				p.mu.watchers[w.hash] = ws
			}
			return
		}
	}
}

// sendLocked delivers s without blocking: when the buffer is full the
// oldest queued update (never a final one: the channel closes right after
// a final update) makes room.
func (w *Watcher) sendLocked(s Status) {
	for {
		select {
		case w.ch <- s:
			return
		default:
		}
		select {
		case <-w.ch:
		default:
		}
	}
}

// notifyLocked sends s to every watcher of tx, ending them when s is final.
func (p *Pool) notifyLocked(tx types.Hash, s Status) {
	ws := p.mu.watchers[tx]
	if len(ws) == 0 {
		return
	}
	for _, w := range ws {
		w.sendLocked(s)
		if s.Final() {
			close(w.ch)
		}
	}
	if s.Final() {
		delete(p.mu.watchers, tx)
	}
}

// BlockIncluded reports that block contains txs: their watchers get
// InBlock(block). The block is remembered for BlockFinalized,
// BlockRetracted and the finality timeout.
func (p *Pool) BlockIncluded(block types.Hash, txs []types.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var watched []types.Hash
	for _, h := range txs {
		if len(p.mu.watchers[h]) > 0 {
			watched = append(watched, h)
			p.notifyLocked(h, Status{Kind: StatusInBlock, Hash: block})
		}
	}
	if len(watched) == 0 {
		return
	}
	if _, ok := p.mu.inBlock[block]; !ok {
		p.mu.blockOrder = append(p.mu.blockOrder, block)
	}
	p.mu.inBlock[block] = append(p.mu.inBlock[block], watched...)
	for len(p.mu.blockOrder) > p.cfg.FinalityTimeout {
		old := p.mu.blockOrder[0]
		p.mu.blockOrder = p.mu.blockOrder[1:]
		p.endBlockLocked(old, Status{Kind: StatusFinalityTimeout, Hash: old})
	}
}

// BlockFinalized ends the watchers of the transactions the block included
// with Finalized(block).
func (p *Pool) BlockFinalized(block types.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forgetBlockLocked(block)
	p.endBlockLocked(block, Status{Kind: StatusFinalized, Hash: block})
}

// BlockRetracted tells the watchers of the block's transactions that it
// left the best chain. The node resubmits those transactions (with
// types.SourceInBlock) if it wants them back in the pool.
func (p *Pool) BlockRetracted(block types.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forgetBlockLocked(block)
	p.endBlockLocked(block, Status{Kind: StatusRetracted, Hash: block})
}

func (p *Pool) forgetBlockLocked(block types.Hash) {
	for i, b := range p.mu.blockOrder {
		if b == block {
			p.mu.blockOrder = append(p.mu.blockOrder[:i:i], p.mu.blockOrder[i+1:]...)
			return
		}
	}
}

func (p *Pool) endBlockLocked(block types.Hash, s Status) {
	txs, ok := p.mu.inBlock[block]
	if !ok {
		return
	}
	delete(p.mu.inBlock, block)
	for _, h := range txs {
		p.notifyLocked(h, s)
	}
}
