package keystore

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

// The cases of sp-core's address_uri.rs tests (test00..test22), plus a few.
func TestParseURI(t *testing.T) {
	type want struct {
		phrase  string
		paths   []string
		pass    string
		hasPass bool
	}
	tests := []struct {
		in   string
		want want
		err  bool
	}{
		{in: "///", want: want{hasPass: true}},
		{in: "////////", want: want{pass: "/////", hasPass: true}},
		{in: "sdasd///asda", want: want{phrase: "sdasd", pass: "asda", hasPass: true}},
		{in: "sdasd//asda", want: want{phrase: "sdasd", paths: []string{"/asda"}}},
		{in: "sdasd//a", want: want{phrase: "sdasd", paths: []string{"/a"}}},
		{in: "sdasd//", err: true},
		{in: "sdasd/xx//asda", want: want{phrase: "sdasd", paths: []string{"xx", "/asda"}}},
		{in: "sdasd/xx//a/b//c///pass", want: want{phrase: "sdasd", paths: []string{"xx", "/a", "b", "/c"}, pass: "pass", hasPass: true}},
		{in: "sdasd/xx//a", want: want{phrase: "sdasd", paths: []string{"xx", "/a"}}},
		{in: "sdasd/xx//", err: true},
		{in: "sdasd/asda", want: want{phrase: "sdasd", paths: []string{"asda"}}},
		{in: "sdasd/asda//x", want: want{phrase: "sdasd", paths: []string{"asda", "/x"}}},
		{in: "sdasd/a", want: want{phrase: "sdasd", paths: []string{"a"}}},
		{in: "sdasd/", err: true},
		{in: "sdasd", want: want{phrase: "sdasd"}},
		{in: "sd.asd", err: true},
		{in: "sd.asd/asd.a", err: true},
		{in: "sd.asd//asd.a", err: true},
		{in: "sdasd/asd.a", want: want{phrase: "sdasd", paths: []string{"asd.a"}}},
		{in: "sdasd//asd.a", want: want{phrase: "sdasd", paths: []string{"/asd.a"}}},
		{in: "///\n", err: true},
		{in: "///a\n", err: true},
		{in: "sd.asd///asd.a\n", err: true},
		// Ours.
		{in: "", want: want{}},
		{in: "//Alice", want: want{paths: []string{"/Alice"}}},
		{in: "//Alice///pa/ss//w", want: want{paths: []string{"/Alice"}, pass: "pa/ss//w", hasPass: true}},
		{in: "//Alice////pw", want: want{paths: []string{"/Alice"}, pass: "/pw", hasPass: true}},
		{in: "0xabc//1/2", want: want{phrase: "0xabc", paths: []string{"/1", "2"}}},
		{in: "a b//x y", want: want{phrase: "a b", paths: []string{"/x y"}}},
		{in: "//\n", want: want{paths: []string{"/\n"}}},
	}
	for _, tc := range tests {
		u, err := parseURI(tc.in)
		if tc.err {
			if !errors.Is(err, ErrInvalidURI) {
				t.Errorf("parseURI(%q) err = %v, want ErrInvalidURI", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseURI(%q): %v", tc.in, err)
			continue
		}
		got := want{u.phrase, u.paths, u.password, u.hasPassword}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseURI(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestJunctionChainCode(t *testing.T) {
	pad := func(b ...byte) [32]byte { var c [32]byte; copy(c[:], b); return c }
	long := strings.Repeat("x", 40)
	tests := []struct {
		path string
		hard bool
		code [32]byte
	}{
		{"0", false, pad()},
		{"/0", true, pad()},
		{"258", false, pad(0x02, 0x01)},
		{"+258", false, pad(0x02, 0x01)},
		{"00258", false, pad(0x02, 0x01)},
		{"18446744073709551615", false, pad(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)},
		// Overflowing u64 is a string.
		{"18446744073709551616", false, pad(append([]byte{20 << 2}, "18446744073709551616"...)...)},
		{"-1", false, pad(append([]byte{2 << 2}, "-1"...)...)},
		{"+", false, pad(append([]byte{1 << 2}, "+"...)...)},
		{"++1", false, pad(append([]byte{3 << 2}, "++1"...)...)},
		{"1_000", false, pad(append([]byte{5 << 2}, "1_000"...)...)},
		{"/Alice", true, pad(0x14, 'A', 'l', 'i', 'c', 'e')},
		{"stash", false, pad(0x14, 's', 't', 'a', 's', 'h')},
		// 31 bytes + 1 length byte = 32: still padded, not hashed.
		{strings.Repeat("y", 31), false, pad(append([]byte{31 << 2}, strings.Repeat("y", 31)...)...)},
		{strings.Repeat("y", 32), false, types.Blake2b256(append([]byte{32 << 2}, strings.Repeat("y", 32)...))},
		// 64 bytes needs a two-byte compact length.
		{strings.Repeat("z", 64), false, types.Blake2b256(append([]byte{0x01, 0x01}, strings.Repeat("z", 64)...))},
		{long, false, types.Blake2b256(append([]byte{40 << 2}, long...))},
	}
	for _, tc := range tests {
		j := parseJunction(tc.path)
		if j.hard != tc.hard || j.code != tc.code {
			t.Errorf("parseJunction(%q) = %v %x, want %v %x", tc.path, j.hard, j.code, tc.hard, tc.code)
		}
	}
}

// referenceURI is the regex sp-core used before its hand-written parser, and
// which its tests still check the parser against.
var referenceURI = regexp.MustCompile(`^(?P<phrase>[a-zA-Z0-9 ]+)?(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$`)

func checkAgainstRegex(t *testing.T, s string) {
	u, err := parseURI(s)
	m := referenceURI.FindStringSubmatchIndex(s)
	if (m != nil) != (err == nil) {
		t.Fatalf("%q: regex match=%v, parser err=%v", s, m != nil, err)
	}
	if m == nil {
		return
	}
	group := func(name string) (string, bool) {
		i := referenceURI.SubexpIndex(name)
		if m[2*i] < 0 {
			return "", false
		}
		return s[m[2*i]:m[2*i+1]], true
	}
	phrase, _ := group("phrase")
	path, _ := group("path")
	pass, hasPass := group("password")
	joined := ""
	for _, p := range u.paths {
		joined += "/" + p
	}
	if phrase != u.phrase || path != joined || pass != u.password || hasPass != u.hasPassword {
		t.Fatalf("%q: regex (%q %q %q %v) != parser (%q %q %q %v)", s, phrase, path, pass, hasPass, u.phrase, joined, u.password, u.hasPassword)
	}
}

func TestParseURIMatchesRegex(t *testing.T) {
	for _, s := range []string{"", "/", "//", "///", "////", "a/b", "a//b", "a///b", "a////b", "//a//b///c", "x\n", "//\n", "///\n", "a b c//d/e///f g", "ab//c/", "é", "//é", "0x00//0"} {
		checkAgainstRegex(t, s)
	}
}

// FuzzParseURI: never panics, agrees with sp-core's reference regex, and
// never panics deriving a key from whatever parses.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"//Alice", "//Alice//stash///pw", DevPhrase + "/soft//hard", "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60//1", "////", "a/b\n", "//+1/00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstRegex(t, s)
		u, err := parseURI(s)
		if err != nil {
			return
		}
		for _, j := range u.junctions() {
			_ = j
		}
		// Deriving costs a PBKDF2 run; only do it when the root is cheap to
		// reach (hex seed) or the dev phrase, to keep the fuzzer fast.
		if u.phrase == "" || strings.HasPrefix(u.phrase, "0x") {
			for _, scheme := range []Scheme{Sr25519, Ed25519} {
				kp, err := FromURI(scheme, s)
				if err != nil {
					continue
				}
				msg := []byte(s)
				if !Verify(scheme, kp.Public(), msg, kp.Sign(msg)) {
					t.Fatalf("%q %v: signature does not verify", s, scheme)
				}
			}
		}
	})
}
