package abi

// HostModule is the wasm import module of every host function.
const HostModule = "env"

// Host-function names (PROTOCOL.md §2.2, RFC-0145 forms). A runtime may
// import these and nothing else from HostModule.
const (
	FnInputRead = "ext_input_read_version_1"

	FnStorageRead             = "ext_storage_read_version_2"
	FnStorageSet              = "ext_storage_set_version_1"
	FnStorageClear            = "ext_storage_clear_version_1"
	FnStorageExists           = "ext_storage_exists_version_1"
	FnStorageAppend           = "ext_storage_append_version_1"
	FnStorageClearPrefix      = "ext_storage_clear_prefix_version_3"
	FnStorageNextKey          = "ext_storage_next_key_version_2"
	FnStorageRoot             = "ext_storage_root_version_3"
	FnStorageStartTransaction = "ext_storage_start_transaction_version_1"
	FnStorageRollback         = "ext_storage_rollback_transaction_version_1"
	FnStorageCommit           = "ext_storage_commit_transaction_version_1"

	FnHashingBlake2_128 = "ext_hashing_blake2_128_version_2"
	FnHashingBlake2_256 = "ext_hashing_blake2_256_version_2"
	FnHashingTwox64     = "ext_hashing_twox_64_version_2"
	FnHashingTwox128    = "ext_hashing_twox_128_version_2"
	FnHashingTwox256    = "ext_hashing_twox_256_version_2"
	FnHashingKeccak256  = "ext_hashing_keccak_256_version_2"

	FnEd25519Verify    = "ext_crypto_ed25519_verify_version_1"
	FnSr25519Verify    = "ext_crypto_sr25519_verify_version_2"
	FnEcdsaVerify      = "ext_crypto_ecdsa_verify_version_2"
	FnSecp256k1Recover = "ext_crypto_secp256k1_ecdsa_recover_version_3"

	// Keystore access (RFC-0145 forms): generate a key of a key type in the
	// node's keystore and write its 32-byte public key to out. Only calls
	// the host runs with a keystore (SessionKeys_generate_session_keys from
	// author_rotateKeys) may use them; anywhere else, such as block
	// execution, they trap, since the result differs between nodes.
	FnSr25519Generate = "ext_crypto_sr25519_generate_version_2"
	FnEd25519Generate = "ext_crypto_ed25519_generate_version_2"

	// Deferred (batch) signature verification, Substrate's former
	// interface: between start and finish, the batch_verify functions
	// queue their check and answer 1; finish answers 1 iff every queued
	// check held. Outside a batch they verify at once. A runtime opens a
	// batch only where any bad signature fails the whole call (executing
	// a block).
	FnStartBatchVerify   = "ext_crypto_start_batch_verify_version_1"
	FnFinishBatchVerify  = "ext_crypto_finish_batch_verify_version_1"
	FnSr25519BatchVerify = "ext_crypto_sr25519_batch_verify_version_1"
	FnEd25519BatchVerify = "ext_crypto_ed25519_batch_verify_version_1"

	FnTrieBlake2Root        = "ext_trie_blake2_256_root_version_3"
	FnTrieBlake2OrderedRoot = "ext_trie_blake2_256_ordered_root_version_3"
	FnTrieBlake2VerifyProof = "ext_trie_blake2_256_verify_proof_version_2"

	FnLoggingLog      = "ext_logging_log_version_1"
	FnLoggingMaxLevel = "ext_logging_max_level_version_1"

	FnMiscRuntimeVersion = "ext_misc_runtime_version_2"
)

// ValType is a wasm value type of a host-function parameter or result.
type ValType byte

// Wasm value types (their binary encodings).
const (
	I32 ValType = 0x7f
	I64 ValType = 0x7e
)

// Signature is the wasm type of a host function.
type Signature struct {
	Params  []ValType
	Results []ValType
}

