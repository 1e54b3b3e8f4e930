package keystore

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	schnorrkel "github.com/ChainSafe/go-schnorrkel"
	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"

	"github.com/metamars/mars/runtime/types"
)

// Scheme is a signature scheme.
type Scheme uint8

const (
	// Sr25519 is Schnorr over Ristretto25519 (schnorrkel) with the
	// "substrate" signing context: account and AURA keys.
	Sr25519 Scheme = iota + 1
	// Ed25519 is plain RFC 8032 Ed25519: GRANDPA keys.
	Ed25519
)

// String returns "sr25519" or "ed25519".
func (s Scheme) String() string {
	switch s {
	case Sr25519:
		return "sr25519"
	case Ed25519:
		return "ed25519"
	}
	return fmt.Sprintf("Scheme(%d)", uint8(s))
}

// ParseScheme is the inverse of Scheme.String.
func ParseScheme(name string) (Scheme, error) {
	switch strings.ToLower(name) {
	case "sr25519":
		return Sr25519, nil
	case "ed25519":
		return Ed25519, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownScheme, name)
}

// KeyPair is a secret key with its public key. Implementations are immutable
// and safe for concurrent use.
type KeyPair interface {
	// Public is the 32-byte public key (also the AccountID).
	Public() [32]byte
	// Sign returns a 64-byte signature of msg. sr25519 signatures are
	// randomized (two signatures of one message differ); ed25519 ones are not.
	Sign(msg []byte) []byte
	// Scheme is the key's signature scheme.
	Scheme() Scheme
	// AccountID is the public key as a runtime account id.
	AccountID() types.AccountID
}

// signingContext is schnorrkel's context for every Substrate signature; the
// runtime host (host/executor) verifies with the same one.
var signingContext = sr25519.NewSigningContext([]byte("substrate"))

// ed25519Options are ZIP-215 rules, which is what Substrate's ed25519-zebra
// (and so host/executor) verifies with.
var ed25519Options = &ed25519.Options{Verify: ed25519.VerifyOptionsZIP_215}

// Verify reports whether sig is a valid signature of msg by public under
// scheme, with the same rules as the runtime host's
// ext_crypto_{sr25519,ed25519}_verify.
func Verify(scheme Scheme, public [32]byte, msg, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	switch scheme {
	case Sr25519:
		pk, err := sr25519.NewPublicKeyFromBytes(public[:])
		if err != nil {
			return false
		}
		s, err := sr25519.NewSignatureFromBytes(sig)
		if err != nil {
			return false
		}
		return pk.Verify(signingContext.NewTranscriptBytes(msg), s)
	case Ed25519:
		return ed25519.VerifyWithOptions(ed25519.PublicKey(public[:]), msg, sig, ed25519Options)
	}
	return false
}

type srPair struct {
	kp  *sr25519.KeyPair
	pub [32]byte
}

func (p *srPair) Public() [32]byte           { return p.pub }
func (p *srPair) Scheme() Scheme             { return Sr25519 }
func (p *srPair) AccountID() types.AccountID { return types.AccountID(p.pub) }

func (p *srPair) Sign(msg []byte) []byte {
	sig, err := p.kp.Sign(rand.Reader, signingContext.NewTranscriptBytes(msg))
	if err != nil {
		// Only a crypto/rand failure gets here, and the Go runtime treats
		// that as fatal (crypto/rand.Read never returns an error).
		panic("keystore: sr25519 signing failed: " + err.Error())
	}
	b, err := sig.MarshalBinary()
	if err != nil {
		panic("keystore: sr25519 signature encoding failed: " + err.Error())
	}
	return b
}

type edPair struct {
	priv ed25519.PrivateKey
	pub  [32]byte
}

func (p *edPair) Public() [32]byte           { return p.pub }
func (p *edPair) Scheme() Scheme             { return Ed25519 }
func (p *edPair) AccountID() types.AccountID { return types.AccountID(p.pub) }
func (p *edPair) Sign(msg []byte) []byte     { return ed25519.Sign(p.priv, msg) }

// FromURI derives a key pair from a secret URI exactly as sp-core's
// Pair::from_string does:
//
//	<phrase | 0x<64 hex>>[/soft | //hard]...[///password]
//
// The phrase is an English BIP-39 mnemonic (its mini secret is
// PBKDF2-HMAC-SHA512(entropy, "mnemonic"+password, 2048)[:32]) or a 32-byte hex
// seed (the password is then ignored, as in sp-core). A URI that starts with
// '/' uses DevPhrase, so "//Alice" is the well-known Alice. ed25519 accepts
// hard junctions only.
func FromURI(scheme Scheme, suri string) (KeyPair, error) {
	u, err := parseURI(suri)
	if err != nil {
		return nil, err
	}
	seed, err := u.seed()
	if err != nil {
		return nil, err
	}
	return fromSeed(scheme, seed, u.junctions())
}

// seed returns the root mini secret of a parsed URI.
func (u *secretURI) seed() ([32]byte, error) {
	phrase := u.phrase
	if phrase == "" {
		phrase = DevPhrase
	}
	if h, ok := strings.CutPrefix(phrase, "0x"); ok {
		// sp-core decodes with array_bytes::hex2bytes, which strips one more
		// optional "0x" and accepts either case.
		b, err := hex.DecodeString(strings.TrimPrefix(h, "0x"))
		if err != nil || len(b) != 32 {
			return [32]byte{}, fmt.Errorf("%w: %d hex digits", ErrInvalidSeed, len(h))
		}
		return [32]byte(b), nil
	}
	entropy, err := mnemonicToEntropy(phrase)
	if err != nil {
		return [32]byte{}, err
	}
	return miniSecretFromEntropy(entropy, u.password), nil
}

