package types

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// MultiAddress kinds (sp_runtime::MultiAddress).
const (
	AddressID        uint8 = 0 // [u8;32] AccountId, in ID
	AddressIndex     uint8 = 1 // Compact<u32> account index, in Index
	AddressRaw       uint8 = 2 // Vec<u8>, in Raw
	AddressAddress32 uint8 = 3 // [u8;32], in ID
	AddressAddress20 uint8 = 4 // [u8;20], in Raw
)

// MultiAddress is the address of a signed extrinsic. Only the field its
// Kind names is meaningful.
type MultiAddress struct {
	Kind  uint8
	ID    AccountID
	Index uint32
	Raw   []byte
}

// NewAddress returns the MultiAddress::Id of an account.
func NewAddress(id AccountID) MultiAddress { return MultiAddress{Kind: AddressID, ID: id} }

// AccountID returns the account of an Id or Address32 address.
func (a MultiAddress) AccountID() (AccountID, bool) {
	if a.Kind == AddressID || a.Kind == AddressAddress32 {
		return a.ID, true
	}
	return AccountID{}, false
}

// EncodeTo writes the kind and its payload. An Address20 writes exactly 20
// bytes (Raw truncated or zero-padded); an unknown kind writes only its
// index.
func (a MultiAddress) EncodeTo(e *scale.Encoder) {
	e.PutU8(a.Kind)
	switch a.Kind {
	case AddressID, AddressAddress32:
		e.PutRaw(a.ID[:])
	case AddressIndex:
		e.PutCompact(uint64(a.Index))
	case AddressRaw:
		e.PutBytes(a.Raw)
	case AddressAddress20:
		var b [20]byte
		copy(b[:], a.Raw)
		e.PutRaw(b[:])
	}
}

// DecodeFrom reads a MultiAddress; unknown kinds fail.
func (a *MultiAddress) DecodeFrom(d *scale.Decoder) {
	*a = MultiAddress{Kind: d.U8()}
	if d.Err() != nil {
		return
	}
	switch a.Kind {
	case AddressID, AddressAddress32:
		a.ID = d.Fixed32()
	case AddressIndex:
		a.Index = d.CompactU32()
	case AddressRaw:
		a.Raw = d.Bytes()
	case AddressAddress20:
		a.Raw = d.Raw(20)
	default:
		d.Fail(badVariant("multi address", a.Kind))
	}
}

// MultiSignature kinds (sp_runtime::MultiSignature).
const (
	SigEd25519 uint8 = 0 // 64 bytes
	SigSr25519 uint8 = 1 // 64 bytes
	SigEcdsa   uint8 = 2 // 65 bytes, over blake2_256(payload)
)

// MultiSignature is the signature of a signed extrinsic.
type MultiSignature struct {
	Kind uint8
	Sig  []byte
}

// SigLen returns the signature length of a kind (0 if unknown).
func SigLen(kind uint8) int {
	switch kind {
	case SigEd25519, SigSr25519:
		return 64
	case SigEcdsa:
		return 65
	}
	return 0
}

// EncodeTo writes the kind and exactly SigLen(kind) bytes (Sig truncated
// or zero-padded).
func (s MultiSignature) EncodeTo(e *scale.Encoder) {
	e.PutU8(s.Kind)
	n := SigLen(s.Kind)
	if len(s.Sig) >= n {
		e.PutRaw(s.Sig[:n])
		return
	}
	e.PutRaw(s.Sig)
	e.PutRaw(make([]byte, n-len(s.Sig)))
}

// DecodeFrom reads a MultiSignature; unknown kinds fail.
func (s *MultiSignature) DecodeFrom(d *scale.Decoder) {
	*s = MultiSignature{Kind: d.U8()}
	if d.Err() != nil {
		return
	}
	n := SigLen(s.Kind)
	if n == 0 {
		d.Fail(badVariant("multi signature", s.Kind))
		return
	}
	s.Sig = d.Raw(n)
}