// Signatures maps every host function a runtime may import to its wasm
// type. "ps" in the docs below is an i64 pointer-size (PtrSize); "p" an i32
// pointer to a buffer whose size the function fixes.
//
// The map is read-only: it is the single source of truth that the executor
// registers and validates imports against.
var Signatures = map[string]Signature{
	FnInputRead: {Params: []ValType{I64}}, // (out ps)

	FnStorageRead:             {Params: []ValType{I64, I64, I32, I32}, Results: []ValType{I64}}, // (key ps, out ps, offset, allow_partial) -> full len | -1
	FnStorageSet:              {Params: []ValType{I64, I64}},                                    // (key ps, value ps)
	FnStorageClear:            {Params: []ValType{I64}},                                         // (key ps)
	FnStorageExists:           {Params: []ValType{I64}, Results: []ValType{I32}},                // (key ps) -> 0|1
	FnStorageAppend:           {Params: []ValType{I64, I64}},                                    // (key ps, item ps)
	FnStorageClearPrefix:      {Params: []ValType{I64, I64, I64, I64, I32}, Results: []ValType{I32}},
	FnStorageNextKey:          {Params: []ValType{I64, I64}, Results: []ValType{I32}}, // (key ps, out ps) -> len | 0
	FnStorageRoot:             {Params: []ValType{I64}},                               // (out ps, ≥ 32 bytes)
	FnStorageStartTransaction: {},
	FnStorageRollback:         {},
	FnStorageCommit:           {},

	FnHashingBlake2_128: {Params: []ValType{I64, I32}}, // (data ps, out p)
	FnHashingBlake2_256: {Params: []ValType{I64, I32}},
	FnHashingTwox64:     {Params: []ValType{I64, I32}},
	FnHashingTwox128:    {Params: []ValType{I64, I32}},
	FnHashingTwox256:    {Params: []ValType{I64, I32}},
	FnHashingKeccak256:  {Params: []ValType{I64, I32}},

	FnEd25519Verify:    {Params: []ValType{I32, I64, I32}, Results: []ValType{I32}}, // (sig p64, msg ps, pub p32) -> 0|1
	FnSr25519Verify:    {Params: []ValType{I32, I64, I32}, Results: []ValType{I32}}, // (sig p64, msg ps, pub p32) -> 0|1
	FnEcdsaVerify:      {Params: []ValType{I32, I64, I32}, Results: []ValType{I32}}, // (sig p65, msg ps, pub p33) -> 0|1
	FnSecp256k1Recover: {Params: []ValType{I32, I32, I32}, Results: []ValType{I32}}, // (sig p65, msg p32, out p64) -> 0|-1|-2|-3
	FnSr25519Generate:  {Params: []ValType{I32, I64, I32}},                          // (key type p4, seed ps of Option<Vec<u8>>, out p32)
	FnEd25519Generate:  {Params: []ValType{I32, I64, I32}},                          // (key type p4, seed ps of Option<Vec<u8>>, out p32)

	FnStartBatchVerify:   {},
	FnFinishBatchVerify:  {Results: []ValType{I32}},                                   // () -> 0|1
	FnSr25519BatchVerify: {Params: []ValType{I32, I64, I32}, Results: []ValType{I32}}, // (sig p64, msg ps, pub p32) -> 0|1
	FnEd25519BatchVerify: {Params: []ValType{I32, I64, I32}, Results: []ValType{I32}}, // (sig p64, msg ps, pub p32) -> 0|1

	FnTrieBlake2Root:        {Params: []ValType{I64, I32, I32}},                                    // (Vec<(k,v)> ps, version, out p32)
	FnTrieBlake2OrderedRoot: {Params: []ValType{I64, I32, I32}},                                    // (Vec<v> ps, version, out p32)
	FnTrieBlake2VerifyProof: {Params: []ValType{I32, I64, I64, I64, I32}, Results: []ValType{I32}}, // (root p32, proof ps, key ps, value ps, version) -> 0|1

	FnLoggingLog:      {Params: []ValType{I32, I64, I64}}, // (level, target ps, msg ps)
	FnLoggingMaxLevel: {Results: []ValType{I32}},

	FnMiscRuntimeVersion: {Params: []ValType{I64, I64}, Results: []ValType{I64}}, // (wasm ps, out ps) -> len | -1
}

