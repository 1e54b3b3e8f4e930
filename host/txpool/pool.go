package txpool

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// Validator runs the runtime's TaggedTransactionQueue_validate_transaction
// at block at. A non-nil *TransactionValidityError is the runtime's verdict
// (Result::Err); a non-nil error means the call itself failed.
type Validator interface {
	Validate(ctx context.Context, at types.Hash, source types.TransactionSource, ext []byte) (types.ValidTransaction, *types.TransactionValidityError, error)
}

// Transaction is a read-only view of a pooled transaction. Ext and the tag
// slices are shared with the pool: do not modify them.
type Transaction struct {
	Hash      types.Hash
	Ext       []byte
	Source    types.TransactionSource
	Priority  uint64
	Requires  [][]byte
	Provides  [][]byte
	Propagate bool
	// ValidTill is the block number at which the transaction becomes stale
	// (validation block number + longevity, saturating).
	ValidTill uint64
	Ready     bool
}

// Stats counts the pool's content.
type Stats struct {
	Ready, ReadyBytes, Future, FutureBytes int
}

// tx is a pooled transaction. All fields but the immutable ones (hash,
// ext, source, sender) are guarded by Pool.mu.
type tx struct {
	hash      types.Hash
	ext       []byte
	source    types.TransactionSource
	sender    string
	hasSender bool
	valid     types.ValidTransaction
	validTill uint64
	seq       uint64 // insertion order: older is smaller
	checked   uint64 // stamp of the last validation: Revalidate takes the smallest first
	failures  int    // Revalidate validator failures in a row
	qidx      int    // position in the ready or future txQueue
	snap      int    // scratch: node index while Ready builds a snapshot
	ready     bool
}

func (t *tx) view() Transaction {
	return Transaction{Hash: t.hash, Ext: t.ext, Source: t.source, Priority: t.valid.Priority,
		Requires: t.valid.Requires, Provides: t.valid.Provides, Propagate: t.valid.Propagate,
		ValidTill: t.validTill, Ready: t.ready}
}

// Pool is the transaction pool. Create it with New; it is safe for
// concurrent use.
type Pool struct {
	cfg Config
	v   Validator

	revalidating sync.Mutex // one Revalidate at a time

	mu struct {
		sync.Mutex
		best    types.Hash
		bestNum types.BlockNumber

		txs       map[types.Hash]*tx
		providers map[string]*tx   // tag → the pooled transaction providing it (unique)
		waiting   map[string][]*tx // tag → pooled transactions requiring it, oldest first
		pruned    [2]map[string]struct{}
		senders   map[string]int

		readyQ, futureQ          txQueue // eviction order of each queue
		readyCount, readyBytes   int
		futureCount, futureBytes int
		seq, stamp               uint64 // insertion and validation counters

		banned map[types.Hash]time.Time // hash → ban expiry

		watchers   map[types.Hash][]*Watcher
		inBlock    map[types.Hash][]types.Hash // block → watched transactions it included
		blockOrder []types.Hash                // blocks of inBlock, oldest first

		// touched records, during one operation, the state each changed
		// transaction had before it (see touchLocked), so that watchers see
		// only real Ready/Future transitions.
		touched     map[types.Hash]txState
		touchedList []types.Hash
	}
}

// New returns an empty pool validating against best (block number num)
// until the first Prune.
func New(v Validator, best types.Hash, num types.BlockNumber, cfg Config) *Pool {
	p := &Pool{cfg: cfg.withDefaults(), v: v}
	p.mu.best, p.mu.bestNum = best, num
	p.mu.txs = make(map[types.Hash]*tx)
	p.mu.providers = make(map[string]*tx)
	p.mu.waiting = make(map[string][]*tx)
	p.mu.pruned = [2]map[string]struct{}{{}, {}}
	p.mu.senders = make(map[string]int)
	p.mu.banned = make(map[types.Hash]time.Time)
	p.mu.watchers = make(map[types.Hash][]*Watcher)
	p.mu.inBlock = make(map[types.Hash][]types.Hash)
	p.mu.touched = make(map[types.Hash]txState)
	p.mu.readyQ.less, p.mu.futureQ.less = readyVictimFirst, futureVictimFirst
	return p
}

// Submit validates ext (the full extrinsic encoding, length prefix
// included) at the current best block and adds it to the pool. It returns
// the transaction hash, blake2_256(ext).
func (p *Pool) Submit(ctx context.Context, source types.TransactionSource, ext []byte) (types.Hash, error) {
	h, _, err := p.submit(ctx, source, ext, false)
	return h, err
}

// SubmitAndWatch is Submit that also returns a watcher of the transaction;
// its first update is Ready or Future.
func (p *Pool) SubmitAndWatch(ctx context.Context, source types.TransactionSource, ext []byte) (*Watcher, error) {
	_, w, err := p.submit(ctx, source, ext, true)
	return w, err
}

