package wire

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// WarpRequest asks for the finality proofs after Begin, the last finalized
// block the requester knows (genesis at first).
type WarpRequest struct {
	Begin types.Hash
}

// EncodeTo writes begin.
func (r WarpRequest) EncodeTo(e *scale.Encoder) { r.Begin.EncodeTo(e) }

// DecodeFrom reads a WarpRequest.
func (r *WarpRequest) DecodeFrom(d *scale.Decoder) { r.Begin.DecodeFrom(d) }

// DecodeWarpRequest decodes a WarpRequest that spans all of b.
func DecodeWarpRequest(b []byte) (WarpRequest, error) {
	var r WarpRequest
	return r, decode("warp request", b, MaxRequest, &r)
}

// WarpFragment proves one authority-set change: Header is the block that
// enacts the change and Justification its GRANDPA justification.
type WarpFragment struct {
	Header        types.Header
	Justification []byte
}

// minWarpFragment: parent [32] ++ number (1) ++ roots [64] ++ digest len (1) ++ justification len (1).
const minWarpFragment = 32 + 1 + 64 + 1 + 1

// WarpResponse carries fragments in order; IsFinished says the last one is
// the latest finalized block.
type WarpResponse struct {
	Fragments  []WarpFragment
	IsFinished bool
}

// EncodeTo writes Vec<(header, justification)> ++ is_finished.
func (r WarpResponse) EncodeTo(e *scale.Encoder) {
	scale.EncodeVec(e, r.Fragments, func(e *scale.Encoder, f WarpFragment) {
		f.Header.EncodeTo(e)
		e.PutBytes(f.Justification)
	})
	e.PutBool(r.IsFinished)
}

// DecodeFrom reads a WarpResponse.
func (r *WarpResponse) DecodeFrom(d *scale.Decoder) {
	*r = WarpResponse{}
	r.Fragments = scale.DecodeVec(d, minWarpFragment, func(d *scale.Decoder) WarpFragment {
		var f WarpFragment
		f.Header.DecodeFrom(d)
		f.Justification = d.Bytes()
		return f
	})
	r.IsFinished = d.Bool()
	if d.Err() != nil {
		*r = WarpResponse{}
	}
}

// DecodeWarpResponse decodes a WarpResponse that spans all of b.
func DecodeWarpResponse(b []byte) (WarpResponse, error) {
	var r WarpResponse
	return r, decode("warp response", b, MaxWarpResponse, &r)
}
