package state

import (
	"bytes"
	"slices"
	"sync"

	"github.com/metamars/mars/host/trie"
)

// Overlay is a writable view of one state: reads fall through to the trie at
// the parent state root, writes stay in memory until Commit. It implements
// host/executor.Storage. An Overlay is not safe for concurrent use.
//
// A block writes the same few thousand keys tens of thousands of times, each
// write inside nested transactions. Writing each one into the trie would
// path-copy nodes on every write after a transaction starts, so, like
// Substrate's overlay, writes go to a flat map of changed keys (dirty) with
// an undo journal for transactions, and reach the trie only when something
// needs the trie itself: a root, a commit, key order (NextKey,
// ClearPrefix). Invariants:
//
//   - a key not in dirty has its parent-state value in t;
//   - an entry with inTrie set has its current value in t;
//   - every live entry without inTrie is in pending (which may also hold
//     duplicates and dead entries: flush skips them).
type Overlay struct {
	s         *State
	base      [32]byte
	t         *trie.Trie // the parent state plus the changes flushed so far
	tShared   bool       // an open transaction saved t: Copy it before changing it
	rec       *recorder
	committed bool

	dirty   map[string]*entry // every key written since creation and not rolled back
	pending []*entry          // entries whose value t may not hold yet, in write order
	flushes uint64            // flushes so far: tells a rollback whether pending was emptied
	undo    []undoRecord      // saved entry states for the open transactions, oldest first
	txs     []txMark          // one per open transaction
	txSeq   uint64            // transactions started so far
}

// NewOverlay returns an overlay over the state at root.
func (s *State) NewOverlay(root [32]byte) *Overlay {
	return &Overlay{s: s, base: root, t: trie.NewFromRoot(root, s.store)}
}

// NewRecordingOverlay returns an overlay that records every node it reads
// from the parent state: Proof then returns a storage proof from which the
// same execution can be replayed statelessly (a proof of validity).
func (s *State) NewRecordingOverlay(root [32]byte) *Overlay {
	rec := &recorder{inner: s.store, seen: map[[32]byte][]byte{}}
	return &Overlay{s: s, base: root, t: trie.NewFromRoot(root, rec), rec: rec}
}

// Base returns the parent state root.
func (o *Overlay) Base() [32]byte { return o.base }

// Kinds of entry.
const (
	kindValue   uint8 = iota // val is the value
	kindDeleted              // the key is absent
	kindAppend               // a SCALE Vec of count items whose encodings are val (see append.go)
	kindFlushed              // the value is t's (val released: see flush)
	kindGone                 // rolled back out of dirty; ignore
)

// entryState is what a transaction rollback restores.
type entryState struct {
	val    []byte
	count  uint64
	saved  uint64 // id of the innermost transaction that saved this entry's state (0: none)
	kind   uint8
	inTrie bool // t holds this value (for kindAppend: the encoded Vec)
	owned  bool // no one else holds val (the trie, callers and saved states have copies): Set may reuse it
}

// entry is one changed key. Entries are shared by dirty, pending and the
// undo journal, so a write to an existing key allocates only its value.
type entry struct {
	key string
	entryState
}

// undoRecord restores e to prev, or removes e from dirty when prev.kind is
// kindGone (e was created in the transaction).
type undoRecord struct {
	e    *entry
	prev entryState
}

// txMark is the overlay as it was when a transaction started.
type txMark struct {
	id      uint64 // txSeq at the start
	undo    int    // len(undo)
	pending int    // len(pending)
	flushes uint64
	t       *trie.Trie
}

// save journals e's state for the innermost transaction, once: a state
// saved by this transaction, or by a nested one since committed into it, is
// already the oldest the rollback needs (records are undone newest first).
func (o *Overlay) save(e *entry) {
	n := len(o.txs)
	if n == 0 || e.saved >= o.txs[n-1].id {
		return
	}
	r := undoRecord{e: e, prev: e.entryState}
	r.prev.owned, e.owned = false, false // both now hold val
	o.undo = append(o.undo, r)
	e.saved = o.txs[n-1].id
}

