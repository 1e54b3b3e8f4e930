package db

import (
	"bytes"
	"iter"
	"strings"
	"sync"

	"github.com/RaduBerinde/btreemap"
)

type memTree = btreemap.BTreeMap[string, []byte]

// Memory is an in-memory Database: a copy-on-write B-tree, so snapshots and
// iterators are O(1) consistent views.
type Memory struct {
	mu struct {
		sync.RWMutex
		tree   *memTree // guarded by mu
		closed bool     // guarded by mu
	}
}

var _ Database = (*Memory)(nil)

// NewMemory returns an empty in-memory database.
func NewMemory() *Memory {
	m := &Memory{}
	m.mu.tree = btreemap.New[string, []byte](16, strings.Compare)
	return m
}

// Has reports whether key is present.
func (m *Memory) Has(key []byte) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.mu.closed {
		return false, ErrClosed
	}
	return m.mu.tree.Has(string(key)), nil
}

// Get returns a copy of the value under key.
func (m *Memory) Get(key []byte) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.mu.closed {
		return nil, ErrClosed
	}
	return treeGet(m.mu.tree, key)
}

func treeGet(t *memTree, key []byte) ([]byte, error) {
	_, v, ok := t.Get(string(key))
	if !ok {
		return nil, ErrNotFound
	}
	return bytes.Clone(v), nil
}

// Put stores value under key.
func (m *Memory) Put(key, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mu.closed {
		return ErrClosed
	}
	m.mu.tree.ReplaceOrInsert(string(key), bytes.Clone(value))
	return nil
}

// Delete removes key.
func (m *Memory) Delete(key []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mu.closed {
		return ErrClosed
	}
	m.mu.tree.Delete(string(key))
	return nil
}

// NewIterator iterates a consistent view of [lower, upper).
func (m *Memory) NewIterator(lower, upper []byte) Iterator {
	m.mu.Lock() // Clone updates the tree's copy-on-write context
	defer m.mu.Unlock()
	if m.mu.closed {
		return errIterator{ErrClosed}
	}
	return newMemIterator(m.mu.tree.Clone(), lower, upper)
}

// NewSnapshot returns a consistent read-only view.
func (m *Memory) NewSnapshot() (Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mu.closed {
		return nil, ErrClosed
	}
	return &memSnapshot{tree: m.mu.tree.Clone()}, nil
}

// NewBatch returns an empty batch.
func (m *Memory) NewBatch() Batch { return &memBatch{db: m} }

// Close releases the data; later calls fail with ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mu.closed = true
	m.mu.tree = nil
	return nil
}

// Len returns the number of keys (for tests and metrics).
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.mu.closed {
		return 0
	}
	return m.mu.tree.Len()
}

type memOp struct {
	key, value []byte
	del        bool
}

type memBatch struct {
	db   *Memory
	ops  []memOp
	size int
}

func (b *memBatch) Put(key, value []byte) error {
	b.ops = append(b.ops, memOp{key: bytes.Clone(key), value: bytes.Clone(value)})
	b.size += len(key) + len(value)
	return nil
}

func (b *memBatch) Delete(key []byte) error {
	b.ops = append(b.ops, memOp{key: bytes.Clone(key), del: true})
	b.size += len(key)
	return nil
}

func (b *memBatch) Len() int       { return len(b.ops) }
func (b *memBatch) ValueSize() int { return b.size }
func (b *memBatch) Reset()         { b.ops, b.size = b.ops[:0], 0 }

func (b *memBatch) Write() error {
	b.db.mu.Lock()
	defer b.db.mu.Unlock()
	if b.db.mu.closed {
		return ErrClosed
	}
	for _, op := range b.ops {
		if op.del {
			b.db.mu.tree.Delete(string(op.key))
		} else {
			b.db.mu.tree.ReplaceOrInsert(string(op.key), op.value)
		}
	}
	return nil
}

type memSnapshot struct {
	mu   sync.Mutex // Clone for iterators updates the copy-on-write context
	tree *memTree
}

func (s *memSnapshot) Has(key []byte) (bool, error) {
	if s.tree == nil {
		return false, ErrClosed
	}
	return s.tree.Has(string(key)), nil
}

func (s *memSnapshot) Get(key []byte) ([]byte, error) {
	if s.tree == nil {
		return nil, ErrClosed
	}
	return treeGet(s.tree, key)
}

func (s *memSnapshot) NewIterator(lower, upper []byte) Iterator {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tree == nil {
		return errIterator{ErrClosed}
	}
	return newMemIterator(s.tree.Clone(), lower, upper)
}

func (s *memSnapshot) Release() { s.tree = nil }

type memIterator struct {
	next       func() (string, []byte, bool)
	stop       func()
	key, value []byte
}

func newMemIterator(t *memTree, lower, upper []byte) *memIterator {
	lo, hi := btreemap.Min[string](), btreemap.Max[string]()
	if lower != nil {
		lo = btreemap.GE(string(lower))
	}
	if upper != nil {
		hi = btreemap.LT(string(upper))
	}
	next, stop := iter.Pull2(t.Ascend(lo, hi))
	return &memIterator{next: next, stop: stop}
}

func (it *memIterator) Next() bool {
	if it.next == nil {
		return false
	}
	k, v, ok := it.next()
	if !ok {
		it.Release()
		return false
	}
	it.key, it.value = []byte(k), v
	return true
}

func (it *memIterator) Key() []byte   { return it.key }
func (it *memIterator) Value() []byte { return it.value }
func (it *memIterator) Error() error  { return nil }

func (it *memIterator) Release() {
	if it.stop != nil {
		it.stop()
		it.next, it.stop = nil, nil
	}
	it.key, it.value = nil, nil
}
