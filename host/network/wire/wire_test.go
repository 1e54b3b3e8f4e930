package wire

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func hashOf(b byte) types.Hash {
	var h types.Hash
	for i := range h {
		h[i] = b
	}
	return h
}

func testHeader(n uint32) types.Header {
	return types.Header{
		ParentHash:     hashOf(1),
		Number:         n,
		StateRoot:      hashOf(2),
		ExtrinsicsRoot: hashOf(3),
		Digest: []types.DigestItem{
			{Kind: types.DigestPreRuntime, Engine: [4]byte{'a', 'u', 'r', 'a'}, Data: []byte{7, 0, 0, 0, 0, 0, 0, 0}},
		},
	}
}

// samples returns one populated value of every message type with its
// decoder, for the round-trip and rejection tests.
func samples() []struct {
	name   string
	v      scale.Encodable
	decode func([]byte) (any, error)
} {
	h := testHeader(9)
	return []struct {
		name   string
		v      scale.Encodable
		decode func([]byte) (any, error)
	}{
		{"status", Status{Roles: RoleFull | RoleAuthority, BestNumber: 42, BestHash: hashOf(5), GenesisHash: hashOf(6)},
			func(b []byte) (any, error) { return DecodeStatus(b) }},
		{"announce", BlockAnnounce{Header: h, IsBest: true, Data: []byte{1, 2}},
			func(b []byte) (any, error) { return DecodeBlockAnnounce(b) }},
		{"announce-nodata", BlockAnnounce{Header: h},
			func(b []byte) (any, error) { return DecodeBlockAnnounce(b) }},
		{"block-request-hash", BlockRequest{Fields: FieldHeader | FieldBody, FromHash: hashOf(9), ByHash: true, Descending: true, Max: 64},
			func(b []byte) (any, error) { return DecodeBlockRequest(b) }},
		{"block-request-number", BlockRequest{Fields: FieldHeader | FieldJustification, FromNumber: 1000, Max: 128},
			func(b []byte) (any, error) { return DecodeBlockRequest(b) }},
		{"block-response", BlockResponse{Blocks: []BlockData{
			{Hash: h.Hash(), Header: &h, Body: [][]byte{{0x08, 1, 2}, {0x00}}, HasBody: true, Justification: []byte{9, 9}, HasJustification: true},
			{Hash: hashOf(7)},
			{Hash: hashOf(8), Body: [][]byte{}, HasBody: true, Justification: []byte{}, HasJustification: true},
		}}, func(b []byte) (any, error) { return DecodeBlockResponse(b) }},
		{"state-request", StateRequest{Block: hashOf(4), Start: []byte("key"), MaxBytes: 1 << 20},
			func(b []byte) (any, error) { return DecodeStateRequest(b) }},
		{"state-response", StateResponse{Entries: []KV{{Key: []byte{1}, Value: []byte{2, 3}}, {Key: []byte{4}, Value: []byte{}}}, Complete: true},
			func(b []byte) (any, error) { return DecodeStateResponse(b) }},
		{"warp-request", WarpRequest{Begin: hashOf(3)},
			func(b []byte) (any, error) { return DecodeWarpRequest(b) }},
		{"warp-response", WarpResponse{Fragments: []WarpFragment{{Header: h, Justification: []byte{1, 2, 3}}}, IsFinished: true},
			func(b []byte) (any, error) { return DecodeWarpResponse(b) }},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			b := Encode(s.v)
			got, err := s.decode(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, s.v) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, s.v)
			}
			if again := Encode(got.(scale.Encodable)); !bytes.Equal(again, b) {
				t.Fatalf("re-encoding differs: %x vs %x", again, b)
			}
		})
	}
}

func TestRejectsTrailingAndTruncated(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			b := Encode(s.v)
			_, err := s.decode(append(append([]byte{}, b...), 0))
			if !errors.Is(err, ErrTooLarge) && (!errors.Is(err, ErrMalformed) || !errors.Is(err, scale.ErrTrailingBytes)) {
				t.Fatalf("trailing byte: err = %v", err)
			}
			for n := 0; n < len(b); n++ {
				if _, err := s.decode(b[:n]); !errors.Is(err, ErrMalformed) {
					t.Fatalf("truncated to %d of %d: err = %v", n, len(b), err)
				}
			}
		})
	}
}

func TestRejectsOversize(t *testing.T) {
	limits := map[string]int{
		"status": MaxStatus, "announce": MaxBlockAnnounce, "block-request-hash": MaxRequest,
		"block-response": MaxBlockResponse, "state-request": MaxRequest, "state-response": MaxStateResponse,
		"warp-request": MaxRequest, "warp-response": MaxWarpResponse,
	}
	for _, s := range samples() {
		limit, ok := limits[s.name]
		if !ok {
			continue
		}
		if limit > MaxMessage {
			t.Fatalf("%s: limit %d above MaxMessage", s.name, limit)
		}
		big := make([]byte, limit+1)
		if _, err := s.decode(big); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: %d bytes: err = %v, want ErrTooLarge", s.name, len(big), err)
		}
	}
}