// Extrinsic version bytes (bits TTVVVVVV; only v4 is supported).
const (
	ExtrinsicVersion    uint8 = 4
	extrinsicSignedBit  uint8 = 0x80
	extrinsicVersionBit uint8 = 0x3f
)

// Extrinsic is a decoded v4 envelope. Rest is extra ++ call for a signed
// extrinsic and the call for a bare one; the runtime's frame splits it,
// since only it knows the extension tuple.
type Extrinsic struct {
	Version   uint8
	Signed    bool
	Address   MultiAddress
	Signature MultiSignature
	Rest      []byte
}

// DecodeExtrinsic decodes a full extrinsic, Compact(len) ++ version ++
// body, checking that the length prefix equals the bytes that follow.
// Rest and any Raw/Sig slices alias full.
func DecodeExtrinsic(full []byte) (Extrinsic, error) {
	var x Extrinsic
	d := scale.NewDecoder(full)
	n := d.Compact()
	if err := d.Err(); err != nil {
		return x, fmt.Errorf("types: extrinsic length: %w", err)
	}
	if n != uint64(d.Remaining()) {
		return x, fmt.Errorf("%w: prefix %d, %d bytes follow", ErrExtrinsicLength, n, d.Remaining())
	}
	v := d.U8()
	if d.Err() != nil {
		return x, fmt.Errorf("types: extrinsic version: %w", d.Err())
	}
	if v&extrinsicVersionBit != ExtrinsicVersion || v&^(extrinsicSignedBit|extrinsicVersionBit) != 0 {
		return x, fmt.Errorf("%w: %#02x", ErrExtrinsicVersion, v)
	}
	x.Version = ExtrinsicVersion
	x.Signed = v&extrinsicSignedBit != 0
	if x.Signed {
		x.Address.DecodeFrom(d)
		x.Signature.DecodeFrom(d)
		if err := d.Err(); err != nil {
			return Extrinsic{}, fmt.Errorf("types: signed extrinsic: %w", err)
		}
	}
	x.Rest = d.Raw(d.Remaining())
	return x, nil
}

// Encode returns the full encoding (with length prefix) of x.
func (x Extrinsic) Encode() []byte {
	if x.Signed {
		return EncodeSignedExtrinsic(x.Address, x.Signature, x.Rest, nil)
	}
	return EncodeBareExtrinsic(x.Rest)
}

// EncodeSignedExtrinsic returns Compact(len) ++ 0x84 ++ addr ++ sig ++
// extra ++ call.
func EncodeSignedExtrinsic(addr MultiAddress, sig MultiSignature, extra, call []byte) []byte {
	body := scale.NewEncoder(1 + 33 + 66 + len(extra) + len(call))
	body.PutU8(ExtrinsicVersion | extrinsicSignedBit)
	addr.EncodeTo(body)
	sig.EncodeTo(body)
	body.PutRaw(extra)
	body.PutRaw(call)
	return prefixLen(body.Bytes())
}

// EncodeBareExtrinsic returns Compact(len) ++ 0x04 ++ call (inherents and
// unsigned transactions).
func EncodeBareExtrinsic(call []byte) []byte {
	n := uint64(1 + len(call))
	e := scale.NewEncoder(scale.CompactLen(n) + int(n))
	e.PutCompact(n)
	e.PutU8(ExtrinsicVersion)
	e.PutRaw(call)
	return e.Bytes()
}

func prefixLen(body []byte) []byte {
	n := uint64(len(body))
	e := scale.NewEncoder(scale.CompactLen(n) + len(body))
	e.PutCompact(n)
	e.PutRaw(body)
	return e.Bytes()
}

// SigningPayload returns what a signed extrinsic's signature covers:
// call ++ extra ++ implicit, or its blake2_256 when longer than 256 bytes.
func SigningPayload(call, extra, implicit []byte) []byte {
	p := make([]byte, 0, len(call)+len(extra)+len(implicit))
	p = append(append(append(p, call...), extra...), implicit...)
	if len(p) > 256 {
		h := Blake2b256(p)
		return h[:]
	}
	return p
}
