package pebbledb

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/metamars/mars/host/db"
)

// PebbleOptions tune a pebble database.
type PebbleOptions struct {
	// InMemory keeps everything in pebble's in-memory file system (vfs.NewMem);
	// the directory name is then only a label.
	InMemory bool
	// NoSync skips fsync on writes: faster, but a power loss may drop the
	// latest batches (a process crash does not: the write-ahead log is in the
	// OS cache). Atomicity holds either way.
	NoSync bool
	// CacheSize is the block cache size in bytes (0: 64 MiB).
	CacheSize int64
}

// Pebble is a db.Database on cockroachdb/pebble.
type Pebble struct {
	pdb    *pebble.DB
	wo     *pebble.WriteOptions
	closed atomic.Bool
}

var _ db.Database = (*Pebble)(nil)

// errIterator is an iterator that only reports an error.
type errIterator struct{ err error }

func (e errIterator) Next() bool    { return false }
func (e errIterator) Key() []byte   { return nil }
func (e errIterator) Value() []byte { return nil }
func (e errIterator) Error() error  { return e.err }
func (e errIterator) Release()      {}

// OpenPebble opens (creating if needed) a pebble database in dir.
func OpenPebble(dir string, o PebbleOptions) (*Pebble, error) {
	cacheSize := o.CacheSize
	if cacheSize == 0 {
		cacheSize = 64 << 20
	}
	cache := pebble.NewCache(cacheSize)
	defer cache.Unref()
	opts := &pebble.Options{Cache: cache, Logger: quietLogger{}}
	if o.InMemory {
		opts.FS = vfs.NewMem()
	}
	pdb, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("pebbledb: open pebble %s: %w", dir, err)
	}
	wo := pebble.Sync
	if o.NoSync {
		wo = pebble.NoSync
	}
	return &Pebble{pdb: pdb, wo: wo}, nil
}

// NewPebbleMemory opens a pebble database on an in-memory file system.
func NewPebbleMemory() (*Pebble, error) {
	return OpenPebble("mem", PebbleOptions{InMemory: true, NoSync: true})
}

// Has reports whether key is present.
func (p *Pebble) Has(key []byte) (bool, error) {
	_, err := p.Get(key)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Get returns a copy of the value under key, or db.ErrNotFound.
func (p *Pebble) Get(key []byte) ([]byte, error) {
	if p.closed.Load() {
		return nil, db.ErrClosed
	}
	return pebbleGet(p.pdb.Get(key))
}

func pebbleGet(v []byte, closer interface{ Close() error }, err error) ([]byte, error) {
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("pebbledb: get: %w", err)
	}
	out := bytes.Clone(v)
	if out == nil {
		out = []byte{}
	}
	return out, closer.Close()
}

// Put stores value under key.
func (p *Pebble) Put(key, value []byte) error {
	if p.closed.Load() {
		return db.ErrClosed
	}
	return p.pdb.Set(key, value, p.wo)
}

// Delete removes key.
func (p *Pebble) Delete(key []byte) error {
	if p.closed.Load() {
		return db.ErrClosed
	}
	return p.pdb.Delete(key, p.wo)
}

// NewIterator iterates a consistent view of [lower, upper).
func (p *Pebble) NewIterator(lower, upper []byte) db.Iterator {
	if p.closed.Load() {
		return errIterator{err: db.ErrClosed}
	}
	return newPebbleIterator(p.pdb.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper}))
}

// NewSnapshot returns a consistent read-only view.
func (p *Pebble) NewSnapshot() (db.Snapshot, error) {
	if p.closed.Load() {
		return nil, db.ErrClosed
	}
	return &pebbleSnapshot{s: p.pdb.NewSnapshot()}, nil
}

// NewBatch returns an empty batch, applied atomically by Write.
func (p *Pebble) NewBatch() db.Batch { return &pebbleBatch{p: p, b: p.pdb.NewBatch()} }

// Close closes the database; committed batches are already in the WAL.
func (p *Pebble) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	return p.pdb.Close()
}

type pebbleBatch struct {
	p *Pebble
	b *pebble.Batch
}

func (b *pebbleBatch) Put(key, value []byte) error { return b.b.Set(key, value, nil) }
func (b *pebbleBatch) Delete(key []byte) error     { return b.b.Delete(key, nil) }
func (b *pebbleBatch) Len() int                    { return int(b.b.Count()) }
func (b *pebbleBatch) ValueSize() int              { return b.b.Len() }
func (b *pebbleBatch) Reset()                      { b.b.Reset() }

func (b *pebbleBatch) Write() error {
	if b.p.closed.Load() {
		return db.ErrClosed
	}
	if err := b.b.Commit(b.p.wo); err != nil {
		return fmt.Errorf("pebbledb: commit batch: %w", err)
	}
	return nil
}

type pebbleSnapshot struct{ s *pebble.Snapshot }

func (s *pebbleSnapshot) Has(key []byte) (bool, error) {
	_, err := s.Get(key)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (s *pebbleSnapshot) Get(key []byte) ([]byte, error) {
	if s.s == nil {
		return nil, db.ErrClosed
	}
	return pebbleGet(s.s.Get(key))
}

func (s *pebbleSnapshot) NewIterator(lower, upper []byte) db.Iterator {
	if s.s == nil {
		return errIterator{err: db.ErrClosed}
	}
	return newPebbleIterator(s.s.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper}))
}

func (s *pebbleSnapshot) Release() {
	if s.s != nil {
		_ = s.s.Close()
		s.s = nil
	}
}

type pebbleIterator struct {
	it      *pebble.Iterator
	started bool
	err     error
}

func newPebbleIterator(it *pebble.Iterator, err error) db.Iterator {
	if err != nil {
		return errIterator{err: fmt.Errorf("pebbledb: new iterator: %w", err)}
	}
	return &pebbleIterator{it: it}
}

func (i *pebbleIterator) Next() bool {
	if i.it == nil {
		return false
	}
	if !i.started {
		i.started = true
		return i.it.First()
	}
	return i.it.Next()
}

func (i *pebbleIterator) Key() []byte {
	if i.it == nil || !i.it.Valid() {
		return nil
	}
	return i.it.Key()
}

func (i *pebbleIterator) Value() []byte {
	if i.it == nil || !i.it.Valid() {
		return nil
	}
	return i.it.Value()
}

func (i *pebbleIterator) Error() error {
	if i.it == nil {
		return i.err
	}
	return i.it.Error()
}

func (i *pebbleIterator) Release() {
	if i.it != nil {
		i.err = i.it.Error()
		_ = i.it.Close()
		i.it = nil
	}
}

// quietLogger drops pebble's informational logs; fatal errors still panic
// as pebble expects of a Logger.
type quietLogger struct{}

func (quietLogger) Infof(string, ...interface{})  {}
func (quietLogger) Errorf(string, ...interface{}) {}
func (quietLogger) Fatalf(format string, args ...interface{}) {
	panic(fmt.Sprintf(format, args...))
}
