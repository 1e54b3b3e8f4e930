package abi

// Raw host-function imports (see Signatures for the layouts). Every pointer
// argument is an address in this module's linear memory; a pointer-size is
// ptr | len<<32.

//go:wasmimport env ext_input_read_version_1
func extInputRead(out int64)

//go:wasmimport env ext_storage_read_version_2
func extStorageRead(key, out int64, offset, allowPartial int32) int64

//go:wasmimport env ext_storage_set_version_1
func extStorageSet(key, value int64)

//go:wasmimport env ext_storage_clear_version_1
func extStorageClear(key int64)

//go:wasmimport env ext_storage_exists_version_1
func extStorageExists(key int64) int32

//go:wasmimport env ext_storage_append_version_1
func extStorageAppend(key, value int64)

//go:wasmimport env ext_storage_clear_prefix_version_3
func extStorageClearPrefix(prefix, maybeLimit, maybeCursorIn, cursorOut int64, countersOut int32) int32

//go:wasmimport env ext_storage_next_key_version_2
func extStorageNextKey(key, out int64) int32

//go:wasmimport env ext_storage_root_version_3
func extStorageRoot(out int64)

//go:wasmimport env ext_storage_start_transaction_version_1
func extStorageStartTransaction()

//go:wasmimport env ext_storage_rollback_transaction_version_1
func extStorageRollbackTransaction()

//go:wasmimport env ext_storage_commit_transaction_version_1
func extStorageCommitTransaction()

//go:wasmimport env ext_hashing_blake2_128_version_2
func extHashingBlake2_128(data int64, out int32)

//go:wasmimport env ext_hashing_blake2_256_version_2
func extHashingBlake2_256(data int64, out int32)

//go:wasmimport env ext_hashing_twox_64_version_2
func extHashingTwox64(data int64, out int32)

//go:wasmimport env ext_hashing_twox_128_version_2
func extHashingTwox128(data int64, out int32)

//go:wasmimport env ext_hashing_twox_256_version_2
func extHashingTwox256(data int64, out int32)

//go:wasmimport env ext_hashing_keccak_256_version_2
func extHashingKeccak256(data int64, out int32)

//go:wasmimport env ext_crypto_ed25519_verify_version_1
func extEd25519Verify(sig int32, msg int64, pub int32) int32

//go:wasmimport env ext_crypto_sr25519_generate_version_2
func extSr25519Generate(keyType int32, seed int64, out int32)

//go:wasmimport env ext_crypto_ed25519_generate_version_2
func extEd25519Generate(keyType int32, seed int64, out int32)

//go:wasmimport env ext_crypto_sr25519_verify_version_2
func extSr25519Verify(sig int32, msg int64, pub int32) int32

//go:wasmimport env ext_crypto_ecdsa_verify_version_2
func extEcdsaVerify(sig int32, msg int64, pub int32) int32

//go:wasmimport env ext_crypto_secp256k1_ecdsa_recover_version_3
func extSecp256k1Recover(sig, msg, out int32) int32

//go:wasmimport env ext_trie_blake2_256_root_version_3
func extTrieBlake2Root(input int64, version, out int32)

//go:wasmimport env ext_trie_blake2_256_ordered_root_version_3
func extTrieBlake2OrderedRoot(input int64, version, out int32)

//go:wasmimport env ext_trie_blake2_256_verify_proof_version_2
func extTrieBlake2VerifyProof(root int32, proof, key, value int64, version int32) int32

//go:wasmimport env ext_logging_log_version_1
func extLoggingLog(level int32, target, msg int64)

//go:wasmimport env ext_logging_max_level_version_1
func extLoggingMaxLevel() int32

//go:wasmimport env ext_misc_runtime_version_2
func extMiscRuntimeVersion(wasm, out int64) int64

//go:wasmimport env ext_crypto_start_batch_verify_version_1
func extStartBatchVerify()

//go:wasmimport env ext_crypto_finish_batch_verify_version_1
func extFinishBatchVerify() int32

//go:wasmimport env ext_crypto_sr25519_batch_verify_version_1
func extSr25519BatchVerify(sig int32, msg int64, pub int32) int32

//go:wasmimport env ext_crypto_ed25519_batch_verify_version_1
func extEd25519BatchVerify(sig int32, msg int64, pub int32) int32
