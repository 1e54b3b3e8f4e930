package system

import "github.com/metamars/mars/runtime/types"

// Constants (frame_system::Config).
const (
	// BlockHashCount is how many recent block hashes are kept (mortal
	// transactions can only be born within this window).
	BlockHashCount types.BlockNumber = 4096
	// SS58Prefix is the address format of the chain (42 = generic
	// Substrate, until MSC registers its own).
	SS58Prefix uint16 = 42
	// MaxConsumers bounds an account's consumer references.
	MaxConsumers uint32 = 16
)

// Pallet is the System pallet. It has no configuration besides the
// runtime it runs in (version, limits), which it reads from the Context.
type Pallet struct{}

// New returns the System pallet.
func New() *Pallet { return &Pallet{} }

// Name is "System".
func (*Pallet) Name() string { return Name }
