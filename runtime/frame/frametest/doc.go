// Package frametest is the mock runtime kit for pallet tests: an in-memory
// abi.Host with real hashing and ed25519 verification, an Env that drives
// blocks through a frame.Runtime and checks every pallet's TryState after
// each block, FRAME's assert_noop!/assert_last_event as RequireNoop and
// RequireLastEvent, and ed25519 signing helpers for signed extrinsics.
//
// The Host's StorageRoot and TrieBlake2OrderedRoot are TEST STAND-INS, not
// the Substrate trie root: blake2_256 over the SCALE encoding of the sorted
// (key, value) pairs (resp. of the values). The real trie lives in host/,
// which runtime/ may not import. They are deterministic and change with
// every key and value, which is all that root-comparison tests need; the
// empty ordered root equals the real one (blake2_256(0x00)).
// sr25519 and ECDSA verification always fail here (no schnorrkel or
// secp256k1 under runtime/): sign test extrinsics with ed25519.
package frametest
