package keystore

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"

	"github.com/metamars/mars/runtime/types"
)

func mustHex32(t testing.TB, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

// Public keys from Substrate's own tests (sp-core sr25519.rs/ed25519.rs),
// subkey and polkadot.js: if any of these differ, a genesis built by this
// node would not match the accounts every Substrate tool derives.
func TestKnownPublicKeys(t *testing.T) {
	tests := []struct {
		scheme Scheme
		suri   string
		public string
	}{
		{Sr25519, "//Alice", "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"},
		{Sr25519, "//Bob", "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"},
		{Sr25519, "//Charlie", "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"},
		{Sr25519, "//Dave", "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20"},
		{Sr25519, "//Eve", "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e"},
		{Sr25519, "//Ferdie", "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c"},
		{Sr25519, "//Alice//stash", "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f"},
		{Sr25519, DevPhrase + "//Alice", "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"},
		// sp-core derive_soft_known_pair_should_work
		{Sr25519, DevPhrase + "/Alice", "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e"},
		{Sr25519, "/Alice", "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e"},
		// DEV_ADDRESS 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV: the root key.
		{Sr25519, "", "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"},
		{Sr25519, DevPhrase, "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"},
		// sp-core sr_test_vector_should_work / seeded_pair_should_work
		{Sr25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"},
		{Sr25519, "0x" + hex.EncodeToString([]byte("12345678901234567890123456789012")), "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63"},
		{Sr25519, "0x9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60", "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"},
		// ed25519: GRANDPA dev keys and RFC 8032 test 1.
		{Ed25519, "//Alice", "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"},
		{Ed25519, "//Bob", "d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69"},
		{Ed25519, "//Charlie", "439660b36c6c03afafca027b910b4fecf99801834c62a5e6006f27d978de234f"},
		{Ed25519, "//Dave", "5e639b43e0052c47447dac87d6fd2b6ec50bdd4d0f614e4299c665249bbd09d9"},
		{Ed25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
	}
	for _, tc := range tests {
		t.Run(tc.scheme.String()+":"+tc.suri, func(t *testing.T) {
			kp, err := FromURI(tc.scheme, tc.suri)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := kp.Public(), mustHex32(t, tc.public); got != want {
				t.Fatalf("public = %x, want %x", got, want)
			}
			if kp.Scheme() != tc.scheme {
				t.Fatalf("scheme = %v", kp.Scheme())
			}
			if kp.AccountID() != types.AccountID(kp.Public()) {
				t.Fatal("AccountID differs from Public")
			}
		})
	}
}

func TestDevAddressSS58(t *testing.T) {
	kp, err := FromURI(Sr25519, DevPhrase)
	if err != nil {
		t.Fatal(err)
	}
	if got := kp.AccountID().SS58(42); got != "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV" {
		t.Fatalf("dev address = %s", got)
	}
	alice := DevAccounts()[0]
	if got := alice.AccountID().SS58(42); got != "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" {
		t.Fatalf("alice = %s", got)
	}
}

func TestDevAccounts(t *testing.T) {
	accs := DevAccounts()
	if len(accs) != 6 {
		t.Fatalf("%d accounts", len(accs))
	}
	for i, name := range []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"} {
		if accs[i].Name != name {
			t.Fatalf("account %d = %s, want %s", i, accs[i].Name, name)
		}
		kp, err := FromURI(Sr25519, "//"+name)
		if err != nil {
			t.Fatal(err)
		}
		if kp.Public() != accs[i].Public() || accs[i].Scheme() != Sr25519 {
			t.Fatalf("%s differs from //%s", name, name)
		}
	}
	// The returned slice is a copy: callers cannot corrupt the cache.
	accs[0].Name = "Mallory"
	if DevAccounts()[0].Name != "Alice" {
		t.Fatal("DevAccounts returned the shared cache")
	}
}

// The nonce of a soft-derived key is random (as in w3f/schnorrkel) but its
// public key is not.
func TestSoftDerivationDeterministicPublic(t *testing.T) {
	a, err := FromURI(Sr25519, "//Alice/0/1/x")
	if err != nil {
		t.Fatal(err)
	}
	b, err := FromURI(Sr25519, "//Alice/0/1/x")
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromURI(Sr25519, "//Alice/0/1/y")
	if err != nil {
		t.Fatal(err)
	}
	if a.Public() != b.Public() || a.Public() == c.Public() {
		t.Fatal("soft derivation is not a function of the path")
	}
}

func TestPasswordChangesKey(t *testing.T) {
	tests := []struct {
		scheme Scheme
		a, b   string
		same   bool
	}{
		{Sr25519, "//Alice", "//Alice///password", false},
		{Sr25519, "//Alice///password", "//Alice///password", true},
		{Sr25519, "//Alice///password", "//Alice///Password", false},
		{Ed25519, "//Alice", "//Alice///password", false},
		// An empty password is no password (sp-core documents this).
		{Sr25519, "//Alice", "//Alice///", true},
		// Hex seeds ignore the password, as sp-core does.
		{Sr25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60///pw", true},
		// Numeric junctions: leading zeros and '+' are the same number.
		{Sr25519, "//Alice//1", "//Alice//001", true},
		{Sr25519, "//Alice//1", "//Alice//+1", true},
		{Sr25519, "//Alice//1", "//Alice/1", false},
		// Hard and soft of the same name differ.
		{Sr25519, "//Alice", "/Alice", false},
	}
	for _, tc := range tests {
		a, err := FromURI(tc.scheme, tc.a)
		if err != nil {
			t.Fatalf("%s: %v", tc.a, err)
		}
		b, err := FromURI(tc.scheme, tc.b)
		if err != nil {
			t.Fatalf("%s: %v", tc.b, err)
		}
		if (a.Public() == b.Public()) != tc.same {
			t.Errorf("%s vs %s: same=%v, want %v", tc.a, tc.b, a.Public() == b.Public(), tc.same)
		}
	}
}

// sp-core default_phrase_should_be_used: "//Alice///password" equals the
// dev phrase with password "password" and hard junction Alice.
func TestPasswordIsMnemonicSalt(t *testing.T) {
	entropy, err := mnemonicToEntropy(DevPhrase)
	if err != nil {
		t.Fatal(err)
	}
	seed := miniSecretFromEntropy(entropy, "password")
	direct, err := fromSeed(Sr25519, seed, []junction{parseJunction("/Alice")})
	if err != nil {
		t.Fatal(err)
	}
	viaURI, err := FromURI(Sr25519, "//Alice///password")
	if err != nil {
		t.Fatal(err)
	}
	if direct.Public() != viaURI.Public() {
		t.Fatal("password is not the mnemonic salt")
	}
}

func TestInvalidURIs(t *testing.T) {
	tests := []struct {
		scheme Scheme
		suri   string
		want   error
	}{
		{Sr25519, "//", ErrInvalidURI},
		{Sr25519, "//Alice//", ErrInvalidURI},
		{Sr25519, "//Alice/", ErrInvalidURI},
		{Sr25519, "bottom-drive", ErrInvalidURI},
		{Sr25519, "//Alice///pw\n", ErrInvalidURI},
		{Sr25519, "é//Alice", ErrInvalidURI},
		{Sr25519, "0x1234", ErrInvalidSeed},
		{Sr25519, "0xzz61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", ErrInvalidSeed},
		{Sr25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6", ErrInvalidSeed},
		{Sr25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6000", ErrInvalidSeed},
		{Sr25519, "hello world", ErrWordCount},
		{Sr25519, " ", ErrWordCount},
		{Sr25519, "bottom drive obey lake curtain smoke basket hold race lonely fit", ErrWordCount},
		{Sr25519, "bottom drive obey lake curtain smoke basket hold race lonely fit walk walk", ErrWordCount},
		{Sr25519, "bottom drive obey lake curtain smoke basket hold race lonely fit wall", ErrChecksum},
		{Sr25519, "bottom drive obey lake curtain smoke basket hold race lonely fit walks", ErrUnknownWord},
		{Sr25519, "Bottom drive obey lake curtain smoke basket hold race lonely fit walk", ErrUnknownWord},
		{Ed25519, "//Alice/soft", ErrSoftJunction},
		{Ed25519, "/Alice", ErrSoftJunction},
		{Scheme(9), "//Alice", ErrUnknownScheme},
	}
	for _, tc := range tests {
		_, err := FromURI(tc.scheme, tc.suri)
		if !errors.Is(err, tc.want) {
			t.Errorf("FromURI(%v, %q) = %v, want %v", tc.scheme, tc.suri, err, tc.want)
		}
		for _, e := range []error{ErrWordCount, ErrUnknownWord, ErrChecksum} {
			if errors.Is(err, e) && !errors.Is(err, ErrInvalidMnemonic) {
				t.Errorf("%q: %v does not wrap ErrInvalidMnemonic", tc.suri, err)
			}
		}
	}
}

// Phrases may be separated by any run of spaces (bip39's split_whitespace).
func TestPhraseWhitespace(t *testing.T) {
	spaced := "  bottom drive  obey lake curtain smoke basket hold race lonely fit   walk //Alice"
	a, err := FromURI(Sr25519, spaced)
	if err != nil {
		t.Fatal(err)
	}
	if a.Public() != DevAccounts()[0].Public() {
		t.Fatal("extra spaces changed the key")
	}
}

func TestSignVerify(t *testing.T) {
	msgs := [][]byte{nil, []byte("hello"), bytes.Repeat([]byte{0xab}, 10_000)}
	for _, scheme := range []Scheme{Sr25519, Ed25519} {
		kp, err := FromURI(scheme, "//Alice")
		if err != nil {
			t.Fatal(err)
		}
		other, err := FromURI(scheme, "//Bob")
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range msgs {
			sig := kp.Sign(msg)
			if len(sig) != 64 {
				t.Fatalf("%v: signature length %d", scheme, len(sig))
			}
			if !Verify(scheme, kp.Public(), msg, sig) {
				t.Fatalf("%v: own signature rejected", scheme)
			}
			if Verify(scheme, other.Public(), msg, sig) {
				t.Fatalf("%v: signature accepted for another key", scheme)
			}
			if Verify(scheme, kp.Public(), append(append([]byte{}, msg...), 0), sig) {
				t.Fatalf("%v: signature accepted for another message", scheme)
			}
			bad := append([]byte{}, sig...)
			bad[0] ^= 1
			if Verify(scheme, kp.Public(), msg, bad) {
				t.Fatalf("%v: tampered signature accepted", scheme)
			}
			if Verify(scheme, kp.Public(), msg, sig[:63]) {
				t.Fatalf("%v: short signature accepted", scheme)
			}
			other := Sr25519
			if scheme == Sr25519 {
				other = Ed25519
			}
			if Verify(other, kp.Public(), msg, sig) {
				t.Fatalf("%v signature accepted as %v", scheme, other)
			}
		}
	}
	if Verify(Scheme(0), [32]byte{}, nil, make([]byte, 64)) {
		t.Fatal("unknown scheme verified")
	}
}

// The runtime host (host/executor) verifies sr25519 with curve25519-voi and
// the "substrate" context; check our signatures against exactly that code
// path, written out here independently of Verify.
func TestSr25519CompatibleWithHost(t *testing.T) {
	for _, suri := range []string{"//Alice", "//Alice//stash", "//Alice/soft/0", "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"} {
		kp, err := FromURI(Sr25519, suri)
		if err != nil {
			t.Fatal(err)
		}
		msg := []byte("extrinsic payload " + suri)
		sig := kp.Sign(msg)
		pub := kp.Public()
		pk, err := sr25519.NewPublicKeyFromBytes(pub[:])
		if err != nil {
			t.Fatal(err)
		}
		s, err := sr25519.NewSignatureFromBytes(sig)
		if err != nil {
			t.Fatal(err)
		}
		ctx := sr25519.NewSigningContext([]byte("substrate"))
		if !pk.Verify(ctx.NewTranscriptBytes(msg), s) {
			t.Fatalf("%s: host verification failed", suri)
		}
		if pk.Verify(sr25519.NewSigningContext([]byte("polkadot")).NewTranscriptBytes(msg), s) {
			t.Fatalf("%s: verified under the wrong context", suri)
		}
		if sig[63]&0x80 == 0 {
			t.Fatalf("%s: signature not marked as schnorrkel", suri)
		}
	}
}

// RFC 8032 test 1 (also sp-core's ed25519 test_vector_should_work).
func TestEd25519Vector(t *testing.T) {
	kp, err := FromURI(Ed25519, "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := hex.DecodeString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
	if got := kp.Sign(nil); !bytes.Equal(got, want) {
		t.Fatalf("signature = %x", got)
	}
}

func TestGenerate(t *testing.T) {
	for _, scheme := range []Scheme{Sr25519, Ed25519} {
		for _, words := range []int{12, 15, 18, 21, 24} {
			phrase, kp, err := Generate(scheme, words)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(strings.Fields(phrase)); n != words {
				t.Fatalf("%d words, want %d", n, words)
			}
			again, err := FromURI(scheme, phrase)
			if err != nil {
				t.Fatal(err)
			}
			if again.Public() != kp.Public() {
				t.Fatal("generated phrase does not give back its key")
			}
		}
	}
	a, _, err := Generate(Sr25519, 12)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Generate(Sr25519, 12)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two generated phrases are equal")
	}
	for _, words := range []int{0, 11, 13, 27, -12} {
		if _, _, err := Generate(Sr25519, words); !errors.Is(err, ErrWordCount) {
			t.Errorf("Generate(%d words) = %v", words, err)
		}
	}
	if _, _, err := Generate(Scheme(0), 12); !errors.Is(err, ErrUnknownScheme) {
		t.Errorf("Generate(scheme 0) = %v", err)
	}
}

func TestParseScheme(t *testing.T) {
	for _, s := range []Scheme{Sr25519, Ed25519} {
		got, err := ParseScheme(s.String())
		if err != nil || got != s {
			t.Fatalf("ParseScheme(%s) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseScheme("ecdsa"); !errors.Is(err, ErrUnknownScheme) {
		t.Fatal(err)
	}
}

// A soft child's public key is also derivable from the parent's public key
// alone (schnorrkel's public HDKD); check the secret-side derivation agrees.
func TestSoftDerivationMatchesPublicDerivation(t *testing.T) {
	parent := DevAccounts()[0]
	for _, path := range []string{"soft", "0", "1", strings.Repeat("long", 10)} {
		child, err := FromURI(Sr25519, "//Alice/"+path)
		if err != nil {
			t.Fatal(err)
		}
		pk, err := schnorrkel.NewPublicKey(parent.Public())
		if err != nil {
			t.Fatal(err)
		}
		ek, err := schnorrkel.DeriveKeySimple(pk, nil, parseJunction(path).code)
		if err != nil {
			t.Fatal(err)
		}
		cpk, err := ek.Public()
		if err != nil {
			t.Fatal(err)
		}
		if cpk.Encode() != child.Public() {
			t.Fatalf("/%s: public derivation %x, secret derivation %x", path, cpk.Encode(), child.Public())
		}
	}
}
