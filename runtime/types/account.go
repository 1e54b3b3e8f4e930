package types

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/metamars/mars/runtime/scale"
)

// AccountID is a 32-byte account identifier (AccountId32): an sr25519 or
// ed25519 public key, or blake2_256 of a 33-byte ECDSA public key.
type AccountID [32]byte

// SS58 prefixes in common use.
const (
	SS58Polkadot uint16 = 0
	SS58Kusama   uint16 = 2
	SS58Generic  uint16 = 42
	// SS58MaxPrefix is the largest prefix SS58 can express (14 bits).
	SS58MaxPrefix uint16 = 16383
)

// EncodeTo writes the 32 raw bytes.
func (a AccountID) EncodeTo(e *scale.Encoder) { e.PutRaw(a[:]) }

// Equal reports whether a and b are the same account. It compares words:
// == on [32]byte compiles to memequal, which Go's wasm port runs a byte at
// a time, and the runtime compares accounts on every transfer.
func (a *AccountID) Equal(b *AccountID) bool {
	return le64(a[0:]) == le64(b[0:]) && le64(a[8:]) == le64(b[8:]) &&
		le64(a[16:]) == le64(b[16:]) && le64(a[24:]) == le64(b[24:])
}

// IsZero reports whether a is all zeros (no account).
func (a *AccountID) IsZero() bool {
	return le64(a[0:])|le64(a[8:])|le64(a[16:])|le64(a[24:]) == 0
}

func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

// DecodeFrom reads 32 raw bytes.
func (a *AccountID) DecodeFrom(d *scale.Decoder) { *a = d.Fixed32() }

// Hex returns the account as 0x-prefixed lower-case hex.
func (a AccountID) Hex() string { return "0x" + hex.EncodeToString(a[:]) }

// String returns the generic-prefix (42) SS58 address.
func (a AccountID) String() string { return a.SS58(SS58Generic) }

// ss58Prefix returns the 1- or 2-byte SS58 prefix encoding of p (masked
// to 14 bits).
func ss58Prefix(p uint16) []byte {
	p &= 0x3fff
	if p < 64 {
		return []byte{byte(p)}
	}
	first := byte((p&0x00fc)>>2) | 0x40
	second := byte(p>>8) | byte(p&0x0003)<<6
	return []byte{first, second}
}

// SS58 returns base58(prefix ++ id ++ checksum[0:2]) where checksum is
// blake2b-512("SS58PRE" ++ prefix ++ id). Prefixes above 16383 are masked
// to 14 bits.
func (a AccountID) SS58(prefix uint16) string {
	pre := ss58Prefix(prefix)
	buf := make([]byte, 0, len(pre)+32+2)
	buf = append(buf, pre...)
	buf = append(buf, a[:]...)
	sum := ss58Checksum(buf)
	buf = append(buf, sum[0], sum[1])
	return base58Encode(buf)
}

func ss58Checksum(payload []byte) [64]byte {
	in := make([]byte, 0, 7+len(payload))
	in = append(in, "SS58PRE"...)
	in = append(in, payload...)
	return Blake2b512(in)
}

// maxSS58Len bounds the text accepted by ParseSS58: 36 bytes need at most
// 50 base58 digits.
const maxSS58Len = 50

// ParseSS58 decodes an SS58 address of a 32-byte account with any prefix
// 0..16383 (one- or two-byte form), verifying the checksum. The two-byte
// form of a prefix below 64 is rejected as non-canonical.
func ParseSS58(s string) (AccountID, uint16, error) {
	var id AccountID
	if len(s) == 0 || len(s) > maxSS58Len {
		return id, 0, fmt.Errorf("%w: %d characters", ErrSS58Length, len(s))
	}
	raw, err := base58Decode(s)
	if err != nil {
		return id, 0, err
	}
	var prefix uint16
	var n int
	switch b0 := raw[0]; {
	case b0 < 64:
		prefix, n = uint16(b0), 1
	case b0 < 128:
		if len(raw) < 2 {
			return id, 0, fmt.Errorf("%w: truncated two-byte prefix", ErrSS58Length)
		}
		lower := b0<<2 | raw[1]>>6
		upper := raw[1] & 0x3f
		prefix, n = uint16(lower)|uint16(upper)<<8, 2
		if prefix < 64 {
			return id, 0, fmt.Errorf("%w: non-canonical two-byte form of %d", ErrSS58Prefix, prefix)
		}
	default:
		return id, 0, fmt.Errorf("%w: first byte %#x", ErrSS58Prefix, b0)
	}
	if len(raw) != n+32+2 {
		return id, 0, fmt.Errorf("%w: %d bytes after base58, want %d", ErrSS58Length, len(raw), n+32+2)
	}
	sum := ss58Checksum(raw[:n+32])
	if sum[0] != raw[n+32] || sum[1] != raw[n+33] {
		return id, 0, ErrSS58Checksum
	}
	copy(id[:], raw[n:n+32])
	return id, prefix, nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		t[base58Alphabet[i]] = int8(i)
	}
	return t
}()

// base58Encode uses the Bitcoin alphabet; each leading zero byte becomes
// a '1'. Quadratic, which is fine for the short inputs of SS58.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) < 1.37
	digits := make([]byte, 0, (len(b)-zeros)*137/100+1)
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, zeros+len(digits))
	for i := 0; i < zeros; i++ {
		out[i] = '1'
	}
	for i, d := range digits {
		out[len(out)-1-i] = base58Alphabet[d]
	}
	return string(out)
}

// base58Decode is the inverse of base58Encode. Callers bound len(s).
func base58Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// log(58)/log(256) < 0.733
	bytesLE := make([]byte, 0, (len(s)-zeros)*733/1000+1)
	for i := zeros; i < len(s); i++ {
		v := base58Index[s[i]]
		if v < 0 {
			return nil, fmt.Errorf("%w: character %q at %d", ErrInvalidBase58, s[i], i)
		}
		carry := int(v)
		for j := range bytesLE {
			carry += int(bytesLE[j]) * 58
			bytesLE[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			bytesLE = append(bytesLE, byte(carry))
			carry >>= 8
		}
	}
	out := make([]byte, zeros+len(bytesLE))
	for i, c := range bytesLE {
		out[len(out)-1-i] = c
	}
	return out, nil
}

// ParseAccountID reads an account given as an SS58 address (any prefix) or
// as 0x followed by 64 hex digits, the two forms genesis configs and CLIs
// accept.
func ParseAccountID(s string) (AccountID, error) {
	var id AccountID
	if strings.HasPrefix(s, "0x") {
		b, err := hex.DecodeString(s[2:])
		if err != nil || len(b) != 32 {
			return id, fmt.Errorf("%w: account %q is not 0x + 32 bytes", ErrInvalidHex, s)
		}
		copy(id[:], b)
		return id, nil
	}
	id, _, err := ParseSS58(s)
	return id, err
}
