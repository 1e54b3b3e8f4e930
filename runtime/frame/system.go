package frame

import (
	"github.com/metamars/mars/runtime/types"
)

// System is what the executive and the signed extensions need from the
// System pallet (pallets/system implements it; exactly one registered
// pallet must). It owns the per-block bookkeeping of frame_system.
type System interface {
	Pallet

	// Initialize starts block h (frame_system::initialize): sets Number,
	// ParentHash, Digest, records the parent's hash in BlockHash, clears the
	// previous block's events and counters, phase Initialization.
	Initialize(ctx *Context, h *types.Header)
	// NoteFinishedInitialize switches the phase to ApplyExtrinsic(0).
	NoteFinishedInitialize(ctx *Context)
	// InherentsApplied reports whether a non-inherent extrinsic was applied
	// in this block (System.InherentsApplied); NoteInherentsApplied sets it.
	InherentsApplied(ctx *Context) bool
	NoteInherentsApplied(ctx *Context)
	// NoteExtrinsic stores an extrinsic's bytes for the extrinsics root.
	NoteExtrinsic(ctx *Context, encoded []byte)
	// NoteAppliedExtrinsic records ExtrinsicSuccess or ExtrinsicFailed
	// (err != nil) with info and advances the extrinsic index.
	NoteAppliedExtrinsic(ctx *Context, info DispatchInfo, err *types.DispatchError)
	// NoteFinishedExtrinsics records the extrinsic count, phase Finalization.
	NoteFinishedExtrinsics(ctx *Context)
	// Finalize builds the block's header: extrinsics root over the noted
	// extrinsics, storage root, digest; prunes old block hashes.
	Finalize(ctx *Context) types.Header

	// DepositEvent appends an EventRecord (event = pallet index ++ variant
	// ++ fields) with the current phase and returns it; recorded is false
	// when nothing was stored (genesis).
	DepositEvent(ctx *Context, event []byte, topics []types.Hash) (rec EventRecord, recorded bool)

	BlockNumber(ctx *Context) types.BlockNumber
	ParentHash(ctx *Context) types.Hash
	// BlockHash returns the hash of block n if still kept (BlockHashCount).
	BlockHash(ctx *Context, n types.BlockNumber) (types.Hash, bool)
	// ExtrinsicIndex is the index of the extrinsic being applied.
	ExtrinsicIndex(ctx *Context) (uint32, bool)

	BlockWeight(ctx *Context) ConsumedWeight
	SetBlockWeight(ctx *Context, w ConsumedWeight)
	AllExtrinsicsLen(ctx *Context) uint32
	SetAllExtrinsicsLen(ctx *Context, n uint32)

	// Account returns the account's info (zero if none).
	Account(ctx *Context, who types.AccountID) AccountInfo
	// IncNonce increments the account's nonce.
	IncNonce(ctx *Context, who types.AccountID)

	// LastRuntimeUpgrade returns System.LastRuntimeUpgrade.
	LastRuntimeUpgrade(ctx *Context) (specVersion uint32, specName string, ok bool)
	SetLastRuntimeUpgrade(ctx *Context, specVersion uint32, specName string)
}
