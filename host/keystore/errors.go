package keystore

import "errors"

// Errors returned by this package. Callers match them with errors.Is; the
// returned errors wrap them with the detail (which word, which file, ...).
var (
	// ErrInvalidURI: the secret URI is not `<phrase or 0x-seed>[/soft|//hard]*[///password]`
	// (a character outside [A-Za-z0-9 ] in the phrase, an empty junction, a
	// newline in the password).
	ErrInvalidURI = errors.New("keystore: invalid secret URI")
	// ErrInvalidMnemonic: the phrase is not a valid English BIP-39 mnemonic.
	// It is always wrapped together with one of ErrWordCount, ErrUnknownWord
	// or ErrChecksum.
	ErrInvalidMnemonic = errors.New("keystore: invalid mnemonic")
	// ErrWordCount: a mnemonic must have 12, 15, 18, 21 or 24 words.
	ErrWordCount = errors.New("keystore: mnemonic word count must be 12, 15, 18, 21 or 24")
	// ErrUnknownWord: a word is not in the BIP-39 English word list.
	ErrUnknownWord = errors.New("keystore: word not in the BIP-39 English word list")
	// ErrChecksum: the mnemonic's checksum bits do not match its entropy.
	ErrChecksum = errors.New("keystore: mnemonic checksum mismatch")
	// ErrInvalidSeed: a 0x-prefixed seed is not valid hex or not 32 bytes.
	ErrInvalidSeed = errors.New("keystore: invalid hex seed (want 32 bytes)")
	// ErrSoftJunction: ed25519 supports hard junctions (//x) only.
	ErrSoftJunction = errors.New("keystore: soft junction in an ed25519 derivation path")
	// ErrUnknownScheme: the Scheme value is neither Sr25519 nor Ed25519.
	ErrUnknownScheme = errors.New("keystore: unknown signature scheme")
	// ErrKeyNotFound: the keystore holds no key of that type and public key.
	ErrKeyNotFound = errors.New("keystore: key not found")
	// ErrKeyMismatch: a key file's secret does not derive the public key its
	// name claims (a corrupted or hand-edited keystore).
	ErrKeyMismatch = errors.New("keystore: secret does not match the public key")
	// ErrInvalidKeyFile: a key file is not a JSON string.
	ErrInvalidKeyFile = errors.New("keystore: invalid key file")
	// ErrDerivation: the underlying schnorrkel derivation failed (should not
	// happen for well-formed input; reported rather than panicking).
	ErrDerivation = errors.New("keystore: key derivation failed")
)
