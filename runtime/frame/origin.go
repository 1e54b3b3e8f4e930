package frame

import "github.com/metamars/mars/runtime/types"

// OriginKind is frame_system::RawOrigin's variant.
type OriginKind uint8

const (
	OriginRoot   OriginKind = 0
	OriginSigned OriginKind = 1
	OriginNone   OriginKind = 2
)

// Origin is who dispatches a call.
type Origin struct {
	Kind OriginKind
	Who  types.AccountID // for OriginSigned
}

// Root is the root origin (sudo, governance).
func Root() Origin { return Origin{Kind: OriginRoot} }

// Signed is the origin of a signed extrinsic.
func Signed(who types.AccountID) Origin { return Origin{Kind: OriginSigned, Who: who} }

// None is the origin of inherents and unsigned extrinsics.
func None() Origin { return Origin{Kind: OriginNone} }

// EnsureSigned returns the signer, or ErrBadOrigin.
func (o Origin) EnsureSigned() (types.AccountID, error) {
	if o.Kind != OriginSigned {
		return types.AccountID{}, ErrBadOrigin
	}
	return o.Who, nil
}

// EnsureRoot returns ErrBadOrigin unless o is Root.
func (o Origin) EnsureRoot() error {
	if o.Kind != OriginRoot {
		return ErrBadOrigin
	}
	return nil
}

// EnsureNone returns ErrBadOrigin unless o is None.
func (o Origin) EnsureNone() error {
	if o.Kind != OriginNone {
		return ErrBadOrigin
	}
	return nil
}
