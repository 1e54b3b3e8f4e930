package frame

import (
	"encoding/binary"

	"github.com/metamars/mars/runtime/scale"
)

// AccountData is pallet_balances::AccountData, stored inside System.Account
// as Substrate's relay chains do: free, reserved, frozen, flags (u128 each).
type AccountData struct {
	Free, Reserved, Frozen, Flags scale.U128
}

// Equal reports whether a and b are equal, field by field (== on the
// struct compiles to a byte-at-a-time memequal in wasm).
func (a *AccountData) Equal(b *AccountData) bool {
	return a.Free == b.Free && a.Reserved == b.Reserved && a.Frozen == b.Frozen && a.Flags == b.Flags
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
	var b [accountDataLen]byte
	a.put(b[:])
	e.PutRaw(b[:])
}

// DecodeFrom reads the four u128.
func (a *AccountData) DecodeFrom(d *scale.Decoder) {
	if d.Err() == nil && d.Remaining() >= accountDataLen {
		a.get(d.Raw(accountDataLen))
		return
	}
	a.Free, a.Reserved, a.Frozen, a.Flags = d.U128(), d.U128(), d.U128(), d.U128()
}

// Encoded sizes of AccountData and AccountInfo. Both are read and written
// several times per transfer: their codecs work on the bytes at once
// rather than a decoder or encoder call per field (calls are dear in WASM).
const (
	accountDataLen = 64
	accountInfoLen = 16 + accountDataLen
)

// put and get spell out each word: helpers per u128 are over the
// inliner's budget.
func (a *AccountData) put(b []byte) {
	_ = b[63]
	binary.LittleEndian.PutUint64(b[0:], a.Free.Lo)
	binary.LittleEndian.PutUint64(b[8:], a.Free.Hi)
	binary.LittleEndian.PutUint64(b[16:], a.Reserved.Lo)
	binary.LittleEndian.PutUint64(b[24:], a.Reserved.Hi)
	binary.LittleEndian.PutUint64(b[32:], a.Frozen.Lo)
	binary.LittleEndian.PutUint64(b[40:], a.Frozen.Hi)
	binary.LittleEndian.PutUint64(b[48:], a.Flags.Lo)
	binary.LittleEndian.PutUint64(b[56:], a.Flags.Hi)
}

func (a *AccountData) get(b []byte) {
	_ = b[63]
	a.Free = scale.U128{Lo: binary.LittleEndian.Uint64(b[0:]), Hi: binary.LittleEndian.Uint64(b[8:])}
	a.Reserved = scale.U128{Lo: binary.LittleEndian.Uint64(b[16:]), Hi: binary.LittleEndian.Uint64(b[24:])}
	a.Frozen = scale.U128{Lo: binary.LittleEndian.Uint64(b[32:]), Hi: binary.LittleEndian.Uint64(b[40:])}
	a.Flags = scale.U128{Lo: binary.LittleEndian.Uint64(b[48:]), Hi: binary.LittleEndian.Uint64(b[56:])}
}

// EncodeTo writes nonce, consumers, providers, sufficients (u32) ++ data.
func (a *AccountInfo) EncodeTo(e *scale.Encoder) {
	var b [accountInfoLen]byte
	binary.LittleEndian.PutUint32(b[0:], a.Nonce)
	binary.LittleEndian.PutUint32(b[4:], a.Consumers)
	binary.LittleEndian.PutUint32(b[8:], a.Providers)
	binary.LittleEndian.PutUint32(b[12:], a.Sufficients)
	a.Data.put(b[16:])
	e.PutRaw(b[:])
}

// DecodeFrom reads an AccountInfo.
func (a *AccountInfo) DecodeFrom(d *scale.Decoder) {
	if d.Err() == nil && d.Remaining() >= accountInfoLen {
		b := d.Raw(accountInfoLen)
		a.Nonce = binary.LittleEndian.Uint32(b[0:])
		a.Consumers = binary.LittleEndian.Uint32(b[4:])
		a.Providers = binary.LittleEndian.Uint32(b[8:])
		a.Sufficients = binary.LittleEndian.Uint32(b[12:])
		a.Data.get(b[16:])
		return
	}
	a.Nonce, a.Consumers, a.Providers, a.Sufficients = d.U32(), d.U32(), d.U32(), d.U32()
	a.Data.DecodeFrom(d)
}
