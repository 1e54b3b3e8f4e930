package types

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// observedTransfer builds the PJS transferKeepAlive(Bob, 12345) shape of
// PROTOCOL.md §4 with an immortal era and a dummy signature.
func observedTransfer(t testing.TB) []byte {
	body := []byte{0x84, 0x00}
	body = append(body, unhex(t, alicePub)...)
	body = append(body, 0x01)
	body = append(body, rep(0x5a, 64)...)
	body = append(body, 0x00, 0x00, 0x00, 0x00, 0x00) // era, nonce, tip, asset None, metadata mode
	body = append(body, 0x06, 0x03, 0x00)             // Balances.transfer_keep_alive, dest Id
	body = append(body, unhex(t, bobPub)...)
	body = append(body, 0xe5, 0xc0) // Compact(12345)
	e := scale.NewEncoder(0)
	e.PutBytes(body)
	return e.Bytes()
}

func TestDecodeObservedTransfer(t *testing.T) {
	full := observedTransfer(t)
	if full[0] != 0x35 || full[1] != 0x02 || len(full) != 2+141 {
		t.Fatalf("prefix %x, length %d", full[:2], len(full))
	}
	x, err := DecodeExtrinsic(full)
	if err != nil {
		t.Fatal(err)
	}
	alice := account(t, alicePub)
	if x.Version != 4 || !x.Signed {
		t.Errorf("version %d signed %v", x.Version, x.Signed)
	}
	if x.Address.Kind != AddressID || x.Address.ID != alice {
		t.Errorf("address %+v", x.Address)
	}
	if id, ok := x.Address.AccountID(); !ok || id != alice {
		t.Errorf("AccountID() = %x %v", id, ok)
	}
	if x.Signature.Kind != SigSr25519 || !bytes.Equal(x.Signature.Sig, rep(0x5a, 64)) {
		t.Errorf("signature %+v", x.Signature)
	}
	wantRest := append(unhex(t, "00 00 00 00 00 0603 00"), unhex(t, bobPub)...)
	wantRest = append(wantRest, 0xe5, 0xc0)
	if !bytes.Equal(x.Rest, wantRest) {
		t.Errorf("rest = %x\nwant %x", x.Rest, wantRest)
	}
	// Extra = era 00, nonce 00, tip 00, asset 00, mode 00; then the call.
	d := scale.NewDecoder(x.Rest)
	var era Era
	era.DecodeFrom(d)
	nonce, tip := d.CompactU32(), d.CompactU128()
	asset, mode := d.Option(), d.U8()
	pallet, call := d.U8(), d.U8()
	var dest MultiAddress
	dest.DecodeFrom(d)
	value := d.Compact()
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	if !era.Immortal || nonce != 0 || !tip.IsZero() || asset || mode != 0 || pallet != 6 || call != 3 ||
		dest.ID != account(t, bobPub) || value != 12345 {
		t.Errorf("fields: era %+v nonce %d tip %v asset %v mode %d call %d/%d dest %x value %d",
			era, nonce, tip, asset, mode, pallet, call, dest.ID, value)
	}
	// The encoder rebuilds the same bytes.
	again := EncodeSignedExtrinsic(x.Address, x.Signature, x.Rest[:5], x.Rest[5:])
	if !bytes.Equal(again, full) {
		t.Errorf("EncodeSignedExtrinsic = %x\nwant %x", again, full)
	}
	if !bytes.Equal(x.Encode(), full) {
		t.Error("Extrinsic.Encode differs")
	}
}

