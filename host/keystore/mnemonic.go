package keystore

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"strings"
	"sync"

	bip39 "github.com/cosmos/go-bip39"
	"golang.org/x/crypto/pbkdf2"
)

// The English BIP-39 word list comes from go-bip39 (which checks its CRC at
// init); the index is ours so that parsing follows Substrate's rules (any
// whitespace between words, typed errors) rather than go-bip39's.
var wordIndex = sync.OnceValue(func() map[string]int {
	m := make(map[string]int, len(bip39.EnglishWordList))
	for i, w := range bip39.EnglishWordList {
		m[w] = i
	}
	return m
})

func validWordCount(n int) bool { return n >= 12 && n <= 24 && n%3 == 0 }

// mnemonicToEntropy decodes an English BIP-39 phrase to its entropy and
// checks the checksum, like the `bip39` crate's Mnemonic::parse_in that
// sp-core uses: words are separated by any whitespace and must be lower case.
func mnemonicToEntropy(phrase string) ([]byte, error) {
	words := strings.Fields(phrase)
	n := len(words)
	if !validWordCount(n) {
		return nil, fmt.Errorf("%w: %w (got %d)", ErrInvalidMnemonic, ErrWordCount, n)
	}
	index := wordIndex()
	totalBits := n * 11
	csBits := totalBits / 33
	entBytes := (totalBits - csBits) / 8
	buf := make([]byte, (totalBits+7)/8)
	for i, w := range words {
		idx, ok := index[w]
		if !ok {
			return nil, fmt.Errorf("%w: %w (word %d)", ErrInvalidMnemonic, ErrUnknownWord, i+1)
		}
		for b := 0; b < 11; b++ {
			if idx&(1<<(10-b)) != 0 {
				bit := i*11 + b
				buf[bit/8] |= 0x80 >> (bit % 8)
			}
		}
	}
	entropy := buf[:entBytes]
	sum := sha256.Sum256(entropy)
	want := sum[0] >> (8 - csBits)
	got := buf[entBytes] >> (8 - csBits)
	if want != got {
		return nil, fmt.Errorf("%w: %w", ErrInvalidMnemonic, ErrChecksum)
	}
	return entropy, nil
}

// entropyToMnemonic encodes 16..32 bytes (a multiple of 4) as English words.
func entropyToMnemonic(entropy []byte) string {
	csBits := len(entropy) * 8 / 32
	buf := make([]byte, len(entropy)+1)
	copy(buf, entropy)
	sum := sha256.Sum256(entropy)
	buf[len(entropy)] = sum[0] & (0xff << (8 - csBits))
	n := (len(entropy)*8 + csBits) / 11
	words := make([]string, n)
	for i := range words {
		idx := 0
		for b := 0; b < 11; b++ {
			bit := i*11 + b
			idx <<= 1
			if buf[bit/8]&(0x80>>(bit%8)) != 0 {
				idx |= 1
			}
		}
		words[i] = bip39.EnglishWordList[idx]
	}
	return strings.Join(words, " ")
}

// NewMnemonic returns a fresh English BIP-39 phrase of 12, 15, 18, 21 or 24
// words from crypto/rand.
func NewMnemonic(words int) (string, error) {
	if !validWordCount(words) {
		return "", fmt.Errorf("%w (got %d)", ErrWordCount, words)
	}
	entropy := make([]byte, words*11*32/33/8)
	if _, err := rand.Read(entropy); err != nil {
		return "", fmt.Errorf("keystore: reading randomness: %w", err)
	}
	return entropyToMnemonic(entropy), nil
}

// miniSecretFromEntropy is substrate-bip39's mini_secret_from_entropy: the
// seed is PBKDF2-HMAC-SHA512 over the ENTROPY (not the words, unlike BIP-39's
// own seed) with salt "mnemonic"+password and 2048 rounds; the mini secret
// key is its first 32 bytes.
func miniSecretFromEntropy(entropy []byte, password string) [32]byte {
	seed := pbkdf2.Key(entropy, []byte("mnemonic"+password), 2048, 64, sha512.New)
	var out [32]byte
	copy(out[:], seed)
	return out
}
