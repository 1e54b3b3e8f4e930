package state

import (
	"github.com/metamars/mars/runtime/scale"
)

// Appending to a SCALE Vec in storage (ext_storage_append) is how the
// runtime records events: several appends per extrinsic to one value that
// grows through the whole block. Rewriting the value on each append costs
// O(size), hence O(n²) per block; a block of a few thousand transfers spent
// most of its time copying System.Events. Like Substrate's overlay, we keep
// a pending append as its items plus a count and write the encoded Vec into
// the trie only when something needs the value itself (a read, a root, a
// commit).
//
// Transactions: a transaction snapshot copies the (small) map of pending
// appends; the entries are values whose body slices may share one backing
// array. That is safe because history is linear: a snapshot's entry only
// becomes live again through a rollback, which kills every longer view of
// the same array, and appending past a slice's length never changes what
// the shorter views hold.
type appendEntry struct {
	body  []byte // the Vec's encoded items (no length prefix)
	count uint64
}

// Append appends the encoded item to the SCALE Vec stored under key (a
// missing or undecodable value counts as an empty Vec), in amortized time
// proportional to the item.
func (o *Overlay) Append(key, item []byte) error {
	if o.committed {
		return ErrCommitted
	}
	k := string(key)
	e, ok := o.appends[k]
	if !ok {
		v, exists, err := o.t.Get(key)
		if err != nil {
			return err
		}
		if exists {
			d := scale.NewDecoder(v)
			n := d.Compact()
			if d.Err() == nil {
				e.count = n
				e.body = append(make([]byte, 0, 2*len(v)+len(item)), v[d.Offset():]...)
			}
		}
		if !exists {
			// Make the key present in the trie now, so that NextKey and
			// iteration see it without materialising later appends.
			if err := o.t.Put(key, []byte{0}); err != nil {
				return err
			}
		}
		if o.appends == nil {
			o.appends = map[string]appendEntry{}
		}
	}
	e.body = append(e.body, item...)
	e.count++
	o.appends[k] = e
	o.touch(key)
	return nil
}

// materialize writes the pending append of key (if any) into the trie.
func (o *Overlay) materialize(key string) error {
	e, ok := o.appends[key]
	if !ok {
		return nil
	}
	delete(o.appends, key)
	enc := scale.NewEncoder(scale.CompactLen(e.count) + len(e.body))
	enc.PutCompact(e.count)
	enc.PutRaw(e.body)
	return o.t.Put([]byte(key), enc.Bytes())
}

// materializeAll writes every pending append into the trie.
func (o *Overlay) materializeAll() error {
	for k := range o.appends {
		if err := o.materialize(k); err != nil {
			return err
		}
	}
	return nil
}

// snapshotAppends copies the pending-append map for a transaction snapshot.
func (o *Overlay) snapshotAppends() map[string]appendEntry {
	if len(o.appends) == 0 {
		return nil
	}
	m := make(map[string]appendEntry, len(o.appends))
	for k, v := range o.appends {
		m[k] = v
	}
	return m
}
