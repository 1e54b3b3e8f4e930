// Package txbuilder signs extrinsics in Substrate's v4 format with the
// standard signed-extension set that MSC runtimes declare (and that
// @polkadot/api knows by name): CheckNonZeroSender, CheckSpecVersion,
// CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce, CheckWeight,
// ChargeTransactionPayment, CheckMetadataHash.
//
// It knows no pallet: callers give it the encoded call. The extension layout
// is the one in PROTOCOL.md §4: extra = era ++ Compact<u32> nonce ++
// Compact<u128> tip ++ u8 metadata-hash mode; implicit = spec_version ++
// transaction_version ++ genesis hash ++ birth block hash ++ Option<[32]>.
package txbuilder

import (
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Params are the signed extensions' inputs for one extrinsic.
type Params struct {
	Nonce       uint32
	Tip         scale.U128
	Era         types.Era // zero value is mortal with period 0: use types.ImmortalEra or NewMortalEra
	GenesisHash types.Hash
	// BirthHash is the hash of the era's birth block (the genesis hash for
	// an immortal era).
	BirthHash   types.Hash
	SpecVersion uint32
	TxVersion   uint32
}

// Extra returns the encoded extra of p.
func (p *Params) Extra() []byte {
	e := scale.NewEncoder(24)
	p.Era.EncodeTo(e)
	e.PutCompact(uint64(p.Nonce))
	e.PutCompactU128(p.Tip)
	e.PutU8(0) // CheckMetadataHash mode: Disabled
	return e.Bytes()
}

// Implicit returns the encoded implicit (signed but not transmitted) data of p.
func (p *Params) Implicit() []byte {
	e := scale.NewEncoder(73)
	e.PutU32(p.SpecVersion)
	e.PutU32(p.TxVersion)
	e.PutRaw(p.GenesisHash[:])
	e.PutRaw(p.BirthHash[:])
	e.PutOption(false)
	return e.Bytes()
}

// Sign returns the full signed extrinsic (with its length prefix) of call
// by kp with p.
func Sign(call []byte, kp keystore.KeyPair, p Params) []byte {
	extra := p.Extra()
	sig := kp.Sign(types.SigningPayload(call, extra, p.Implicit()))
	kind := uint8(types.SigSr25519)
	if kp.Scheme() == keystore.Ed25519 {
		kind = types.SigEd25519
	}
	pub := kp.Public()
	return types.EncodeSignedExtrinsic(types.NewAddress(types.AccountID(pub)),
		types.MultiSignature{Kind: kind, Sig: sig}, extra, call)
}
