package relay

import (
	"github.com/metamars/mars/pallets/aura"
	"github.com/metamars/mars/pallets/grandpa"
	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// dispatchConsensus serves consensusEntries; handled is false for any
// other entry. finish checks that the input was read entirely.
func dispatchConsensus(rt *Runtime, ctx *frame.Context, entry string, d *scale.Decoder, e *scale.Encoder, finish func() error) (handled bool, err error) {
	switch entry {
	case abi.EntryAuraSlotDuration: // () -> u64 ms
		if err := finish(); err != nil {
			return true, err
		}
		e.PutU64(rt.Aura.SlotDuration())
	case abi.EntryAuraAuthorities: // () -> Vec<sr25519 public>
		if err := finish(); err != nil {
			return true, err
		}
		auths := rt.Aura.Authorities(ctx)
		e.PutLen(len(auths))
		for _, a := range auths {
			e.PutRaw(a[:])
		}
	case abi.EntryGrandpaAuthorities: // () -> Vec<(ed25519 public, u64)>
		if err := finish(); err != nil {
			return true, err
		}
		auths := rt.Grandpa.Authorities(ctx)
		e.PutLen(len(auths))
		for _, a := range auths {
			a.EncodeTo(e)
		}
	case abi.EntryGrandpaCurrentSetID: // () -> u64
		if err := finish(); err != nil {
			return true, err
		}
		e.PutU64(rt.Grandpa.CurrentSetID(ctx))
	case abi.EntrySessionKeysGenerate: // (Option<Vec<u8>> seed) -> Vec<u8>
		var seed []byte
		if d.Option() {
			seed = append([]byte{}, d.Bytes()...) // Some(empty) stays non-nil
		}
		if err := finish(); err != nil {
			return true, err
		}
		keys := session.Keys{
			Aura:    ctx.Sr25519Generate(session.KeyTypeAura, seed),
			Grandpa: ctx.Ed25519Generate(session.KeyTypeGrandpa, seed),
		}
		e.PutBytes(scale.Encode(keys))
	case abi.EntrySessionKeysDecode: // (Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>>
		raw := d.Bytes()
		if err := finish(); err != nil {
			return true, err
		}
		keys, err := session.DecodeKeys(raw)
		e.PutOption(err == nil)
		if err == nil {
			e.PutLen(2)
			e.PutBytes(keys.Aura[:])
			e.PutRaw(session.KeyTypeAura[:])
			e.PutBytes(keys.Grandpa[:])
			e.PutRaw(session.KeyTypeGrandpa[:])
		}
	case abi.EntryAuraEquivocationReport: // (AuraEquivocationProof) -> Option<Vec<u8>>
		var proof aura.EquivocationProof
		proof.DecodeFrom(d)
		if err := finish(); err != nil {
			return true, err
		}
		ok := rt.Aura.CheckEquivocation(ctx, &proof) == nil
		e.PutOption(ok)
		if ok {
			e.PutBytes(types.EncodeBareExtrinsic(aura.ReportCall(IndexAura, &proof)))
		}
	case abi.EntryGrandpaEquivocationReport: // (EquivocationProof) -> Option<Vec<u8>>
		var proof grandpa.EquivocationProof
		proof.DecodeFrom(d)
		if err := finish(); err != nil {
			return true, err
		}
		ok := rt.Grandpa.CheckEquivocation(ctx, &proof) == nil
		e.PutOption(ok)
		if ok {
			e.PutBytes(types.EncodeBareExtrinsic(grandpa.ReportCall(IndexGrandpa, &proof)))
		}
	default:
		return false, nil
	}
	return true, nil
}
