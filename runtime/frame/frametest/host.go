package frametest

import (
	"crypto/ed25519"
	"sort"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Host is a map-backed abi.Host with nested transactions (a journal per
// layer). It is not safe for concurrent use.
type Host struct {
	kv      map[string][]byte
	keys    []string // sorted
	journal [][]change
	// Versions maps code (as a string) to the SCALE RuntimeVersion that
	// RuntimeVersionOf returns for it, for set_code tests.
	Versions map[string][]byte
	// Logs collects Log calls as "target: msg".
	Logs []string
	// KeyStore is the stand-in keystore of Sr25519Generate/Ed25519Generate:
	// "sr25519/<key type>/<seed>" → public key.
	KeyStore map[string][32]byte
	// Sr25519 verifies sr25519 signatures when set (a test supplies one
	// built on curve25519-voi, which runtime code may not import); unset,
	// every sr25519 signature is invalid.
	Sr25519 func(sig *[64]byte, msg []byte, pub *[32]byte) bool

	batchOpen, batchFailed bool
}

type change struct {
	key     string
	old     []byte
	existed bool
}

// NewHost returns an empty host.
func NewHost() *Host { return &Host{kv: map[string][]byte{}, Versions: map[string][]byte{}} }

// Clone returns an independent copy of the committed and pending state
// (not the transaction layers).
func (h *Host) Clone() *Host {
	c := NewHost()
	for k, v := range h.kv {
		c.kv[k] = append([]byte(nil), v...)
	}
	c.keys = append([]string(nil), h.keys...)
	for k, v := range h.Versions {
		c.Versions[k] = v
	}
	return c
}

// Snapshot returns a copy of all key/value pairs.
func (h *Host) Snapshot() map[string]string {
	m := make(map[string]string, len(h.kv))
	for k, v := range h.kv {
		m[k] = string(v)
	}
	return m
}

// Keys returns all keys in order.
func (h *Host) Keys() []string { return append([]string(nil), h.keys...) }

func (h *Host) record(k string) {
	if len(h.journal) == 0 {
		return
	}
	old, ok := h.kv[k]
	top := len(h.journal) - 1
	h.journal[top] = append(h.journal[top], change{k, old, ok})
}

func (h *Host) put(k string, v []byte) {
	h.record(k)
	if _, ok := h.kv[k]; !ok {
		i := sort.SearchStrings(h.keys, k)
		h.keys = append(h.keys, "")
		copy(h.keys[i+1:], h.keys[i:])
		h.keys[i] = k
	}
	h.kv[k] = append([]byte(nil), v...)
}

func (h *Host) del(k string) {
	if _, ok := h.kv[k]; !ok {
		return
	}
	h.record(k)
	delete(h.kv, k)
	i := sort.SearchStrings(h.keys, k)
	h.keys = append(h.keys[:i], h.keys[i+1:]...)
}

func (h *Host) StorageGet(key []byte) ([]byte, bool) {
	v, ok := h.kv[string(key)]
	if !ok {
		return nil, false
	}
	return append([]byte(nil), v...), true
}

func (h *Host) StorageSet(key, value []byte) { h.put(string(key), value) }
func (h *Host) StorageClear(key []byte)      { h.del(string(key)) }
func (h *Host) StorageExists(key []byte) bool {
	_, ok := h.kv[string(key)]
	return ok
}

// StorageAppend appends an encoded item to a stored SCALE Vec, as
// ext_storage_append: a missing or malformed value becomes a one-item Vec.
func (h *Host) StorageAppend(key, value []byte) {
	old, ok := h.kv[string(key)]
	n := uint64(0)
	var body []byte
	if ok {
		d := scale.NewDecoder(old)
		n = d.Compact()
		if d.Err() == nil {
			body = old[d.Offset():]
		} else {
			n = 0
		}
	}
	e := scale.NewEncoder(len(body) + len(value) + 5)
	e.PutCompact(n + 1)
	e.PutRaw(body)
	e.PutRaw(value)
	h.put(string(key), e.Bytes())
}

func (h *Host) StorageClearPrefix(prefix []byte, limit uint32) (uint32, bool) {
	p := string(prefix)
	i := sort.SearchStrings(h.keys, p)
	var del []string
	for ; i < len(h.keys) && len(h.keys[i]) >= len(p) && h.keys[i][:len(p)] == p; i++ {
		if limit != 0 && uint32(len(del)) == limit {
			return uint32(len(del)), h.removeAll(del, false)
		}
		del = append(del, h.keys[i])
	}
	return uint32(len(del)), h.removeAll(del, true)
}

func (h *Host) removeAll(keys []string, all bool) bool {
	for _, k := range keys {
		h.del(k)
	}
	return all
}

func (h *Host) StorageNextKey(key []byte) ([]byte, bool) {
	k := string(key)
	i := sort.SearchStrings(h.keys, k)
	if i < len(h.keys) && h.keys[i] == k {
		i++
	}
	if i >= len(h.keys) {
		return nil, false
	}
	return []byte(h.keys[i]), true
}

// StorageRoot is the test stand-in root: blake2_256(SCALE(Vec<(key, value)>))
// over the sorted pairs. NOT the trie root.
func (h *Host) StorageRoot() [32]byte {
	e := scale.NewEncoder(1024)
	e.PutLen(len(h.keys))
	for _, k := range h.keys {
		e.PutBytes([]byte(k))
		e.PutBytes(h.kv[k])
	}
	return types.Blake2b256(e.Bytes())
}

func (h *Host) StartTransaction() { h.journal = append(h.journal, nil) }

func (h *Host) RollbackTransaction() {
	if len(h.journal) == 0 {
		panic("frametest: rollback without transaction")
	}
	top := h.journal[len(h.journal)-1]
	h.journal = h.journal[:len(h.journal)-1]
	// Undo without journaling: the parent layer must not record the undo.
	saved := h.journal
	h.journal = nil
	for i := len(top) - 1; i >= 0; i-- {
		c := top[i]
		if c.existed {
			h.put(c.key, c.old)
		} else {
			h.del(c.key)
		}
	}
	h.journal = saved
}

func (h *Host) CommitTransaction() {
	if len(h.journal) == 0 {
		panic("frametest: commit without transaction")
	}
	top := h.journal[len(h.journal)-1]
	h.journal = h.journal[:len(h.journal)-1]
	if n := len(h.journal); n > 0 {
		h.journal[n-1] = append(h.journal[n-1], top...)
	}
}

// Depth is the number of open transactions (0 between calls).
func (h *Host) Depth() int { return len(h.journal) }

func (h *Host) Blake2_128(data []byte) [16]byte { return types.Blake2b128(data) }
func (h *Host) Blake2_256(data []byte) [32]byte { return types.Blake2b256(data) }
func (h *Host) Twox64(data []byte) [8]byte      { return types.Twox64(data) }
func (h *Host) Twox128(data []byte) [16]byte    { return types.Twox128(data) }
func (h *Host) Twox256(data []byte) [32]byte    { return types.Twox256(data) }
func (h *Host) Keccak256(data []byte) [32]byte  { return types.Keccak256(data) }

func (h *Host) Ed25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return ed25519.Verify(pub[:], msg, sig[:])
}

// Sr25519Verify uses the test's Sr25519 verifier, or fails (see the package doc).
func (h *Host) Sr25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return h.Sr25519 != nil && h.Sr25519(sig, msg, pub)
}

