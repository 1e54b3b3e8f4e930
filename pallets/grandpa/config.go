package grandpa

import (
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name (storage prefix, events, errors).
const PalletName = "Grandpa"

// OffenceKind is the offences kind of a GRANDPA equivocation.
var OffenceKind = [16]byte{'g', 'r', 'a', 'n', 'd', 'p', 'a', ':', 'e', 'q', 'u', 'i', 'v', 'o', 'c', 'a'}

// MaxAuthorities bounds the authority set (pallet_grandpa's MaxAuthorities).
const MaxAuthorities = 100_000

// Authority is one voter: ed25519 key and weight.
type Authority struct {
	ID     [32]byte
	Weight uint64
}

// EncodeTo writes id ++ weight u64.
func (a Authority) EncodeTo(e *scale.Encoder) { e.PutRaw(a.ID[:]); e.PutU64(a.Weight) }

// DecodeFrom reads id ++ weight u64.
func (a *Authority) DecodeFrom(d *scale.Decoder) { a.ID = d.Fixed32(); a.Weight = d.U64() }

// Config is the pallet's configuration.
type Config struct {
	// Validators maps authority indices to accounts (session).
	Validators Validators
	// Reporter receives equivocation offences (nil: reports are refused).
	Reporter Reporter
}

// Pallet is pallet_grandpa.
type Pallet struct{ cfg Config }

// New returns the pallet.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// SetReporter wires the offences pallet after construction.
func (p *Pallet) SetReporter(r Reporter) { p.cfg.Reporter = r }

// Authorities returns the current set (GrandpaApi_grandpa_authorities).
func (p *Pallet) Authorities(st frame.Store) []Authority { return authorities.Get(st) }

// CurrentSetID returns the set id (GrandpaApi_current_set_id).
func (p *Pallet) CurrentSetID(st frame.Store) uint64 { return currentSetID.Get(st) }

// SessionOfSet returns the session in which set id began.
func (p *Pallet) SessionOfSet(st frame.Store, setID uint64) (uint32, bool) {
	return setIDSession.TryGet(st, setID)
}

// Storage items (pallet_grandpa's Authorities, CurrentSetId, SetIdSession).
var (
	authorities  = frame.NewValue(PalletName, "Authorities", frame.VecCodec(frame.CodecOf[Authority](), 40))
	currentSetID = frame.NewValue(PalletName, "CurrentSetId", frame.U64Codec)
	setIDSession = frame.NewMap(PalletName, "SetIdSession", frame.Twox64Concat, frame.U64Codec, frame.U32Codec, frame.Optional[uint32]())
)

func depositLog(ctx *frame.Context, item types.DigestItem) {
	system.Digest.Append(ctx, scale.Encode(item))
}
