package keystore

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

// substrate-bip39's own vectors (all with password "Substrate"): phrase,
// entropy, first 32 bytes of the seed = the mini secret key.
var substrateBip39Vectors = [][3]string{
	{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "00000000000000000000000000000000", "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e3"},
	{"legal winner thank year wave sausage worth useful legal winner thank yellow", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "4313249608fe8ac10fd5886c92c4579007272cb77c21551ee5b8d60b78041685"},
	{"letter advice cage absurd amount doctor acoustic avoid letter advice cage above", "80808080808080808080808080808080", "27f3eb595928c60d5bc91a4d747da40ed236328183046892ed6cd5aa9ae38122"},
	{"zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", "ffffffffffffffffffffffffffffffff", "227d6256fd4f9ccaf06c45eaa4b2345969640462bbb00c5f51f43cb43418c7a7"},
	{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent", "000000000000000000000000000000000000000000000000", "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e3"},
	{"legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "cb1d50e14101024a88905a098feb1553d4306d072d7460e167a60ccb3439a681"},
	{"zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "047e89ef7739cbfe30da0ad32eb1720d8f62441dd4f139b981b8e2d0bd412ed4"},
	{"ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic", "9e885d952ad362caeb4efe34a8e91bd2", "f4956be6960bc145cdab782e649a5056598fd07cd3f32ceb73421c3da2783324"},
	{"gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog", "6610b25967cdcca9d59875f5cb50b0ea75433311869e930b", "fbcc5229ade0c0ff018cb7a329c5459f91876e4dde2a97ddf03c832eab7f2612"},
	{"hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", "68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c", "7c60c555126c297deddddd59f8cdcdc9e3608944455824dd604897984b5cc369"},
	{"void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold", "f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f", "938ba18c3f521f19bd4a399c8425b02c716844325b1a65106b9d1593fbafe5e0"},
}

func TestSubstrateBip39Vectors(t *testing.T) {
	for _, v := range substrateBip39Vectors {
		entropy, err := mnemonicToEntropy(v[0])
		if err != nil {
			t.Fatalf("%s: %v", v[0], err)
		}
		if got := hex.EncodeToString(entropy); got != v[1] {
			t.Fatalf("%s: entropy %s, want %s", v[0], got, v[1])
		}
		if got := entropyToMnemonic(entropy); got != v[0] {
			t.Fatalf("entropy %s: phrase %q", v[1], got)
		}
		mini := miniSecretFromEntropy(entropy, "Substrate")
		if got := hex.EncodeToString(mini[:]); got != v[2] {
			t.Fatalf("%s: mini secret %s, want %s", v[0], got, v[2])
		}
		// The URI path gives the same root key as the raw mini secret.
		viaURI, err := FromURI(Sr25519, v[0]+"///Substrate")
		if err != nil {
			t.Fatal(err)
		}
		viaHex, err := FromURI(Sr25519, "0x"+v[2])
		if err != nil {
			t.Fatal(err)
		}
		if viaURI.Public() != viaHex.Public() {
			t.Fatalf("%s: phrase and hex seed give different keys", v[0])
		}
	}
}

// The mini secret is NOT the BIP-39 seed of the words (which would be
// PBKDF2 over the normalized phrase); check we did not use that one.
func TestMiniSecretIsNotBIP39Seed(t *testing.T) {
	// BIP-39 seed of "abandon ... about" with passphrase "TREZOR" (the
	// reference vector) starts c55257c3; ours must not.
	entropy, err := mnemonicToEntropy(substrateBip39Vectors[0][0])
	if err != nil {
		t.Fatal(err)
	}
	mini := miniSecretFromEntropy(entropy, "TREZOR")
	if bytes.HasPrefix(mini[:], []byte{0xc5, 0x52, 0x57, 0xc3}) {
		t.Fatal("mini secret equals the standard BIP-39 seed")
	}
}

func TestMnemonicRoundTrip(t *testing.T) {
	for _, words := range []int{12, 15, 18, 21, 24} {
		for i := 0; i < 20; i++ {
			phrase, err := NewMnemonic(words)
			if err != nil {
				t.Fatal(err)
			}
			entropy, err := mnemonicToEntropy(phrase)
			if err != nil {
				t.Fatalf("%q: %v", phrase, err)
			}
			if len(entropy) != words*4/3 {
				t.Fatalf("%d words: %d entropy bytes", words, len(entropy))
			}
			if back := entropyToMnemonic(entropy); back != phrase {
				t.Fatalf("round trip %q -> %q", phrase, back)
			}
		}
	}
}

// Flipping any single word to another word breaks the checksum at least
// almost always; with a 4-bit checksum, check that a changed last word with
// the same entropy bits but wrong checksum bits is rejected.
func TestChecksumDetected(t *testing.T) {
	entropy := make([]byte, 16)
	phrase := entropyToMnemonic(entropy) // "abandon ... about"
	for _, last := range []string{"abandon", "ability", "able", "absent"} {
		bad := phrase[:len(phrase)-len("about")] + last
		if _, err := mnemonicToEntropy(bad); !errors.Is(err, ErrChecksum) || !errors.Is(err, ErrInvalidMnemonic) {
			t.Errorf("%q: %v", last, err)
		}
	}
	if _, err := mnemonicToEntropy(phrase + "\tabout"); !errors.Is(err, ErrWordCount) {
		t.Errorf("13 words: %v", err)
	}
}
