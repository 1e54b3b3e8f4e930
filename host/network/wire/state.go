package wire

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// StateRequest asks for the top-trie entries of Block's state, in
// ascending key order, strictly after Start (from the first key when Start
// is empty), up to about MaxBytes of keys and values.
type StateRequest struct {
	Block    types.Hash
	Start    []byte
	MaxBytes uint32
}

// EncodeTo writes block ++ start ++ max_bytes.
func (r StateRequest) EncodeTo(e *scale.Encoder) {
	r.Block.EncodeTo(e)
	e.PutBytes(r.Start)
	e.PutU32(r.MaxBytes)
}

// DecodeFrom reads a StateRequest.
func (r *StateRequest) DecodeFrom(d *scale.Decoder) {
	*r = StateRequest{}
	r.Block.DecodeFrom(d)
	r.Start = d.Bytes()
	r.MaxBytes = d.U32()
	if d.Err() != nil {
		*r = StateRequest{}
	}
}

// DecodeStateRequest decodes a StateRequest that spans all of b.
func DecodeStateRequest(b []byte) (StateRequest, error) {
	var r StateRequest
	return r, decode("state request", b, MaxRequest, &r)
}

// KV is one storage entry.
type KV struct {
	Key, Value []byte
}

// StateResponse is a run of entries; Complete says the last entry is the
// last key of the state.
type StateResponse struct {
	Entries  []KV
	Complete bool
}

// EncodeTo writes Vec<(key, value)> ++ complete.
func (r StateResponse) EncodeTo(e *scale.Encoder) {
	scale.EncodeVec(e, r.Entries, func(e *scale.Encoder, kv KV) {
		e.PutBytes(kv.Key)
		e.PutBytes(kv.Value)
	})
	e.PutBool(r.Complete)
}

// DecodeFrom reads a StateResponse.
func (r *StateResponse) DecodeFrom(d *scale.Decoder) {
	*r = StateResponse{}
	r.Entries = scale.DecodeVec(d, 2, func(d *scale.Decoder) KV {
		return KV{Key: d.Bytes(), Value: d.Bytes()}
	})
	r.Complete = d.Bool()
	if d.Err() != nil {
		*r = StateResponse{}
	}
}

// DecodeStateResponse decodes a StateResponse that spans all of b.
func DecodeStateResponse(b []byte) (StateResponse, error) {
	var r StateResponse
	return r, decode("state response", b, MaxStateResponse, &r)
}
