package executor

import (
	"log/slog"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/types"
)

// nativeHost implements abi.Host natively over the same operations as the
// wasm host functions, so that runtime Go code compiled natively (pallet
// tests, differential tests) sees exactly what it would see in wasm.
//
// Where the wasm host traps (a storage backend failure, an unbalanced
// transaction end), the native host panics with the same error: natively,
// that is what ends the runtime's execution.
type nativeHost struct{ st *instState }

// NewNativeHost returns an abi.Host over s; version is the state version of
// StorageRoot (0 = V0, 1 = V1). It logs to slog.Default(). RuntimeVersionOf
// only reads a blob's runtime_version custom section (it cannot run wasm).
func NewNativeHost(s Storage, version uint8) abi.Host {
	return &nativeHost{st: newInstState(nil, s, version, slog.Default(), abi.LogInfo)}
}

func (h *nativeHost) StorageGet(key []byte) ([]byte, bool) {
	v, ok := h.st.get(key)
	if !ok {
		return nil, false
	}
	return append([]byte(nil), v...), true
}

func (h *nativeHost) StorageSet(key, value []byte) {
	h.st.set(append([]byte(nil), key...), append([]byte(nil), value...))
}

func (h *nativeHost) StorageClear(key []byte) { h.st.clear(append([]byte(nil), key...)) }

func (h *nativeHost) StorageExists(key []byte) bool {
	_, ok := h.st.get(key)
	return ok
}

func (h *nativeHost) StorageAppend(key, value []byte) {
	h.st.append(append([]byte(nil), key...), value)
}

func (h *nativeHost) StorageClearPrefix(prefix []byte, limit uint32) (uint32, bool) {
	l := -1
	if limit != 0 {
		l = int(limit)
	}
	removed, done, _ := h.st.clearPrefix(append([]byte(nil), prefix...), l, nil)
	return uint32(removed), done
}

func (h *nativeHost) StorageNextKey(key []byte) ([]byte, bool) {
	k, ok := h.st.nextKey(key)
	if !ok {
		return nil, false
	}
	return append([]byte(nil), k...), true
}

func (h *nativeHost) StorageRoot() [32]byte { return h.st.root() }
func (h *nativeHost) StartTransaction()     { h.st.startTx() }
func (h *nativeHost) RollbackTransaction()  { h.st.endTx(false) }
func (h *nativeHost) CommitTransaction()    { h.st.endTx(true) }

func (h *nativeHost) Blake2_128(data []byte) [16]byte { return types.Blake2b128(data) }
func (h *nativeHost) Blake2_256(data []byte) [32]byte { return types.Blake2b256(data) }
func (h *nativeHost) Twox64(data []byte) [8]byte      { return types.Twox64(data) }
func (h *nativeHost) Twox128(data []byte) [16]byte    { return types.Twox128(data) }
func (h *nativeHost) Twox256(data []byte) [32]byte    { return types.Twox256(data) }
func (h *nativeHost) Keccak256(data []byte) [32]byte  { return types.Keccak256(data) }

func (h *nativeHost) Ed25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return ed25519Verify(sig, msg, pub)
}

func (h *nativeHost) Sr25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return sr25519Verify(sig, msg, pub)
}

func (h *nativeHost) StartBatchVerify() {
	if !h.st.startBatch() {
		panic(errBatchOpen)
	}
}

func (h *nativeHost) Sr25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return h.st.batchVerify(schemeSr25519, sig, msg, pub)
}

func (h *nativeHost) Ed25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return h.st.batchVerify(schemeEd25519, sig, msg, pub)
}

func (h *nativeHost) FinishBatchVerify() bool {
	valid, ok := h.st.finishBatch()
	if !ok {
		panic(errNoBatch)
	}
	return valid
}

func (h *nativeHost) EcdsaVerify(sig *[65]byte, msg []byte, pub *[33]byte) bool {
	return ecdsaVerify(sig, msg, pub)
}

func (h *nativeHost) Secp256k1Recover(sig *[65]byte, msg *[32]byte) ([64]byte, bool) {
	pub, code := secp256k1Recover(sig, msg)
	return pub, code == recoverOK
}

func (h *nativeHost) TrieBlake2Root(kvs [][2][]byte, version uint8) [32]byte {
	r, err := trieRoot(kvs, trieVersion(uint64(version)))
	if err != nil {
		trap(err)
	}
	return r
}

func (h *nativeHost) TrieBlake2OrderedRoot(values [][]byte, version uint8) [32]byte {
	r, err := trieOrderedRoot(values, trieVersion(uint64(version)))
	if err != nil {
		trap(err)
	}
	return r
}

func (h *nativeHost) TrieBlake2VerifyProof(root *[32]byte, proof [][]byte, key, value []byte, version uint8) bool {
	trieVersion(uint64(version))
	return trieVerifyProof(root, proof, key, value)
}

func (h *nativeHost) Log(level uint8, target, msg string) { h.st.logMsg(level, target, msg) }
func (h *nativeHost) MaxLogLevel() uint8                  { return h.st.maxLevel }

func (h *nativeHost) RuntimeVersionOf(code []byte) ([]byte, bool) {
	v, err := versionFromSection(code, defaultMaxCodeSize)
	return v, err == nil
}

// The native host has no keystore: like a block import, a runtime asking
// for a new key there traps (panics with ErrNoKeystore).
func (h *nativeHost) Sr25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return generateKey(nil, KeySr25519, keyType, seed)
}

func (h *nativeHost) Ed25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return generateKey(nil, KeyEd25519, keyType, seed)
}
