package timestamp

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Name is the pallet's name and storage prefix.
const Name = "Timestamp"

// InherentID is the inherent data identifier of the timestamp.
var InherentID = frame.InherentID{'t', 'i', 'm', 's', 't', 'a', 'p', '0'}

// MaxTimestampDriftMillis is how far ahead of the local clock a block's
// time may be (sp_timestamp / pallet_timestamp).
const MaxTimestampDriftMillis uint64 = 30_000

// DefaultMinimumPeriod is half of a 1 s block time.
const DefaultMinimumPeriod uint64 = 500

// CallSet is the index of set(now).
const CallSet uint8 = 0

// Storage items.
var (
	// Now is the current block's time (ms since the Unix epoch).
	Now = frame.NewValue(Name, "Now", frame.U64Codec)
	// DidUpdate is set while the current block's time has been set.
	DidUpdate = frame.NewValue(Name, "DidUpdate", frame.BoolCodec)
)

// Errors (pallet_timestamp asserts; here they are errors that make the
// inherent, and so the block, invalid).
var (
	// ErrAlreadyUpdated: set was called twice in a block.
	ErrAlreadyUpdated = frame.NewError(Name, 0, "AlreadyUpdated")
	// ErrTooEarly: the time is below the previous time plus MinimumPeriod.
	ErrTooEarly = frame.NewError(Name, 1, "TooEarly")
	// ErrNotUpdated: the block ended without a timestamp.
	ErrNotUpdated = fmt.Errorf("timestamp: must be updated once in the block")
)

// InherentError variants (sp_timestamp::InherentError), as reported by
// check_inherents.
const (
	InherentTooEarly       uint8 = 0
	InherentTooFarInFuture uint8 = 1
)

// OnTimestampSet is notified of each new time (Aura checks the slot).
type OnTimestampSet interface {
	OnTimestampSet(ctx *frame.Context, now uint64) error
}

// Config configures the pallet.
type Config struct {
	// MinimumPeriod between blocks' times in ms (DefaultMinimumPeriod if 0).
	MinimumPeriod uint64
	// OnSet is optional.
	OnSet OnTimestampSet
}

// Pallet is the Timestamp pallet.
type Pallet struct{ cfg Config }

// New returns the pallet.
func New(cfg Config) *Pallet {
	if cfg.MinimumPeriod == 0 {
		cfg.MinimumPeriod = DefaultMinimumPeriod
	}
	return &Pallet{cfg: cfg}
}

// Name is "Timestamp".
func (*Pallet) Name() string { return Name }

// MinimumPeriod is the constant of the same name (ms).
func (p *Pallet) MinimumPeriod() uint64 { return p.cfg.MinimumPeriod }

// Get returns the current time (ms).
func (p *Pallet) Get(st frame.Store) uint64 { return Now.Get(st) }

// weightSet is set's weight (2 reads, 2 writes, about 10 µs).
const weightSet uint64 = 10_000_000 + 2*25_000_000

// Calls returns set(now Compact<u64>).
func (p *Pallet) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCall(CallSet, "set", func(d *scale.Decoder) uint64 { return d.Compact() },
			func(uint64) frame.DispatchInfo {
				return frame.DispatchInfo{Weight: types.Weight{RefTime: weightSet}, Class: frame.Mandatory}
			}, p.set),
	}
}

func (p *Pallet) set(ctx *frame.Context, o frame.Origin, now uint64) error {
	if err := o.EnsureNone(); err != nil {
		return err
	}
	if DidUpdate.Get(ctx) {
		return ErrAlreadyUpdated
	}
	prev := Now.Get(ctx)
	if prev != 0 && (now < prev || now-prev < p.cfg.MinimumPeriod) {
		return ErrTooEarly
	}
	Now.Set(ctx, now)
	DidUpdate.Set(ctx, true)
	if p.cfg.OnSet != nil {
		return p.cfg.OnSet.OnTimestampSet(ctx, now)
	}
	return nil
}

