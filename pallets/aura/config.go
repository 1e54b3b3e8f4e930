package aura

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name (storage prefix, events, errors).
const PalletName = "Aura"

// MaxAuthorities bounds the authority list (pallet_aura's MaxAuthorities).
const MaxAuthorities = 100_000

// OffenceKind is the offences kind of an Aura equivocation.
var OffenceKind = [16]byte{'a', 'u', 'r', 'a', ':', 'e', 'q', 'u', 'i', 'v', 'o', 'c', 'a', 't', 'i', 'o'}

// Config is the pallet's configuration.
type Config struct {
	// SlotDuration in ms: twice Timestamp's MinimumPeriod.
	SlotDuration uint64
	// Validators maps authority indices to accounts (session).
	Validators Validators
	// Reporter receives equivocation offences (nil: reports are refused).
	Reporter Reporter
}

// Pallet is pallet_aura.
type Pallet struct {
	cfg Config
}

// New returns the pallet.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// SetReporter wires the offences pallet after construction.
func (p *Pallet) SetReporter(r Reporter) { p.cfg.Reporter = r }

// SlotDuration is the slot length in ms (AuraApi_slot_duration).
func (p *Pallet) SlotDuration() uint64 { return p.cfg.SlotDuration }

// Authorities returns the current authorities (AuraApi_authorities).
func (p *Pallet) Authorities(st frame.Store) [][32]byte { return authorities.Get(st) }

// CurrentSlot returns the slot of the last block with an Aura digest.
func (p *Pallet) CurrentSlot(st frame.Store) uint64 { return currentSlot.Get(st) }

// AuthorIndex returns the index in Authorities of the author of the
// current block (slot % n), from its pre-runtime digest.
func (p *Pallet) AuthorIndex(ctx *frame.Context) (uint32, bool) {
	slot, ok := SlotFromDigest(systemDigest(ctx))
	if !ok {
		return 0, false
	}
	n := uint64(len(authorities.Get(ctx)))
	if n == 0 {
		return 0, false
	}
	return uint32(slot % n), true
}

// SlotFromDigest returns the slot of the first Aura PreRuntime item.
func SlotFromDigest(digest []types.DigestItem) (uint64, bool) {
	for _, it := range digest {
		if it.Kind == types.DigestPreRuntime && it.Engine == types.EngineAura {
			if len(it.Data) != 8 {
				return 0, false
			}
			d := it.Data
			return uint64(d[0]) | uint64(d[1])<<8 | uint64(d[2])<<16 | uint64(d[3])<<24 |
				uint64(d[4])<<32 | uint64(d[5])<<40 | uint64(d[6])<<48 | uint64(d[7])<<56, true
		}
	}
	return 0, false
}
