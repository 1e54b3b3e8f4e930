package rpc

import (
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Bytes marshals as a "0x"-prefixed lower-case hex string, the way
// Substrate's sp_core::Bytes does, and unmarshals from one.
type Bytes []byte

// MarshalJSON implements json.Marshaler.
func (b Bytes) MarshalJSON() ([]byte, error) {
	out := make([]byte, 0, 4+2*len(b))
	out = append(out, '"', '0', 'x')
	out = hex.AppendEncode(out, b)
	return append(out, '"'), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bytes) UnmarshalJSON(data []byte) error {
	s, err := strconv.Unquote(string(data))
	if err != nil {
		return errors.New("expected a hex string")
	}
	v, err := decodeHex(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

var (
	errHexOddLength = errors.New("odd-length hex string")
	errHexChar      = errors.New("invalid hex character")
	errHashLength   = errors.New("a hash is 32 bytes")
)

// decodeHex decodes hex with an optional 0x prefix, as impl-serde does.
func decodeHex(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(s)%2 != 0 {
		return nil, errHexOddLength
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, errHexChar
	}
	return b, nil
}

func decodeHash(s string) (types.Hash, error) {
	b, err := decodeHex(s)
	if err != nil {
		return types.Hash{}, err
	}
	if len(b) != 32 {
		return types.Hash{}, errHashLength
	}
	return types.Hash(b), nil
}

// OptHash returns parameter i as a block hash; ok is false when it is
// absent or null (the caller then uses the best block).
func (p Params) OptHash(i int) (h types.Hash, ok bool, err error) {
	if !p.Present(i) {
		return h, false, nil
	}
	s, err := p.String(i)
	if err != nil {
		return h, false, err
	}
	if h, err = decodeHash(s); err != nil {
		return h, false, invalidParams("param %d: %v", i, err)
	}
	return h, true, nil
}

// hexNumber is a number as primitive-types' U256 serialises it: "0x" and
// minimal lower-case hex ("0x0" for zero).
func hexNumber(v uint64) string { return "0x" + strconv.FormatUint(v, 16) }

// hexU128 is hexNumber for a u128.
func hexU128(v scale.U128) string {
	if v.Hi == 0 {
		return hexNumber(v.Lo)
	}
	lo := strconv.FormatUint(v.Lo, 16)
	return "0x" + strconv.FormatUint(v.Hi, 16) + strings.Repeat("0", 16-len(lo)) + lo
}

// parseNumberOrHex reads sp_rpc's NumberOrHex: a JSON number or a hex
// string, bounded by u64 (the caller narrows further).
func parseNumberOrHex(raw []byte) (uint64, error) {
	raw = trimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s, err := strconv.Unquote(string(raw))
		if err != nil {
			return 0, errors.New("expected a number or a hex string")
		}
		if !strings.HasPrefix(s, "0x") || len(s) == 2 {
			return 0, errors.New("expected a 0x-prefixed hex number")
		}
		v, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return 0, errors.New("hex number out of range")
		}
		return v, nil
	}
	v, err := strconv.ParseUint(string(raw), 10, 64)
	if err != nil || (len(raw) > 1 && raw[0] == '0') { // JSON has no leading zeros
		if err == nil {
			return 0, errors.New("leading zero in a number")
		}
		return 0, errors.New("expected a non-negative integer or a hex string")
	}
	return v, nil
}
