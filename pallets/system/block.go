package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

var _ frame.System = (*Pallet)(nil)

// hash69 is the placeholder genesis parent/block hash ([0x45; 32]).
var hash69 = func() (h types.Hash) {
	for i := range h {
		h[i] = 69
	}
	return
}()

// Initialize is frame_system::initialize plus the executive's
// reset_events.
func (p *Pallet) Initialize(ctx *frame.Context, h *types.Header) {
	resetEvents(ctx)
	ExecutionPhase.Set(ctx, frame.Phase{Kind: frame.PhaseInitialization})
	ctx.StorageSet(KeyExtrinsicIndex, []byte{0, 0, 0, 0})
	// (b"frame_system::initialize", parent_hash).encode(): a fixed-size
	// byte array encodes without a length prefix.
	e := scale.NewEncoder(64)
	e.PutRaw([]byte("frame_system::initialize"))
	e.PutRaw(h.ParentHash[:])
	ent := ctx.Blake2_256(e.Bytes())
	ctx.StorageSet(KeyIntrablockEntropy, ent[:])
	Number.Set(ctx, h.Number)
	Digest.Set(ctx, h.Digest)
	ParentHash.Set(ctx, h.ParentHash)
	if h.Number > 0 {
		BlockHash.Set(ctx, h.Number-1, h.ParentHash)
	}
	InherentsApplied.Remove(ctx)
	BlockWeight.Remove(ctx)
}

func resetEvents(ctx *frame.Context) {
	Events.Remove(ctx)
	EventCount.Remove(ctx)
	EventTopics.Clear(ctx, 0)
}

// InherentsApplied reports whether inherents are over for this block.
func (p *Pallet) InherentsApplied(ctx *frame.Context) bool { return InherentsApplied.Get(ctx) }

// NoteInherentsApplied marks the end of the block's inherents.
func (p *Pallet) NoteInherentsApplied(ctx *frame.Context) { InherentsApplied.Set(ctx, true) }

// NoteFinishedInitialize enters phase ApplyExtrinsic(0).
func (p *Pallet) NoteFinishedInitialize(ctx *frame.Context) {
	ExecutionPhase.Set(ctx, frame.Phase{Kind: frame.PhaseApplyExtrinsic})
}

func extrinsicIndex(ctx *frame.Context) (uint32, bool) {
	raw, ok := ctx.StorageGet(KeyExtrinsicIndex)
	if !ok || len(raw) != 4 {
		return 0, false
	}
	return uint32(raw[0]) | uint32(raw[1])<<8 | uint32(raw[2])<<16 | uint32(raw[3])<<24, true
}

// ExtrinsicIndex is the index of the extrinsic being applied.
func (p *Pallet) ExtrinsicIndex(ctx *frame.Context) (uint32, bool) { return extrinsicIndex(ctx) }

// NoteExtrinsic stores the extrinsic for the extrinsics root.
func (p *Pallet) NoteExtrinsic(ctx *frame.Context, encoded []byte) {
	i, _ := extrinsicIndex(ctx)
	ExtrinsicData.Set(ctx, i, encoded)
}

// NoteAppliedExtrinsic records ExtrinsicSuccess/ExtrinsicFailed and moves
// to the next extrinsic.
func (p *Pallet) NoteAppliedExtrinsic(ctx *frame.Context, info frame.DispatchInfo, err *types.DispatchError) {
	if err == nil {
		ctx.Deposit(Name, ExtrinsicSuccess{info})
	} else {
		ctx.Deposit(Name, ExtrinsicFailed{*err, info})
	}
	i, _ := extrinsicIndex(ctx)
	next := i + 1
	ctx.StorageSet(KeyExtrinsicIndex, []byte{byte(next), byte(next >> 8), byte(next >> 16), byte(next >> 24)})
	st, memo := ctx.EventState()
	ph := frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: next}
	ExecutionPhase.Set(ctx, ph) // drops ctx's event memo
	if memo {
		st.Phase = ph // still exact: Number and EventCount are unchanged
		ctx.SetEventState(st)
	}
}

// NoteFinishedExtrinsics records ExtrinsicCount, phase Finalization.
func (p *Pallet) NoteFinishedExtrinsics(ctx *frame.Context) {
	i, _ := extrinsicIndex(ctx)
	ctx.StorageClear(KeyExtrinsicIndex)
	ExtrinsicCount.Set(ctx, i)
	ExecutionPhase.Set(ctx, frame.Phase{Kind: frame.PhaseFinalization})
}

