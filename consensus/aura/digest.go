package aura

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// Engine is the Aura consensus engine id of its digest items.
var Engine = types.EngineAura

// SignatureSize is the size of an sr25519 seal.
const SignatureSize = 64

// Errors of digest parsing and header verification. Returned errors wrap
// them with the detail; match them with errors.Is.
var (
	// ErrNoPreDigest: the header has no aura PreRuntime item.
	ErrNoPreDigest = errors.New("aura: no aura pre-runtime digest")
	// ErrMultiplePreDigests: the header has more than one aura PreRuntime item.
	ErrMultiplePreDigests = errors.New("aura: more than one aura pre-runtime digest")
	// ErrBadPreDigest: the aura PreRuntime item is not a u64 slot.
	ErrBadPreDigest = errors.New("aura: malformed aura pre-runtime digest")
	// ErrNoSeal: the last digest item is not an aura Seal.
	ErrNoSeal = errors.New("aura: header is not sealed by aura")
	// ErrSealNotLast: a Seal item appears before the last digest item.
	ErrSealNotLast = errors.New("aura: seal is not the last digest item")
	// ErrBadSeal: the seal is not a valid signature by the slot's author.
	ErrBadSeal = errors.New("aura: invalid seal")
	// ErrWrongAuthor: the seal is a valid signature, but by another authority
	// than the slot's author.
	ErrWrongAuthor = errors.New("aura: block sealed by an authority that does not own the slot")
	// ErrSlotNotIncreasing: the slot is not greater than the parent's.
	ErrSlotNotIncreasing = errors.New("aura: slot is not greater than the parent's")
	// ErrFutureBlock: the slot starts later than now plus the allowed drift.
	// The block may become valid later: callers may keep it and retry.
	ErrFutureBlock = fmt.Errorf("aura: block from a future slot: %w", chain.ErrRetryLater)
	// ErrNoAuthorities: the authority set at the parent is empty.
	ErrNoAuthorities = errors.New("aura: empty authority set")
	// ErrAuthorities: the authority set at the parent could not be read.
	ErrAuthorities = fmt.Errorf("aura: cannot read the authority set: %w", chain.ErrRetryLater)
	// ErrSlotDuration: the slot duration could not be read.
	ErrSlotDuration = errors.New("aura: cannot read the slot duration")
	// ErrParentSlot: the parent (not genesis) carries no readable slot.
	ErrParentSlot = errors.New("aura: parent block has no aura slot")
	// ErrBadProof: an equivocation proof does not decode or does not prove
	// an equivocation.
	ErrBadProof = errors.New("aura: invalid equivocation proof")
	// ErrBadRuntimeAnswer: a runtime API answered bytes that do not decode.
	ErrBadRuntimeAnswer = errors.New("aura: undecodable runtime API answer")
)

// PreDigest returns the PreRuntime item announcing slot.
func PreDigest(slot uint64) types.DigestItem {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], slot)
	return types.DigestItem{Kind: types.DigestPreRuntime, Engine: Engine, Data: b[:]}
}

// SealDigest returns the Seal item holding an sr25519 signature.
func SealDigest(sig []byte) types.DigestItem {
	return types.DigestItem{Kind: types.DigestSeal, Engine: Engine, Data: append([]byte(nil), sig...)}
}

// DecodeSlot reads the payload of an aura PreRuntime item (a SCALE u64).
func DecodeSlot(data []byte) (uint64, error) {
	if len(data) != 8 {
		return 0, fmt.Errorf("%w: %d bytes, want 8", ErrBadPreDigest, len(data))
	}
	return binary.LittleEndian.Uint64(data), nil
}

// FindSlot returns the slot of the header's only aura PreRuntime item. Other
// items (other engines, a seal) are ignored.
func FindSlot(h *types.Header) (uint64, error) {
	found := -1
	for i := range h.Digest {
		d := &h.Digest[i]
		if d.Kind != types.DigestPreRuntime || d.Engine != Engine {
			continue
		}
		if found >= 0 {
			return 0, fmt.Errorf("%w: items %d and %d", ErrMultiplePreDigests, found, i)
		}
		found = i
	}
	if found < 0 {
		return 0, ErrNoPreDigest
	}
	return DecodeSlot(h.Digest[found].Data)
}

// SlotOf is FindSlot, except that genesis (number 0) is at slot 0.
func SlotOf(h *types.Header) (uint64, error) {
	if h.Number == 0 {
		return 0, nil
	}
	return FindSlot(h)
}

// SplitSeal checks that h ends with exactly one aura Seal of 64 bytes and
// returns the header without it (sharing h's items) and the signature.
func SplitSeal(h *types.Header) (types.Header, [SignatureSize]byte, error) {
	var sig [SignatureSize]byte
	n := len(h.Digest)
	for i := 0; i+1 < n; i++ {
		if h.Digest[i].Kind == types.DigestSeal {
			return types.Header{}, sig, fmt.Errorf("%w: seal at item %d of %d", ErrSealNotLast, i, n)
		}
	}
	if n == 0 || h.Digest[n-1].Kind != types.DigestSeal {
		return types.Header{}, sig, ErrNoSeal
	}
	last := &h.Digest[n-1]
	if last.Engine != Engine {
		return types.Header{}, sig, fmt.Errorf("%w: seal of engine %q", ErrNoSeal, last.Engine[:])
	}
	if len(last.Data) != SignatureSize {
		return types.Header{}, sig, fmt.Errorf("%w: %d-byte seal", ErrBadSeal, len(last.Data))
	}
	copy(sig[:], last.Data)
	return h.WithoutSeal(), sig, nil
}

// PreHash is what the author signs: the hash of the header without its seal.
func PreHash(unsealed *types.Header) types.Hash { return unsealed.Hash() }

// SlotAuthor returns the author of slot among authorities (slot % n).
func SlotAuthor(slot uint64, authorities [][32]byte) ([32]byte, error) {
	if len(authorities) == 0 {
		return [32]byte{}, ErrNoAuthorities
	}
	return authorities[slot%uint64(len(authorities))], nil
}