// StartBatchVerify opens a batch; this host checks batched signatures at
// once and remembers a failure until FinishBatchVerify.
func (h *Host) StartBatchVerify() {
	if h.batchOpen {
		panic("frametest: signature batch already open")
	}
	h.batchOpen, h.batchFailed = true, false
}

func (h *Host) batch(ok bool) bool {
	if !h.batchOpen {
		return ok
	}
	h.batchFailed = h.batchFailed || !ok
	return true
}

func (h *Host) Sr25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return h.batch(h.Sr25519Verify(sig, msg, pub))
}

func (h *Host) Ed25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return h.batch(h.Ed25519Verify(sig, msg, pub))
}

func (h *Host) FinishBatchVerify() bool {
	if !h.batchOpen {
		panic("frametest: no signature batch open")
	}
	h.batchOpen = false
	return !h.batchFailed
}

// EcdsaVerify always fails natively (see the package doc).
func (h *Host) EcdsaVerify(sig *[65]byte, msg []byte, pub *[33]byte) bool { return false }

// Secp256k1Recover always fails natively (see the package doc).
func (h *Host) Secp256k1Recover(sig *[65]byte, msg *[32]byte) ([64]byte, bool) {
	return [64]byte{}, false
}

// TrieBlake2Root is a stand-in: blake2_256 of SCALE(Vec<(k, v)>) in the
// given order.
func (h *Host) TrieBlake2Root(kvs [][2][]byte, version uint8) [32]byte {
	e := scale.NewEncoder(256)
	e.PutLen(len(kvs))
	for _, kv := range kvs {
		e.PutBytes(kv[0])
		e.PutBytes(kv[1])
	}
	return types.Blake2b256(e.Bytes())
}

// TrieBlake2OrderedRoot is a stand-in: blake2_256 of SCALE(Vec<Vec<u8>>).
func (h *Host) TrieBlake2OrderedRoot(values [][]byte, version uint8) [32]byte {
	e := scale.NewEncoder(256)
	e.PutLen(len(values))
	for _, v := range values {
		e.PutBytes(v)
	}
	return types.Blake2b256(e.Bytes())
}

// TrieBlake2VerifyProof is not supported by the stand-in.
func (h *Host) TrieBlake2VerifyProof(root *[32]byte, proof [][]byte, key, value []byte, version uint8) bool {
	return false
}

func (h *Host) Log(level uint8, target, msg string) { h.Logs = append(h.Logs, target+": "+msg) }
func (h *Host) MaxLogLevel() uint8                  { return 5 }

// Sr25519Generate and Ed25519Generate answer from KeyStore, the test's stand-in
// keystore (keyType ++ seed → public key); a key it does not hold panics,
// as a runtime asking for keys during block execution traps in the node.
func (h *Host) Sr25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return h.generated("sr25519", keyType, seed)
}

func (h *Host) Ed25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return h.generated("ed25519", keyType, seed)
}

func (h *Host) generated(scheme string, keyType [4]byte, seed []byte) [32]byte {
	pub, ok := h.KeyStore[scheme+"/"+string(keyType[:])+"/"+string(seed)]
	if !ok {
		panic("frametest: no " + scheme + " key of type " + string(keyType[:]) + " for seed " + string(seed))
	}
	return pub
}

func (h *Host) RuntimeVersionOf(code []byte) ([]byte, bool) {
	v, ok := h.Versions[string(code)]
	return v, ok
}

// NewHostFrom returns a host holding a Snapshot's pairs.
func NewHostFrom(snap map[string]string) *Host {
	h := NewHost()
	for k, v := range snap {
		h.put(k, []byte(v))
	}
	return h
}
