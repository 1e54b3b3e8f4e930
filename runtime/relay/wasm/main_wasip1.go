//go:build wasip1

package main

import (
	"runtime/debug"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/relay"
)

func main() {}

// Go's default GC target (GOGC=100) collects each time the heap doubles:
// with the small live heap of a runtime call (the block, its events, the
// storage cache) and the garbage a block makes, that was a GC every few
// dozen transfers, and in wasm the GC is neither concurrent nor cheap
// (about a fifth of a block's import). 400 lets the heap grow to 5x the live
// data between collections; the soft limit makes the GC work harder instead
// of running into the instance's memory limit (256 MiB by default).
func init() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(160 << 20)
}

// run serves one entry point; an error traps with its message.
func run(entry string, n int32) int64 {
	out, err := relay.Dispatch(abi.WasmHost(), entry, abi.ReadInput(n))
	if err != nil {
		panic(entry + ": " + err.Error())
	}
	return abi.Return(out)
}

//go:wasmexport Core_version
func coreversion(n int32) int64 { return run("Core_version", n) }

//go:wasmexport Core_initialize_block
func coreinitializeblock(n int32) int64 { return run("Core_initialize_block", n) }

//go:wasmexport Core_execute_block
func coreexecuteblock(n int32) int64 { return run("Core_execute_block", n) }

//go:wasmexport BlockBuilder_apply_extrinsic
func blockBuilderapplyextrinsic(n int32) int64 { return run("BlockBuilder_apply_extrinsic", n) }

//go:wasmexport BlockBuilder_finalize_block
func blockBuilderfinalizeblock(n int32) int64 { return run("BlockBuilder_finalize_block", n) }

//go:wasmexport BlockBuilder_inherent_extrinsics
func blockBuilderinherentextrinsics(n int32) int64 { return run("BlockBuilder_inherent_extrinsics", n) }

//go:wasmexport BlockBuilder_check_inherents
func blockBuildercheckinherents(n int32) int64 { return run("BlockBuilder_check_inherents", n) }

//go:wasmexport TaggedTransactionQueue_validate_transaction
func taggedTransactionQueuevalidatetransaction(n int32) int64 {
	return run("TaggedTransactionQueue_validate_transaction", n)
}

//go:wasmexport AccountNonceApi_account_nonce
func accountNonceApiaccountnonce(n int32) int64 { return run("AccountNonceApi_account_nonce", n) }

//go:wasmexport TransactionPaymentApi_query_info
func transactionPaymentApiqueryinfo(n int32) int64 { return run("TransactionPaymentApi_query_info", n) }

//go:wasmexport TransactionPaymentApi_query_fee_details
func transactionPaymentApiqueryfeedetails(n int32) int64 {
	return run("TransactionPaymentApi_query_fee_details", n)
}

//go:wasmexport TransactionPaymentApi_query_weight_to_fee
func transactionPaymentApiqueryweighttofee(n int32) int64 {
	return run("TransactionPaymentApi_query_weight_to_fee", n)
}

//go:wasmexport TransactionPaymentApi_query_length_to_fee
func transactionPaymentApiquerylengthtofee(n int32) int64 {
	return run("TransactionPaymentApi_query_length_to_fee", n)
}

//go:wasmexport GenesisBuilder_build_state
func genesisBuilderbuildstate(n int32) int64 { return run("GenesisBuilder_build_state", n) }

//go:wasmexport GenesisBuilder_get_preset
func genesisBuildergetpreset(n int32) int64 { return run("GenesisBuilder_get_preset", n) }

//go:wasmexport GenesisBuilder_preset_names
func genesisBuilderpresetnames(n int32) int64 { return run("GenesisBuilder_preset_names", n) }

//go:wasmexport Metadata_metadata
func metadatametadata(n int32) int64 { return run("Metadata_metadata", n) }

//go:wasmexport Metadata_metadata_at_version
func metadatametadataatversion(n int32) int64 { return run("Metadata_metadata_at_version", n) }

//go:wasmexport Metadata_metadata_versions
func metadatametadataversions(n int32) int64 { return run("Metadata_metadata_versions", n) }

//go:wasmexport AuraApi_slot_duration
func auraApislotduration(n int32) int64 { return run("AuraApi_slot_duration", n) }

//go:wasmexport AuraApi_authorities
func auraApiauthorities(n int32) int64 { return run("AuraApi_authorities", n) }

//go:wasmexport GrandpaApi_grandpa_authorities
func grandpaApigrandpaauthorities(n int32) int64 { return run("GrandpaApi_grandpa_authorities", n) }

//go:wasmexport GrandpaApi_current_set_id
func grandpaApicurrentsetid(n int32) int64 { return run("GrandpaApi_current_set_id", n) }

//go:wasmexport SessionKeys_generate_session_keys
func sessionKeysgeneratesessionkeys(n int32) int64 {
	return run("SessionKeys_generate_session_keys", n)
}

//go:wasmexport SessionKeys_decode_session_keys
func sessionKeysdecodesessionkeys(n int32) int64 { return run("SessionKeys_decode_session_keys", n) }

//go:wasmexport AuraEquivocationApi_report_extrinsic
func auraEquivocationApireportextrinsic(n int32) int64 {
	return run("AuraEquivocationApi_report_extrinsic", n)
}

//go:wasmexport GrandpaEquivocationApi_report_extrinsic
func grandpaEquivocationApireportextrinsic(n int32) int64 {
	return run("GrandpaEquivocationApi_report_extrinsic", n)
}
