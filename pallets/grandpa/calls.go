package grandpa

import (
	"fmt"

	"github.com/metamars/mars/pallets/internal/slash"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// CallReportEquivocationUnsigned is pallet_grandpa's index of
// report_equivocation_unsigned (0 is the signed report, 2 note_stalled:
// MSC has neither).
const CallReportEquivocationUnsigned uint8 = 1

// Vote kinds (finality_grandpa::Message variants).
const (
	Prevote   uint8 = 0
	Precommit uint8 = 1
)

// Vote is a prevote or precommit target.
type Vote struct {
	TargetHash   types.Hash
	TargetNumber uint32
}

// SignedVote is a vote and its ed25519 signature.
type SignedVote struct {
	Vote      Vote
	Signature [64]byte
}

// EquivocationProof is sp_consensus_grandpa::EquivocationProof: two
// different votes of one kind by one voter in one round of set SetID.
type EquivocationProof struct {
	SetID         uint64
	Kind          uint8 // Prevote or Precommit
	Round         uint64
	Identity      [32]byte
	First, Second SignedVote
}

func (v *SignedVote) encodeTo(e *scale.Encoder) {
	e.PutRaw(v.Vote.TargetHash[:])
	e.PutU32(v.Vote.TargetNumber)
	e.PutRaw(v.Signature[:])
}

func (v *SignedVote) decodeFrom(d *scale.Decoder) {
	v.Vote.TargetHash = d.Fixed32()
	v.Vote.TargetNumber = d.U32()
	copy(v.Signature[:], d.Raw(64))
}

// EncodeTo writes set_id ++ enum kind ++ round ++ identity ++ first ++ second.
func (p *EquivocationProof) EncodeTo(e *scale.Encoder) {
	e.PutU64(p.SetID)
	e.PutU8(p.Kind)
	e.PutU64(p.Round)
	e.PutRaw(p.Identity[:])
	p.First.encodeTo(e)
	p.Second.encodeTo(e)
}

// DecodeFrom reads a proof; a kind other than Prevote/Precommit fails.
func (p *EquivocationProof) DecodeFrom(d *scale.Decoder) {
	p.SetID = d.U64()
	p.Kind = d.U8()
	if p.Kind > Precommit && d.Err() == nil {
		d.Fail(fmt.Errorf("%w: equivocation kind %d", ErrBadProof, p.Kind))
	}
	p.Round = d.U64()
	p.Identity = d.Fixed32()
	p.First.decodeFrom(d)
	p.Second.decodeFrom(d)
}

// DecodeEquivocationProof parses a proof that spans all of b.
func DecodeEquivocationProof(b []byte) (EquivocationProof, error) {
	var p EquivocationProof
	if err := scale.Decode(b, &p); err != nil {
		return EquivocationProof{}, fmt.Errorf("%w: %w", ErrBadProof, err)
	}
	return p, nil
}

// SignedPayload is what a voter signs: SCALE(Message, round, set_id).
func SignedPayload(kind uint8, v Vote, round, setID uint64) []byte {
	e := scale.NewEncoder(1 + 32 + 4 + 16)
	e.PutU8(kind)
	e.PutRaw(v.TargetHash[:])
	e.PutU32(v.TargetNumber)
	e.PutU64(round)
	e.PutU64(setID)
	return e.Bytes()
}

// ReportCall returns the encoded call report_equivocation_unsigned(proof)
// at the given pallet index (for GrandpaEquivocationApi_report_extrinsic).
func ReportCall(palletIndex uint8, proof *EquivocationProof) []byte {
	e := scale.NewEncoder(256)
	e.PutU8(palletIndex)
	e.PutU8(CallReportEquivocationUnsigned)
	proof.EncodeTo(e)
	return e.Bytes()
}

const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

// weightReport: two ed25519 verifications, the set, the offences bookkeeping.
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
	if err := p.cfg.Reporter.ReportOffence(ctx, OffenceKind, timeSlot(proof), []types.AccountID{who}, SlashFraction(1, n)); err != nil {
		return frame.PostDispatchInfo{}, fmt.Errorf("%w: %w", ErrDuplicateOffenceReport, err)
	}
	return frame.PostDispatchInfo{PaysFee: frame.PaysNo}, nil
}

// checkProof verifies proof against the current set and returns the
// offender's account and the set's size.
func (p *Pallet) checkProof(ctx *frame.Context, proof *EquivocationProof) (types.AccountID, int, error) {
	if proof.SetID != currentSetID.Get(ctx) || proof.First.Vote == proof.Second.Vote {
		return types.AccountID{}, 0, ErrInvalidEquivocationProof
	}
	for _, v := range []*SignedVote{&proof.First, &proof.Second} {
		msg := SignedPayload(proof.Kind, v.Vote, proof.Round, proof.SetID)
		if !ctx.Ed25519Verify(&v.Signature, msg, &proof.Identity) {
			return types.AccountID{}, 0, ErrInvalidEquivocationProof
		}
	}
	auths := authorities.Get(ctx)
	idx := -1
	for i, a := range auths {
		if a.ID == proof.Identity {
			idx = i
			break
		}
	}
	if idx < 0 || p.cfg.Validators == nil {
		return types.AccountID{}, 0, ErrInvalidEquivocationProof
	}
	who, ok := p.cfg.Validators.ValidatorAt(ctx, uint32(idx))
	if !ok {
		return types.AccountID{}, 0, ErrInvalidKeyOwnershipProof
	}
	return who, len(auths), nil
}

// ValidateUnsigned implements frame.UnsignedValidator: only local or
// in-block reports with a verified proof of an offence not yet known.
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
	if k, ok := p.cfg.Reporter.(knownOffences); ok && k.IsKnownOffence(ctx, OffenceKind, timeSlot(proof), who) {
		return types.ValidTransaction{}, frame.ErrTxStale
	}
	tag := scale.NewEncoder(64)
	tag.PutRaw([]byte("GrandpaEquivocation"))
	tag.PutRaw(proof.Identity[:])
	tag.PutU64(proof.SetID)
	tag.PutU64(proof.Round)
	return types.ValidTransaction{Priority: ^uint64(0), Provides: [][]byte{tag.Bytes()}, Longevity: ReportLongevity}, nil
}

// ReportLongevity is how many blocks a report stays in the pool.
const ReportLongevity uint64 = 64

// timeSlot is the offence's time slot: set_id ++ round (u64 each).
func timeSlot(p *EquivocationProof) []byte {
	e := scale.NewEncoder(16)
	e.PutU64(p.SetID)
	e.PutU64(p.Round)
	return e.Bytes()
}

// SlashFraction is Substrate's equivocation slash for offenders out of n
// validators: min(3k/n, 1)², in parts per billion.
func SlashFraction(offenders, n int) uint32 { return slash.EquivocationFraction(offenders, n) }

// CheckEquivocation verifies proof against the current state, as
// validate_unsigned does (GrandpaEquivocationApi_report_extrinsic answers
// None for a proof that would be refused).
func (p *Pallet) CheckEquivocation(ctx *frame.Context, proof *EquivocationProof) error {
	_, _, err := p.checkProof(ctx, proof)
	return err
}
