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
// Transactions: the undo journal (overlay.go) saves an entry's state, whose
// body slice may share one backing array with the live entry. That is safe
// because history is linear: a saved state only becomes live again through
// a rollback, which kills every longer view of the same array, and appending
// past a slice's length never changes what the shorter views hold.

// Append appends the encoded item to the SCALE Vec stored under key (a
// missing or undecodable value counts as an empty Vec), in amortized time
// proportional to the item.
func (o *Overlay) Append(key, item []byte) error {
	if o.committed {
		return ErrCommitted
	}
	var cur []byte
	var exists bool
	if e := o.dirty[string(key)]; e != nil && e.kind != kindFlushed {
		switch e.kind {
		case kindAppend:
			e = o.modify(key)
			e.val = append(e.val, item...)
			e.count++
			return nil
		case kindValue:
			cur, exists = e.val, true
		}
	} else {
		v, ok, err := o.t.Get(key)
		if err != nil {
			return err
		}
		cur, exists = v, ok
	}
	var body []byte
	var count uint64
	if exists {
		d := scale.NewDecoder(cur)
		n := d.Compact()
		if d.Err() == nil {
			count = n
			body = append(make([]byte, 0, 2*len(cur)+len(item)), cur[d.Offset():]...)
		}
	}
	e := o.modify(key)
	e.val, e.count, e.kind, e.owned = append(body, item...), count+1, kindAppend, false
	return nil
}

// encodeVec returns the SCALE encoding of a Vec of count items whose
// encodings are body.
func encodeVec(body []byte, count uint64) []byte {
	enc := scale.NewEncoder(scale.CompactLen(count) + len(body))
	enc.PutCompact(count)
	enc.PutRaw(body)
	return enc.Bytes()
}
