package types

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestHashVectors(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{"twox64 empty", sl8(Twox64(nil)), "99e9d85137db46ef"},
		{"twox128 System", sl16(Twox128([]byte("System"))), "26aa394eea5630e07c48ae0c9558cef7"},
		{"twox128 Balances", sl16(Twox128([]byte("Balances"))), "c2261276cc9d1f8598ea4b6a74b15c2f"},
		{"twox128 Account", sl16(Twox128([]byte("Account"))), "b99d880ec681799c0cf30e8886371da9"},
		{"twox128 Events", sl16(Twox128([]byte("Events"))), "80d41e5e16056765bc8461851072c9d7"},
		{"twox128 BlockHash", sl16(Twox128([]byte("BlockHash"))), "a44704b568d21667356a5a050c118746"},
		{"twox64concat u32 0", Twox64Concat([]byte{0, 0, 0, 0}), "b4def25cfda6ef3a00000000"},
		{"blake2_256 of 0x00 (empty trie)", sl32(Blake2b256([]byte{0})), "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"},
		{"blake2_256 empty", sl32(Blake2b256(nil)), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"},
		{"blake2_128 empty", sl16(Blake2b128(nil)), "cae66941d9efbd404e4d88758ea67670"},
		{"blake2_512 empty", sl64(Blake2b512(nil)), "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"},
		{"keccak256 empty", sl32(Keccak256(nil)), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"System.Account(Alice)", systemAccountKey(t), "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59f" + alicePub},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(tt.got); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func systemAccountKey(t *testing.T) []byte {
	p := Twox128([]byte("System"))
	i := Twox128([]byte("Account"))
	k := append(p[:], i[:]...)
	return append(k, Blake2_128Concat(unhex(t, alicePub))...)
}

func TestTwoxPrefixes(t *testing.T) {
	// twox256 extends twox128, which extends twox64: seeds 0,1,2,3 in order.
	for _, in := range []string{"", "a", "System", "a longer input spanning more than 32 bytes of data"} {
		t64, t128, t256 := Twox64([]byte(in)), Twox128([]byte(in)), Twox256([]byte(in))
		if string(t128[:8]) != string(t64[:]) || string(t256[:16]) != string(t128[:]) {
			t.Errorf("twox prefixes disagree for %q", in)
		}
		if string(t256[16:24]) == string(t256[24:]) {
			t.Errorf("twox256 seeds 2 and 3 equal for %q", in)
		}
	}
}

func TestAPIIDs(t *testing.T) {
	tests := []struct{ name, id string }{
		{"Core", "df6acb689907609b"},
		{"Metadata", "37e397fc7c91f5e4"},
		{"BlockBuilder", "40fe3ad401f8959a"},
		{"TaggedTransactionQueue", "d2bc9897eed08f15"},
		{"OffchainWorkerApi", "f78b278be53f454c"},
		{"AccountNonceApi", "bc9d89904f5b923f"},
		{"TransactionPaymentApi", "37c8bb1350a9a2a8"},
		{"GenesisBuilder", "fbc577b9d747efd6"},
		{"AuraApi", "dd718d5cc53262d4"},
		{"GrandpaApi", "ed99c5acb25eedf5"},
		{"SessionKeys", "ab3c0572291feb8b"},
	}
	for _, tt := range tests {
		id := APIID(tt.name)
		if got := hex.EncodeToString(id[:]); got != tt.id {
			t.Errorf("APIID(%s) = %s, want %s", tt.name, got, tt.id)
		}
	}
}

func TestHashHex(t *testing.T) {
	const s = "0xf242f6807b7c8e490086bb55bc1b1ddca08aef4a39bba09b20e55715dcbaec30"
	h, err := HashFromHex(s)
	if err != nil || h.Hex() != s || h.String() != s || h.IsZero() {
		t.Fatalf("HashFromHex(%s) = %v, %v", s, h, err)
	}
	if h2, err := HashFromHex(s[2:]); err != nil || h2 != h {
		t.Errorf("without 0x: %v, %v", h2, err)
	}
	txt, _ := h.MarshalText()
	var h3 Hash
	if err := h3.UnmarshalText(txt); err != nil || h3 != h {
		t.Errorf("text round trip: %v %v", h3, err)
	}
	for _, bad := range []string{"", "0x", s[:65], s + "00", "0x" + "zz" + s[4:]} {
		if _, err := HashFromHex(bad); !errors.Is(err, ErrInvalidHex) {
			t.Errorf("HashFromHex(%q) err = %v, want ErrInvalidHex", bad, err)
		}
	}
	if !(Hash{}).IsZero() {
		t.Error("zero hash not IsZero")
	}
}

func sl8(b [8]byte) []byte   { return b[:] }
func sl16(b [16]byte) []byte { return b[:] }
func sl32(b [32]byte) []byte { return b[:] }
func sl64(b [64]byte) []byte { return b[:] }
