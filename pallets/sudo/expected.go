package sudo

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// CallDecoder decodes a RuntimeCall of the runtime (pallet index ++ call
// index ++ args); *frame.Runtime implements it.
type CallDecoder interface {
	DecodeCall(d *scale.Decoder) (*frame.RuntimeCall, error)
}
