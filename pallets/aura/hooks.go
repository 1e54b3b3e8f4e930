package aura

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

// OnInitialize reads the block's Aura slot (if any) and moves CurrentSlot
// to it; a slot that does not increase marks the block bad (BadSlot).
func (p *Pallet) OnInitialize(ctx *frame.Context, _ types.BlockNumber) types.Weight {
	slot, ok := SlotFromDigest(systemDigest(ctx))
	if !ok {
		return types.Weight{RefTime: dbRead}
	}
	if slot <= currentSlot.Get(ctx) {
		badSlot.Set(ctx, true)
	} else {
		currentSlot.Set(ctx, slot)
	}
	return types.Weight{RefTime: 2*dbRead + 2*dbWrite}
}

// OnFinalize fails a block whose slot did not increase.
func (p *Pallet) OnFinalize(ctx *frame.Context, _ types.BlockNumber) error {
	if badSlot.Take(ctx) {
		return ErrSlotMustIncrease
	}
	return nil
}

// OnTimestampSet implements timestamp.OnTimestampSet: in a block with an
// Aura digest the time must lie in its slot.
func (p *Pallet) OnTimestampSet(ctx *frame.Context, now uint64) error {
	slot, ok := SlotFromDigest(systemDigest(ctx))
	if !ok || p.cfg.SlotDuration == 0 {
		return nil
	}
	if now/p.cfg.SlotDuration != slot {
		return fmt.Errorf("%w: time %d is in slot %d, block slot %d", ErrTimestampSlot, now, now/p.cfg.SlotDuration, slot)
	}
	return nil
}

// OnGenesisSession implements session.SessionHandler.
func (p *Pallet) OnGenesisSession(ctx *frame.Context, keys [][32]byte) {
	if len(keys) > 0 {
		authorities.Set(ctx, keys)
	}
}

// OnNewSession implements session.SessionHandler: a changed set replaces
// Authorities and is announced with Substrate's consensus log
// AuthoritiesChange (engine "aura", variant 1, Vec<public>). Blocks of the
// new session are authored by the new set: the node reads
// AuraApi_authorities at each block's parent.
func (p *Pallet) OnNewSession(ctx *frame.Context, _ uint32, changed bool, keys, _ [][32]byte) {
	if !changed || len(keys) == 0 {
		return
	}
	old := authorities.Get(ctx)
	if equalKeys(old, keys) {
		return
	}
	authorities.Set(ctx, keys)
	e := scale.NewEncoder(1 + 5 + 32*len(keys))
	e.PutU8(1)
	e.PutLen(len(keys))
	for _, k := range keys {
		e.PutRaw(k[:])
	}
	depositLog(ctx, types.DigestItem{Kind: types.DigestConsensus, Engine: types.EngineAura, Data: e.Bytes()})
}

func equalKeys(a, b [][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// IntegrityTest implements frame.IntegrityTester.
func (p *Pallet) IntegrityTest() error {
	if p.cfg.SlotDuration == 0 {
		return fmt.Errorf("aura: SlotDuration is zero")
	}
	return nil
}

// TryState implements frame.TryStater: BadSlot never survives a block and
// the authority list has no duplicates.
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	if badSlot.Exists(ctx) {
		return fmt.Errorf("aura: BadSlot left in storage")
	}
	seen := map[[32]byte]bool{}
	for _, k := range authorities.Get(ctx) {
		if seen[k] {
			return fmt.Errorf("aura: duplicate authority %x", k)
		}
		seen[k] = true
	}
	return nil
}
