package aura

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// AuthoritiesFunc returns the Aura authorities (sr25519 public keys) in the
// state of block at; the node calls AuraApi_authorities there (see
// RuntimeAuthorities).
type AuthoritiesFunc func(at types.Hash) ([][32]byte, error)

// DefaultEquivocationWindow is how many recent slots the Verifier remembers
// headers for (Substrate's MAX_SLOT_CAPACITY).
const DefaultEquivocationWindow = 1000

// maxWrongAuthorProbe bounds how many other authorities a failed seal is
// checked against to tell ErrWrongAuthor from ErrBadSeal.
const maxWrongAuthorProbe = 32

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// SlotDuration is the runtime's AuraApi_slot_duration. When it is 0,
	// SlotDurationFunc gives it on first use (the verifier must exist
	// before the chain is opened, the runtime call needs the chain).
	SlotDuration time.Duration
	// SlotDurationFunc is asked until it succeeds when SlotDuration is 0,
	// e.g. func() (time.Duration, error) { return aura.RuntimeSlotDuration(ctx, c, c.Genesis().Hash) }.
	SlotDurationFunc func() (time.Duration, error)
	// Authorities gives the authority set at a block (required).
	Authorities AuthoritiesFunc
	// Now is the clock (default time.Now).
	Now func() time.Time
	// FutureSlots is how many slots past the current one a header may
	// claim before it is refused with ErrFutureBlock (default 1, as
	// Substrate, to absorb clock skew between nodes).
	FutureSlots uint64
	// EquivocationWindow is how many recent slots are remembered for
	// equivocation detection (default DefaultEquivocationWindow).
	EquivocationWindow uint64
	// Report receives each equivocation once per (slot, author), as an
	// encoded EquivocationProof. It is called synchronously from Verify
	// (outside the Verifier's lock): hand slow work to another goroutine.
	// Nil: equivocations are only logged.
	Report func(proof []byte)
	Logger *slog.Logger
}

// Verifier checks Aura headers on import. It implements chain.Verifier and
// is safe for concurrent use.
type Verifier struct {
	cfg      VerifierConfig
	duration atomic.Int64 // slot duration (ns) once known

	mu     sync.Mutex
	seen   map[seenKey]*seenEntry
	pruned uint64 // the current slot at the last pruning
}

type seenKey struct {
	slot   uint64
	author [32]byte
}

type seenEntry struct {
	first    []byte // SCALE of the first sealed header seen
	hash     types.Hash
	reported bool
}

// NewVerifier returns a Verifier.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.SlotDuration == 0 && cfg.SlotDurationFunc == nil || cfg.SlotDuration != 0 && cfg.SlotDuration < time.Millisecond {
		return nil, fmt.Errorf("aura: slot duration %v is below 1 ms", cfg.SlotDuration)
	}
	if cfg.Authorities == nil {
		return nil, errors.New("aura: VerifierConfig.Authorities is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FutureSlots == 0 {
		cfg.FutureSlots = 1
	}
	if cfg.EquivocationWindow == 0 {
		cfg.EquivocationWindow = DefaultEquivocationWindow
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	v := &Verifier{cfg: cfg, seen: map[seenKey]*seenEntry{}}
	v.duration.Store(int64(cfg.SlotDuration))
	return v, nil
}

// slotDuration returns the slot duration, resolving it on first use.
func (v *Verifier) slotDuration() (time.Duration, error) {
	if d := time.Duration(v.duration.Load()); d != 0 {
		return d, nil
	}
	d, err := v.cfg.SlotDurationFunc()
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrSlotDuration, err)
	}
	if d < time.Millisecond {
		return 0, fmt.Errorf("%w: %v is below 1 ms", ErrSlotDuration, d)
	}
	v.duration.Store(int64(d))
	return d, nil
}

// CurrentSlot returns the slot of time t.
func CurrentSlot(t time.Time, slotDuration time.Duration) uint64 {
	ms := t.UnixMilli()
	d := int64(slotDuration / time.Millisecond)
	if ms < 0 || d <= 0 {
		return 0
	}
	return uint64(ms / d)
}

