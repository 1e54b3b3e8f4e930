package keystore

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// KeyType is a 4-byte key type id (sp-core's KeyTypeId), e.g. "aura".
type KeyType [4]byte

// The key types the node uses.
var (
	KeyTypeAura    = KeyType{'a', 'u', 'r', 'a'} // block authoring, sr25519
	KeyTypeGrandpa = KeyType{'g', 'r', 'a', 'n'} // finality voting, ed25519
	KeyTypeAccount = KeyType{'a', 'c', 'c', 'o'} // account keys, sr25519
)

// String returns the type as text when printable ("aura"), else as hex.
func (k KeyType) String() string {
	for _, c := range k {
		if c < 0x20 || c > 0x7e {
			return "0x" + hex.EncodeToString(k[:])
		}
	}
	return string(k[:])
}

type keyID struct {
	kt  KeyType
	pub [32]byte
}

// Keystore holds secret keys by (key type, public key), on disk the way
// Substrate's LocalKeystore does it, so a keystore directory is
// interchangeable with a Substrate node's: one file per key named
// hex(key type) ++ hex(public key), holding the secret URI as a JSON string,
// mode 0600. A Keystore is safe for concurrent use.
type Keystore struct {
	dir string // "" for an in-memory keystore

	mu struct {
		sync.Mutex
		pairs map[keyID]KeyPair // guarded by mu: loaded or inserted pairs
		suris map[keyID]string  // guarded by mu: in-memory keystore's secrets
	}
}

// Open opens (creating it, mode 0700, if needed) the keystore of a node
// whose base path is basePath: the directory <basePath>/keystore.
func Open(basePath string) (*Keystore, error) {
	dir := filepath.Join(basePath, "keystore")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keystore: creating %s: %w", dir, err)
	}
	ks := &Keystore{dir: dir}
	ks.mu.pairs = make(map[keyID]KeyPair)
	return ks, nil
}

// NewInMemory returns a keystore that keeps its keys in memory only (for
// tests and --dev nodes).
func NewInMemory() *Keystore {
	ks := &Keystore{}
	ks.mu.pairs = make(map[keyID]KeyPair)
	ks.mu.suris = make(map[keyID]string)
	return ks
}

// Dir is the keystore directory, "" for an in-memory keystore.
func (ks *Keystore) Dir() string { return ks.dir }

func fileName(kt KeyType, pub [32]byte) string {
	return hex.EncodeToString(kt[:]) + hex.EncodeToString(pub[:])
}

// Insert derives the key pair of suri under scheme, stores suri under
// (kt, public key) and returns the pair. Inserting the same key again
// overwrites it with the same content.
func (ks *Keystore) Insert(kt KeyType, suri string, scheme Scheme) (KeyPair, error) {
	kp, err := FromURI(scheme, suri)
	if err != nil {
		return nil, err
	}
	id := keyID{kt, kp.Public()}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.dir == "" {
		ks.mu.suris[id] = suri
	} else if err := ks.writeFile(fileName(kt, id.pub), suri); err != nil {
		return nil, err
	}
	ks.mu.pairs[id] = kp
	return kp, nil
}

// writeFile writes suri as a JSON string to name, atomically (temp file +
// rename) and with mode 0600 whatever the umask.
func (ks *Keystore) writeFile(name, suri string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // serde_json does not escape <, >, &
	if err := enc.Encode(suri); err != nil {
		return fmt.Errorf("keystore: encoding key: %w", err)
	}
	content := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	tmp, err := os.CreateTemp(ks.dir, ".tmp-"+name+"-*")
	if err != nil {
		return fmt.Errorf("keystore: writing key: %w", err)
	}
	tmpName := tmp.Name()
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(content)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmpName, filepath.Join(ks.dir, name))
	}
	if err != nil {
		_ = os.Remove(tmpName)
		return fmt.Errorf("keystore: writing key: %w", err)
	}
	return nil
}

// Keys returns the public keys stored under kt, sorted. Like Substrate it
// reads them from the file names (so keys put there by a Substrate node or
// by `marsd key insert` show up); files that are not keys are skipped.
func (ks *Keystore) Keys(kt KeyType) ([][32]byte, error) {
	var keys [][32]byte
	if ks.dir == "" {
		ks.mu.Lock()
		for id := range ks.mu.suris {
			if id.kt == kt {
				keys = append(keys, id.pub)
			}
		}
		ks.mu.Unlock()
	} else {
		entries, err := os.ReadDir(ks.dir)
		if err != nil {
			return nil, fmt.Errorf("keystore: listing %s: %w", ks.dir, err)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			b, err := hex.DecodeString(e.Name())
			if err != nil || len(b) != 4+32 || KeyType(b[:4]) != kt {
				continue
			}
			keys = append(keys, [32]byte(b[4:]))
		}
	}
	slices.SortFunc(keys, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return keys, nil
}

// Has reports whether the keystore holds the secret of (kt, public).
func (ks *Keystore) Has(kt KeyType, public [32]byte) bool {
	id := keyID{kt, public}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if _, ok := ks.mu.pairs[id]; ok {
		return true
	}
	if ks.dir == "" {
		_, ok := ks.mu.suris[id]
		return ok
	}
	_, err := os.Stat(filepath.Join(ks.dir, fileName(kt, public)))
	return err == nil
}

// Pair returns the key pair of (kt, public), loading and checking it on
// first use: the stored secret must derive exactly this public key under
// sr25519 or ed25519 (the file does not say which; like Substrate, the
// public key decides). Errors: ErrKeyNotFound, ErrInvalidKeyFile,
// ErrKeyMismatch, or the secret URI's own error.
func (ks *Keystore) Pair(kt KeyType, public [32]byte) (KeyPair, error) {
	id := keyID{kt, public}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if kp, ok := ks.mu.pairs[id]; ok {
		return kp, nil
	}
	if ks.dir == "" {
		return nil, fmt.Errorf("%w: %s %x", ErrKeyNotFound, kt, public)
	}
	suri, err := ks.readFile(fileName(kt, public))
	if err != nil {
		return nil, err
	}
	kp, err := pairForPublic(suri, public)
	if err != nil {
		return nil, fmt.Errorf("keystore: key %s %x: %w", kt, public, err)
	}
	ks.mu.pairs[id] = kp
	return kp, nil
}

func (ks *Keystore) readFile(name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(ks.dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s", ErrKeyNotFound, name)
	}
	if err != nil {
		return "", fmt.Errorf("keystore: reading key: %w", err)
	}
	var suri string
	if err := json.Unmarshal(b, &suri); err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrInvalidKeyFile, name, err)
	}
	return suri, nil
}

// pairForPublic derives suri under each scheme and returns the pair whose
// public key is public.
func pairForPublic(suri string, public [32]byte) (KeyPair, error) {
	var firstErr error
	for _, scheme := range []Scheme{Sr25519, Ed25519} {
		kp, err := FromURI(scheme, suri)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if kp.Public() == public {
			return kp, nil
		}
	}
	if errors.Is(firstErr, ErrInvalidURI) || errors.Is(firstErr, ErrInvalidMnemonic) || errors.Is(firstErr, ErrInvalidSeed) {
		return nil, firstErr
	}
	return nil, ErrKeyMismatch
}

// Sign signs msg with the key (kt, public). See Pair for the errors.
func (ks *Keystore) Sign(kt KeyType, public [32]byte, msg []byte) ([]byte, error) {
	kp, err := ks.Pair(kt, public)
	if err != nil {
		return nil, err
	}
	return kp.Sign(msg), nil
}
