// Package wire defines the messages MSC peers exchange and their SCALE
// encodings: the block-announces handshake (Status) and announcements,
// block requests and responses (/sync/2), state requests (/state/2) and
// warp-sync proofs (/sync/warp).
//
// Why a package of its own: the network, sync, and consensus code all read
// and write these messages, and none of them should depend on the others'
// internals, nor on libp2p. wire imports only runtime/scale and runtime/types.
//
// Every message comes from a peer we do not trust. So each Decode<Type>
// function
//   - refuses input larger than that message's bound before touching it
//     (MaxMessage overall, and the tighter Max* constants below),
//   - refuses vector lengths the remaining input could not hold (before
//     allocating for them),
//   - refuses trailing bytes,
//
// and returns an error wrapping ErrTooLarge or ErrMalformed, never a panic.
// Each has a Fuzz target in fuzz_test.go.
//
// The layouts follow Substrate's where Substrate has a SCALE layout (the
// handshake, the announcement, the justification bytes); the request and
// response messages, which Substrate sends as protobuf, are SCALE here with
// the same fields:
//
//	Status        = roles u8 ++ best_number u32 ++ best_hash [32] ++ genesis_hash [32]
//	BlockAnnounce = Header ++ Option<BlockState{0 Normal, 1 Best}> ++ Option<Vec<u8>>
//	BlockRequest  = fields u8 ++ FromBlock{0 Hash([32]), 1 Number(u32)} ++ direction u8 ++ max u32
//	BlockData     = hash [32] ++ Option<Header> ++ Option<Vec<Extrinsic>> ++ Option<Vec<u8>>
//	BlockResponse = Vec<BlockData>
//	StateRequest  = block [32] ++ start Vec<u8> ++ max_bytes u32
//	StateResponse = Vec<(key Vec<u8>, value Vec<u8>)> ++ complete bool
//	WarpRequest   = begin [32]
//	WarpResponse  = Vec<(Header, justification Vec<u8>)> ++ is_finished bool
//
// An Extrinsic inside a body is kept with its own compact length prefix, as
// in types.Block, so a body is Compact(n) ++ the extrinsics concatenated.
package wire