func (p *Pool) submit(ctx context.Context, source types.TransactionSource, ext []byte, watch bool) (types.Hash, *Watcher, error) {
	hash := types.Hash(types.Blake2b256(ext))
	if len(ext) > p.cfg.MaxTxBytes {
		return hash, nil, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(ext), p.cfg.MaxTxBytes)
	}
	p.mu.Lock()
	err := p.precheckLocked(hash, source)
	at, num := p.mu.best, p.mu.bestNum
	p.mu.Unlock()
	if err != nil {
		return hash, nil, err
	}

	valid, verr, err := p.v.Validate(ctx, at, source, ext)
	switch {
	case err != nil:
		return hash, nil, fmt.Errorf("%w: %w", ErrValidator, err)
	case verr != nil:
		if verr.Invalid {
			p.mu.Lock()
			p.banLocked(hash)
			p.mu.Unlock()
		}
		return hash, nil, &ValidityError{Err: *verr}
	case len(valid.Provides) == 0:
		return hash, nil, ErrNoProvides
	}
	t := &tx{hash: hash, ext: append([]byte(nil), ext...), source: source, valid: valid,
		validTill: saturatingAdd(uint64(num), valid.Longevity)}
	if p.cfg.Sender != nil {
		t.sender, t.hasSender = p.cfg.Sender(ext)
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.precheckLocked(hash, source); err != nil {
		return hash, nil, err
	}
	p.mu.stamp++
	t.checked = p.mu.stamp
	err = p.insertLocked(t)
	var w *Watcher
	if err == nil && watch {
		w = &Watcher{pool: p, hash: hash, ch: make(chan Status, p.cfg.WatcherBuffer)}
		p.mu.watchers[hash] = append(p.mu.watchers[hash], w)
	}
	p.flushLocked()
	return hash, w, err
}

// precheckLocked refuses a known or banned hash before any validation.
// SourceInBlock (a retracted block's transaction coming back) lifts a ban.
func (p *Pool) precheckLocked(hash types.Hash, source types.TransactionSource) error {
	if _, ok := p.mu.txs[hash]; ok {
		return ErrAlreadyImported
	}
	if source == types.SourceInBlock {
		delete(p.mu.banned, hash)
		return nil
	}
	if until, ok := p.mu.banned[hash]; ok {
		if p.cfg.Now().Before(until) {
			return ErrBanned
		}
		delete(p.mu.banned, hash)
	}
	return nil
}

// Prune is called once per imported best block at height num: the
// transactions of included (full encodings) leave the pool and their
// provides tags count as satisfied for two blocks, waiting transactions are
// promoted, and transactions whose longevity ran out are removed as invalid.
// Included and stale hashes are banned.
func (p *Pool) Prune(block types.Hash, num types.BlockNumber, included [][]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mu.best, p.mu.bestNum = block, num
	p.mu.pruned[1], p.mu.pruned[0] = p.mu.pruned[0], make(map[string]struct{})
	for _, ext := range included {
		h := types.Hash(types.Blake2b256(ext))
		if t, ok := p.mu.txs[h]; ok {
			p.removeLocked(t, nil, true)
		}
		p.banLocked(h)
	}
	var stale []*tx
	for _, t := range p.mu.txs {
		if t.validTill <= uint64(num) {
			stale = append(stale, t)
		}
	}
	sort.Slice(stale, func(i, j int) bool { return stale[i].seq < stale[j].seq })
	for _, t := range stale {
		if p.mu.txs[t.hash] == t {
			p.removeLocked(t, &Status{Kind: StatusInvalid}, false)
			p.banLocked(t.hash)
		}
	}
	p.expireBansLocked()
	p.flushLocked()
}

// RemoveInvalid removes transactions the block author found invalid while
// applying them; they are banned and their watchers end with Invalid.
// Their dependants go back to the future queue.
func (p *Pool) RemoveInvalid(hashes ...types.Hash) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range hashes {
		if t, ok := p.mu.txs[h]; ok {
			p.removeLocked(t, &Status{Kind: StatusInvalid}, false)
		}
		p.banLocked(h)
	}
	p.flushLocked()
}

