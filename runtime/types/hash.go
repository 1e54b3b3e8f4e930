package types

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/sha3"

	"github.com/metamars/mars/runtime/scale"
)

// Hash is a 32-byte hash (H256): block hashes, state and extrinsics roots.
type Hash [32]byte

// String returns the hash as 0x-prefixed lower-case hex.
func (h Hash) String() string { return h.Hex() }

// Hex returns the hash as 0x-prefixed lower-case hex.
func (h Hash) Hex() string {
	var buf [2 + 64]byte
	buf[0], buf[1] = '0', 'x'
	hex.Encode(buf[2:], h[:])
	return string(buf[:])
}

// IsZero reports whether every byte is zero.
func (h Hash) IsZero() bool { return h == Hash{} }

// EncodeTo writes the 32 raw bytes.
func (h Hash) EncodeTo(e *scale.Encoder) { e.PutRaw(h[:]) }

// DecodeFrom reads 32 raw bytes.
func (h *Hash) DecodeFrom(d *scale.Decoder) { *h = d.Fixed32() }

// MarshalText encodes the hash as 0x-prefixed hex (JSON strings).
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.Hex()), nil }

// UnmarshalText parses 64 hex digits with an optional 0x prefix.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := HashFromHex(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// HashFromHex parses 64 hex digits with an optional 0x prefix.
func HashFromHex(s string) (Hash, error) {
	var h Hash
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 64 {
		return h, fmt.Errorf("%w: %d hex digits, want 64", ErrInvalidHex, len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("%w: %v", ErrInvalidHex, err)
	}
	return h, nil
}

// Blake2b64 is BLAKE2b with an 8-byte digest (runtime API ids).
func Blake2b64(b []byte) [8]byte {
	var out [8]byte
	blake2bN(out[:], b)
	return out
}

// Blake2b128 is BLAKE2b with a 16-byte digest (blake2_128).
func Blake2b128(b []byte) [16]byte {
	var out [16]byte
	blake2bN(out[:], b)
	return out
}

// Blake2b256 is BLAKE2b with a 32-byte digest (blake2_256): block,
// extrinsic and trie node hashes.
func Blake2b256(b []byte) [32]byte { return blake2b.Sum256(b) }

// Blake2b512 is BLAKE2b with a 64-byte digest (SS58 checksums).
func Blake2b512(b []byte) [64]byte { return blake2b.Sum512(b) }

func blake2bN(out, b []byte) {
	h, err := blake2b.New(len(out), nil)
	if err != nil {
		// Sizes are the constants above, all within 1..64 with no key.
		panic("types: blake2b: " + err.Error())
	}
	h.Write(b)
	h.Sum(out[:0])
}

// Twox64 is xxHash64 with seed 0, little-endian.
func Twox64(b []byte) [8]byte {
	var out [8]byte
	binary.LittleEndian.PutUint64(out[:], xxhash.Sum64(b))
	return out
}

// Twox128 is xxHash64 with seeds 0 and 1, each little-endian, concatenated:
// the hasher of FRAME pallet and storage item prefixes.
func Twox128(b []byte) [16]byte {
	var out [16]byte
	twox(out[:], b)
	return out
}

// Twox256 is xxHash64 with seeds 0..3, each little-endian, concatenated.
func Twox256(b []byte) [32]byte {
	var out [32]byte
	twox(out[:], b)
	return out
}

func twox(out, b []byte) {
	d := xxhash.NewWithSeed(0)
	for i := 0; i*8 < len(out); i++ {
		d.ResetWithSeed(uint64(i))
		d.Write(b)
		binary.LittleEndian.PutUint64(out[i*8:], d.Sum64())
	}
}

// Keccak256 is the legacy (pre-SHA3 padding) Keccak-256 used by Ethereum.
func Keccak256(b []byte) [32]byte {
	var out [32]byte
	h := sha3.NewLegacyKeccak256()
	h.Write(b)
	h.Sum(out[:0])
	return out
}

// Blake2_128Concat is the FRAME hasher blake2_128(b) ++ b.
func Blake2_128Concat(b []byte) []byte {
	h := Blake2b128(b)
	out := make([]byte, 0, len(h)+len(b))
	return append(append(out, h[:]...), b...)
}

// Twox64Concat is the FRAME hasher twox64(b) ++ b.
func Twox64Concat(b []byte) []byte {
	h := Twox64(b)
	out := make([]byte, 0, len(h)+len(b))
	return append(append(out, h[:]...), b...)
}
