// Package types holds the Substrate primitives that the MSC runtime and the
// node share: hashes and the FRAME key hashers, AccountID and SS58
// addresses, Header/Digest/Block, the v4 extrinsic envelope (MultiAddress,
// MultiSignature, Era, signing payload), RuntimeVersion, Weight,
// DispatchError and the transaction-validity types.
//
// Why one package: both sides of the host/runtime boundary must agree on
// these bytes exactly, so they are written once, here, on top of
// runtime/scale. The package compiles for GOOS=wasip1 GOARCH=wasm as well
// as natively and imports only std (no os, net, time, unsafe, reflect),
// runtime/scale, golang.org/x/crypto/{blake2b,sha3} and cespare/xxhash.
//
// Encodings follow Substrate (sp-runtime, sp-version, sp-weights) and the
// Polkadot spec; /work/shared/PROTOCOL.md §1, §3, §4 is the reference used,
// and its Appendix vectors are tested in this package.
//
// Decoding rules:
//   - Every decoder reads through a *scale.Decoder and reports malformed
//     input through its sticky error (typed sentinels of this package or of
//     scale, wrapped with %w); it never panics and never allocates more
//     than the remaining input justifies (vector lengths are checked with
//     Decoder.Len before allocation).
//   - Unknown enum variants are errors, so decode followed by encode gives
//     the input back byte for byte (the fuzz targets check this).
//   - Decoded byte slices (digest data, extrinsic bodies, Raw addresses,
//     signatures) alias the input buffer; copy them if the buffer is reused.
package types
