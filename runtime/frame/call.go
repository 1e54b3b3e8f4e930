package frame

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// CallDef declares one call of a pallet: its fixed index (never reused),
// its name, and how to decode, weigh and dispatch it. Build it with NewCall
// or NewCallPost; a pallet returns its CallDefs from Calls().
type CallDef struct {
	Index uint8
	Name  string
	// decode reads the call's arguments and binds them.
	decode func(d *scale.Decoder) (any, DispatchInfo, dispatchFn)
}

type dispatchFn func(ctx *Context, o Origin) (PostDispatchInfo, error)

// NewCall declares a call whose arguments decode to A. info gives the
// call's weight, class and fee mode from its arguments; dispatch runs it
// (it must check the origin first). A returned error rolls back the call's
// writes.
func NewCall[A any](index uint8, name string, decode func(d *scale.Decoder) A,
	info func(a A) DispatchInfo, dispatch func(ctx *Context, o Origin, a A) error) CallDef {
	return NewCallPost(index, name, decode, info, func(ctx *Context, o Origin, a A) (PostDispatchInfo, error) {
		return PostDispatchInfo{}, dispatch(ctx, o, a)
	})
}

// NewCallPost is NewCall for calls that report PostDispatchInfo (actual
// weight, fee waived).
func NewCallPost[A any](index uint8, name string, decode func(d *scale.Decoder) A,
	info func(a A) DispatchInfo, dispatch func(ctx *Context, o Origin, a A) (PostDispatchInfo, error)) CallDef {
	return CallDef{Index: index, Name: name, decode: func(d *scale.Decoder) (any, DispatchInfo, dispatchFn) {
		a := decode(d)
		if d.Err() != nil {
			return nil, DispatchInfo{}, nil
		}
		return a, info(a), func(ctx *Context, o Origin) (PostDispatchInfo, error) { return dispatch(ctx, o, a) }
	}}
}

// RuntimeCall is a decoded call of some pallet of the runtime, ready to be
// weighed and dispatched.
type RuntimeCall struct {
	PalletIndex uint8
	CallIndex   uint8
	Pallet      Pallet
	Name        string
	// Args is the decoded argument value (the A of NewCall), for pallets
	// that inspect calls (inherent checks, unsigned validation, filters).
	Args any
	// Encoded is the call's SCALE bytes: pallet ++ call ++ args.
	Encoded []byte

	info     DispatchInfo
	dispatch dispatchFn
}

// Info returns the call's declared DispatchInfo.
func (c *RuntimeCall) Info() DispatchInfo { return c.info }

// String names the call, e.g. "Balances.transfer_keep_alive".
func (c *RuntimeCall) String() string { return c.Pallet.Name() + "." + c.Name }

// Dispatch runs the call with origin o inside a storage transaction:
// on error every write of the call is rolled back (FRAME's #[transactional]
// dispatch). Nested dispatch (sudo, batch) calls this again.
func (c *RuntimeCall) Dispatch(ctx *Context, o Origin) (post PostDispatchInfo, err error) {
	saved := ctx.begin()
	post, err = c.dispatch(ctx, o)
	if err != nil {
		ctx.rollback(saved)
		return post, err
	}
	ctx.CommitTransaction()
	return post, nil
}

// DecodeCall decodes pallet index ++ call index ++ args from d (for
// pallets whose arguments contain a call, like sudo); d continues after
// the call with its offset intact.
func (r *Runtime) DecodeCall(d *scale.Decoder) (*RuntimeCall, error) {
	peek := *d // a copy reads ahead without moving d
	rest := peek.Raw(peek.Remaining())
	if err := peek.Err(); err != nil {
		return nil, err
	}
	c, n, err := r.decodeCall(rest)
	if err != nil {
		d.Fail(err)
		return nil, err
	}
	d.Raw(n)
	return c, nil
}

// DecodeCallBytes decodes a call that spans all of b.
func (r *Runtime) DecodeCallBytes(b []byte) (*RuntimeCall, error) {
	c, n, err := r.decodeCall(b)
	if err != nil {
		return nil, err
	}
	if n != len(b) {
		return nil, fmt.Errorf("%w: %w", ErrBadCallArgs, scale.ErrTrailingBytes)
	}
	return c, nil
}

func (r *Runtime) decodeCall(b []byte) (*RuntimeCall, int, error) {
	d := scale.NewDecoder(b)
	pi := d.U8()
	ci := d.U8()
	if err := d.Err(); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrBadCallArgs, err)
	}
	e := r.entry(pi)
	if e == nil {
		return nil, 0, fmt.Errorf("%w: %d", ErrUnknownPallet, pi)
	}
	def := e.call(ci)
	if def == nil {
		return nil, 0, fmt.Errorf("%w: %s call %d", ErrUnknownCall, e.pallet.Name(), ci)
	}
	args, info, fn := def.decode(d)
	if err := d.Err(); err != nil || fn == nil {
		return nil, 0, fmt.Errorf("%w: %s.%s: %v", ErrBadCallArgs, e.pallet.Name(), def.Name, err)
	}
	n := len(b) - d.Remaining()
	return &RuntimeCall{PalletIndex: pi, CallIndex: ci, Pallet: e.pallet, Name: def.Name, Args: args,
		info: info, dispatch: fn, Encoded: b[:n:n]}, n, nil
}