// Get returns a copy of the value under key.
func (o *Overlay) Get(key []byte) ([]byte, bool, error) {
	if e := o.dirty[string(key)]; e != nil && e.kind != kindFlushed {
		switch e.kind {
		case kindDeleted:
			return nil, false, nil
		case kindAppend:
			// Keep the encoded Vec: reads of a Vec being appended to
			// are rare, repeated reads of a finished one are not. The
			// value does not change, so no undo record is needed.
			e.val, e.count, e.kind, e.owned = encodeVec(e.val, e.count), 0, kindValue, false
		}
		return bytes.Clone(e.val), true, nil
	}
	v, ok, err := o.t.Get(key)
	if !ok || err != nil {
		return nil, false, err
	}
	return bytes.Clone(v), true, nil
}

// modify returns the entry of key, created if needed, after journaling its
// state for the open transactions; it leaves the entry pending.
func (o *Overlay) modify(key []byte) *entry {
	e := o.dirty[string(key)]
	if e == nil {
		e = &entry{key: string(key)}
		if o.dirty == nil {
			o.dirty = map[string]*entry{}
		}
		o.dirty[e.key] = e
		if n := len(o.txs); n > 0 {
			o.undo = append(o.undo, undoRecord{e: e, prev: entryState{kind: kindGone}})
			e.saved = o.txs[n-1].id
		}
		o.pending = append(o.pending, e)
		return e
	}
	o.save(e)
	if e.inTrie {
		e.inTrie = false
		o.pending = append(o.pending, e)
	}
	return e
}

// Set stores value under key.
func (o *Overlay) Set(key, value []byte) error {
	if o.committed {
		return ErrCommitted
	}
	e := o.modify(key)
	if e.kind == kindValue && e.owned && cap(e.val) >= len(value) {
		// Rewritten within one transaction (a balance, a counter):
		// nothing else holds the old value, so no allocation.
		e.val = append(e.val[:0], value...)
		return nil
	}
	v := bytes.Clone(value)
	if v == nil {
		v = []byte{}
	}
	e.val, e.count, e.kind, e.owned = v, 0, kindValue, true
	return nil
}

// Delete removes key.
func (o *Overlay) Delete(key []byte) error {
	if o.committed {
		return ErrCommitted
	}
	e := o.modify(key)
	e.val, e.count, e.kind, e.owned = nil, 0, kindDeleted, false
	return nil
}

// ClearPrefix deletes the keys with prefix, in key order from cursor (nil:
// from the prefix), at most limit of them (limit < 0: all). It returns how
// many it deleted, whether no key with prefix is left from the cursor on, and
// the key to continue from when some are left.
func (o *Overlay) ClearPrefix(prefix []byte, limit int, cursor []byte) (int, bool, []byte, error) {
	if o.committed {
		return 0, false, nil, ErrCommitted
	}
	if err := o.flush(false); err != nil {
		return 0, false, nil, err
	}
	var keys [][]byte
	var next []byte
	err := o.t.IterateKeys(prefix, cursor, func(k []byte) bool {
		if limit >= 0 && len(keys) == limit {
			next = k
			return false
		}
		keys = append(keys, k)
		return true
	})
	if err != nil {
		return 0, false, nil, err
	}
	for _, k := range keys {
		e := o.modify(k)
		e.val, e.count, e.kind, e.owned = nil, 0, kindDeleted, false
	}
	return len(keys), next == nil, next, nil
}

// NextKey returns the smallest key strictly greater than key.
func (o *Overlay) NextKey(key []byte) ([]byte, bool, error) {
	if err := o.flush(false); err != nil {
		return nil, false, err
	}
	return o.t.NextKey(key)
}

