package sudo

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Call indices, as in pallet_sudo.
const (
	CallSudo                uint8 = 0
	CallSudoUncheckedWeight uint8 = 1
	CallSetKey              uint8 = 2
	CallSudoAs              uint8 = 3
	CallRemoveKey           uint8 = 4
)

// SudoArgs are sudo's arguments: call (and, for sudo_unchecked_weight, the
// weight to declare instead of the call's).
type SudoArgs struct {
	Call   *frame.RuntimeCall
	Weight types.Weight
}

// SudoAsArgs are sudo_as's arguments: who MultiAddress, call.
type SudoAsArgs struct {
	Who  types.MultiAddress
	Call *frame.RuntimeCall
}

// decodeCall reads a nested RuntimeCall, bounding the nesting depth. It
// decodes from a copy of d over the remaining bytes and then advances d by
// exactly the call's length, so d keeps its absolute Offset() (the caller's
// decoder computes the outer call's length from it).
func (p *Pallet) decodeCall(d *scale.Decoder) *frame.RuntimeCall {
	if p.depth >= maxCallDepth {
		d.Fail(ErrTooDeep)
		return nil
	}
	p.depth++
	defer func() { p.depth-- }()
	peek := *d
	rest := peek.Raw(peek.Remaining())
	inner := scale.NewDecoder(rest)
	c, err := p.cfg.Calls.DecodeCall(inner)
	if err != nil {
		d.Fail(err)
		return nil
	}
	d.Raw(len(rest) - inner.Remaining())
	return c
}

// Calls implements frame.Pallet.
func (p *Pallet) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCallPost(CallSudo, "sudo",
			func(d *scale.Decoder) SudoArgs { return SudoArgs{Call: p.decodeCall(d)} },
			func(a SudoArgs) frame.DispatchInfo { return wrapped(WeightSudo, a.Call) },
			p.sudo),
		frame.NewCallPost(CallSudoUncheckedWeight, "sudo_unchecked_weight",
			func(d *scale.Decoder) SudoArgs {
				a := SudoArgs{Call: p.decodeCall(d)}
				a.Weight.DecodeFrom(d)
				return a
			},
			func(a SudoArgs) frame.DispatchInfo {
				i := wrapped(types.Weight{}, a.Call)
				i.Weight = a.Weight
				return i
			},
			p.sudoUncheckedWeight),
		frame.NewCallPost(CallSetKey, "set_key",
			func(d *scale.Decoder) types.MultiAddress {
				var a types.MultiAddress
				a.DecodeFrom(d)
				return a
			},
			func(types.MultiAddress) frame.DispatchInfo { return frame.DispatchInfo{Weight: WeightSetKey} },
			p.setKey),
		frame.NewCallPost(CallSudoAs, "sudo_as",
			func(d *scale.Decoder) SudoAsArgs {
				var a SudoAsArgs
				a.Who.DecodeFrom(d)
				a.Call = p.decodeCall(d)
				return a
			},
			func(a SudoAsArgs) frame.DispatchInfo { return wrapped(WeightSudoAs, a.Call) },
			p.sudoAs),
		frame.NewCallPost(CallRemoveKey, "remove_key",
			func(*scale.Decoder) struct{} { return struct{}{} },
			func(struct{}) frame.DispatchInfo { return frame.DispatchInfo{Weight: WeightRemoveKey} },
			p.removeKey),
	}
}

// wrapped is the DispatchInfo of a call wrapping c: own weight plus c's,
// in c's class.
func wrapped(own types.Weight, c *frame.RuntimeCall) frame.DispatchInfo {
	if c == nil {
		return frame.DispatchInfo{Weight: own}
	}
	in := c.Info()
	return frame.DispatchInfo{Weight: own.SaturatingAdd(in.Weight), Class: in.Class}
}

// noFee is the post-dispatch info of every successful sudo call: the key
// does not pay.
var noFee = frame.PostDispatchInfo{PaysFee: frame.PaysNo}

// ensureSudo accepts Root or a signed origin that is the key.
func (p *Pallet) ensureSudo(ctx *frame.Context, o frame.Origin) error {
	if o.Kind == frame.OriginRoot {
		return nil
	}
	who, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	if k, ok := key.TryGet(ctx); !ok || k != who {
		return ErrRequireSudo
	}
	return nil
}

// dispatchResult runs c as origin and returns its DispatchResult.
func dispatchResult(ctx *frame.Context, c *frame.RuntimeCall, o frame.Origin) *types.DispatchError {
	if _, err := c.Dispatch(ctx, o); err != nil {
		de := ctx.Runtime().DispatchError(err)
		return &de
	}
	return nil
}

// sudo: dispatch call as Root. Emits Sudid.
func (p *Pallet) sudo(ctx *frame.Context, o frame.Origin, a SudoArgs) (frame.PostDispatchInfo, error) {
	if err := p.ensureSudo(ctx, o); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	ctx.Deposit(PalletName, EventSudid{Index: EvSudid, Result: dispatchResult(ctx, a.Call, frame.Root())})
	return noFee, nil
}

// sudo_unchecked_weight: sudo with a declared weight. Emits Sudid.
func (p *Pallet) sudoUncheckedWeight(ctx *frame.Context, o frame.Origin, a SudoArgs) (frame.PostDispatchInfo, error) {
	return p.sudo(ctx, o, a)
}

// set_key: hand the key to new. Emits KeyChanged.
func (p *Pallet) setKey(ctx *frame.Context, o frame.Origin, a types.MultiAddress) (frame.PostDispatchInfo, error) {
	if err := p.ensureSudo(ctx, o); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	newKey, ok := a.AccountID()
	if !ok || a.Kind != types.AddressID {
		return frame.PostDispatchInfo{}, frame.ErrCannotLookup
	}
	ev := EventKeyChanged{New: newKey}
	if old, ok := key.TryGet(ctx); ok {
		ev.Old = &old
	}
	ctx.Deposit(PalletName, ev)
	key.Set(ctx, newKey)
	return noFee, nil
}

// sudo_as: dispatch call as the signed account who. Emits SudoAsDone.
func (p *Pallet) sudoAs(ctx *frame.Context, o frame.Origin, a SudoAsArgs) (frame.PostDispatchInfo, error) {
	if err := p.ensureSudo(ctx, o); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	who, ok := a.Who.AccountID()
	if !ok || a.Who.Kind != types.AddressID {
		return frame.PostDispatchInfo{}, frame.ErrCannotLookup
	}
	ctx.Deposit(PalletName, EventSudid{Index: EvSudoAsDone, Result: dispatchResult(ctx, a.Call, frame.Signed(who))})
	return noFee, nil
}

// remove_key: give up the key for good. Emits KeyRemoved.
func (p *Pallet) removeKey(ctx *frame.Context, o frame.Origin, _ struct{}) (frame.PostDispatchInfo, error) {
	if err := p.ensureSudo(ctx, o); err != nil {
		return frame.PostDispatchInfo{}, err
	}
	ctx.Deposit(PalletName, EventKeyRemoved{})
	key.Remove(ctx)
	return noFee, nil
}