// Verify checks header against its parent: one aura pre-digest, an aura
// seal as the last item, a slot greater than the parent's and not in the
// future, sealed by authorities[slot % n] of the parent's state. It returns
// the header without its seal. A second header for a slot by the same
// author is accepted and reported (see VerifierConfig.Report).
func (v *Verifier) Verify(parent, header *types.Header) (types.Header, error) {
	unsealed, sig, err := SplitSeal(header)
	if err != nil {
		return types.Header{}, err
	}
	slot, err := FindSlot(&unsealed)
	if err != nil {
		return types.Header{}, err
	}
	parentSlot, err := SlotOf(parent)
	if err != nil {
		return types.Header{}, fmt.Errorf("%w: #%d: %w", ErrParentSlot, parent.Number, err)
	}
	if slot <= parentSlot {
		return types.Header{}, fmt.Errorf("%w: slot %d, parent's %d", ErrSlotNotIncreasing, slot, parentSlot)
	}
	dur, err := v.slotDuration()
	if err != nil {
		return types.Header{}, err
	}
	now := CurrentSlot(v.cfg.Now(), dur)
	if slot > now+v.cfg.FutureSlots {
		return types.Header{}, fmt.Errorf("%w: slot %d, current slot %d", ErrFutureBlock, slot, now)
	}
	auths, err := v.cfg.Authorities(header.ParentHash)
	if err != nil {
		return types.Header{}, fmt.Errorf("%w at %s: %w", ErrAuthorities, header.ParentHash, err)
	}
	author, err := SlotAuthor(slot, auths)
	if err != nil {
		return types.Header{}, fmt.Errorf("%w at %s", err, header.ParentHash)
	}
	pre := PreHash(&unsealed)
	if !keystore.Verify(keystore.Sr25519, author, pre[:], sig[:]) {
		return types.Header{}, sealError(slot, author, auths, pre, sig)
	}
	v.note(now, slot, author, header)
	return unsealed, nil
}

// sealError tells a seal by another authority (ErrWrongAuthor) from garbage.
func sealError(slot uint64, author [32]byte, auths [][32]byte, pre types.Hash, sig [SignatureSize]byte) error {
	for i, a := range auths {
		if i >= maxWrongAuthorProbe {
			break
		}
		if a != author && keystore.Verify(keystore.Sr25519, a, pre[:], sig[:]) {
			return fmt.Errorf("%w: slot %d belongs to %x, sealed by %x", ErrWrongAuthor, slot, author[:4], a[:4])
		}
	}
	return fmt.Errorf("%w: slot %d, author %x", ErrBadSeal, slot, author[:4])
}

// note records a verified header and reports an equivocation when another
// header of the same slot and author was seen. Headers more than the window
// behind the current slot (a chain being synced) are neither kept nor
// compared, as in Substrate: their offence is too old to report.
func (v *Verifier) note(now, slot uint64, author [32]byte, header *types.Header) {
	w := v.cfg.EquivocationWindow
	if slot+w < now {
		return
	}
	v.mu.Lock()
	if now > v.pruned+w/4 {
		for k := range v.seen {
			if k.slot+w < now {
				delete(v.seen, k)
			}
		}
		v.pruned = now
	}
	key := seenKey{slot, author}
	e, ok := v.seen[key]
	if !ok {
		v.seen[key] = &seenEntry{first: header.Bytes(), hash: header.Hash()}
		v.mu.Unlock()
		return
	}
	h := header.Hash()
	if h == e.hash || e.reported {
		v.mu.Unlock()
		return
	}
	e.reported = true
	enc := scale.NewEncoder(32 + 8 + len(e.first) + 256)
	enc.PutRaw(author[:])
	enc.PutU64(slot)
	enc.PutRaw(e.first)
	header.EncodeTo(enc)
	first := e.hash
	v.mu.Unlock()

	v.cfg.Logger.Warn("aura equivocation: two blocks for one slot by its author",
		"slot", slot, "author", fmt.Sprintf("%x", author), "first", first, "second", h)
	if v.cfg.Report != nil {
		v.cfg.Report(enc.Bytes())
	}
}
