package types

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// appendixHeader is the PROTOCOL.md Appendix header: parent 00×32, #1,
// state 11×32, extrinsics 22×32, [PreRuntime(aura, slot 1), Seal(aura, ab×64)].
func appendixHeader() Header {
	var h Header
	h.Number = 1
	copy(h.StateRoot[:], rep(0x11, 32))
	copy(h.ExtrinsicsRoot[:], rep(0x22, 32))
	h.Digest = []DigestItem{
		{Kind: DigestPreRuntime, Engine: EngineAura, Data: []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{Kind: DigestSeal, Engine: EngineAura, Data: rep(0xab, 64)},
	}
	return h
}

func appendixHeaderBytes(t testing.TB) []byte {
	var b []byte
	b = append(b, rep(0, 32)...)
	b = append(b, 0x04)
	b = append(b, rep(0x11, 32)...)
	b = append(b, rep(0x22, 32)...)
	b = append(b, unhex(t, "08 06 61757261 20 0100000000000000 05 61757261 0101")...)
	return append(b, rep(0xab, 64)...)
}

func TestHeaderAppendixVector(t *testing.T) {
	h := appendixHeader()
	want := appendixHeaderBytes(t)
	got := h.Bytes()
	if len(got) != 183 || !bytes.Equal(got, want) {
		t.Fatalf("encoding (%d bytes) = %x\nwant %x", len(got), got, want)
	}
	const wantHash = "0xf242f6807b7c8e490086bb55bc1b1ddca08aef4a39bba09b20e55715dcbaec30"
	if hh := h.Hash(); hh.Hex() != wantHash {
		t.Errorf("hash = %s, want %s", hh, wantHash)
	}
	dec, err := DecodeHeader(want)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dec, h) {
		t.Errorf("decoded %+v\nwant %+v", dec, h)
	}
	seal, ok := dec.Seal()
	if !ok || !bytes.Equal(seal.Data, rep(0xab, 64)) {
		t.Errorf("Seal() = %+v, %v", seal, ok)
	}
	unsealed := dec.WithoutSeal()
	if len(unsealed.Digest) != 1 || len(dec.Digest) != 2 {
		t.Errorf("WithoutSeal digest %d items, original %d", len(unsealed.Digest), len(dec.Digest))
	}
	if _, ok := unsealed.Seal(); ok {
		t.Error("unsealed header still has a seal")
	}
	if again := unsealed.WithoutSeal(); len(again.Digest) != 1 {
		t.Error("WithoutSeal removed a non-seal item")
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	tests := []Header{
		{},
		{Number: 63},
		{Number: 64},
		{Number: 1<<14 - 1},
		{Number: 1 << 14},
		{Number: 1<<30 - 1},
		{Number: 1 << 30},
		{Number: ^uint32(0), Digest: []DigestItem{
			{Kind: DigestOther, Data: []byte("hello")},
			{Kind: DigestConsensus, Engine: EngineGrandpa, Data: []byte{1, 2, 3}},
			{Kind: DigestRuntimeEnvironmentUpdated},
			{Kind: DigestPreRuntime, Engine: EngineBabe, Data: []byte{}},
		}},
	}
	for _, h := range tests {
		b := h.Bytes()
		got, err := DecodeHeader(b)
		if err != nil {
			t.Errorf("#%d: %v", h.Number, err)
			continue
		}
		if !bytes.Equal(got.Bytes(), b) {
			t.Errorf("#%d: re-encoding differs", h.Number)
		}
		if got.Number != h.Number || len(got.Digest) != len(h.Digest) {
			t.Errorf("#%d: decoded %+v", h.Number, got)
		}
	}
}

func TestHeaderDecodeErrors(t *testing.T) {
	good := appendixHeaderBytes(t)
	number5 := append(append(rep(0, 32), 0x07, 0, 0, 0, 0, 1), rep(0, 65)...) // 2^32 as a 5-byte big compact
	unknownDigest := append(append(append(rep(0, 32), 0), rep(0, 64)...), 0x04, 0x07)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, scale.ErrUnexpectedEOF},
		{"truncated seal", good[:182], scale.ErrTooLong},
		{"truncated root", good[:50], scale.ErrUnexpectedEOF},
		{"trailing", append(append([]byte{}, good...), 0), scale.ErrTrailingBytes},
		{"number > u32", number5, ErrBlockNumber},
		{"unknown digest", unknownDigest, ErrUnknownVariant},
		{"digest count too long", append(append(append(rep(0, 32), 0), rep(0, 64)...), 0xfd, 0xff), scale.ErrTooLong},
	}
	for _, tt := range tests {
		if _, err := DecodeHeader(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestBlockRoundTrip(t *testing.T) {
	alice, bob := account(t, alicePub), account(t, bobPub)
	xts := [][]byte{
		EncodeBareExtrinsic([]byte{3, 0, 0x0b, 1, 2, 3, 4, 5, 6, 7}),
		EncodeSignedExtrinsic(NewAddress(alice), MultiSignature{Kind: SigSr25519, Sig: rep(1, 64)}, []byte{0, 0, 0}, append([]byte{6, 3, 0}, bob[:]...)),
		{0}, // an empty opaque extrinsic is still a Vec<u8>
	}
	blk := Block{Header: appendixHeader(), Extrinsics: xts}
	b := enc(&blk)
	want := append(appendixHeaderBytes(t), 0x0c)
	for _, x := range xts {
		want = append(want, x...)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("block encoding = %x\nwant %x", b, want)
	}
	got, err := DecodeBlock(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, blk) {
		t.Errorf("decoded %+v", got)
	}
	if got.Hash() != blk.Header.Hash() {
		t.Error("block hash is not the header hash")
	}
	// An extrinsic whose prefix claims more bytes than remain.
	bad := append(appendixHeaderBytes(t), 0x04, 0x08, 0x01)
	if _, err := DecodeBlock(bad); !errors.Is(err, scale.ErrUnexpectedEOF) {
		t.Errorf("short extrinsic: %v", err)
	}
	// A non-canonical extrinsic length prefix.
	bad = append(appendixHeaderBytes(t), 0x04, 0x05, 0x00)
	if _, err := DecodeBlock(bad); !errors.Is(err, scale.ErrNonCanonicalCompact) {
		t.Errorf("non-canonical prefix: %v", err)
	}
}
