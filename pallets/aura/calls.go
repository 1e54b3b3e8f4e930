package aura

import (
	"fmt"

	"github.com/metamars/mars/pallets/internal/slash"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// CallReportEquivocationUnsigned is the index of report_equivocation_unsigned.
const CallReportEquivocationUnsigned uint8 = 0

// EquivocationProof is AuraEquivocationProof: two sealed headers of one
// slot by one author.
type EquivocationProof struct {
	Offender      [32]byte // sr25519 Aura key
	Slot          uint64
	First, Second types.Header
}

// EncodeTo writes offender ++ slot u64 ++ first ++ second.
func (p *EquivocationProof) EncodeTo(e *scale.Encoder) {
	e.PutRaw(p.Offender[:])
	e.PutU64(p.Slot)
	p.First.EncodeTo(e)
	p.Second.EncodeTo(e)
}

// DecodeFrom reads offender ++ slot u64 ++ first ++ second.
func (p *EquivocationProof) DecodeFrom(d *scale.Decoder) {
	p.Offender = d.Fixed32()
	p.Slot = d.U64()
	p.First.DecodeFrom(d)
	p.Second.DecodeFrom(d)
}

// DecodeEquivocationProof parses a proof that spans all of b.
func DecodeEquivocationProof(b []byte) (EquivocationProof, error) {
	var p EquivocationProof
	if err := scale.Decode(b, &p); err != nil {
		return EquivocationProof{}, fmt.Errorf("%w: %w", ErrBadProof, err)
	}
	return p, nil
}

// weightReport is the report's weight: two sr25519 verifications (about
// 50 µs each), the authority list, the offences bookkeeping.
var weightReport = types.Weight{RefTime: 100_000_000 + 4*dbRead + 4*dbWrite, ProofSize: 10_000}

// Calls implements frame.Pallet.
func (p *Pallet) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCallPost(CallReportEquivocationUnsigned, "report_equivocation_unsigned",
			func(d *scale.Decoder) *EquivocationProof {
				var pr EquivocationProof
				pr.DecodeFrom(d)
				return &pr
			},
			func(*EquivocationProof) frame.DispatchInfo {
				return frame.DispatchInfo{Weight: weightReport, Class: frame.Operational, PaysFee: frame.PaysNo}
			},
			p.reportEquivocation),
	}
}

// ReportCall returns the encoded call report_equivocation_unsigned(proof)
// at the given pallet index (for AuraEquivocationApi_report_extrinsic).
func ReportCall(palletIndex uint8, proof *EquivocationProof) []byte {
	e := scale.NewEncoder(256)
	e.PutU8(palletIndex)
	e.PutU8(CallReportEquivocationUnsigned)
	proof.EncodeTo(e)
	return e.Bytes()
}

// reportEquivocation checks the proof again (dispatch may come from a
// block) and reports the offence.
func (p *Pallet) reportEquivocation(ctx *frame.Context, o frame.Origin, proof *EquivocationProof) (frame.PostDispatchInfo, error) {
	if err := o.EnsureNone(); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	who, n, err := p.checkProof(ctx, proof)
	if err != nil {
		return frame.PostDispatchInfo{}, err
	}
	if p.cfg.Reporter == nil {
		return frame.PostDispatchInfo{}, ErrInvalidEquivocationProof
	}
	if err := p.cfg.Reporter.ReportOffence(ctx, OffenceKind, timeSlot(proof.Slot), []types.AccountID{who}, SlashFraction(1, n)); err != nil {
		return frame.PostDispatchInfo{}, fmt.Errorf("%w: %w", ErrDuplicateOffenceReport, err)
	}
	return frame.PostDispatchInfo{PaysFee: frame.PaysNo}, nil
}

