package session

import (
	"errors"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Call indices, as in pallet_session.
const (
	CallSetKeys   uint8 = 0
	CallPurgeKeys uint8 = 1
)

// SetKeysArgs are set_keys' arguments: keys SessionKeys, proof Vec<u8>.
type SetKeysArgs struct {
	Keys  Keys
	Proof []byte
}

// EncodeTo writes keys ++ Vec<u8> proof.
func (a *SetKeysArgs) EncodeTo(e *scale.Encoder) { a.Keys.EncodeTo(e); e.PutBytes(a.Proof) }

// errProofTooLong fails decoding of an oversized proof.
var errProofTooLong = errors.New("session: set_keys proof longer than MaxProofLen")

// Calls implements frame.Pallet.
func (p *Pallet) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCall(CallSetKeys, "set_keys",
			func(d *scale.Decoder) SetKeysArgs {
				var a SetKeysArgs
				a.Keys.DecodeFrom(d)
				a.Proof = d.Bytes()
				if len(a.Proof) > MaxProofLen {
					d.Fail(errProofTooLong)
				}
				return a
			},
			func(SetKeysArgs) frame.DispatchInfo { return frame.DispatchInfo{Weight: WeightSetKeys} },
			p.setKeys),
		frame.NewCall(CallPurgeKeys, "purge_keys",
			func(*scale.Decoder) struct{} { return struct{}{} },
			func(struct{}) frame.DispatchInfo { return frame.DispatchInfo{Weight: WeightPurgeKeys} },
			p.purgeKeys),
	}
}

// set_keys: register the origin's session keys; they are used from the
// session after the next one. The proof is not checked (Substrate does
// not check it for sr25519 and ed25519 keys either).
func (p *Pallet) setKeys(ctx *frame.Context, o frame.Origin, a SetKeysArgs) error {
	who, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	return p.doSetKeys(ctx, who, a.Keys)
}

func (p *Pallet) doSetKeys(ctx *frame.Context, who types.AccountID, keys Keys) error {
	old, had := p.s.nextKeys.TryGet(ctx, who)
	if !had && p.cfg.Accounts != nil {
		if err := p.cfg.Accounts.IncConsumers(ctx, who); err != nil {
			return ErrNoAccount
		}
	}
	return p.innerSetKeys(ctx, who, keys, old, had)
}

// innerSetKeys checks that no key belongs to another account, then moves
// KeyOwner from the old keys to the new ones and stores NextKeys.
func (p *Pallet) innerSetKeys(ctx *frame.Context, who types.AccountID, keys, old Keys, had bool) error {
	pairs := keyPairs(keys)
	for _, kp := range pairs {
		if owner, ok := p.s.keyOwner.TryGet(ctx, kp); ok && owner != who {
			return ErrDuplicatedKey
		}
	}
	oldPairs := keyPairs(old)
	for i, kp := range pairs {
		if had {
			if string(oldPairs[i].Key) == string(kp.Key) {
				continue
			}
			p.s.keyOwner.Remove(ctx, oldPairs[i])
		}
		p.s.keyOwner.Set(ctx, kp, who)
	}
	p.s.nextKeys.Set(ctx, who, keys)
	return nil
}

// purge_keys: remove the origin's session keys and their owner records.
func (p *Pallet) purgeKeys(ctx *frame.Context, o frame.Origin, _ struct{}) error {
	who, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	old, ok := p.s.nextKeys.TryGet(ctx, who)
	if !ok {
		return ErrNoKeys
	}
	p.s.nextKeys.Remove(ctx, who)
	for _, kp := range keyPairs(old) {
		p.s.keyOwner.Remove(ctx, kp)
	}
	if p.cfg.Accounts != nil {
		p.cfg.Accounts.DecConsumers(ctx, who)
	}
	return nil
}

// keyPairs lists keys by key type, in SessionKeys' field order.
func keyPairs(k Keys) [2]KeyTypeID {
	a, g := k.Aura, k.Grandpa
	return [2]KeyTypeID{{Type: KeyTypeAura, Key: a[:]}, {Type: KeyTypeGrandpa, Key: g[:]}}
}
