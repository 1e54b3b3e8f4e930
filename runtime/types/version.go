package types

import "github.com/metamars/mars/runtime/scale"

// APIVersion is one entry of RuntimeVersion.APIs: blake2b-64 of a runtime
// API trait name and the version the runtime implements.
type APIVersion struct {
	ID      [8]byte
	Version uint32
}

// APIID returns blake2b-64 of a runtime API trait name, e.g. "Core" →
// df6acb689907609b.
func APIID(traitName string) [8]byte { return Blake2b64([]byte(traitName)) }

// RuntimeVersion is sp_version::RuntimeVersion, returned by Core_version
// and stored in the runtime_version wasm custom section.
type RuntimeVersion struct {
	SpecName           string
	ImplName           string
	AuthoringVersion   uint32
	SpecVersion        uint32
	ImplVersion        uint32
	APIs               []APIVersion
	TransactionVersion uint32
	// SystemVersion (ex state_version, RFC-42): 0 = state and extrinsics
	// root V0, 1 = state V1, 2 = both V1.
	SystemVersion uint8
}

// APIVersion returns the version of the API with the given id.
func (v RuntimeVersion) APIVersion(id [8]byte) (uint32, bool) {
	for _, a := range v.APIs {
		if a.ID == id {
			return a.Version, true
		}
	}
	return 0, false
}

// StateVersion returns the trie layout of the state (system_version >= 1
// means V1).
func (v RuntimeVersion) StateVersion() StateVersion {
	if v.SystemVersion >= 1 {
		return StateV1
	}
	return StateV0
}

// ExtrinsicsRootVersion returns the trie layout of the extrinsics root
// (V1 only from system_version 2).
func (v RuntimeVersion) ExtrinsicsRootVersion() StateVersion {
	if v.SystemVersion >= 2 {
		return StateV1
	}
	return StateV0
}

// EncodeTo writes the current form, all fields included.
func (v RuntimeVersion) EncodeTo(e *scale.Encoder) {
	e.PutString(v.SpecName)
	e.PutString(v.ImplName)
	e.PutU32(v.AuthoringVersion)
	e.PutU32(v.SpecVersion)
	e.PutU32(v.ImplVersion)
	e.PutLen(len(v.APIs))
	for _, a := range v.APIs {
		e.PutRaw(a.ID[:])
		e.PutU32(a.Version)
	}
	e.PutU32(v.TransactionVersion)
	e.PutU8(v.SystemVersion)
}

// DecodeFrom reads a RuntimeVersion. Older forms end after apis
// (TransactionVersion then defaults to 1, as in sp-version) or after
// transaction_version (SystemVersion 0); they are recognised by the input
// ending there, so a RuntimeVersion must be the last value of its input.
func (v *RuntimeVersion) DecodeFrom(d *scale.Decoder) {
	*v = RuntimeVersion{}
	v.SpecName = d.String()
	v.ImplName = d.String()
	v.AuthoringVersion = d.U32()
	v.SpecVersion = d.U32()
	v.ImplVersion = d.U32()
	if n := d.Len(12); n > 0 {
		v.APIs = make([]APIVersion, n)
		for i := range v.APIs {
			copy(v.APIs[i].ID[:], d.Raw(8))
			v.APIs[i].Version = d.U32()
		}
	}
	v.TransactionVersion = 1
	if d.Remaining() > 0 {
		v.TransactionVersion = d.U32()
		if d.Remaining() > 0 {
			v.SystemVersion = d.U8()
		}
	}
	if d.Err() != nil {
		*v = RuntimeVersion{}
	}
}

// DecodeRuntimeVersion decodes a RuntimeVersion spanning all of b.
func DecodeRuntimeVersion(b []byte) (RuntimeVersion, error) {
	var v RuntimeVersion
	if err := scale.Decode(b, &v); err != nil {
		return RuntimeVersion{}, err
	}
	return v, nil
}

// StateVersion is the trie layout version: V0 inlines every value, V1
// stores values of 33 bytes or more by hash.
type StateVersion uint8

// State versions.
const (
	StateV0 StateVersion = 0
	StateV1 StateVersion = 1
)

// ExtrinsicInclusionMode is what Core_initialize_block (v5) returns.
type ExtrinsicInclusionMode uint8

// Inclusion modes.
const (
	AllExtrinsics ExtrinsicInclusionMode = 0
	OnlyInherents ExtrinsicInclusionMode = 1
)
