package authorship

import (
	"fmt"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/types"
)

// PalletName is the pallet's name and storage prefix.
const PalletName = "Authorship"

// Config is the pallet's configuration.
type Config struct {
	FindAuthor FindAuthor
	Validators Validators
	// EventHandler is optional.
	EventHandler EventHandler
}

// Pallet is pallet_authorship.
type Pallet struct{ cfg Config }

// New returns the pallet.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

// Calls implements frame.Pallet: none.
func (p *Pallet) Calls() []frame.CallDef { return nil }

// SetEventHandler wires staking after construction.
func (p *Pallet) SetEventHandler(h EventHandler) { p.cfg.EventHandler = h }

// author is Authorship.Author: Option<AccountId>, set in on_initialize
// and removed in on_finalize (so it never survives a block).
var author = frame.NewValue(PalletName, "Author", frame.AccountIDCodec, frame.Optional[types.AccountID]())

const (
	dbRead  uint64 = 8_000_000
	dbWrite uint64 = 50_000_000
)

// Author returns the current block's author
// (transactionpayment.BlockAuthor), found in on_initialize: one read per
// call, which fees make once per extrinsic. Outside a block there is none.
func (p *Pallet) Author(ctx *frame.Context) (types.AccountID, bool) {
	return author.TryGet(ctx)
}

func (p *Pallet) find(ctx *frame.Context) (types.AccountID, bool) {
	if p.cfg.FindAuthor == nil || p.cfg.Validators == nil {
		return types.AccountID{}, false
	}
	i, ok := p.cfg.FindAuthor.AuthorIndex(ctx)
	if !ok {
		return types.AccountID{}, false
	}
	return p.cfg.Validators.ValidatorAt(ctx, i)
}

// OnInitialize finds the author, keeps it for the block and notes it.
func (p *Pallet) OnInitialize(ctx *frame.Context, _ types.BlockNumber) types.Weight {
	a, ok := p.find(ctx)
	if !ok {
		return types.Weight{RefTime: 2 * dbRead}
	}
	author.Set(ctx, a)
	if h := p.cfg.EventHandler; h != nil {
		h.NoteAuthor(ctx, a)
	}
	return types.Weight{RefTime: 4*dbRead + 2*dbWrite}
}

// OnFinalize forgets the author.
func (p *Pallet) OnFinalize(ctx *frame.Context, _ types.BlockNumber) error {
	author.Remove(ctx)
	return nil
}

// TryState implements frame.TryStater: Author never survives a block.
func (p *Pallet) TryState(ctx *frame.Context, _ types.BlockNumber) error {
	if author.Exists(ctx) {
		return fmt.Errorf("authorship: Author left in storage")
	}
	return nil
}

var _ metadata.Describer = (*Pallet)(nil)

// Metadata describes pallet_authorship (storage only).
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{{Name: author.Name(), Optional: true, Value: r.AccountID32(),
			Default: author.DefaultBytes(), Docs: []string{" Author of current block."}}},
		Docs: []string{" MSC's pallet_authorship: the author of the current block, from Aura's digest."},
	}
}
