package keystore

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// DevPhrase is Substrate's well-known development mnemonic. A secret URI that
// starts with '/' (e.g. "//Alice") is derived from it, exactly as sp-core does.
const DevPhrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

// secretURI is a parsed secret URI (SURI). It mirrors sp-core's AddressUri:
// paths keep their textual form ("x" for a soft junction, "/x" for a hard one)
// so the parser can be checked against Substrate's reference regex.
type secretURI struct {
	phrase      string // empty when absent: the dev phrase is used
	paths       []string
	password    string
	hasPassword bool
}

// junction is one HDKD step: its 32-byte chain code and whether it is hard.
type junction struct {
	hard bool
	code [32]byte
}

func isPhraseByte(c byte) bool {
	return c == ' ' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// parseURI splits s into phrase, junction paths and password. It is a port
// of sp-core's AddressUri::parse (substrate/primitives/core/src/address_uri.rs),
// which is specified as equivalent to the regex
//
//	^(?P<phrase>[a-zA-Z0-9 ]+)?(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$
//
// The phrase is the longest prefix of [A-Za-z0-9 ]; then, repeatedly,
// "///" starts the password (everything up to a newline), "//x" is a hard
// junction and "/x" a soft one (x = one or more bytes other than '/').
func parseURI(s string) (secretURI, error) {
	var u secretURI
	i := 0
	for i < len(s) && isPhraseByte(s[i]) {
		i++
	}
	u.phrase = s[:i]
	in := s[i:]
	for len(in) > 0 {
		switch {
		case strings.HasPrefix(in, "///"):
			in = in[3:]
			j := strings.IndexByte(in, '\n')
			if j < 0 {
				j = len(in)
			}
			u.password, u.hasPassword = in[:j], true
			in = in[j:]
		case strings.HasPrefix(in, "//"):
			in = in[2:]
			j := indexOrLen(in, '/')
			if j == 0 {
				return secretURI{}, fmt.Errorf("%w: empty hard junction at offset %d", ErrInvalidURI, len(s)-len(in))
			}
			u.paths = append(u.paths, "/"+in[:j])
			in = in[j:]
		case in[0] == '/':
			in = in[1:]
			j := indexOrLen(in, '/')
			if j == 0 {
				return secretURI{}, fmt.Errorf("%w: empty soft junction at offset %d", ErrInvalidURI, len(s)-len(in))
			}
			u.paths = append(u.paths, in[:j])
			in = in[j:]
		default:
			where := "phrase"
			if u.hasPassword {
				where = "password"
			}
			return secretURI{}, fmt.Errorf("%w: invalid character %q in %s at offset %d", ErrInvalidURI, in[0], where, len(s)-len(in))
		}
	}
	return u, nil
}

func indexOrLen(s string, c byte) int {
	if j := strings.IndexByte(s, c); j >= 0 {
		return j
	}
	return len(s)
}

// junctions converts the textual paths to chain codes.
func (u *secretURI) junctions() []junction {
	js := make([]junction, len(u.paths))
	for i, p := range u.paths {
		js[i] = parseJunction(p)
	}
	return js
}

// parseJunction is sp-core's `impl From<&str> for DeriveJunction`: a leading
// '/' makes it hard; a decimal u64 is encoded as its 8 little-endian bytes,
// anything else as a SCALE string (compact length ++ UTF-8); an encoding
// longer than 32 bytes is replaced by its blake2b-256; the rest is zero padded.
func parseJunction(p string) junction {
	var j junction
	if strings.HasPrefix(p, "/") {
		j.hard, p = true, p[1:]
	}
	if n, ok := parseRustU64(p); ok {
		binary.LittleEndian.PutUint64(j.code[:8], n)
		return j
	}
	e := scale.NewEncoder(len(p) + 5)
	e.PutString(p)
	if b := e.Bytes(); len(b) > len(j.code) {
		j.code = types.Blake2b256(b)
	} else {
		copy(j.code[:], b)
	}
	return j
}

// parseRustU64 accepts what Rust's `str::parse::<u64>` accepts: decimal
// digits with an optional single leading '+', no overflow.
func parseRustU64(s string) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}
