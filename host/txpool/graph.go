package txpool

import (
	"fmt"
)

// This file keeps the ready/future graph. Invariant (checked by the tests'
// checkInvariants): a pooled transaction is ready exactly when it was found
// ready and since then no ready provider of one of its required tags left
// the pool unincluded; it is found ready when each required tag is
// provided by a ready pooled transaction or was pruned in the last two
// blocks.

// txState is a transaction's place, for status change detection.
type txState uint8

const (
	stateAbsent txState = iota
	stateFuture
	stateReady
)

func (p *Pool) stateLocked(t *tx) txState {
	switch {
	case p.mu.txs[t.hash] != t:
		return stateAbsent
	case t.ready:
		return stateReady
	}
	return stateFuture
}

// touchLocked remembers t's state before the current operation changes it.
func (p *Pool) touchLocked(t *tx) {
	if _, ok := p.mu.touched[t.hash]; ok {
		return
	}
	p.mu.touched[t.hash] = p.stateLocked(t)
	p.mu.touchedList = append(p.mu.touchedList, t.hash)
}

// flushLocked ends an operation: watchers of transactions that moved
// between absent, future and ready learn their new queue. Removals were
// already reported by removeLocked.
func (p *Pool) flushLocked() {
	for _, h := range p.mu.touchedList {
		before := p.mu.touched[h]
		delete(p.mu.touched, h)
		t, ok := p.mu.txs[h]
		if !ok {
			continue
		}
		now := p.stateLocked(t)
		if now == before {
			continue
		}
		if now == stateReady {
			p.notifyLocked(h, Status{Kind: StatusReady})
		} else {
			p.notifyLocked(h, Status{Kind: StatusFuture})
		}
	}
	p.mu.touchedList = p.mu.touchedList[:0]
}

func (p *Pool) satisfiedLocked(tag []byte) bool {
	if q := p.mu.providers[string(tag)]; q != nil && q.ready {
		return true
	}
	return p.prunedLocked(tag)
}

func (p *Pool) prunedLocked(tag []byte) bool {
	_, a := p.mu.pruned[0][string(tag)]
	_, b := p.mu.pruned[1][string(tag)]
	return a || b
}

// insertLocked adds a validated transaction, usurping the holders of its
// tags when it outranks them, promoting what it unlocks and enforcing the
// limits. Nothing changes when it returns an error other than ErrPoolFull.
func (p *Pool) insertLocked(t *tx) error {
	var conflicts []*tx
	var sum uint64
	for _, tag := range t.valid.Provides {
		c := p.mu.providers[string(tag)]
		if c == nil || containsTx(conflicts, c) {
			continue
		}
		conflicts = append(conflicts, c)
		sum = saturatingAdd(sum, c.valid.Priority)
	}
	if len(conflicts) > 0 && t.valid.Priority <= sum {
		return fmt.Errorf("%w: %d <= %d", ErrTooLowPriority, t.valid.Priority, sum)
	}
	if t.hasSender && p.cfg.MaxPerSender > 0 {
		n := p.mu.senders[t.sender]
		for _, c := range conflicts {
			if c.hasSender && c.sender == t.sender {
				n--
			}
		}
		if n >= p.cfg.MaxPerSender {
			return fmt.Errorf("%w: %d", ErrSenderLimit, p.cfg.MaxPerSender)
		}
	}
	for _, c := range conflicts {
		p.removeLocked(c, &Status{Kind: StatusUsurped, Hash: t.hash}, false)
	}

	p.touchLocked(t)
	if t.seq == 0 {
		p.mu.seq++
		t.seq = p.mu.seq
	}
	t.ready = false
	p.mu.txs[t.hash] = t
	for _, tag := range t.valid.Provides {
		p.mu.providers[string(tag)] = t
	}
	for _, tag := range t.valid.Requires {
		p.mu.waiting[string(tag)] = append(p.mu.waiting[string(tag)], t)
	}
	if t.hasSender {
		p.mu.senders[t.sender]++
	}
	p.mu.futureCount++
	p.mu.futureBytes += len(t.ext)
	p.mu.futureQ.add(t)
	p.promoteLocked(t)
	p.enforceLimitsLocked()
	if p.mu.txs[t.hash] != t {
		return ErrPoolFull
	}
	return nil
}

// reinsertLocked puts back a revalidated transaction under its new
// validity, keeping its age.
func (p *Pool) reinsertLocked(t *tx) error { return p.insertLocked(t) }

func containsTx(xs []*tx, t *tx) bool {
	for _, x := range xs {
		if x == t {
			return true
		}
	}
	return false
}

