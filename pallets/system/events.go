package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Event variant indices (frame_system::Event).
const (
	EvExtrinsicSuccess                 uint8 = 0
	EvExtrinsicFailed                  uint8 = 1
	EvCodeUpdated                      uint8 = 2
	EvNewAccount                       uint8 = 3
	EvKilledAccount                    uint8 = 4
	EvRemarked                         uint8 = 5
	EvUpgradeAuthorized                uint8 = 6
	EvRejectedInvalidAuthorizedUpgrade uint8 = 7
)

// ExtrinsicSuccess: an extrinsic completed successfully.
type ExtrinsicSuccess struct{ DispatchInfo frame.DispatchInfo }

func (e ExtrinsicSuccess) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvExtrinsicSuccess)
	e.DispatchInfo.EncodeTo(enc)
}

// ExtrinsicFailed: an extrinsic's call failed.
type ExtrinsicFailed struct {
	DispatchError types.DispatchError
	DispatchInfo  frame.DispatchInfo
}

func (e ExtrinsicFailed) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvExtrinsicFailed)
	e.DispatchError.EncodeTo(enc)
	e.DispatchInfo.EncodeTo(enc)
}

// CodeUpdated: `:code` was updated.
type CodeUpdated struct{}

func (CodeUpdated) EncodeTo(enc *scale.Encoder) { enc.PutU8(EvCodeUpdated) }

// NewAccount: a new account was created.
type NewAccount struct{ Account types.AccountID }

func (e NewAccount) EncodeTo(enc *scale.Encoder) { enc.PutU8(EvNewAccount); enc.PutRaw(e.Account[:]) }

// KilledAccount: an account was reaped.
type KilledAccount struct{ Account types.AccountID }

func (e KilledAccount) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvKilledAccount)
	enc.PutRaw(e.Account[:])
}

// Remarked: on-chain remark happened (sender, blake2_256 of the remark).
type Remarked struct {
	Sender types.AccountID
	Hash   types.Hash
}

func (e Remarked) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvRemarked)
	enc.PutRaw(e.Sender[:])
	enc.PutRaw(e.Hash[:])
}

// UpgradeAuthorized: an upgrade was authorized.
type UpgradeAuthorized struct {
	CodeHash     types.Hash
	CheckVersion bool
}

func (e UpgradeAuthorized) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvUpgradeAuthorized)
	enc.PutRaw(e.CodeHash[:])
	enc.PutBool(e.CheckVersion)
}

// RejectedInvalidAuthorizedUpgrade: an authorized upgrade was rejected
// while trying to apply it.
type RejectedInvalidAuthorizedUpgrade struct {
	CodeHash types.Hash
	Error    types.DispatchError
}

func (e RejectedInvalidAuthorizedUpgrade) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvRejectedInvalidAuthorizedUpgrade)
	enc.PutRaw(e.CodeHash[:])
	e.Error.EncodeTo(enc)
}
