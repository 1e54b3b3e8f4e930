package wire

import (
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// Each target decodes arbitrary bytes (never panicking) and, when decoding
// succeeds, checks that the value encodes to bytes that decode to the same
// value and encode identically (the announce's None state and the request's
// unused FromBlock field make byte-exact round trips impossible in general).
func fuzzRoundTrip[T scale.Encodable](f *testing.F, decode func([]byte) (T, error)) {
	for _, s := range samples() {
		f.Add(Encode(s.v))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v, err := decode(in)
		if err != nil {
			return
		}
		out := Encode(v)
		w, err := decode(out)
		if err != nil {
			t.Fatalf("re-decode of %x: %v", out, err)
		}
		if !reflect.DeepEqual(v, w) {
			t.Fatalf("round trip: %+v vs %+v", v, w)
		}
	})
}

func FuzzDecodeStatus(f *testing.F)        { fuzzRoundTrip(f, DecodeStatus) }
func FuzzDecodeBlockAnnounce(f *testing.F) { fuzzRoundTrip(f, DecodeBlockAnnounce) }
func FuzzDecodeBlockRequest(f *testing.F)  { fuzzRoundTrip(f, DecodeBlockRequest) }
func FuzzDecodeBlockResponse(f *testing.F) { fuzzRoundTrip(f, DecodeBlockResponse) }
func FuzzDecodeStateRequest(f *testing.F)  { fuzzRoundTrip(f, DecodeStateRequest) }
func FuzzDecodeStateResponse(f *testing.F) { fuzzRoundTrip(f, DecodeStateResponse) }
func FuzzDecodeWarpRequest(f *testing.F)   { fuzzRoundTrip(f, DecodeWarpRequest) }
func FuzzDecodeWarpResponse(f *testing.F)  { fuzzRoundTrip(f, DecodeWarpResponse) }
