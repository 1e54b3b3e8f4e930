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
type Overlay struct {
	s         *State
	base      [32]byte
	t         *trie.Trie
	journal   []snapshot             // one per open transaction
	appends   map[string]appendEntry // pending Vec appends not yet written into t (see append.go)
	rec       *recorder
	committed bool
	touched   map[string]struct{} // keys written since creation (rolled back or not)
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

// snapshot is the overlay as it was when a transaction started.
type snapshot struct {
	t       *trie.Trie
	appends map[string]appendEntry
}

// Get returns a copy of the value under key.
func (o *Overlay) Get(key []byte) ([]byte, bool, error) {
	if err := o.materialize(string(key)); err != nil {
		return nil, false, err
	}
	v, ok, err := o.t.Get(key)
	if !ok || err != nil {
		return nil, false, err
	}
	return bytes.Clone(v), true, nil
}

// Set stores value under key.
func (o *Overlay) Set(key, value []byte) error {
	if o.committed {
		return ErrCommitted
	}
	o.touch(key)
	delete(o.appends, string(key))
	return o.t.Put(key, value)
}

func (o *Overlay) touch(key []byte) {
	if o.touched == nil {
		o.touched = map[string]struct{}{}
	}
	o.touched[string(key)] = struct{}{}
}

// Delete removes key.
func (o *Overlay) Delete(key []byte) error {
	if o.committed {
		return ErrCommitted
	}
	o.touch(key)
	delete(o.appends, string(key))
	return o.t.Delete(key)
}

// ClearPrefix deletes the keys with prefix, in key order from cursor (nil:
// from the prefix), at most limit of them (limit < 0: all). It returns how
// many it deleted, whether no key with prefix is left from the cursor on, and
// the key to continue from when some are left.
func (o *Overlay) ClearPrefix(prefix []byte, limit int, cursor []byte) (int, bool, []byte, error) {
	if o.committed {
		return 0, false, nil, ErrCommitted
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
	for i, k := range keys {
		o.touch(k)
		delete(o.appends, string(k))
		if err := o.t.Delete(k); err != nil {
			return i, false, k, err
		}
	}
	return len(keys), next == nil, next, nil
}

// NextKey returns the smallest key strictly greater than key.
func (o *Overlay) NextKey(key []byte) ([]byte, bool, error) { return o.t.NextKey(key) }

// Root returns the state root of the base plus all pending changes under
// layout version (0 or 1). Nothing is written; only nodes changed since the
// previous Root are hashed.
func (o *Overlay) Root(version uint8) ([32]byte, error) {
	if err := o.materializeAll(); err != nil {
		return [32]byte{}, err
	}
	return o.t.Hash(trie.Version(version))
}

// StartTransaction opens a nested transaction.
func (o *Overlay) StartTransaction() {
	o.journal = append(o.journal, snapshot{t: o.t.Copy(), appends: o.snapshotAppends()})
}

// RollbackTransaction discards the changes of the innermost transaction.
func (o *Overlay) RollbackTransaction() error {
	n := len(o.journal)
	if n == 0 {
		return ErrNoTransaction
	}
	o.t, o.appends = o.journal[n-1].t, o.journal[n-1].appends
	o.journal = o.journal[:n-1]
	return nil
}

// CommitTransaction folds the innermost transaction into its parent.
func (o *Overlay) CommitTransaction() error {
	n := len(o.journal)
	if n == 0 {
		return ErrNoTransaction
	}
	o.journal = o.journal[:n-1]
	return nil
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
	if err := o.materializeAll(); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(o.touched))
	for k := range o.touched {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	base := trie.NewFromRoot(o.base, o.s.store)
	var out []Change
	for _, k := range keys {
		now, okNow, err := o.t.Get([]byte(k))
		if err != nil {
			return nil, err
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
func (o *Overlay) TransactionDepth() int { return len(o.journal) }

// Commit prepares the overlay's changes as an Update under layout version
// (the state version the runtime used for its storage root):
// the new nodes and reference counts, and one reference to the new root. No
// transaction may be open. The overlay accepts no writes afterwards; write or
// abandon the Update before the next one.
func (o *Overlay) Commit(version trie.Version) (*Update, error) {
	if len(o.journal) > 0 {
		return nil, ErrOpenTransaction
	}
	if o.committed {
		return nil, ErrCommitted
	}
	if err := o.materializeAll(); err != nil {
		return nil, err
	}
	u, err := o.s.begin()
	if err != nil {
		return nil, err
	}
	x := newRefTx(o.s, u.batch)
	root, err := o.t.Commit(version, x)
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
