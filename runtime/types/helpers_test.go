package types

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// unhex decodes hex, ignoring spaces and an optional 0x prefix.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.TrimPrefix(strings.ReplaceAll(s, " ", ""), "0x")
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func rep(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func enc(v scale.Encodable) []byte { return scale.Encode(v) }

var (
	alicePub = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
	bobPub   = "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
)

func account(t testing.TB, h string) AccountID {
	t.Helper()
	var a AccountID
	copy(a[:], unhex(t, h))
	return a
}
