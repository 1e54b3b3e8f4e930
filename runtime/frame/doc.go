// Package frame is the pallet framework of MSC runtimes: the Go counterpart of
// Substrate's FRAME support, system executive and signed extensions.
//
// A runtime is a Runtime value to which pallets are registered by hand, each
// at a fixed index (Register). A pallet is a plain Go value that implements
// Pallet (its name and its calls) and, optionally, small hook interfaces found
// by type assertion (OnInitialize, OnFinalize, OnRuntimeUpgrade,
// IntegrityTester, TryStater, GenesisBuilder, InherentProvider,
// UnsignedValidator). There is no reflection registry and no code generation:
// what a runtime contains is what its constructor says.
//
// Storage items are typed values (StorageValue, StorageMap, StorageDoubleMap,
// StorageNMap) declared once with their pallet prefix, item name and hashers;
// the key layout is Substrate's (twox128(pallet) ++ twox128(item) ++
// hasher(key)...), so @polkadot/api reads our state unchanged. Hashing goes
// through the Store (the abi.Host), so inside WASM the host does it natively.
//
// Dispatch follows FRAME: a call is pallet index u8 ++ call index u8 ++ args;
// every dispatch runs in a storage transaction that is rolled back when the
// call fails, so a failed call leaves only the fee and nonce writes of its
// signed extensions. Errors of pallets are *Error values (pallet name + error
// index) that the runtime turns into DispatchError::Module{index, error}.
//
// The executive (Runtime.InitializeBlock, ApplyExtrinsic, FinalizeBlock,
// ExecuteBlock, ValidateTransaction) drives block execution exactly like
// frame_executive, using the System interface that pallets/system implements.
//
// The package imports only runtime/scale, runtime/types and runtime/abi and
// compiles for wasip1/wasm as well as natively.
package frame
