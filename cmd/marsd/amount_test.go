package main

import (
	"errors"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

func TestParseAmount(t *testing.T) {
	u := func(s string) scale.U128 {
		v, err := scale.ParseU128(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ok := []struct {
		in   string
		want scale.U128
	}{
		{"0", u("0")},
		{"12345", u("12345")},
		{" 12345 ", u("12345")},
		{"1_000", u("1000")},
		{"1MSCA", u("1000000000000")},
		{"1.5MSCA", u("1500000000000")},
		{"0.01MSCA", u("10000000000")},
		{"1.5 MSCA", u("1500000000000")},
		{"1.5msca", u("1500000000000")},
		{".5MSCA", u("500000000000")},
		{"2.MSCA", u("2000000000000")},
		{"0.000000000001MSCA", u("1")},
		{"84000000MSCA", u("84000000000000000000")},
		{"340282366920938463463374607431768211455", u("340282366920938463463374607431768211455")}, // u128 max
		{"340282366920938463463374607.431768211455MSCA", u("340282366920938463463374607431768211455")},
		{"000123", u("123")},
	}
	for _, c := range ok {
		got, err := parseAmount(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseAmount(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []string{
		"", "MSCA", "-1", "-1MSCA", "1.5", "1.0000000000001MSCA", "abc", "1e3", "0x10", "1.2.3MSCA",
		"340282366920938463463374607431768211456", "340282366920938463463374607.431768211456MSCA",
		"1000000000000000000000000000000MSCA", ".MSCA", "+1", "1 2",
	}
	for _, in := range bad {
		if v, err := parseAmount(in); !errors.Is(err, errAmount) {
			t.Errorf("parseAmount(%q) = %v, %v; want errAmount", in, v, err)
		}
	}
}

func TestFormatMSCA(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", "0 MSCA"},
		{"1", "0.000000000001 MSCA"},
		{"1500000000000", "1.5 MSCA"},
		{"1000000000000000000", "1000000 MSCA"},
		{"340282366920938463463374607431768211455", "340282366920938463463374607.431768211455 MSCA"},
	} {
		v, _ := scale.ParseU128(c.in)
		if got := formatMSCA(v); got != c.want {
			t.Errorf("formatMSCA(%s) = %q, want %q", c.in, got, c.want)
		}
		back, err := parseAmount(formatMSCA(v))
		if err != nil || back != v {
			t.Errorf("round trip of %s: %v %v", c.in, back, err)
		}
	}
}
