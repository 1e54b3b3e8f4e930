package frame

import (
	"bytes"
	"errors"

	"github.com/metamars/mars/runtime/scale"
)

// InherentID identifies an inherent data entry ("timstap0", "babeslot").
type InherentID [8]byte

// InherentData is sp_inherents::InherentData, a BTreeMap<[u8;8], Vec<u8>>
// kept sorted by id so that its encoding is deterministic.
type InherentData struct {
	entries []inherentEntry
}

type inherentEntry struct {
	id   InherentID
	data []byte
}

// Get returns the raw (SCALE) data for id.
func (d *InherentData) Get(id InherentID) ([]byte, bool) {
	for _, e := range d.entries {
		if e.id == id {
			return e.data, true
		}
	}
	return nil, false
}

// Put sets the data for id, replacing an existing entry.
func (d *InherentData) Put(id InherentID, data []byte) {
	for i := range d.entries {
		if d.entries[i].id == id {
			d.entries[i].data = data
			return
		}
	}
	i := len(d.entries)
	d.entries = append(d.entries, inherentEntry{id, data})
	for i > 0 && bytes.Compare(d.entries[i-1].id[:], id[:]) > 0 {
		d.entries[i], d.entries[i-1] = d.entries[i-1], d.entries[i]
		i--
	}
}

// Len is the number of entries.
func (d *InherentData) Len() int { return len(d.entries) }

// EncodeTo writes Compact(n) ++ (id ++ Vec<u8>)*.
func (d *InherentData) EncodeTo(e *scale.Encoder) {
	e.PutLen(len(d.entries))
	for _, x := range d.entries {
		e.PutRaw(x.id[:])
		e.PutBytes(x.data)
	}
}

// DecodeFrom reads the map; keys must be strictly increasing.
func (d *InherentData) DecodeFrom(dec *scale.Decoder) {
	d.entries = nil
	n := dec.Len(9)
	for i := 0; i < n && dec.Err() == nil; i++ {
		var id InherentID
		copy(id[:], dec.Raw(8))
		data := dec.Bytes()
		if dec.Err() != nil {
			return
		}
		if i > 0 && bytes.Compare(d.entries[i-1].id[:], id[:]) >= 0 {
			dec.Fail(errNotSorted)
			return
		}
		d.entries = append(d.entries, inherentEntry{id, append([]byte(nil), data...)})
	}
}

var errNotSorted = errors.New("frame: inherent data keys not sorted")

// InherentError is an inherent check failure of a pallet: its inherent id,
// whether it is fatal, and its SCALE-encoded error (reported in
// CheckInherentsResult.errors).
type InherentError struct {
	ID    InherentID
	Fatal bool
	Data  []byte
	Msg   string
}

func (e *InherentError) Error() string { return "frame: inherent " + string(e.ID[:]) + ": " + e.Msg }

// CheckInherentsResult is sp_inherents::CheckInherentsResult.
type CheckInherentsResult struct {
	Okay       bool
	FatalError bool
	Errors     InherentData
}

// EncodeTo writes okay ++ fatal_error ++ errors.
func (r *CheckInherentsResult) EncodeTo(e *scale.Encoder) {
	e.PutBool(r.Okay)
	e.PutBool(r.FatalError)
	r.Errors.EncodeTo(e)
}

// DecodeFrom reads a CheckInherentsResult.
func (r *CheckInherentsResult) DecodeFrom(d *scale.Decoder) {
	r.Okay = d.Bool()
	r.FatalError = d.Bool()
	r.Errors.DecodeFrom(d)
}
