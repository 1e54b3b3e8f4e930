package frame

import (
	"github.com/metamars/mars/runtime/scale"
)

// AccountData is pallet_balances::AccountData, stored inside System.Account
// as Substrate's relay chains do: free, reserved, frozen, flags (u128 each).
type AccountData struct {
	Free, Reserved, Frozen, Flags scale.U128
}

// AccountInfo is frame_system::AccountInfo with AccountData as its data.
type AccountInfo struct {
	Nonce       uint32
	Consumers   uint32
	Providers   uint32
	Sufficients uint32
	Data        AccountData
}

// EncodeTo writes the four u128.
func (a *AccountData) EncodeTo(e *scale.Encoder) {
	e.PutU128(a.Free)
	e.PutU128(a.Reserved)
	e.PutU128(a.Frozen)
	e.PutU128(a.Flags)
}

// DecodeFrom reads the four u128.
func (a *AccountData) DecodeFrom(d *scale.Decoder) {
	a.Free, a.Reserved, a.Frozen, a.Flags = d.U128(), d.U128(), d.U128(), d.U128()
}

// EncodeTo writes nonce, consumers, providers, sufficients (u32) ++ data.
func (a *AccountInfo) EncodeTo(e *scale.Encoder) {
	e.PutU32(a.Nonce)
	e.PutU32(a.Consumers)
	e.PutU32(a.Providers)
	e.PutU32(a.Sufficients)
	a.Data.EncodeTo(e)
}

// DecodeFrom reads an AccountInfo.
func (a *AccountInfo) DecodeFrom(d *scale.Decoder) {
	a.Nonce, a.Consumers, a.Providers, a.Sufficients = d.U32(), d.U32(), d.U32(), d.U32()
	a.Data.DecodeFrom(d)
}