func TestExtrinsicRoundTrip(t *testing.T) {
	alice := account(t, alicePub)
	tests := []struct {
		name string
		full []byte
		want Extrinsic
	}{
		{"bare timestamp", EncodeBareExtrinsic([]byte{3, 0, 0x0b, 0xe8, 3}),
			Extrinsic{Version: 4, Rest: []byte{3, 0, 0x0b, 0xe8, 3}}},
		{"bare empty", EncodeBareExtrinsic(nil), Extrinsic{Version: 4, Rest: []byte{}}},
		{"ed25519 index", EncodeSignedExtrinsic(MultiAddress{Kind: AddressIndex, Index: 1 << 20}, MultiSignature{Kind: SigEd25519, Sig: rep(7, 64)}, []byte{0x85, 0x02}, []byte{0, 0}),
			Extrinsic{Version: 4, Signed: true, Address: MultiAddress{Kind: AddressIndex, Index: 1 << 20}, Signature: MultiSignature{Kind: SigEd25519, Sig: rep(7, 64)}, Rest: []byte{0x85, 0x02, 0, 0}}},
		{"ecdsa raw", EncodeSignedExtrinsic(MultiAddress{Kind: AddressRaw, Raw: []byte{1, 2, 3}}, MultiSignature{Kind: SigEcdsa, Sig: rep(9, 65)}, nil, []byte{1}),
			Extrinsic{Version: 4, Signed: true, Address: MultiAddress{Kind: AddressRaw, Raw: []byte{1, 2, 3}}, Signature: MultiSignature{Kind: SigEcdsa, Sig: rep(9, 65)}, Rest: []byte{1}}},
		{"address32", EncodeSignedExtrinsic(MultiAddress{Kind: AddressAddress32, ID: alice}, MultiSignature{Kind: SigSr25519, Sig: rep(1, 64)}, nil, nil),
			Extrinsic{Version: 4, Signed: true, Address: MultiAddress{Kind: AddressAddress32, ID: alice}, Signature: MultiSignature{Kind: SigSr25519, Sig: rep(1, 64)}, Rest: []byte{}}},
		{"address20", EncodeSignedExtrinsic(MultiAddress{Kind: AddressAddress20, Raw: rep(4, 20)}, MultiSignature{Kind: SigSr25519, Sig: rep(1, 64)}, nil, []byte{5, 5}),
			Extrinsic{Version: 4, Signed: true, Address: MultiAddress{Kind: AddressAddress20, Raw: rep(4, 20)}, Signature: MultiSignature{Kind: SigSr25519, Sig: rep(1, 64)}, Rest: []byte{5, 5}}},
		{"large call (4-byte prefix)", EncodeBareExtrinsic(rep(0xee, 1<<14)),
			Extrinsic{Version: 4, Rest: rep(0xee, 1<<14)}},
	}
	for _, tt := range tests {
		x, err := DecodeExtrinsic(tt.full)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(x, tt.want) {
			t.Errorf("%s: decoded %+v\nwant %+v", tt.name, x, tt.want)
		}
		if !bytes.Equal(x.Encode(), tt.full) {
			t.Errorf("%s: re-encoding differs", tt.name)
		}
	}
}

func TestEncodePadsFixedFields(t *testing.T) {
	// Wrong-length Sig/Address20 still give a decodable envelope of fixed size.
	full := EncodeSignedExtrinsic(MultiAddress{Kind: AddressAddress20, Raw: []byte{1}}, MultiSignature{Kind: SigEcdsa, Sig: rep(2, 70)}, nil, nil)
	x, err := DecodeExtrinsic(full)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Address.Raw) != 20 || x.Address.Raw[0] != 1 || len(x.Signature.Sig) != 65 {
		t.Errorf("decoded %+v", x)
	}
}

