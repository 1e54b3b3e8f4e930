package sudo

import "github.com/metamars/mars/runtime/frame"

// PalletName is the pallet's name (storage prefix, events, errors).
const PalletName = "Sudo"

// maxCallDepth bounds nested calls (sudo(sudo(...))) while decoding, as
// Substrate's MAX_EXTRINSIC_DEPTH does.
const maxCallDepth = 256

// Config is the pallet's configuration.
type Config struct {
	// Calls decodes inner calls: the runtime itself.
	Calls CallDecoder
}

// Pallet is pallet_sudo.
type Pallet struct {
	cfg Config
	// depth counts nested inner-call decodes in progress. A runtime runs
	// one call at a time, so a plain counter suffices.
	depth int
}

// New returns the pallet; cfg.Calls must be the runtime it is registered in.
func New(cfg Config) *Pallet { return &Pallet{cfg: cfg} }

// Name implements frame.Pallet.
func (p *Pallet) Name() string { return PalletName }

var _ frame.Pallet = (*Pallet)(nil)
