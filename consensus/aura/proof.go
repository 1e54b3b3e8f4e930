package aura

import (
	"fmt"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// MaxProofSize bounds an encoded equivocation proof (two headers; a header
// with a few digests is a few hundred bytes).
const MaxProofSize = 64 << 10

// EquivocationProof is the SCALE AuraEquivocationProof{offender, slot,
// first, second}: two different headers, both sealed, for one slot, both
// signed by Offender, the slot's author.
type EquivocationProof struct {
	Offender      [32]byte
	Slot          uint64
	First, Second types.Header
}

// EncodeTo writes offender ++ slot (u64 LE) ++ first ++ second.
func (p EquivocationProof) EncodeTo(e *scale.Encoder) {
	e.PutRaw(p.Offender[:])
	e.PutU64(p.Slot)
	p.First.EncodeTo(e)
	p.Second.EncodeTo(e)
}

// DecodeFrom reads a proof (headers alias the input).
func (p *EquivocationProof) DecodeFrom(d *scale.Decoder) {
	*p = EquivocationProof{}
	p.Offender = d.Fixed32()
	p.Slot = d.U64()
	p.First.DecodeFrom(d)
	p.Second.DecodeFrom(d)
	if d.Err() != nil {
		*p = EquivocationProof{}
	}
}

// DecodeEquivocationProof decodes a proof that must span all of b (at most
// MaxProofSize bytes). It does not check the proof: see Check.
func DecodeEquivocationProof(b []byte) (EquivocationProof, error) {
	if len(b) > MaxProofSize {
		return EquivocationProof{}, fmt.Errorf("%w: %d bytes", ErrBadProof, len(b))
	}
	var p EquivocationProof
	if err := scale.Decode(b, &p); err != nil {
		return EquivocationProof{}, fmt.Errorf("%w: %w", ErrBadProof, err)
	}
	return p, nil
}

// Check verifies that the proof proves an equivocation: the two headers
// differ, both carry Slot in their aura pre-digest and both are sealed by
// Offender. (Whether Offender owned the slot is for the runtime to say: it
// knows the authority set of the session.)
func (p *EquivocationProof) Check() error {
	if p.First.Hash() == p.Second.Hash() {
		return fmt.Errorf("%w: the two headers are the same", ErrBadProof)
	}
	for i, h := range []*types.Header{&p.First, &p.Second} {
		unsealed, sig, err := SplitSeal(h)
		if err != nil {
			return fmt.Errorf("%w: header %d: %w", ErrBadProof, i+1, err)
		}
		slot, err := FindSlot(&unsealed)
		if err != nil {
			return fmt.Errorf("%w: header %d: %w", ErrBadProof, i+1, err)
		}
		if slot != p.Slot {
			return fmt.Errorf("%w: header %d is at slot %d, not %d", ErrBadProof, i+1, slot, p.Slot)
		}
		pre := PreHash(&unsealed)
		if !keystore.Verify(keystore.Sr25519, p.Offender, pre[:], sig[:]) {
			return fmt.Errorf("%w: header %d: %w", ErrBadProof, i+1, ErrBadSeal)
		}
	}
	return nil
}
