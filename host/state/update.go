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
	rc      map[[32]byte]uint32   // counts this update changes, as they are now
	stored  map[[32]byte]uint32   // counts as stored before this update, once looked up
	pending map[[32]byte]*newNode // nodes produced by a trie commit
	order   [][32]byte            // pending in the order written: children first
	written [][32]byte            // nodes this update stores
	deleted [][32]byte            // nodes this update deletes
}

// publish updates the caches once the update is durable.
func (x *refTx) publish() {
	for _, h := range x.written {
		x.s.store.cache.add(h, x.pending[h].enc)
	}
	x.s.store.cache.remove(x.deleted)
	x.s.refcounts.setAll(x.rc)
}

type newNode struct {
	enc      []byte
	isValue  bool
	decoded  bool       // children and valueHash are set
	children [][32]byte // hashed children
	valHash  *[32]byte  // hashed value
}

func newRefTx(s *State, b db.Batch) *refTx {
	return &refTx{s: s, batch: b, rc: map[[32]byte]uint32{}, stored: map[[32]byte]uint32{}, pending: map[[32]byte]*newNode{}}
}

// WriteNode and WriteValue make refTx a trie.NodeWriter.
func (x *refTx) WriteNode(h [32]byte, enc []byte) error {
	x.pending[h] = &newNode{enc: enc}
	x.order = append(x.order, h)
	return nil
}

func (x *refTx) WriteValue(h [32]byte, v []byte) error {
	x.pending[h] = &newNode{enc: v, isValue: true}
	x.order = append(x.order, h)
	return nil
}

func (x *refTx) get(h [32]byte) (uint32, error) {
	if rc, ok := x.rc[h]; ok {
		return rc, nil
	}
	return x.storedCount(h)
}

// storedCount returns the count of h before this update: from this update's
// earlier look-ups, the State's cache, or the database.
func (x *refTx) storedCount(h [32]byte) (uint32, error) {
	if rc, ok := x.stored[h]; ok {
		return rc, nil
	}
	rc, ok := x.s.refcounts.get(h)
	if !ok {
		var err error
		if rc, err = readRefcount(x.s.kv, h); err != nil {
			return 0, err
		}
		x.s.refcounts.set(h, rc) // no Update can change it before ours
	}
	x.stored[h] = rc
	return rc, nil
}

// decode sets p's references.
func (p *newNode) decode() error {
	if p.decoded || p.isValue {
		return nil
	}
	children, vh, err := trie.ChildHashes(p.enc)
	if err != nil {
		return err
	}
	p.children, p.valHash, p.decoded = children, vh, true
	return nil
}

// inferNew marks as not stored, without looking them up, the new nodes
// that refer to a new node that is not stored: a stored node's children are
// all stored (each holds a reference from it). A block changing n keys
// thus looks up about n leaves or values instead of every node on their
// paths.
func (x *refTx) inferNew() error {
	for _, h := range x.order {
		p := x.pending[h]
		if p.isValue || p.decoded {
			continue // a value, or a duplicate already seen
		}
		if err := p.decode(); err != nil {
			return err
		}
		refs := p.children
		if p.valHash != nil {
			refs = append(refs[:len(refs):len(refs)], *p.valHash)
		}
		for _, c := range refs {
			if _, ok := x.pending[c]; !ok {
				continue // not new: stored, hence no conclusion
			}
			rc, err := x.storedCount(c) // known already unless c is a leaf or a value
			if err != nil {
				return err
			}
			if rc == 0 {
				x.stored[h] = 0
				break
			}
		}
	}
	return nil
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
		if err := p.decode(); err != nil {
			return err
		}
		for _, c := range p.children {
			if err := x.incref(c); err != nil {
				return err
			}
		}
		if p.valHash != nil {
			if err := x.incref(*p.valHash); err != nil {
				return err
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
	key := refcountKey([32]byte{})
	for h, rc := range x.rc {
		copy(key[2:], h[:]) // batches copy what they are given
		var err error
		if rc == 0 {
			err = x.batch.Delete(key)
		} else {
			n := binary.PutUvarint(buf[:], uint64(rc))
			err = x.batch.Put(key, buf[:n])
		}
		if err != nil {
			return err
		}
	}
	return nil
}
