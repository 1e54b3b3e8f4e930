package state

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
)

// DefaultKeepFinalized is how many finalized states are kept by default.
const DefaultKeepFinalized = 256

// Config tunes pruning.
type Config struct {
	// KeepFinalized is the number of most recent finalized states kept
	// readable (0: DefaultKeepFinalized).
	KeepFinalized int
	// Archive keeps every finalized state forever.
	Archive bool
	// CacheBytes sizes the cache of trie node encodings shared by all reads
	// (0: DefaultCacheBytes; negative: no cache). The cache of reference
	// counts that commits and pruning use gets a quarter of that on top.
	CacheBytes int
}

// Sub-prefixes of db.PrefixState.
const (
	subRefcount  = 'r' // r ++ hash -> uvarint reference count
	subFinalized = 'f' // f ++ u32 BE number -> state root
)

func refcountKey(h [32]byte) []byte {
	k := make([]byte, 34)
	k[0], k[1] = db.PrefixState, subRefcount
	copy(k[2:], h[:])
	return k
}

func finalizedKey(number uint32) []byte {
	k := []byte{db.PrefixState, subFinalized, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(k[2:], number)
	return k
}

type finalEntry struct {
	number uint32
	root   [32]byte
}

// State holds the trie states of a chain in a db.Database.
type State struct {
	kv        db.Database
	store     nodeStore
	refcounts *refcountCache
	keep      int // finalized states kept; < 0: archive

	mu struct {
		sync.Mutex
		pending   bool         // an Update is outstanding; guarded by mu
		finalized []finalEntry // finalized window, oldest first; guarded by mu
	}
	spare struct {
		sync.Mutex
		undo []undoRecord // an empty overlay journal to reuse; guarded by spare
	}
}

// takeUndo returns an empty journal, reused when one is spare.
func (s *State) takeUndo() []undoRecord {
	s.spare.Lock()
	defer s.spare.Unlock()
	u := s.spare.undo
	s.spare.undo = nil
	return u
}

// giveUndo keeps an empty journal for the next overlay (the larger one when
// two are given back).
func (s *State) giveUndo(u []undoRecord) {
	s.spare.Lock()
	defer s.spare.Unlock()
	if cap(u) > cap(s.spare.undo) {
		s.spare.undo = u
	}
}

// New opens the state kept in kv, loading its pruning window.
func New(kv db.Database, cfg Config) (*State, error) {
	cacheBytes := cfg.CacheBytes
	if cacheBytes == 0 {
		cacheBytes = DefaultCacheBytes
	}
	cache := newNodeCache(max(cacheBytes, 0))
	s := &State{kv: kv, store: nodeStore{kv: kv, cache: cache}, refcounts: newRefcountCache(max(cacheBytes, 0) / 4), keep: cfg.KeepFinalized}
	if s.keep <= 0 {
		s.keep = DefaultKeepFinalized
	}
	if cfg.Archive {
		s.keep = -1
	}
	prefix := []byte{db.PrefixState, subFinalized}
	it := kv.NewIterator(prefix, db.PrefixUpperBound(prefix))
	defer it.Release()
	for it.Next() {
		k, v := it.Key(), it.Value()
		if len(k) != 6 || len(v) != 32 {
			return nil, fmt.Errorf("%w: finalized entry %x", ErrCorrupt, k)
		}
		s.mu.finalized = append(s.mu.finalized, finalEntry{binary.BigEndian.Uint32(k[2:]), [32]byte(v)})
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	for _, e := range s.mu.finalized {
		if ok, err := s.HasState(e.root); err != nil || !ok {
			return nil, errors.Join(err, fmt.Errorf("%w: finalized state %x of block %d is missing", ErrCorrupt, e.root, e.number))
		}
	}
	return s, nil
}

// nodeStore serves trie nodes from the cache, else the database.
type nodeStore struct {
	kv    db.KeyValueReader
	cache *nodeCache
}

func (n nodeStore) GetNode(h [32]byte) ([]byte, error) {
	if v, ok := n.cache.get(h); ok {
		return v, nil
	}
	v, err := n.kv.Get(db.TrieNodeKey(h))
	if errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("%w: %x", trie.ErrMissingNode, h)
	}
	if err == nil {
		n.cache.add(h, v)
	}
	return v, err
}

// Trie returns a trie of the state at root, loaded lazily, for reads and
// iteration. Values it returns share memory with the node cache: never
// modify them. Writes to it are never persisted; use an Overlay.
func (s *State) Trie(root [32]byte) *trie.Trie { return trie.NewFromRoot(root, s.store) }

// Get returns a copy of the value under key in the state at root.
func (s *State) Get(root [32]byte, key []byte) ([]byte, bool, error) {
	v, ok, err := s.Trie(root).Get(key)
	if !ok || err != nil {
		return nil, false, err
	}
	return bytes.Clone(v), true, nil
}

// HasState reports whether the state at root is retained.
func (s *State) HasState(root [32]byte) (bool, error) {
	if root == trie.EmptyRoot {
		return true, nil
	}
	rc, err := readRefcount(s.kv, root)
	return rc > 0, err
}

// Prove returns a storage proof of keys in the state at root.
func (s *State) Prove(root [32]byte, keys [][]byte) ([][]byte, error) {
	// Stored nodes re-encode exactly as stored, whatever the version.
	return s.Trie(root).Prove(keys, trie.V0)
}

// Finalized returns the numbers and roots in the finalized window, oldest first.
func (s *State) Finalized() (numbers []uint32, roots [][32]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.mu.finalized {
		numbers, roots = append(numbers, e.number), append(roots, e.root)
	}
	return numbers, roots
}

func readRefcount(kv db.KeyValueReader, h [32]byte) (uint32, error) {
	v, err := kv.Get(refcountKey(h))
	if errors.Is(err, db.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	rc, n := binary.Uvarint(v)
	if n <= 0 || rc > 1<<32-1 {
		return 0, fmt.Errorf("%w: reference count of %x", ErrCorrupt, h)
	}
	return uint32(rc), nil
}