// Root returns the state root of the base plus all pending changes under
// layout version (0 or 1). Nothing is written; only nodes changed since the
// previous Root are hashed.
func (o *Overlay) Root(version uint8) ([32]byte, error) {
	if err := o.flush(true); err != nil {
		return [32]byte{}, err
	}
	return o.t.Hash(trie.Version(version))
}

// writableTrie makes t safe to change: a trie saved by an open transaction
// is copied (O(1)) first.
func (o *Overlay) writableTrie() *trie.Trie {
	if o.tShared {
		o.t, o.tShared = o.t.Copy(), false
	}
	return o.t
}

// flush writes the pending entries into t. With values false only key
// presence must be right (for iteration): a pending append then only makes
// sure its key is present and stays pending, so appends stay cheap. On an
// error pending is left as it was (entries already written are marked and
// skipped next time).
func (o *Overlay) flush(values bool) error {
	if len(o.pending) == 0 {
		return nil
	}
	o.flushes++
	t := o.writableTrie()
	var keep []*entry
	for _, e := range o.pending {
		if e.inTrie || e.kind == kindGone {
			continue
		}
		var err error
		switch {
		case e.kind == kindValue:
			err = t.Put([]byte(e.key), e.val)
		case e.kind == kindDeleted:
			err = t.Delete([]byte(e.key))
		case values:
			err = t.Put([]byte(e.key), encodeVec(e.val, e.count))
		default:
			var ok bool
			if _, ok, err = t.Get([]byte(e.key)); err == nil && !ok {
				err = t.Put([]byte(e.key), []byte{0}) // a placeholder: only the key counts
			}
			if err != nil {
				return err
			}
			keep = append(keep, e)
			continue
		}
		if err != nil {
			return err
		}
		o.save(e)
		e.inTrie = true
		if e.kind == kindValue && len(o.txs) == 0 {
			// No transaction can need the value back: leave t the
			// only copy (a warp sync or a genesis sets the whole state
			// before its commit's flush).
			e.val, e.kind, e.owned = nil, kindFlushed, false
		}
	}
	clear(o.pending)
	o.pending = append(o.pending[:0], keep...)
	return nil
}

// StartTransaction opens a nested transaction.
func (o *Overlay) StartTransaction() {
	if o.undo == nil && o.s != nil {
		o.undo = o.s.takeUndo()
	}
	o.txSeq++
	o.txs = append(o.txs, txMark{id: o.txSeq, undo: len(o.undo), pending: len(o.pending), flushes: o.flushes, t: o.t})
	o.tShared = true
}

// RollbackTransaction discards the changes of the innermost transaction.
func (o *Overlay) RollbackTransaction() error {
	n := len(o.txs)
	if n == 0 {
		return ErrNoTransaction
	}
	m := o.txs[n-1]
	o.txs = o.txs[:n-1]
	// Without a flush since the mark, t is unchanged and pending only grew:
	// every entry that was pending then still is, in pending[:m.pending].
	// After a flush, t goes back to the mark; an entry pending then was
	// either written by the flush (and journaled) or is still pending, so
	// pending plus the restored entries that are not in t covers them all.
	flushed := o.flushes != m.flushes
	if !flushed {
		clear(o.pending[m.pending:])
		o.pending = o.pending[:m.pending]
	}
	for i := len(o.undo) - 1; i >= m.undo; i-- {
		r := o.undo[i]
		if r.prev.kind == kindGone {
			delete(o.dirty, r.e.key)
			r.e.kind = kindGone
			continue
		}
		r.e.entryState = r.prev
		if flushed && !r.prev.inTrie {
			o.pending = append(o.pending, r.e)
		}
	}
	clear(o.undo[m.undo:])
	o.undo = o.undo[:m.undo]
	o.t, o.tShared = m.t, n > 1 // an outer transaction may have saved m.t too
	if n == 1 {
		o.releaseUndo()
	}
	return nil
}