// Entry points every runtime must export, besides ExportMemory and
// ExportInitialize, each `(len i32) -> i64`.
var RequiredEntryPoints = []string{EntryCoreVersion}

// Exports of a Go wasip1 c-shared module.
const (
	// ExportMemory is the runtime's own linear memory.
	ExportMemory = "memory"
	// ExportInitialize runs the Go runtime's and packages' initialisation;
	// the host calls it once per instance before any entry point.
	ExportInitialize = "_initialize"
)

// Entry-point names (runtime API `Trait_method`, PROTOCOL.md §1).
const (
	EntryCoreVersion                 = "Core_version"
	EntryCoreExecuteBlock            = "Core_execute_block"
	EntryCoreInitializeBlock         = "Core_initialize_block"
	EntryMetadata                    = "Metadata_metadata"
	EntryMetadataAtVersion           = "Metadata_metadata_at_version"
	EntryMetadataVersions            = "Metadata_metadata_versions"
	EntryApplyExtrinsic              = "BlockBuilder_apply_extrinsic"
	EntryFinalizeBlock               = "BlockBuilder_finalize_block"
	EntryInherentExtrinsics          = "BlockBuilder_inherent_extrinsics"
	EntryCheckInherents              = "BlockBuilder_check_inherents"
	EntryValidateTransaction         = "TaggedTransactionQueue_validate_transaction"
	EntryOffchainWorker              = "OffchainWorkerApi_offchain_worker"
	EntryAccountNonce                = "AccountNonceApi_account_nonce"
	EntryGenesisBuildState           = "GenesisBuilder_build_state"
	EntryGenesisGetPreset            = "GenesisBuilder_get_preset"
	EntryGenesisPresetNames          = "GenesisBuilder_preset_names"
	EntryAuraSlotDuration            = "AuraApi_slot_duration"
	EntryAuraAuthorities             = "AuraApi_authorities"
	EntryGrandpaAuthorities          = "GrandpaApi_grandpa_authorities"
	EntryGrandpaCurrentSetID         = "GrandpaApi_current_set_id"
	EntrySessionKeysGenerate         = "SessionKeys_generate_session_keys"
	EntrySessionKeysDecode           = "SessionKeys_decode_session_keys"
	EntryAuraEquivocationReport      = "AuraEquivocationApi_report_extrinsic"
	EntryGrandpaEquivocationReport   = "GrandpaEquivocationApi_report_extrinsic"
	EntryTransactionPaymentInfo      = "TransactionPaymentApi_query_info"
	EntryTransactionPaymentFeeDetail = "TransactionPaymentApi_query_fee_details"
)

// Custom sections a runtime blob may carry so that hosts can read its
// version without executing it (PROTOCOL.md §1).
const (
	SectionRuntimeVersion = "runtime_version"
	SectionRuntimeAPIs    = "runtime_apis"
)

// Special values of RFC-0145 optional types.
const (
	// NoneI64 is the absent "runtime optional positive integer".
	NoneI64 int64 = -1
	// NonePtrSize is the absent "runtime optional pointer-size".
	NonePtrSize uint64 = 1<<64 - 1
)

// PtrSize packs a pointer and a length into a pointer-size i64.
func PtrSize(ptr, size uint32) int64 { return int64(uint64(ptr) | uint64(size)<<32) }

// SplitPtrSize unpacks a pointer-size.
func SplitPtrSize(ps int64) (ptr, size uint32) { return uint32(ps), uint32(uint64(ps) >> 32) }

// Log levels of ext_logging_log_version_1.
const (
	LogError uint8 = 1
	LogWarn  uint8 = 2
	LogInfo  uint8 = 3
	LogDebug uint8 = 4
	LogTrace uint8 = 5
)
