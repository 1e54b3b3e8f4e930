package offences

import (
	"errors"
	"fmt"
	"slices"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name (storage prefix, events, metadata).
const PalletName = "Offences"

// Bounds of a report.
const (
	// MaxOffenders is the most offenders one report may name.
	MaxOffenders = 100
	// MaxTimeSlot is the longest encoded time slot accepted.
	MaxTimeSlot = 64
	// Billion is 100% in parts per billion.
	Billion uint32 = 1_000_000_000
)

// Errors of ReportOffence (not dispatch errors: the pallet has no calls).
var (
	// ErrDuplicateReport: every offender was already reported for this
	// kind and time slot.
	ErrDuplicateReport = errors.New("offences: duplicate report")
	// ErrBadReport: no offenders, too many, a time slot too long, or a
	// slash fraction above 100%.
	ErrBadReport = errors.New("offences: malformed report")
)

// OnOffenceHandler receives new offenders (staking implements it).
type OnOffenceHandler interface {
	// OnOffence slashes each offender by slashFraction parts per billion
	// of its exposure.
	OnOffence(ctx *frame.Context, offenders []types.AccountID, slashFraction uint32)
}

// Config is the pallet's configuration.
type Config struct {
	// Handler gets the offenders (nil: offences are only recorded).
	Handler OnOffenceHandler
}

// Pallet is pallet_offences.
type Pallet struct {
	cfg Config
	s   storage
}

// New returns the pallet.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg, s: newStorage()} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// Calls implements frame.Pallet: none.
func (p *Pallet) Calls() []frame.CallDef { return nil }

// OffenceDetails is a stored report: the offender and its reporters
// (always empty: reports come from unsigned equivocation proofs).
type OffenceDetails struct {
	Offender  types.AccountID
	Reporters []types.AccountID
}

// EncodeTo writes offender ++ Vec<AccountId>.
func (o *OffenceDetails) EncodeTo(e *scale.Encoder) {
	e.PutRaw(o.Offender[:])
	e.PutLen(len(o.Reporters))
	for _, r := range o.Reporters {
		e.PutRaw(r[:])
	}
}

// DecodeFrom reads OffenceDetails.
func (o *OffenceDetails) DecodeFrom(d *scale.Decoder) {
	o.Offender = d.Fixed32()
	n := d.Len(32)
	o.Reporters = nil
	for range n {
		o.Reporters = append(o.Reporters, d.Fixed32())
	}
}

// EventOffence: an offence of the given kind happened at the time slot
// (variant 0 ++ [u8;16] kind ++ Vec<u8> timeslot).
type EventOffence struct {
	Kind     [16]byte
	TimeSlot []byte
}

// EncodeTo writes the event.
func (e EventOffence) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(0)
	enc.PutRaw(e.Kind[:])
	enc.PutBytes(e.TimeSlot)
}

type storage struct {
	// Reports: Twox64Concat(report id) → OffenceDetails.
	reports *frame.StorageMap[types.Hash, OffenceDetails]
	// ConcurrentReportsIndex: (Twox64Concat kind, Twox64Concat time slot)
	// → Vec<report id>.
	concurrent *frame.StorageDoubleMap[[16]byte, []byte, []types.Hash]
}

var kindCodec = frame.Codec[[16]byte]{
	Encode: func(e *scale.Encoder, v [16]byte) { e.PutRaw(v[:]) },
	Decode: func(d *scale.Decoder) (v [16]byte) { copy(v[:], d.Raw(16)); return v },
}

func newStorage() storage {
	return storage{
		reports: frame.NewMap(PalletName, "Reports", frame.Twox64Concat, frame.HashCodec,
			frame.CodecOf[OffenceDetails](), frame.Optional[OffenceDetails]()),
		concurrent: frame.NewDoubleMap(PalletName, "ConcurrentReportsIndex", frame.Twox64Concat, kindCodec,
			frame.Twox64Concat, frame.BytesCodec, frame.VecCodec(frame.HashCodec, 32)),
	}
}

// ReportID is the id of a report: blake2_256(kind ++ Vec<u8> time slot ++
// offender), Substrate's (O::ID, time_slot.encode(), offender) hashed.
func ReportID(st frame.Store, kind [16]byte, timeSlot []byte, offender types.AccountID) types.Hash {
	e := scale.NewEncoder(16 + 5 + len(timeSlot) + 32)
	e.PutRaw(kind[:])
	e.PutBytes(timeSlot)
	e.PutRaw(offender[:])
	return types.Hash(st.Blake2_256(e.Bytes()))
}

// ReportOffence records an offence of kind at timeSlot (its SCALE
// encoding) by offenders and has the new ones slashed by slashPercent
// parts per billion. ErrDuplicateReport when none is new (nothing
// changes); ErrBadReport for a malformed report.
func (p *Pallet) ReportOffence(ctx *frame.Context, kind [16]byte, timeSlot []byte, offenders []types.AccountID, slashPercent uint32) error {
	if len(offenders) == 0 || len(offenders) > MaxOffenders || len(timeSlot) > MaxTimeSlot || slashPercent > Billion {
		return fmt.Errorf("%w: %d offenders, time slot of %d bytes, fraction %d", ErrBadReport, len(offenders), len(timeSlot), slashPercent)
	}
	var fresh []types.AccountID
	var ids []types.Hash
	for _, o := range offenders {
		id := ReportID(ctx, kind, timeSlot, o)
		if p.s.reports.Exists(ctx, id) || slices.Contains(ids, id) {
			continue
		}
		fresh = append(fresh, o)
		ids = append(ids, id)
	}
	if len(fresh) == 0 {
		return ErrDuplicateReport
	}
	for i, o := range fresh {
		p.s.reports.Set(ctx, ids[i], OffenceDetails{Offender: o})
	}
	index := p.s.concurrent.Get(ctx, kind, timeSlot)
	p.s.concurrent.Set(ctx, kind, timeSlot, append(slices.Clone(index), ids...))
	if p.cfg.Handler != nil {
		p.cfg.Handler.OnOffence(ctx, fresh, slashPercent)
	}
	ctx.Deposit(PalletName, EventOffence{Kind: kind, TimeSlot: slices.Clone(timeSlot)})
	return nil
}

// IsKnownOffence reports whether offender was reported for kind at
// timeSlot (reporters check before building an extrinsic).
func (p *Pallet) IsKnownOffence(st frame.Store, kind [16]byte, timeSlot []byte, offender types.AccountID) bool {
	return p.s.reports.Exists(st, ReportID(st, kind, timeSlot, offender))
}
