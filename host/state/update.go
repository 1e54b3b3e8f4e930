package state

import (
	"encoding/binary"
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/trie"
)

// Update is a set of state changes ready to be written atomically. The caller
// may add its own writes (block header, body, chain metadata) to it; Write
// applies all of them in one batch, or none.
type Update struct {
	s       *State
	batch   db.Batch
	root    [32]byte
	onWrite func() // in-memory bookkeeping applied once the batch is durable
	done    bool
}

// begin reserves the single outstanding update.
func (s *State) begin() (*Update, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.pending {
		return nil, ErrUpdatePending
	}
	s.mu.pending = true
	return &Update{s: s, batch: s.kv.NewBatch()}, nil
}

// Root is the state root the update commits (zero for Finalize/Discard).
func (u *Update) Root() [32]byte { return u.root }

// Put adds a caller write to the update.
func (u *Update) Put(key, value []byte) error {
	if u.done {
		return ErrUpdateDone
	}
	return u.batch.Put(key, value)
}

// Delete adds a caller delete to the update.
func (u *Update) Delete(key []byte) error {
	if u.done {
		return ErrUpdateDone
	}
	return u.batch.Delete(key)
}

// Len is the number of writes in the update.
func (u *Update) Len() int { return u.batch.Len() }

// Write applies the update atomically and releases the state for the next one.
func (u *Update) Write() error {
	if u.done {
		return ErrUpdateDone
	}
	u.done = true
	err := u.batch.Write()
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	if err == nil && u.onWrite != nil {
		u.onWrite()
	}
	u.s.mu.pending = false
	return err
}

// Abandon drops the update without writing anything.
func (u *Update) Abandon() {
	if u.done {
		return
	}
	u.done = true
	u.batch.Reset()
	u.s.mu.Lock()
	u.s.mu.pending = false
	u.s.mu.Unlock()
}

// refTx accumulates reference-count changes for one update.
type refTx struct {
	s       *State
	batch   db.Batch
	rc      map[[32]byte]uint32
	pending map[[32]byte]newNode // nodes produced by a trie commit
	written [][32]byte           // nodes this update stores
	deleted [][32]byte           // nodes this update deletes
}

// publish updates the node cache once the update is durable.
func (x *refTx) publish() {
	for _, h := range x.written {
		x.s.store.cache.add(h, x.pending[h].enc)
	}
	x.s.store.cache.remove(x.deleted)
}

type newNode struct {
	enc     []byte
	isValue bool
}

func newRefTx(s *State, b db.Batch) *refTx {
	return &refTx{s: s, batch: b, rc: map[[32]byte]uint32{}, pending: map[[32]byte]newNode{}}
}

// WriteNode and WriteValue make refTx a trie.NodeWriter.
func (x *refTx) WriteNode(h [32]byte, enc []byte) error {
	x.pending[h] = newNode{enc: enc}
	return nil
}

func (x *refTx) WriteValue(h [32]byte, v []byte) error {
	x.pending[h] = newNode{enc: v, isValue: true}
	return nil
}

func (x *refTx) get(h [32]byte) (uint32, error) {
	if rc, ok := x.rc[h]; ok {
		return rc, nil
	}
	return readRefcount(x.s.kv, h)
}

// incref adds one reference to h; a node gaining its first reference is
// written and references its own children.
func (x *refTx) incref(h [32]byte) error {
	rc, err := x.get(h)
	if err != nil {
		return err
	}
	if rc == 0 {
		p, ok := x.pending[h]
		if !ok {
			return fmt.Errorf("%w: node %x is referenced but neither stored nor new", ErrCorrupt, h)
		}
		if err := x.batch.Put(db.TrieNodeKey(h), p.enc); err != nil {
			return err
		}
		x.written = append(x.written, h)
		if !p.isValue {
			children, vh, err := trie.ChildHashes(p.enc)
			if err != nil {
				return err
			}
			for _, c := range children {
				if err := x.incref(c); err != nil {
					return err
				}
			}
			if vh != nil {
				if err := x.incref(*vh); err != nil {
					return err
				}
			}
		}
	}
	x.rc[h] = rc + 1
	return nil
}

// decref drops one reference to h; a node losing its last reference is
// deleted and releases its children.
func (x *refTx) decref(h [32]byte, isValue bool) error {
	rc, err := x.get(h)
	if err != nil {
		return err
	}
	if rc == 0 {
		return fmt.Errorf("%w: releasing node %x that has no references", ErrCorrupt, h)
	}
	rc--
	x.rc[h] = rc
	if rc > 0 {
		return nil
	}
	if !isValue {
		enc, err := x.s.store.GetNode(h)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		children, vh, err := trie.ChildHashes(enc)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		for _, c := range children {
			if err := x.decref(c, false); err != nil {
				return err
			}
		}
		if vh != nil {
			if err := x.decref(*vh, true); err != nil {
				return err
			}
		}
	}
	x.deleted = append(x.deleted, h)
	return x.batch.Delete(db.TrieNodeKey(h))
}

// flush writes the final reference counts into the batch.
func (x *refTx) flush() error {
	var buf [binary.MaxVarintLen32]byte
	for h, rc := range x.rc {
		var err error
		if rc == 0 {
			err = x.batch.Delete(refcountKey(h))
		} else {
			n := binary.PutUvarint(buf[:], uint64(rc))
			err = x.batch.Put(refcountKey(h), buf[:n])
		}
		if err != nil {
			return err
		}
	}
	return nil
}
