package frame_test

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// wrapper dispatches an inner call as Root; its arguments are the call
// followed by a u32, to check that nested decoding leaves the decoder at
// the right place.
type wrapper struct{ rt *frame.Runtime }

type wrapArgs struct {
	Call  *frame.RuntimeCall
	After uint32
}

func (wrapper) Name() string { return "Wrapper" }
func (w wrapper) Calls() []frame.CallDef {
	return []frame.CallDef{frame.NewCall(0, "wrap",
		func(d *scale.Decoder) wrapArgs {
			c, _ := w.rt.DecodeCall(d)
			return wrapArgs{c, d.U32()}
		},
		func(a wrapArgs) frame.DispatchInfo { return a.Call.Info() },
		func(ctx *frame.Context, o frame.Origin, a wrapArgs) error {
			if a.After != 0xdeadbeef {
				return frame.ErrOther
			}
			_, err := a.Call.Dispatch(ctx, frame.Root())
			return err
		})}
}

func TestNestedCallDecoding(t *testing.T) {
	rt, _ := testRuntime()
	rt.Register(11, wrapper{rt})
	env := frametest.New(t, rt).Genesis("")
	env.StartBlock()
	inner := counterCall(2, 77) // root_only(77)
	e := scale.NewEncoder(16)
	e.PutU8(11)
	e.PutU8(0)
	e.PutRaw(inner)
	e.PutU32(0xdeadbeef)
	c, err := rt.DecodeCallBytes(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Encoded, e.Bytes()) || !bytes.Equal(c.Args.(wrapArgs).Call.Encoded, inner) {
		t.Fatalf("encoded %x / %x", c.Encoded, c.Args.(wrapArgs).Call.Encoded)
	}
	if _, err := c.Dispatch(env.Ctx, frame.Signed(types.AccountID{1})); err != nil || counterValue.Get(env.Ctx) != 77 {
		t.Fatal(err)
	}
	// a failing inner call rolls back only itself; the outer error rolls back all
	bad := append(append([]byte{11, 0}, counterCall(1, 0)...), 0xef, 0xbe, 0xad, 0xde)
	env.RequireNoop(t, func() error { return env.Dispatch(frame.Root(), bad) })
	if _, err := rt.DecodeCallBytes(append(e.Bytes(), 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
}
