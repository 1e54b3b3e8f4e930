package db

import "errors"

// Errors.
var (
	// ErrNotFound is returned by Get for a missing key.
	ErrNotFound = errors.New("db: not found")
	// ErrClosed is returned by operations on a closed database.
	ErrClosed = errors.New("db: closed")
)

// KeyValueReader reads single keys.
type KeyValueReader interface {
	Has(key []byte) (bool, error)
	// Get returns a copy of the value; ErrNotFound if the key is absent.
	Get(key []byte) ([]byte, error)
}

// KeyValueWriter writes single keys.
type KeyValueWriter interface {
	Put(key, value []byte) error
	Delete(key []byte) error
}

// Iterator walks keys in byte order. It starts before the first key: call
// Next before reading. Key and Value are valid until the next call to Next.
type Iterator interface {
	Next() bool
	Key() []byte
	Value() []byte
	Error() error
	Release()
}

// Iteratee creates iterators over [lower, upper); a nil bound is open.
type Iteratee interface {
	NewIterator(lower, upper []byte) Iterator
}

// Batch collects writes that Write applies atomically. Put and Delete copy
// their arguments: the caller may reuse its buffers at once.
type Batch interface {
	KeyValueWriter
	// Len is the number of writes queued.
	Len() int
	// ValueSize is the number of key and value bytes queued.
	ValueSize() int
	// Write applies the batch atomically (durably, unless the database was
	// opened without sync). The batch stays usable after Reset.
	Write() error
	Reset()
}

// Snapshot is a consistent read-only view of the database.
type Snapshot interface {
	KeyValueReader
	Iteratee
	Release()
}

// Database is the store the node runs on.
type Database interface {
	KeyValueReader
	KeyValueWriter
	Iteratee
	NewBatch() Batch
	NewSnapshot() (Snapshot, error)
	Close() error
}

// errIterator is an iterator that only reports an error.
type errIterator struct{ err error }

func (e errIterator) Next() bool    { return false }
func (e errIterator) Key() []byte   { return nil }
func (e errIterator) Value() []byte { return nil }
func (e errIterator) Error() error  { return e.err }
func (e errIterator) Release()      {}