func TestDecodeExtrinsicErrors(t *testing.T) {
	good := observedTransfer(t)
	withPrefix := func(body ...byte) []byte {
		e := scale.NewEncoder(0)
		e.PutBytes(body)
		return e.Bytes()
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, scale.ErrUnexpectedEOF},
		{"prefix only", []byte{0}, scale.ErrUnexpectedEOF},
		{"prefix too long", append([]byte{0x39, 0x02}, good[2:]...), ErrExtrinsicLength},
		{"prefix too short", append([]byte{0x31, 0x02}, good[2:]...), ErrExtrinsicLength},
		{"trailing byte", append(append([]byte{}, good...), 0), ErrExtrinsicLength},
		{"non-canonical prefix", []byte{0x05, 0x00}, scale.ErrNonCanonicalCompact},
		{"v5 bare", withPrefix(0x05, 0, 0), ErrExtrinsicVersion},
		{"v5 general", withPrefix(0x45, 0, 0), ErrExtrinsicVersion},
		{"v4 general bit", withPrefix(0xc4, 0, 0), ErrExtrinsicVersion},
		{"v3 signed", withPrefix(0x83, 0, 0), ErrExtrinsicVersion},
		{"unknown address", withPrefix(0x84, 0x05), ErrUnknownVariant},
		{"unknown signature", withPrefix(append(append([]byte{0x84, 0}, rep(0, 32)...), 3)...), ErrUnknownVariant},
		{"short signature", withPrefix(append(append([]byte{0x84, 0}, rep(0, 32)...), 1, 0)...), scale.ErrUnexpectedEOF},
		{"index overflow", withPrefix(0x84, 0x01, 0x07, 0, 0, 0, 0, 1), scale.ErrOverflow},
		{"raw too long", withPrefix(0x84, 0x02, 0x08, 1), scale.ErrTooLong},
	}
	for _, tt := range tests {
		if _, err := DecodeExtrinsic(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestSigningPayload(t *testing.T) {
	call, extra, implicit := rep(1, 100), rep(2, 100), rep(3, 56)
	p := SigningPayload(call, extra, implicit)
	if len(p) != 256 || p[0] != 1 || p[100] != 2 || p[255] != 3 {
		t.Errorf("256-byte payload not passed through: %d bytes", len(p))
	}
	implicit = append(implicit, 4)
	full := append(append(append([]byte{}, call...), extra...), implicit...)
	want := Blake2b256(full)
	if p := SigningPayload(call, extra, implicit); !bytes.Equal(p, want[:]) {
		t.Errorf("257-byte payload = %x, want its blake2_256", p)
	}
}

func TestEraVectors(t *testing.T) {
	tests := []struct {
		name string
		era  Era
		enc  string
	}{
		{"immortal", ImmortalEra, "00"},
		{"period 64 @1000", NewMortalEra(1000, 64), "8502"},
		{"period 128 phase 1", Era{Period: 128, Phase: 1}, "1600"},
		{"sp-runtime mortal(64, 42)", NewMortalEra(42, 64), "a502"},
		{"sp-runtime mortal(32768, 20000)", NewMortalEra(20000, 32768), "4e9c"},
	}
	for _, tt := range tests {
		b := enc(tt.era)
		if got := bytesHex(b); got != tt.enc {
			t.Errorf("%s: %+v encodes %s, want %s", tt.name, tt.era, got, tt.enc)
		}
		var back Era
		if err := scale.Decode(b, &back); err != nil || back != tt.era {
			t.Errorf("%s: decoded %+v, %v", tt.name, back, err)
		}
	}
}

func TestNewMortalEra(t *testing.T) {
	// From sp-runtime era.rs era_initialization_works / quantized_clamped_era_initialization_works.
	tests := []struct {
		current, period uint64
		want            Era
	}{
		{42, 64, Era{Period: 64, Phase: 42}},
		{20000, 32768, Era{Period: 32768, Phase: 20000}},
		{513, 200, Era{Period: 256, Phase: 1}},
		{1, 2, Era{Period: 4, Phase: 1}},
		{5, 4, Era{Period: 4, Phase: 1}},
		{1000001, 1000000, Era{Period: 65536, Phase: 1000001 % 65536 / 16 * 16}},
		{7, 0, Era{Period: 4, Phase: 3}},
		{math.MaxUint64, math.MaxUint64, Era{Period: 65536, Phase: 65520}},
	}
	for _, tt := range tests {
		if got := NewMortalEra(tt.current, tt.period); got != tt.want {
			t.Errorf("NewMortalEra(%d, %d) = %+v, want %+v", tt.current, tt.period, got, tt.want)
		}
	}
}

func TestEraBirthDeath(t *testing.T) {
	if ImmortalEra.Birth(100) != 0 || ImmortalEra.Death(100) != math.MaxUint64 {
		t.Error("immortal era window")
	}
	e := NewMortalEra(6, 4) // sp-runtime era_works: Era::mortal(4, 6)
	for cur := uint64(6); cur < 10; cur++ {
		if e.Birth(cur) != 6 || e.Death(cur) != 10 {
			t.Errorf("current %d: birth %d death %d", cur, e.Birth(cur), e.Death(cur))
		}
	}
	e = NewMortalEra(1000, 64)
	tests := []struct{ current, birth, death uint64 }{
		{1000, 1000, 1064}, {1010, 1000, 1064}, {1063, 1000, 1064}, {1064, 1064, 1128}, {0, 40, 104}, {40, 40, 104},
	}
	for _, tt := range tests {
		if b, d := e.Birth(tt.current), e.Death(tt.current); b != tt.birth || d != tt.death {
			t.Errorf("current %d: birth %d death %d, want %d %d", tt.current, b, d, tt.birth, tt.death)
		}
	}
	big := Era{Period: 65536, Phase: 5}
	if d := big.Death(math.MaxUint64); d != math.MaxUint64 {
		t.Errorf("death saturates: %d", d)
	}
}

func TestEraAllEncodings(t *testing.T) {
	ok := 0
	for v := 0; v < 1<<16; v++ {
		b := []byte{byte(v), byte(v >> 8)}
		var e Era
		err := scale.Decode(b, &e)
		if byte(v) == 0 {
			// 00 is immortal; the second byte is trailing.
			if !errors.Is(err, scale.ErrTrailingBytes) {
				t.Fatalf("%x: %v", b, err)
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidEra) {
				t.Fatalf("%x: %v", b, err)
			}
			continue
		}
		ok++
		if got := enc(e); !bytes.Equal(got, b) {
			t.Fatalf("%x decodes to %+v which encodes to %x", b, e, got)
		}
		if e.Period < 4 || e.Period > 65536 || e.Phase >= e.Period || e.Period&(e.Period-1) != 0 {
			t.Fatalf("%x decodes to invalid %+v", b, e)
		}
	}
	if ok == 0 {
		t.Fatal("no valid mortal encodings")
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
