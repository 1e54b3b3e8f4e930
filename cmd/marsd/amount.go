package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
)

// Token display: MSCA has 12 decimals (1 MSCA = 10^12 planck).
const (
	tokenSymbol   = "MSCA"
	tokenDecimals = 12
)

var errAmount = errors.New("bad amount")

// parseAmount reads an amount of planck: a plain integer ("12345") is
// planck; a decimal with the MSCA suffix ("1.5MSCA", "0.01 MSCA", "2MSCA")
// is MSCA with at most 12 decimals. Negative amounts, more than 12
// decimals and values beyond u128 are refused.
func parseAmount(s string) (scale.U128, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return scale.U128{}, fmt.Errorf("%w: empty", errAmount)
	}
	num, isMSCA := cutSuffixFold(in, tokenSymbol)
	num = strings.TrimSpace(num)
	if num == "" {
		return scale.U128{}, fmt.Errorf("%w %q: no number", errAmount, s)
	}
	if num[0] == '-' {
		return scale.U128{}, fmt.Errorf("%w %q: negative", errAmount, s)
	}
	num = strings.ReplaceAll(num, "_", "")
	whole, frac, hasDot := strings.Cut(num, ".")
	if !isMSCA && hasDot {
		return scale.U128{}, fmt.Errorf("%w %q: a plain number is planck and must be an integer (use the %s suffix for decimals, e.g. 1.5%s)",
			errAmount, s, tokenSymbol, tokenSymbol)
	}
	if whole == "" && frac == "" {
		return scale.U128{}, fmt.Errorf("%w %q: no digits", errAmount, s)
	}
	if !allDigits(whole) || !allDigits(frac) {
		return scale.U128{}, fmt.Errorf("%w %q: want digits, optionally with a decimal point and the %s suffix", errAmount, s, tokenSymbol)
	}
	if len(frac) > tokenDecimals {
		return scale.U128{}, fmt.Errorf("%w %q: more than %d decimals", errAmount, s, tokenDecimals)
	}
	digits := whole
	if isMSCA {
		digits = whole + frac + strings.Repeat("0", tokenDecimals-len(frac))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return scale.U128{}, nil
	}
	v, err := scale.ParseU128(digits)
	if err != nil {
		return scale.U128{}, fmt.Errorf("%w %q: larger than u128", errAmount, s)
	}
	return v, nil
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatMSCA renders planck as MSCA with the trailing zeros of the
// fraction trimmed: 1500000000000 → "1.5 MSCA".
func formatMSCA(v scale.U128) string {
	q, r := v.Div64(relay.PlanckPerMSCA)
	s := q.String()
	if r != 0 {
		frac := fmt.Sprintf("%0*d", tokenDecimals, r)
		s += "." + strings.TrimRight(frac, "0")
	}
	return s + " " + tokenSymbol
}

// formatAmount renders planck as "<planck> planck (<x> MSCA)".
func formatAmount(v scale.U128) string {
	return v.String() + " planck (" + formatMSCA(v) + ")"
}
