package abi

// Host is everything a runtime may ask of its host. The wasm implementation
// (WasmHost, build tag wasip1) forwards each method to one RFC-0145 host
// function; host/executor.NewNativeHost implements it natively over the same
// state for differential tests.
//
// Slices returned by a Host are owned by the caller. Slices passed to a Host
// are not retained after the method returns.
type Host interface {
	// StorageGet returns the value at key (ext_storage_read_version_2,
	// retried with a bigger buffer if the value does not fit).
	StorageGet(key []byte) ([]byte, bool)
	StorageSet(key, value []byte)
	StorageClear(key []byte)
	StorageExists(key []byte) bool
	// StorageAppend appends value as one more item to the SCALE Vec stored
	// at key (a missing or undecodable value starts a new Vec).
	StorageAppend(key, value []byte)
	// StorageClearPrefix deletes up to limit keys starting with prefix
	// (limit 0 = no limit) and reports how many it deleted and whether none
	// is left.
	StorageClearPrefix(prefix []byte, limit uint32) (removed uint32, allRemoved bool)
	// StorageNextKey returns the smallest key strictly greater than key.
	StorageNextKey(key []byte) ([]byte, bool)
	// StorageRoot is the trie root of the current state, in the state
	// version of the executing runtime.
	StorageRoot() [32]byte
	StartTransaction()
	RollbackTransaction()
	CommitTransaction()

	Blake2_128(data []byte) [16]byte
	Blake2_256(data []byte) [32]byte
	Twox64(data []byte) [8]byte
	Twox128(data []byte) [16]byte
	Twox256(data []byte) [32]byte
	Keccak256(data []byte) [32]byte

	Ed25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool
	// Sr25519Verify verifies a schnorrkel signature in the "substrate"
	// signing context.
	Sr25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool
	// StartBatchVerify opens a batch: until FinishBatchVerify, the
	// BatchVerify methods may defer their check (to other cores) and answer
	// true. Open one only where any bad signature fails the whole call.
	StartBatchVerify()
	// Sr25519BatchVerify and Ed25519BatchVerify are Sr25519Verify and
	// Ed25519Verify, deferred while a batch is open.
	Sr25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool
	Ed25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool
	// FinishBatchVerify closes the batch and reports whether every check
	// it deferred held.
	FinishBatchVerify() bool
	// EcdsaVerify recovers the signer of blake2_256(msg) and compares its
	// compressed public key with pub.
	EcdsaVerify(sig *[65]byte, msg []byte, pub *[33]byte) bool
	// Secp256k1Recover returns the uncompressed public key (without the
	// 0x04 tag) that signed the 32-byte prehashed msg.
	Secp256k1Recover(sig *[65]byte, msg *[32]byte) (pub [64]byte, ok bool)

	// Sr25519Generate and Ed25519Generate create a key of keyType in the
	// node's keystore (from seed, a secret URI, when not nil) and return its
	// public key. They are only for runtime APIs the node calls with its
	// keystore (SessionKeys); elsewhere the host traps.
	Sr25519Generate(keyType [4]byte, seed []byte) [32]byte
	Ed25519Generate(keyType [4]byte, seed []byte) [32]byte

	TrieBlake2Root(kvs [][2][]byte, version uint8) [32]byte
	TrieBlake2OrderedRoot(values [][]byte, version uint8) [32]byte
	TrieBlake2VerifyProof(root *[32]byte, proof [][]byte, key, value []byte, version uint8) bool

	// Log writes a message at level (1 Error … 5 Trace).
	Log(level uint8, target, msg string)
	MaxLogLevel() uint8

	// RuntimeVersionOf returns the SCALE-encoded RuntimeVersion of another
	// (possibly compressed) runtime blob, as used by set_code.
	RuntimeVersionOf(code []byte) ([]byte, bool)
}