// CommitTransaction folds the innermost transaction into its parent.
func (o *Overlay) CommitTransaction() error {
	n := len(o.txs)
	if n == 0 {
		return ErrNoTransaction
	}
	o.txs = o.txs[:n-1]
	if n == 1 {
		o.releaseUndo()
		o.tShared = false // no transaction holds t any more
	}
	return nil
}

// releaseUndo hands the journal, no longer needed outside transactions, back
// to the State for the next overlay: a block's journal holds tens of
// thousands of records, and growing it anew for each block costs more than
// the writes it records.
func (o *Overlay) releaseUndo() {
	clear(o.undo)
	if o.s != nil {
		o.s.giveUndo(o.undo[:0])
	}
	o.undo = nil
}

// Change is one key whose value differs from the parent state.
type Change struct {
	Key     []byte
	Value   []byte // nil when deleted
	Deleted bool
}

// Changes lists the keys whose current value differs from the parent
// state, in key order (for storage-change notifications and diffs).
func (o *Overlay) Changes() ([]Change, error) {
	keys := make([]string, 0, len(o.dirty))
	for k := range o.dirty {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	base := trie.NewFromRoot(o.base, o.s.store)
	var out []Change
	for _, k := range keys {
		e := o.dirty[k]
		now, okNow := e.val, e.kind != kindDeleted
		switch e.kind {
		case kindAppend:
			now = encodeVec(e.val, e.count)
		case kindFlushed:
			var err error
			if now, okNow, err = o.t.Get([]byte(k)); err != nil {
				return nil, err
			}
		}
		was, okWas, err := base.Get([]byte(k))
		if err != nil {
			return nil, err
		}
		if okNow == okWas && bytes.Equal(now, was) {
			continue
		}
		c := Change{Key: []byte(k), Deleted: !okNow}
		if okNow {
			c.Value = bytes.Clone(now)
		}
		out = append(out, c)
	}
	return out, nil
}

// TransactionDepth is the number of open transactions.
func (o *Overlay) TransactionDepth() int { return len(o.txs) }

// Commit prepares the overlay's changes as an Update under layout version
// (the state version the runtime used for its storage root):
// the new nodes and reference counts, and one reference to the new root. No
// transaction may be open. The overlay accepts no writes afterwards; write or
// abandon the Update before the next one.
func (o *Overlay) Commit(version trie.Version) (*Update, error) {
	if len(o.txs) > 0 {
		return nil, ErrOpenTransaction
	}
	if o.committed {
		return nil, ErrCommitted
	}
	if err := o.flush(true); err != nil {
		return nil, err
	}
	u, err := o.s.begin()
	if err != nil {
		return nil, err
	}
	x := newRefTx(o.s, u.batch)
	root, err := o.t.Commit(version, x)
	if err == nil {
		err = x.inferNew()
	}
	if err == nil && root != trie.EmptyRoot {
		err = x.incref(root)
	}
	if err == nil {
		err = x.flush()
	}
	if err != nil {
		u.Abandon()
		return nil, err
	}
	o.committed = true
	u.root = root
	u.onWrite = x.publish
	return u, nil
}

// Proof returns the nodes a recording overlay read from its parent state,
// sorted, or nil for an overlay that does not record.
func (o *Overlay) Proof() [][]byte {
	if o.rec == nil {
		return nil
	}
	return o.rec.proof()
}

// recorder is a trie.NodeStore that remembers what it served.
type recorder struct {
	inner trie.NodeStore
	mu    sync.Mutex
	seen  map[[32]byte][]byte // guarded by mu
}

func (r *recorder) GetNode(h [32]byte) ([]byte, error) {
	enc, err := r.inner.GetNode(h)
	if err == nil {
		r.mu.Lock()
		r.seen[h] = enc
		r.mu.Unlock()
	}
	return enc, err
}

func (r *recorder) proof() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]byte, 0, len(r.seen))
	for _, enc := range r.seen {
		out = append(out, enc)
	}
	slices.SortFunc(out, bytes.Compare)
	return out
}
