package types

import (
	"errors"
	"testing"
)

func TestSS58Vectors(t *testing.T) {
	tests := []struct {
		pub    string
		prefix uint16
		addr   string
	}{
		{alicePub, 42, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"},
		{bobPub, 42, "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"},
		{alicePub, 0, "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"},
		{alicePub, 2, "HNZata7iMYWmk5RvZRTiAsSDhV8366zq2YGb3tLH5Upf74F"},
	}
	for _, tt := range tests {
		id := account(t, tt.pub)
		if got := id.SS58(tt.prefix); got != tt.addr {
			t.Errorf("SS58(%s, %d) = %s, want %s", tt.pub[:8], tt.prefix, got, tt.addr)
		}
		gotID, gotPrefix, err := ParseSS58(tt.addr)
		if err != nil || gotID != id || gotPrefix != tt.prefix {
			t.Errorf("ParseSS58(%s) = %x, %d, %v", tt.addr, gotID, gotPrefix, err)
		}
	}
	if s := account(t, alicePub).String(); s != tests[0].addr {
		t.Errorf("String() = %s", s)
	}
}

func TestSS58PrefixRoundTrip(t *testing.T) {
	id := account(t, alicePub)
	for _, p := range []uint16{0, 1, 2, 42, 63, 64, 65, 127, 128, 255, 256, 1000, 4095, 8191, 16382, 16383} {
		s := id.SS58(p)
		gotID, gotP, err := ParseSS58(s)
		if err != nil || gotID != id || gotP != p {
			t.Errorf("prefix %d: %s → %x %d %v", p, s, gotID, gotP, err)
		}
		if want := 1; p >= 64 {
			want = 2
			if n := len(ss58Prefix(p)); n != want {
				t.Errorf("prefix %d encodes in %d bytes", p, n)
			}
		}
	}
	// sp-core layout: first = (p&0xfc)>>2 | 0x40, second = p>>8 | (p&3)<<6.
	if got := ss58Prefix(64); got[0] != 0x50 || got[1] != 0x00 {
		t.Errorf("ss58Prefix(64) = %x", got)
	}
	if got := ss58Prefix(16383); got[0] != 0x7f || got[1] != 0xff {
		t.Errorf("ss58Prefix(16383) = %x", got)
	}
}

func TestSS58Errors(t *testing.T) {
	id := account(t, alicePub)
	good := id.SS58(42)
	flip := []byte(good)
	flip[10] = map[bool]byte{true: 'b', false: 'a'}[flip[10] == 'a']
	// A two-byte prefix that names a prefix < 64 is non-canonical.
	nonCanon := func() string {
		raw := append([]byte{0x40 | 42>>2, byte(42&3) << 6}, id[:]...)
		sum := ss58Checksum(raw)
		return base58Encode(append(raw, sum[0], sum[1]))
	}()
	short := func() string {
		raw := append([]byte{42}, id[:31]...)
		sum := ss58Checksum(raw)
		return base58Encode(append(raw, sum[0], sum[1]))
	}()
	highFirst := base58Encode(append([]byte{0x80}, make([]byte, 34)...))
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrSS58Length},
		{good + "1111111111111111111111111111111111", ErrSS58Length},
		{"0" + good[1:], ErrInvalidBase58},
		{good[:5] + "l" + good[6:], ErrInvalidBase58},
		{string(flip), ErrSS58Checksum},
		{good[:len(good)-1], ErrSS58Prefix}, // 58x smaller number: first byte 0xbd
		{short, ErrSS58Length},
		{nonCanon, ErrSS58Prefix},
		{highFirst, ErrSS58Prefix},
		{"1", ErrSS58Length},
	}
	for _, tt := range tests {
		if _, _, err := ParseSS58(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseSS58(%q) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestBase58(t *testing.T) {
	tests := []struct{ hex, b58 string }{
		{"", ""},
		{"00", "1"},
		{"0000", "11"},
		{"61", "2g"},
		{"626262", "a3gV"},
		{"636363", "aPEr"},
		{"00000000000000000000", "1111111111"},
		{"516b6fcd0f", "ABnLTmg"},
		{"572e4794", "3EFU7m"},
		{"10c8511e", "Rt5zm"},
	}
	for _, tt := range tests {
		b := unhex(t, tt.hex)
		if got := base58Encode(b); got != tt.b58 {
			t.Errorf("encode %s = %s, want %s", tt.hex, got, tt.b58)
		}
		got, err := base58Decode(tt.b58)
		if err != nil || string(got) != string(b) {
			t.Errorf("decode %s = %x, %v", tt.b58, got, err)
		}
	}
}
