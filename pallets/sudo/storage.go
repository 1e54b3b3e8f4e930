package sudo

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// key is Sudo.Key: Option<AccountId>, the sudo key.
var key = frame.NewValue(PalletName, "Key", frame.AccountIDCodec, frame.Optional[types.AccountID]())

// Key returns the sudo key, if any.
func (p *Pallet) Key(st frame.Store) (types.AccountID, bool) { return key.TryGet(st) }
