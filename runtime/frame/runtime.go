package frame

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/types"
)

// Config configures a Runtime.
type Config struct {
	Version types.RuntimeVersion
	Limits  Limits
	// OperationalFeeMultiplier scales the virtual tip of operational
	// extrinsics in their pool priority (Substrate's default 5).
	OperationalFeeMultiplier uint64
}

// Runtime is one composed runtime: its version, its limits and its pallets
// by index. Build it once (NewRuntime, Register, SetPayment), then use it
// for every entry point.
type Runtime struct {
	cfg     Config
	byIndex [256]*entry
	order   []*entry // registration order = index order expected
	system  System
	payment TransactionPayment
}

type entry struct {
	index  uint8
	name   string // pallet.Name(), kept for PalletIndex
	pallet Pallet
	calls  []CallDef
}

func (e *entry) call(i uint8) *CallDef {
	for k := range e.calls {
		if e.calls[k].Index == i {
			return &e.calls[k]
		}
	}
	return nil
}

// NewRuntime returns an empty runtime.
func NewRuntime(cfg Config) *Runtime {
	if cfg.OperationalFeeMultiplier == 0 {
		cfg.OperationalFeeMultiplier = 5
	}
	return &Runtime{cfg: cfg}
}

// Register adds pallet p at index. Registering two pallets at one index or
// with one name, or two System pallets, is a programming error and panics
// (it happens in the runtime constructor, never on input).
func (r *Runtime) Register(index uint8, p Pallet) {
	if r.byIndex[index] != nil {
		panic(fmt.Sprintf("frame: pallet index %d registered twice", index))
	}
	if _, dup := r.PalletIndex(p.Name()); dup {
		panic("frame: pallet " + p.Name() + " registered twice")
	}
	calls := p.Calls()
	seen := map[uint8]bool{}
	for _, c := range calls {
		if seen[c.Index] {
			panic(fmt.Sprintf("frame: %s call index %d declared twice", p.Name(), c.Index))
		}
		seen[c.Index] = true
	}
	e := &entry{index: index, name: p.Name(), pallet: p, calls: calls}
	r.byIndex[index] = e
	// keep order sorted by index: hooks run in index order like
	// construct_runtime's AllPalletsWithSystem.
	i := len(r.order)
	r.order = append(r.order, e)
	for i > 0 && r.order[i-1].index > index {
		r.order[i], r.order[i-1] = r.order[i-1], r.order[i]
		i--
	}
	if s, ok := p.(System); ok {
		if r.system != nil {
			panic("frame: two System pallets")
		}
		r.system = s
	}
}

// SetPayment wires the transaction payment pallet used by the
// ChargeTransactionPayment extension. Without it transactions pay nothing.
func (r *Runtime) SetPayment(p TransactionPayment) { r.payment = p }

// Version returns the runtime version.
func (r *Runtime) Version() types.RuntimeVersion { return r.cfg.Version }

// Limits returns the block limits.
func (r *Runtime) Limits() *Limits { return &r.cfg.Limits }

// System returns the System pallet.
func (r *Runtime) System() System { return r.system }

func (r *Runtime) entry(i uint8) *entry { return r.byIndex[i] }

// Pallet returns the pallet at index.
func (r *Runtime) Pallet(index uint8) (Pallet, bool) {
	if e := r.byIndex[index]; e != nil {
		return e.pallet, true
	}
	return nil, false
}

// Pallets returns the registered pallets in index order with their indices.
func (r *Runtime) Pallets() []IndexedPallet {
	out := make([]IndexedPallet, len(r.order))
	for i, e := range r.order {
		out[i] = IndexedPallet{Index: e.index, Pallet: e.pallet}
	}
	return out
}

// IndexedPallet is a pallet with its index in the runtime.
type IndexedPallet struct {
	Index  uint8
	Pallet Pallet
}

// PalletIndex returns the index of the pallet with the given name.
func (r *Runtime) PalletIndex(name string) (uint8, bool) {
	for _, e := range r.order {
		if e.name == name {
			return e.index, true
		}
	}
	return 0, false
}

// DispatchError converts a dispatch error to its wire form: *Error →
// Module{pallet index, [error index,0,0,0]}, *DispatchErr → its variant,
// anything else → Other.
func (r *Runtime) DispatchError(err error) types.DispatchError {
	var pe *Error
	if errors.As(err, &pe) {
		if idx, ok := r.PalletIndex(pe.Pallet); ok {
			return types.NewModuleError(idx, pe.Index)
		}
	}
	var de *DispatchErr
	if errors.As(err, &de) {
		return de.E
	}
	return types.DispatchError{Kind: types.DispatchOther}
}

// Validate checks the composition (a System pallet exists) and runs every
// pallet's IntegrityTest.
func (r *Runtime) Validate() error {
	if r.system == nil {
		return errors.New("frame: runtime has no System pallet")
	}
	for _, e := range r.order {
		if it, ok := e.pallet.(IntegrityTester); ok {
			if err := it.IntegrityTest(); err != nil {
				return fmt.Errorf("frame: %s integrity: %w", e.pallet.Name(), err)
			}
		}
	}
	return nil
}

// TryState runs every pallet's TryState.
func (r *Runtime) TryState(ctx *Context) error {
	n := r.system.BlockNumber(ctx)
	for _, e := range r.order {
		if ts, ok := e.pallet.(TryStater); ok {
			if err := ts.TryState(ctx, n); err != nil {
				return fmt.Errorf("frame: %s try_state: %w", e.pallet.Name(), err)
			}
		}
	}
	return nil
}

// storageVersionKey is twox128(pallet) ++ twox128(":__STORAGE_VERSION__:").
func storageVersionKey(pallet string) []byte { return Prefix(pallet, ":__STORAGE_VERSION__:") }

// GetStorageVersion returns the stored storage version of a pallet.
func GetStorageVersion(st Store, pallet string) uint16 {
	raw, ok := st.StorageGet(storageVersionKey(pallet))
	if !ok || len(raw) != 2 {
		return 0
	}
	return uint16(raw[0]) | uint16(raw[1])<<8
}

// SetStorageVersion writes a pallet's storage version.
func SetStorageVersion(st Store, pallet string, v uint16) {
	st.StorageSet(storageVersionKey(pallet), []byte{byte(v), byte(v >> 8)})
}
