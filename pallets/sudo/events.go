package sudo

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Event variant indices.
const (
	EvSudid      uint8 = 0 // {sudo_result: DispatchResult}
	EvKeyChanged uint8 = 1 // {old: Option<AccountId>, new: AccountId}
	EvKeyRemoved uint8 = 2 // {}
	EvSudoAsDone uint8 = 3 // {sudo_result: DispatchResult}
)

// EventSudid: a sudo call just took place (Index EvSudid), or a sudo_as
// call (Index EvSudoAsDone). Result nil is Ok(()).
type EventSudid struct {
	Index  uint8
	Result *types.DispatchError
}

// EncodeTo writes variant ++ Result<(), DispatchError>.
func (e EventSudid) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(e.Index)
	if e.Result == nil {
		enc.PutU8(0)
		return
	}
	enc.PutU8(1)
	e.Result.EncodeTo(enc)
}

// EventKeyChanged: the sudo key changed from Old (if any) to New.
type EventKeyChanged struct {
	Old *types.AccountID
	New types.AccountID
}

// EncodeTo writes variant 1 ++ Option<AccountId> ++ AccountId.
func (e EventKeyChanged) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvKeyChanged)
	enc.PutOption(e.Old != nil)
	if e.Old != nil {
		enc.PutRaw(e.Old[:])
	}
	enc.PutRaw(e.New[:])
}

// EventKeyRemoved: the sudo key was removed.
type EventKeyRemoved struct{}

// EncodeTo writes variant 2.
func (EventKeyRemoved) EncodeTo(enc *scale.Encoder) { enc.PutU8(EvKeyRemoved) }
