// Package keystore derives, stores and uses the node's secret keys exactly as
// Substrate does.
//
// # Why exact compatibility
//
// Every Substrate tool — polkadot.js, subkey, subxt, the JS tests under
// tests/js — derives the development accounts from the same secret URIs:
// "//Alice" must be 0xd43593c7…a56da27d (5GrwvaEF…) here too, or a genesis
// built by this node funds accounts nobody else can sign for, and a signature
// made by polkadot.js is checked against a key we never derived. So every
// step below follows sp-core (substrate/primitives/core) byte for byte, and
// the tests pin the published vectors (sp-core's own, substrate-bip39's,
// RFC 8032, the well-known dev keys).
//
// # Secret URIs
//
// A secret URI (SURI) has the form
//
//	<phrase | 0x<64 hex>>[/soft | //hard]...[///password]
//
// and is read as follows.
//
//   - Parsing is a port of sp-core's AddressUri::parse: the phrase is the
//     longest prefix of [A-Za-z0-9 ]; "///" starts the password (up to a
//     newline); "//x" is a hard and "/x" a soft junction. A URI with no phrase
//     (starting with '/') uses DevPhrase. The fuzz test checks the parser
//     against the reference regex sp-core's own tests use.
//   - A phrase is an English BIP-39 mnemonic (12–24 words, checksum checked).
//     Its mini secret key is substrate-bip39's: PBKDF2-HMAC-SHA512 over the
//     mnemonic's ENTROPY with salt "mnemonic"+password, 2048 rounds, first 32
//     bytes. This is deliberately not the BIP-39 seed of the words, which
//     other chains use.
//   - "0x" + 64 hex digits is the mini secret itself; the password is then
//     ignored, as in sp-core.
//   - A junction's chain code is a decimal u64 as 8 little-endian bytes (Rust's
//     str::parse, so "+1" and "001" are 1), else the SCALE-encoded string;
//     more than 32 bytes are replaced by their blake2b-256; zero padded.
//
// # Derivation and signing
//
// sr25519 (Sr25519): the mini secret is expanded ed25519-style; a hard
// junction is schnorrkel's hard_derive_mini_secret_key("SchnorrRistrettoHDKD"
// transcript over the chain code and secret scalar) re-expanded the same way;
// a soft junction is derived_key_simple (public-key based, so a soft child's
// public key can also be derived from its parent's public key). Derivation
// uses github.com/ChainSafe/go-schnorrkel, whose transcripts match
// w3f/schnorrkel. Signing and verification use curve25519-voi with the
// "substrate" signing context — the same library and context the runtime host
// (host/executor) verifies with, so a signature from this package is exactly
// what ext_crypto_sr25519_verify accepts.
//
// ed25519 (Ed25519): each hard junction replaces the seed with
// blake2b-256(SCALE(("Ed25519HDKD", seed, chain code))); soft junctions are
// an error (ErrSoftJunction). Verification follows ZIP-215, like Substrate's
// ed25519-zebra and host/executor.
//
// # The keystore
//
// Keystore stores keys the way Substrate's LocalKeystore does, so a keystore
// directory can be moved between this node and a Substrate node: under
// <base-path>/keystore, one file per key named hex(key type) ++ hex(public
// key) (e.g. 61757261d43593c7… for Alice's "aura" key) containing the secret
// URI as a JSON string, mode 0600. A file does not record its scheme; as in
// Substrate the public key in its name decides, and a secret that does not
// derive that public key is refused (ErrKeyMismatch). Loaded pairs are cached.
//
// Key types: KeyTypeAura ("aura", sr25519), KeyTypeGrandpa ("gran",
// ed25519), KeyTypeAccount ("acco", sr25519).
//
// Not supported (yet): ecdsa keys, a keystore-wide password (sp-keystore's
// password override), VRF signing, and public-key-only soft derivation.
package keystore
