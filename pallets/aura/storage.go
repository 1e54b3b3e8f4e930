package aura

import (
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

var keyCodec = frame.Codec[[32]byte]{
	Encode: func(e *scale.Encoder, v [32]byte) { e.PutRaw(v[:]) },
	Decode: func(d *scale.Decoder) [32]byte { return d.Fixed32() },
}

// Storage items, pallet_aura's plus the transient BadSlot.
var (
	// Authorities: Vec<sr25519 public>, the current authority set.
	authorities = frame.NewValue(PalletName, "Authorities", frame.VecCodec(keyCodec, 32))
	// CurrentSlot: u64, the slot of the last block with an Aura digest.
	currentSlot = frame.NewValue(PalletName, "CurrentSlot", frame.U64Codec)
	// BadSlot: set in on_initialize when the block's slot does not
	// increase, removed (and the block failed) in on_finalize; never
	// survives a block, so it is not in metadata.
	badSlot = frame.NewValue(PalletName, "BadSlot", frame.BoolCodec)
)

func systemDigest(ctx *frame.Context) []types.DigestItem { return system.Digest.Get(ctx) }

func depositLog(ctx *frame.Context, item types.DigestItem) {
	system.Digest.Append(ctx, scale.Encode(item))
}