// checkProof verifies an equivocation proof against the current state and
// returns the offender's account and the size of the authority set.
func (p *Pallet) checkProof(ctx *frame.Context, proof *EquivocationProof) (types.AccountID, int, error) {
	first, second := proof.First, proof.Second
	// sr25519 seals are randomized: one header sealed twice is one block,
	// not an equivocation. Compare the headers without their seals.
	if a, b := first.WithoutSeal(), second.WithoutSeal(); a.Hash() == b.Hash() {
		return types.AccountID{}, 0, ErrInvalidEquivocationProof
	}
	for _, h := range []*types.Header{&first, &second} {
		if !p.sealedBy(ctx, h, proof.Slot, &proof.Offender) {
			return types.AccountID{}, 0, ErrInvalidEquivocationProof
		}
	}
	auths := authorities.Get(ctx)
	idx := -1
	for i, a := range auths {
		if a == proof.Offender {
			idx = i
			break
		}
	}
	// Only the slot's owner can equivocate in it: anyone else's block for
	// the slot is invalid already, not an offence of the key holder.
	if idx < 0 || p.cfg.Validators == nil || proof.Slot%uint64(len(auths)) != uint64(idx) {
		return types.AccountID{}, 0, ErrInvalidEquivocationProof
	}
	who, ok := p.cfg.Validators.ValidatorAt(ctx, uint32(idx))
	if !ok {
		return types.AccountID{}, 0, ErrInvalidEquivocationProof
	}
	return who, len(auths), nil
}

// sealedBy reports whether h carries slot in its Aura pre-runtime digest
// and, as its last item, an Aura seal by key over blake2_256 of h without
// the seal.
func (p *Pallet) sealedBy(ctx *frame.Context, h *types.Header, slot uint64, key *[32]byte) bool {
	if s, ok := SlotFromDigest(h.Digest); !ok || s != slot {
		return false
	}
	seal, ok := h.Seal()
	if !ok || seal.Engine != types.EngineAura || len(seal.Data) != 64 {
		return false
	}
	pre := ctx.Blake2_256(h.WithoutSeal().Bytes())
	sig := [64]byte(seal.Data)
	return ctx.Sr25519Verify(&sig, pre[:], key)
}

// ValidateUnsigned implements frame.UnsignedValidator: only reports from
// the local node or in a block (as Substrate's equivocation reports), with
// a verified proof of an offence not yet known.
func (p *Pallet) ValidateUnsigned(ctx *frame.Context, source types.TransactionSource, call *frame.RuntimeCall) (types.ValidTransaction, error) {
	proof, ok := call.Args.(*EquivocationProof)
	if !ok || call.CallIndex != CallReportEquivocationUnsigned {
		return types.ValidTransaction{}, frame.ErrTxCall
	}
	if source != types.SourceLocal && source != types.SourceInBlock {
		return types.ValidTransaction{}, frame.ErrTxCall
	}
	who, _, err := p.checkProof(ctx, proof)
	if err != nil {
		return types.ValidTransaction{}, frame.ErrTxBadProof
	}
	if k, ok := p.cfg.Reporter.(knownOffences); ok &&
		k.IsKnownOffence(ctx, OffenceKind, timeSlot(proof.Slot), who) {
		return types.ValidTransaction{}, frame.ErrTxStale
	}
	tag := scale.NewEncoder(64)
	tag.PutRaw([]byte("AuraEquivocation"))
	tag.PutRaw(proof.Offender[:])
	tag.PutU64(proof.Slot)
	return types.ValidTransaction{
		Priority:  ^uint64(0),
		Provides:  [][]byte{tag.Bytes()},
		Longevity: ReportLongevity,
		Propagate: false,
	}, nil
}

// ReportLongevity is how many blocks a report stays in the pool.
const ReportLongevity uint64 = 64

func timeSlot(slot uint64) []byte {
	e := scale.NewEncoder(8)
	e.PutU64(slot)
	return e.Bytes()
}

// SlashFraction is Substrate's equivocation slash for offenders out of n
// validators: min(3k/n, 1)², in parts per billion.
func SlashFraction(offenders, n int) uint32 { return slash.EquivocationFraction(offenders, n) }

// CheckEquivocation verifies proof against the current state, as
// validate_unsigned does (AuraEquivocationApi_report_extrinsic answers
// None for a proof that would be refused).
func (p *Pallet) CheckEquivocation(ctx *frame.Context, proof *EquivocationProof) error {
	_, _, err := p.checkProof(ctx, proof)
	return err
}