func fromSeed(scheme Scheme, seed [32]byte, js []junction) (KeyPair, error) {
	switch scheme {
	case Sr25519:
		return srFromSeed(seed, js)
	case Ed25519:
		return edFromSeed(seed, js)
	}
	return nil, fmt.Errorf("%w: %d", ErrUnknownScheme, uint8(scheme))
}

// srFromSeed is sp-core's sr25519 Pair::from_seed followed by Pair::derive:
// the mini secret is expanded ed25519-style; a hard junction is schnorrkel's
// hard_derive_mini_secret_key(chain code, b"") then the same expansion; a
// soft junction is derived_key_simple(chain code, b""). Derivation uses
// go-schnorrkel (whose transcripts match w3f/schnorrkel); signing uses
// curve25519-voi, the library the runtime host verifies with.
func srFromSeed(seed [32]byte, js []junction) (KeyPair, error) {
	msk, err := schnorrkel.NewMiniSecretKeyFromRaw(seed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
	}
	sk := msk.ExpandEd25519()
	nonce := expansionNonce(seed)
	for _, j := range js {
		if j.hard {
			m, _, err := sk.HardDeriveMiniSecretKey(nil, j.code)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
			}
			sk = m.ExpandEd25519()
			nonce = expansionNonce(m.Encode())
			continue
		}
		ek, err := schnorrkel.DeriveKeySimple(sk, nil, j.code)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
		}
		if sk, err = ek.Secret(); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
		}
		// w3f/schnorrkel draws a soft-derived key's nonce from the
		// transcript RNG seeded with OS randomness; so do we. The nonce only
		// hardens signing against a bad RNG and never affects the public key.
		if _, err := rand.Read(nonce[:]); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
		}
	}
	key := sk.Encode()
	raw := make([]byte, 0, sr25519.SecretKeySize)
	raw = append(raw, key[:]...)
	raw = append(raw, nonce[:]...)
	vsk, err := sr25519.NewSecretKeyFromBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
	}
	kp := vsk.KeyPair()
	pb, err := kp.PublicKey().MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDerivation, err)
	}
	return &srPair{kp: kp, pub: [32]byte(pb)}, nil
}

// expansionNonce is the nonce half of schnorrkel's ExpandEd25519: the upper
// 32 bytes of SHA-512(mini secret).
func expansionNonce(mini [32]byte) [32]byte {
	h := sha512.Sum512(mini[:])
	return [32]byte(h[32:])
}

// edFromSeed is sp-core's ed25519 Pair::from_seed + derive: each hard
// junction replaces the seed with blake2b-256(SCALE(("Ed25519HDKD", seed,
// chain code))); soft junctions are an error.
func edFromSeed(seed [32]byte, js []junction) (KeyPair, error) {
	for _, j := range js {
		if !j.hard {
			return nil, ErrSoftJunction
		}
		seed = edHardDerive(seed, j.code)
	}
	priv := ed25519.NewKeyFromSeed(seed[:])
	return &edPair{priv: priv, pub: [32]byte(priv[32:])}, nil
}

func edHardDerive(seed, cc [32]byte) [32]byte {
	const tag = "Ed25519HDKD"
	b := make([]byte, 0, 1+len(tag)+64)
	b = append(b, byte(len(tag)<<2)) // SCALE compact length (single-byte mode)
	b = append(b, tag...)
	b = append(b, seed[:]...)
	b = append(b, cc[:]...)
	return types.Blake2b256(b)
}

// Generate creates a fresh mnemonic of the given word count (12, 15, 18, 21
// or 24) from crypto/rand and returns it with its key pair. FromURI(scheme,
// phrase) gives the same pair back.
func Generate(scheme Scheme, words int) (phrase string, pair KeyPair, err error) {
	if scheme != Sr25519 && scheme != Ed25519 {
		return "", nil, fmt.Errorf("%w: %d", ErrUnknownScheme, uint8(scheme))
	}
	phrase, err = NewMnemonic(words)
	if err != nil {
		return "", nil, err
	}
	pair, err = FromURI(scheme, phrase)
	if err != nil {
		return "", nil, err
	}
	return phrase, pair, nil
}

// DevAccount is a well-known development account: sr25519 "//<Name>" of
// DevPhrase.
type DevAccount struct {
	Name string // "Alice", ...
	KeyPair
}

var devNames = [...]string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}

var devAccounts = sync.OnceValues(func() ([]DevAccount, error) {
	accs := make([]DevAccount, len(devNames))
	for i, name := range devNames {
		kp, err := FromURI(Sr25519, "//"+name)
		if err != nil {
			return nil, err
		}
		accs[i] = DevAccount{Name: name, KeyPair: kp}
	}
	return accs, nil
})

// DevAccounts returns Alice, Bob, Charlie, Dave, Eve and Ferdie (sr25519,
// "//Name"), the accounts every Substrate tool knows. They are derived once
// per process.
func DevAccounts() []DevAccount {
	accs, err := devAccounts()
	if err != nil {
		// DevPhrase and the names are constants; failing here means the
		// derivation code itself is broken.
		panic("keystore: deriving dev accounts: " + err.Error())
	}
	return append([]DevAccount(nil), accs...)
}