// Revalidate re-validates at block (height num) up to Config.RevalidateBatch
// transactions, those checked longest ago first. Invalid ones are removed
// and banned; valid ones take their new tags, priority and longevity;
// unknown ones stay. A validator failure (not a verdict) keeps the
// transaction unless it is its third in a row, and is returned wrapped in
// ErrValidator after the batch. It returns how many transactions it
// removed; a cancelled ctx stops it early with ctx's error.
func (p *Pool) Revalidate(ctx context.Context, block types.Hash, num types.BlockNumber) (int, error) {
	p.revalidating.Lock()
	defer p.revalidating.Unlock()

	p.mu.Lock()
	batch := make([]*tx, 0, len(p.mu.txs))
	for _, t := range p.mu.txs {
		batch = append(batch, t)
	}
	sort.Slice(batch, func(i, j int) bool {
		a, b := batch[i], batch[j]
		if a.checked != b.checked {
			return a.checked < b.checked
		}
		return a.seq < b.seq
	})
	if len(batch) > p.cfg.RevalidateBatch {
		batch = batch[:p.cfg.RevalidateBatch]
	}
	p.mu.Unlock()

	type result struct {
		valid types.ValidTransaction
		verr  *types.TransactionValidityError
		err   error
	}
	results := make([]result, 0, len(batch))
	var ctxErr error
	for _, t := range batch {
		if ctxErr = ctx.Err(); ctxErr != nil {
			break
		}
		v, verr, err := p.v.Validate(ctx, block, t.source, t.ext)
		if err != nil && ctx.Err() != nil {
			ctxErr = ctx.Err()
			break
		}
		results = append(results, result{v, verr, err})
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	removed := 0
	var firstErr error
	for i, r := range results {
		t := batch[i]
		if p.mu.txs[t.hash] != t {
			continue // left the pool meanwhile
		}
		p.mu.stamp++
		t.checked = p.mu.stamp
		if r.err != nil {
			// Substrate drops a transaction whose validation call fails;
			// that would flush the whole pool on one bad state lookup, so
			// it takes maxValidatorFailures failures in a row.
			if firstErr == nil {
				firstErr = fmt.Errorf("%w: %w", ErrValidator, r.err)
			}
			if t.failures++; t.failures < maxValidatorFailures {
				continue
			}
		}
		t.failures = 0
		switch {
		case r.err != nil, r.verr != nil && r.verr.Invalid, r.verr == nil && len(r.valid.Provides) == 0:
			p.removeLocked(t, &Status{Kind: StatusInvalid}, false)
			p.banLocked(t.hash)
			removed++
		case r.verr != nil:
			// Unknown: another transaction may settle it; keep.
		default:
			t.validTill = saturatingAdd(uint64(num), r.valid.Longevity)
			if sameShape(t.valid, r.valid) {
				t.valid.Propagate = r.valid.Propagate
				continue
			}
			p.removeLocked(t, nil, false)
			nt := &tx{hash: t.hash, ext: t.ext, source: t.source, sender: t.sender, hasSender: t.hasSender,
				valid: r.valid, validTill: t.validTill, seq: t.seq, checked: t.checked}
			if err := p.reinsertLocked(nt); err != nil {
				removed++
				if !errors.Is(err, ErrPoolFull) { // ErrPoolFull already notified Dropped
					p.notifyLocked(t.hash, Status{Kind: StatusDropped})
				}
			}
		}
	}
	p.flushLocked()
	if ctxErr != nil {
		return removed, ctxErr
	}
	return removed, firstErr
}

// maxValidatorFailures is how many Revalidate rounds in a row may fail to
// validate a transaction (runtime error, not a validity verdict) before it
// is removed as invalid.
const maxValidatorFailures = 3

// Stats returns the pool's current counts.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Ready: p.mu.readyCount, ReadyBytes: p.mu.readyBytes,
		Future: p.mu.futureCount, FutureBytes: p.mu.futureBytes}
}

// Get returns the pooled transaction with hash h.
func (p *Pool) Get(h types.Hash) (Transaction, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.mu.txs[h]
	if !ok {
		return Transaction{}, false
	}
	return t.view(), true
}

// IsBanned reports whether h is currently banned.
func (p *Pool) IsBanned(h types.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	until, ok := p.mu.banned[h]
	return ok && p.cfg.Now().Before(until)
}

func (p *Pool) banLocked(h types.Hash) {
	p.mu.banned[h] = p.cfg.Now().Add(p.cfg.BanTime)
	if len(p.mu.banned) <= p.cfg.MaxBanned {
		return
	}
	p.expireBansLocked()
	for len(p.mu.banned) > p.cfg.MaxBanned {
		var oldest types.Hash
		var first time.Time
		for k, until := range p.mu.banned {
			if first.IsZero() || until.Before(first) || (until.Equal(first) && lessHash(k, oldest)) {
				oldest, first = k, until
			}
		}
		delete(p.mu.banned, oldest)
	}
}

func (p *Pool) expireBansLocked() {
	now := p.cfg.Now()
	for h, until := range p.mu.banned {
		if !now.Before(until) {
			delete(p.mu.banned, h)
		}
	}
}

func lessHash(a, b types.Hash) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func saturatingAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}

// sameShape reports whether a revalidation left the transaction's place in
// the pool unchanged.
func sameShape(a, b types.ValidTransaction) bool {
	return a.Priority == b.Priority && sameTags(a.Requires, b.Requires) && sameTags(a.Provides, b.Provides)
}

func sameTags(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if string(a[i]) != string(b[i]) {
			return false
		}
	}
	return true
}