// removeLocked takes t out of the pool and reports s (if any) to its
// watchers. When included is true t went into a block: its tags count as
// provided from now on, so its dependants stay ready and waiting ones may
// become ready; otherwise its ready dependants go back to the future queue.
func (p *Pool) removeLocked(t *tx, s *Status, included bool) {
	p.touchLocked(t)
	if included {
		for _, tag := range t.valid.Provides {
			p.mu.pruned[0][string(tag)] = struct{}{}
		}
	} else if t.ready {
		p.demoteLocked(t)
	}
	if t.ready {
		p.mu.readyCount--
		p.mu.readyBytes -= len(t.ext)
		p.mu.readyQ.remove(t)
	} else {
		p.mu.futureCount--
		p.mu.futureBytes -= len(t.ext)
		p.mu.futureQ.remove(t)
	}
	for _, tag := range t.valid.Provides {
		if p.mu.providers[string(tag)] == t {
			delete(p.mu.providers, string(tag))
		}
	}
	for _, tag := range t.valid.Requires {
		p.dropWaiterLocked(string(tag), t)
	}
	if t.hasSender {
		if p.mu.senders[t.sender]--; p.mu.senders[t.sender] <= 0 {
			delete(p.mu.senders, t.sender)
		}
	}
	delete(p.mu.txs, t.hash)
	if s != nil {
		p.notifyLocked(t.hash, *s)
	}
	if included {
		for _, tag := range t.valid.Provides {
			for _, d := range p.mu.waiting[string(tag)] {
				p.promoteLocked(d)
			}
		}
	}
}

func (p *Pool) dropWaiterLocked(tag string, t *tx) {
	ws := p.mu.waiting[tag]
	for i, w := range ws {
		if w == t {
			ws = append(ws[:i:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(p.mu.waiting, tag)
	} else {
		p.mu.waiting[tag] = ws
	}
}

// promoteLocked makes start ready if all its requirements are met, then
// everything that this unlocks, transitively.
func (p *Pool) promoteLocked(start *tx) {
	work := []*tx{start}
	for len(work) > 0 {
		t := work[len(work)-1]
		work = work[:len(work)-1]
		if t.ready || p.mu.txs[t.hash] != t {
			continue
		}
		ok := true
		for _, tag := range t.valid.Requires {
			if !p.satisfiedLocked(tag) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		p.touchLocked(t)
		t.ready = true
		p.mu.futureCount--
		p.mu.futureBytes -= len(t.ext)
		p.mu.futureQ.remove(t)
		p.mu.readyCount++
		p.mu.readyBytes += len(t.ext)
		p.mu.readyQ.add(t)
		for _, tag := range t.valid.Provides {
			for _, d := range p.mu.waiting[string(tag)] {
				if !d.ready {
					work = append(work, d)
				}
			}
		}
	}
}

// demoteLocked moves start, and every ready transaction that depends on
// it through a tag not satisfied otherwise, to the future queue.
func (p *Pool) demoteLocked(start *tx) {
	work := []*tx{start}
	for len(work) > 0 {
		t := work[len(work)-1]
		work = work[:len(work)-1]
		if !t.ready {
			continue
		}
		p.touchLocked(t)
		t.ready = false
		p.mu.readyCount--
		p.mu.readyBytes -= len(t.ext)
		p.mu.readyQ.remove(t)
		p.mu.futureCount++
		p.mu.futureBytes += len(t.ext)
		p.mu.futureQ.add(t)
		for _, tag := range t.valid.Provides {
			if p.mu.providers[string(tag)] != t || p.prunedLocked(tag) {
				continue
			}
			for _, d := range p.mu.waiting[string(tag)] {
				if d.ready {
					work = append(work, d)
				}
			}
		}
	}
}

// enforceLimitsLocked evicts until both queues fit: the ready queue loses
// its lowest-priority transaction (the oldest among equals, as Substrate),
// the future queue its oldest.
func (p *Pool) enforceLimitsLocked() {
	for p.mu.readyCount > p.cfg.ReadyCount || p.mu.readyBytes > p.cfg.ReadyBytes {
		worst := p.mu.readyQ.min()
		if worst == nil {
			panic("txpool: ready counters out of sync") // broken invariant
		}
		p.removeLocked(worst, &Status{Kind: StatusDropped}, false)
	}
	for p.mu.futureCount > p.cfg.FutureCount || p.mu.futureBytes > p.cfg.FutureBytes {
		worst := p.mu.futureQ.min()
		if worst == nil {
			panic("txpool: future counters out of sync") // broken invariant
		}
		p.removeLocked(worst, &Status{Kind: StatusDropped}, false)
	}
}
