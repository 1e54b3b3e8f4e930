package session

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name: the prefix of its storage items and the
// name of its errors, events and metadata.
const PalletName = "Session"

// DefaultPeriod is the session length in blocks when genesis sets none.
const DefaultPeriod uint32 = 10

// MaxProofLen bounds set_keys' proof argument.
const MaxProofLen = 1024

// Key type ids of the two session keys (sp_core::crypto::KeyTypeId).
var (
	KeyTypeAura    = [4]byte{'a', 'u', 'r', 'a'}
	KeyTypeGrandpa = [4]byte{'g', 'r', 'a', 'n'}
)

// Config is the pallet's configuration.
type Config struct {
	// Accounts is System: set_keys takes a consumer reference on the
	// account (so it cannot be reaped while its keys are registered).
	Accounts Accounts
	// Manager is staking: it decides the validator set of each session.
	// nil keeps the genesis set forever.
	Manager SessionManager
	// Aura and Grandpa are told each new session's keys (may be nil).
	Aura, Grandpa SessionHandler
}

// Pallet is pallet_session.
type Pallet struct {
	cfg Config
	s   storage
}

// New returns the pallet.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg, s: newStorage()} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// SetManager wires the SessionManager after construction (the runtime
// builds staking, which may need session, after session).
func (p *Pallet) SetManager(m SessionManager) { p.cfg.Manager = m }

// SetHandlers wires the Aura and GRANDPA key handlers after construction
// (they need session's ValidatorAt, so the runtime builds session first).
func (p *Pallet) SetHandlers(aura, grandpa SessionHandler) { p.cfg.Aura, p.cfg.Grandpa = aura, grandpa }

// Validators returns the validators of the current session.
func (p *Pallet) Validators(st frame.Store) []types.AccountID { return p.s.validators.Get(st) }

// ValidatorAt returns Validators[i]: the account behind index i of the
// Aura and GRANDPA authority lists.
func (p *Pallet) ValidatorAt(ctx *frame.Context, i uint32) (types.AccountID, bool) {
	vs := p.s.validators.Get(ctx)
	if uint64(i) >= uint64(len(vs)) {
		return types.AccountID{}, false
	}
	return vs[i], true
}

// CurrentIndex is the index of the current session.
func (p *Pallet) CurrentIndex(st frame.Store) uint32 { return p.s.currentIndex.Get(st) }

// Period is the session length in blocks.
func (p *Pallet) Period(st frame.Store) uint32 {
	if v := p.s.period.Get(st); v > 0 {
		return v
	}
	return DefaultPeriod
}

// NextKeys returns the keys who registered (used from the next queuing on).
func (p *Pallet) NextKeys(st frame.Store, who types.AccountID) (Keys, bool) {
	return p.s.nextKeys.TryGet(st, who)
}

// QueuedKeys returns the validators and keys of the next session.
func (p *Pallet) QueuedKeys(st frame.Store) []ValidatorKeys { return p.s.queuedKeys.Get(st) }

// KeyOwner returns the account that registered key of keyType.
func (p *Pallet) KeyOwner(ctx *frame.Context, keyType [4]byte, key []byte) (types.AccountID, bool) {
	return p.s.keyOwner.TryGet(ctx, KeyTypeID{Type: keyType, Key: key})
}
