// Package scale implements SCALE, the Simple Concatenated Aggregate
// Little-Endian codec that every Substrate format is written in.
//
// The codec is hand-driven rather than reflective: an Encoder appends to a
// byte slice and a Decoder walks one with a sticky error, so that runtime
// code compiled to WASM pays no reflection cost on the hot path (a header or
// an extrinsic is decoded thousands of times per block).
//
// Decoders read bytes that come from outside (the network, RPC, other
// runtimes). Two rules follow: a decoder never panics, and it never allocates
// more than its input justifies. Len(minElemSize) is the guard for the second
// rule: it refuses a vector length that the remaining input could not hold,
// before the caller allocates for it.
//
// Wire rules (see ../shared/PROTOCOL.md): integers are little-endian; Compact
// uses the two low bits of the first byte as its mode (00 one byte, 01 two,
// 10 four, 11 big integer of 4..67 bytes) and must be canonical (the shortest
// mode); Vec is Compact(len) followed by the items; Option is 00 or 01 ++
// value; Result is 00 ++ ok or 01 ++ err; an enum is its u8 index ++ payload;
// a string is a Vec<u8> of UTF-8.
package scale