// OnInitialize accounts for on_finalize's work.
func (p *Pallet) OnInitialize(ctx *frame.Context, n types.BlockNumber) types.Weight {
	return types.Weight{RefTime: 25_000_000}
}

// OnFinalize fails the block unless set was called.
func (p *Pallet) OnFinalize(ctx *frame.Context, n types.BlockNumber) error {
	if !DidUpdate.Take(ctx) {
		return ErrNotUpdated
	}
	return nil
}

// IsInherent: set is the pallet's inherent.
func (p *Pallet) IsInherent(call uint8) bool { return call == CallSet }

// CreateInherent returns set(max(data, Now + MinimumPeriod)).
func (p *Pallet) CreateInherent(ctx *frame.Context, data *frame.InherentData) (uint8, []byte, bool) {
	t, ok := inherentTime(data)
	if !ok {
		return 0, nil, false
	}
	next := max(t, satAdd(Now.Get(ctx), p.cfg.MinimumPeriod))
	e := scale.NewEncoder(9)
	e.PutCompact(next)
	return CallSet, e.Bytes(), true
}

// CheckInherent rejects a time more than MaxTimestampDriftMillis after the
// local one, or below Now + MinimumPeriod.
func (p *Pallet) CheckInherent(ctx *frame.Context, call *frame.RuntimeCall, data *frame.InherentData) error {
	t, ok := call.Args.(uint64)
	if !ok {
		return nil
	}
	local, ok := inherentTime(data)
	if !ok {
		return &frame.InherentError{ID: InherentID, Fatal: true, Msg: "no timestamp inherent data"}
	}
	if t > satAdd(local, MaxTimestampDriftMillis) {
		return &frame.InherentError{ID: InherentID, Fatal: true, Data: []byte{InherentTooFarInFuture}, Msg: "too far in future"}
	}
	if t < satAdd(Now.Get(ctx), p.cfg.MinimumPeriod) {
		return &frame.InherentError{ID: InherentID, Fatal: true, Data: []byte{InherentTooEarly}, Msg: "too early"}
	}
	return nil
}

// TryState: DidUpdate never survives a block.
func (p *Pallet) TryState(ctx *frame.Context, n types.BlockNumber) error {
	if DidUpdate.Exists(ctx) {
		return fmt.Errorf("timestamp: DidUpdate left in storage")
	}
	return nil
}

func inherentTime(data *frame.InherentData) (uint64, bool) {
	raw, ok := data.Get(InherentID)
	if !ok || len(raw) != 8 {
		return 0, false
	}
	d := scale.NewDecoder(raw)
	return d.U64(), d.Err() == nil
}

// InherentData returns inherent data carrying time ms (for block authors
// and tests).
func InherentData(ms uint64) *frame.InherentData {
	var d frame.InherentData
	e := scale.NewEncoder(8)
	e.PutU64(ms)
	d.Put(InherentID, e.Bytes())
	return &d
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

// Metadata describes the pallet for runtime metadata.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	u64 := r.Prim(metadata.U64)
	calls := r.Variant([]string{"pallet_timestamp", "pallet", "Call"}, []metadata.Param{{Name: "T"}}, []metadata.Variant{
		{Name: "set", Index: CallSet, Fields: []metadata.Field{{Name: "now", Type: r.Compact(u64), TypeName: "T::Moment"}}},
	})
	e := scale.NewEncoder(8)
	e.PutU64(p.cfg.MinimumPeriod)
	return metadata.Pallet{
		Name: Name, StoragePrefix: Name, Calls: &calls,
		Storage: []metadata.StorageEntry{
			{Name: "Now", Value: u64, Default: Now.DefaultBytes(), Docs: []string{" The current time for the current block."}},
			{Name: "DidUpdate", Value: r.Prim(metadata.Bool), Default: DidUpdate.DefaultBytes(), Docs: []string{" Whether the timestamp has been updated in this block."}},
		},
		Constants: []metadata.Constant{{Name: "MinimumPeriod", Type: u64, Value: e.Bytes(),
			Docs: []string{" The minimum period between blocks."}}},
	}
}