// Finalize is frame_system::finalize: it builds the header.
func (p *Pallet) Finalize(ctx *frame.Context) types.Header {
	ExecutionPhase.Remove(ctx)
	AllExtrinsicsLen.Remove(ctx)
	ctx.StorageClear(KeyIntrablockEntropy)
	InherentsApplied.Remove(ctx)
	n := Number.Get(ctx)
	parent := ParentHash.Get(ctx)
	digest := Digest.Get(ctx)
	count := ExtrinsicCount.Take(ctx)
	xts := make([][]byte, 0, count)
	for i := uint32(0); i < count; i++ {
		xts = append(xts, ExtrinsicData.Take(ctx, i))
	}
	v := ctx.Runtime().Version()
	extRoot := ctx.TrieBlake2OrderedRoot(xts, uint8(v.ExtrinsicsRootVersion()))
	if n > BlockHashCount+1 {
		BlockHash.Remove(ctx, n-BlockHashCount-1)
	}
	root := ctx.StorageRoot()
	return types.Header{ParentHash: parent, Number: n, StateRoot: root, ExtrinsicsRoot: extRoot, Digest: digest}
}

// DepositEvent appends an EventRecord with the current phase (none at
// block 0) and indexes its topics.
func (p *Pallet) DepositEvent(ctx *frame.Context, event []byte, topics []types.Hash) (frame.EventRecord, bool) {
	// Number, ExecutionPhase and EventCount are read once per run of
	// deposits: ctx keeps them until one of them is written otherwise.
	st, ok := ctx.EventState()
	if !ok {
		st.Number = Number.Get(ctx)
		if st.Number == 0 {
			return frame.EventRecord{}, false
		}
		phase, ok := ExecutionPhase.TryGet(ctx)
		if !ok {
			phase = frame.Phase{Kind: frame.PhaseInitialization}
		}
		st.Phase = phase
		st.Count = EventCount.Get(ctx)
	}
	n, phase, idx := st.Number, st.Phase, st.Count
	if n == 0 || idx == ^uint32(0) {
		return frame.EventRecord{}, false
	}
	EventCount.Set(ctx, idx+1)
	st.Count = idx + 1
	rec := frame.EventRecord{Phase: phase, Event: event, Topics: topics}
	e := ctx.AcquireEncoder()
	rec.EncodeTo(e)
	Events.Append(ctx, e.Bytes())
	ctx.SetEventState(st)
	for _, t := range topics {
		e.Reset()
		e.PutU32(n)
		e.PutU32(idx)
		EventTopics.Append(ctx, t, e.Bytes())
	}
	ctx.ReleaseEncoder(e)
	return rec, true
}

// BlockNumber is System.Number.
func (p *Pallet) BlockNumber(ctx *frame.Context) types.BlockNumber {
	if st, ok := ctx.EventState(); ok {
		return st.Number // ctx's copy of System.Number (see DepositEvent)
	}
	return Number.Get(ctx)
}

// ParentHash is System.ParentHash.
func (p *Pallet) ParentHash(ctx *frame.Context) types.Hash { return ParentHash.Get(ctx) }

// BlockHash returns a kept block hash.
func (p *Pallet) BlockHash(ctx *frame.Context, n types.BlockNumber) (types.Hash, bool) {
	return BlockHash.TryGet(ctx, n)
}

func (p *Pallet) BlockWeight(ctx *frame.Context) frame.ConsumedWeight { return BlockWeight.Get(ctx) }
func (p *Pallet) SetBlockWeight(ctx *frame.Context, w frame.ConsumedWeight) {
	BlockWeight.Set(ctx, w)
}
func (p *Pallet) AllExtrinsicsLen(ctx *frame.Context) uint32 { return AllExtrinsicsLen.Get(ctx) }
func (p *Pallet) SetAllExtrinsicsLen(ctx *frame.Context, n uint32) {
	AllExtrinsicsLen.Set(ctx, n)
}

// LastRuntimeUpgrade returns System.LastRuntimeUpgrade.
func (p *Pallet) LastRuntimeUpgrade(ctx *frame.Context) (uint32, string, bool) {
	l, ok := LastRuntimeUpgrade.TryGet(ctx)
	return l.SpecVersion, l.SpecName, ok
}

// SetLastRuntimeUpgrade writes System.LastRuntimeUpgrade.
func (p *Pallet) SetLastRuntimeUpgrade(ctx *frame.Context, specVersion uint32, specName string) {
	LastRuntimeUpgrade.Set(ctx, LastRuntimeUpgradeInfo{specVersion, specName})
}

// DepositLog appends a digest item to the block's digest.
func (p *Pallet) DepositLog(ctx *frame.Context, item types.DigestItem) {
	Digest.Append(ctx, scale.Encode(item))
}