func TestStatusLayout(t *testing.T) {
	s := Status{Roles: RoleAuthority, BestNumber: 0x01020304, BestHash: hashOf(0xaa), GenesisHash: hashOf(0xbb)}
	b := Encode(s)
	want := append([]byte{4, 4, 3, 2, 1}, append(bytes.Repeat([]byte{0xaa}, 32), bytes.Repeat([]byte{0xbb}, 32)...)...)
	if !bytes.Equal(b, want) {
		t.Fatalf("status = %x, want %x", b, want)
	}
	if len(b) != MaxStatus {
		t.Fatalf("status is %d bytes, MaxStatus %d", len(b), MaxStatus)
	}
}

func TestAnnounceStateTags(t *testing.T) {
	h := testHeader(1)
	hb := h.Bytes()
	cases := []struct {
		tail   []byte
		isBest bool
		data   []byte
		ok     bool
	}{
		{[]byte{1, 1, 0}, true, nil, true},
		{[]byte{1, 0, 0}, false, nil, true},
		{[]byte{0, 0}, false, nil, true}, // None state (older peers)
		{[]byte{1, 0, 1, 4, 0xde}, false, []byte{0xde}, true},
		{[]byte{1, 0, 1, 0}, false, []byte{}, true},
		{[]byte{1, 2, 0}, false, nil, false}, // bad BlockState
		{[]byte{2, 0}, false, nil, false},    // bad option tag
	}
	for i, c := range cases {
		a, err := DecodeBlockAnnounce(append(append([]byte{}, hb...), c.tail...))
		if (err == nil) != c.ok {
			t.Fatalf("case %d: err = %v", i, err)
		}
		if !c.ok {
			continue
		}
		if a.IsBest != c.isBest || !bytes.Equal(a.Data, c.data) || (a.Data == nil) != (c.data == nil) {
			t.Fatalf("case %d: got best=%v data=%x", i, a.IsBest, a.Data)
		}
	}
	// Encoding a best announce writes 01 01 and no data as 00.
	if b := Encode(BlockAnnounce{Header: h, IsBest: true}); !bytes.Equal(b[len(hb):], []byte{1, 1, 0}) {
		t.Fatalf("best announce tail = %x", b[len(hb):])
	}
}

func TestBlockRequestLayout(t *testing.T) {
	b := Encode(BlockRequest{Fields: FieldHeader | FieldBody, FromNumber: 5, Max: 3})
	want := []byte{3, 1, 5, 0, 0, 0, 0, 3, 0, 0, 0}
	if !bytes.Equal(b, want) {
		t.Fatalf("request = %x, want %x", b, want)
	}
	if _, err := DecodeBlockRequest([]byte{3, 2, 5, 0, 0, 0, 0, 3, 0, 0, 0}); !errors.Is(err, scale.ErrInvalidEnum) {
		t.Fatalf("bad FromBlock variant: err = %v", err)
	}
	if _, err := DecodeBlockRequest([]byte{3, 1, 5, 0, 0, 0, 2, 3, 0, 0, 0}); !errors.Is(err, scale.ErrInvalidBool) {
		t.Fatalf("bad direction: err = %v", err)
	}
}

func TestAbsurdLengths(t *testing.T) {
	// Compact(2^30-ish) element counts in a few bytes must fail before any
	// allocation for them.
	huge := []byte{0x03, 0xff, 0xff, 0xff, 0x3f} // big-int mode, 4 bytes
	for name, f := range map[string]func([]byte) error{
		"block-response": func(b []byte) error { _, err := DecodeBlockResponse(b); return err },
		"state-response": func(b []byte) error { _, err := DecodeStateResponse(b); return err },
		"warp-response":  func(b []byte) error { _, err := DecodeWarpResponse(b); return err },
	} {
		if err := f(huge); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%s: err = %v", name, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_ = f(huge)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 { // the claim is ~2^30 elements
			t.Fatalf("%s: %d bytes allocated for a rejected length", name, n)
		}
	}
	// A body claiming more extrinsics than bytes left.
	bd := Encode(BlockData{Hash: hashOf(1)})
	bd[33] = 1                                   // body Some
	bd = append(bd[:34], 0xfd, 0xff, 0xff, 0xff) // compact count 2^30-1 (4-byte mode)
	bd = append(bd, 0)
	resp := append([]byte{4}, bd...)
	if _, err := DecodeBlockResponse(resp); !errors.Is(err, ErrMalformed) {
		t.Fatalf("absurd body count: err = %v", err)
	}
}

func TestBlockDataBlock(t *testing.T) {
	h := testHeader(3)
	bd := BlockData{Hash: h.Hash(), Header: &h, Body: [][]byte{{0x04, 0xee}}, HasBody: true}
	blk, ok := bd.Block()
	if !ok || blk.Hash() != h.Hash() || len(blk.Extrinsics) != 1 {
		t.Fatalf("Block() = %+v, %v", blk, ok)
	}
	if _, ok := (BlockData{Hash: h.Hash(), Header: &h}).Block(); ok {
		t.Fatal("Block() without a body should fail")
	}
	// The body encodes exactly like types.Block's.
	enc := Encode(bd)
	want := Encode(blk)
	if !bytes.Contains(enc, want[len(h.Bytes()):]) {
		t.Fatalf("body encoding %x not in %x", want[len(h.Bytes()):], enc)
	}
}
