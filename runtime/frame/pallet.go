package frame

import (
	"github.com/metamars/mars/runtime/types"
)

// Pallet is what every pallet implements. Name is the storage prefix and
// the name in metadata ("System", "Balances"); Calls lists its dispatchable
// calls (nil for none). Everything else is optional and found by type
// assertion on the registered value.
type Pallet interface {
	Name() string
	Calls() []CallDef
}

// OnInitializer runs at the start of every block, after System's
// initialization; it returns the weight it used (counted as Mandatory).
type OnInitializer interface {
	OnInitialize(ctx *Context, n types.BlockNumber) types.Weight
}

// OnFinalizer runs at the end of every block, in pallet order. An error
// makes the block invalid (Substrate panics there).
type OnFinalizer interface {
	OnFinalize(ctx *Context, n types.BlockNumber) error
}

// OnRuntimeUpgrader runs once in the first block executed by a new runtime
// (when System.LastRuntimeUpgrade differs from the version), before
// OnInitialize. Pallets compare GetStorageVersion with their code's version.
type OnRuntimeUpgrader interface {
	OnRuntimeUpgrade(ctx *Context) types.Weight
}

// IntegrityTester checks the pallet's static configuration (constants,
// limits) once; the runtime's tests call Runtime.IntegrityTest.
type IntegrityTester interface {
	IntegrityTest() error
}

// TryStater checks the pallet's storage invariants (e.g. total issuance =
// sum of balances). frametest runs it after every test block.
type TryStater interface {
	TryState(ctx *Context, n types.BlockNumber) error
}

// StorageVersioned pallets declare their in-code storage version; genesis
// writes it, OnRuntimeUpgrade migrations compare it with the stored one.
type StorageVersioned interface {
	StorageVersion() uint16
}

// GenesisBuilder pallets contribute a section of the genesis JSON: the
// object under the key GenesisKey(pallet) (lowerCamelCase of the name, as in
// Substrate presets: "balances", "sudo", "transactionPayment"). config is
// nil when the section is absent (use defaults). Unknown fields must be
// rejected.
type GenesisBuilder interface {
	BuildGenesis(ctx *Context, config []byte) error
}

// GenesisPresetter pallets may offer a default section (for get_preset
// with None): raw JSON or nil.
type GenesisPresetter interface {
	DefaultGenesis() []byte
}

// InherentProvider pallets create and check inherent extrinsics (bare
// extrinsics the block author adds first, e.g. timestamp.set).
type InherentProvider interface {
	// CreateInherent returns the call index and encoded arguments of the
	// inherent to include for data, or ok=false for none.
	CreateInherent(ctx *Context, data *InherentData) (call uint8, args []byte, ok bool)
	// CheckInherent verifies an inherent call of this pallet found in a
	// block against the local inherent data.
	CheckInherent(ctx *Context, call *RuntimeCall, data *InherentData) error
	// IsInherent reports whether call index is an inherent of this pallet.
	IsInherent(call uint8) bool
}

// UnsignedValidator pallets accept some bare extrinsics that are not
// inherents (e.g. heartbeats) into the pool.
type UnsignedValidator interface {
	ValidateUnsigned(ctx *Context, source types.TransactionSource, call *RuntimeCall) (types.ValidTransaction, error)
}

// GenesisKey returns the JSON key of a pallet's genesis section:
// lowerCamelCase of its name ("TransactionPayment" → "transactionPayment").
func GenesisKey(name string) string {
	if name == "" {
		return ""
	}
	b := []byte(name)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
