package executor

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/host/executor/internal/testrt/script"
)

// randomProgram generates a storage program over a small key space with
// balanced transactions. Its expected output is unknown: the test compares
// runs.
func randomProgram(r *rand.Rand) []byte {
	p := newProg()
	keys := [][]byte{[]byte("a"), []byte("ab"), []byte("abc"), []byte("b"), []byte("ba"), []byte("c"), {}, []byte("p\x00"), []byte("p\x01")}
	key := func() []byte { return keys[r.IntN(len(keys))] }
	val := func() []byte {
		v := make([]byte, r.IntN(3)*r.IntN(200)) // often empty or small, sometimes > 256
		for i := range v {
			v[i] = byte(r.Uint32())
		}
		return v
	}
	depth := 0
	for n := 20 + r.IntN(60); n > 0; n-- {
		switch op := r.IntN(12); op {
		case 0, 1:
			p.op(script.OpSet, key(), val())
		case 2:
			p.op(script.OpGet, key())
		case 3:
			p.op(script.OpClear, key())
		case 4:
			p.op(script.OpExists, key())
		case 5:
			p.op(script.OpAppend, key(), val())
		case 6:
			p.op(script.OpClearPrefix, key()).raw(le32(uint32(r.IntN(3))))
		case 7:
			p.op(script.OpNextKey, key())
		case 8:
			p.op(script.OpRoot)
		case 9:
			p.op(script.OpStartTx)
			depth++
		case 10, 11:
			if depth > 0 {
				if op == 10 {
					p.op(script.OpCommitTx)
				} else {
					p.op(script.OpRollbackTx)
				}
				depth--
			}
		}
	}
	for ; depth > 0; depth-- {
		p.op(script.OpCommitTx)
	}
	return p.in.Bytes()
}

// TestRandomScriptsDifferential runs random storage programs natively and
// in wasm: outputs (including state roots) and final storage must agree.
func TestRandomScriptsDifferential(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 40; i++ {
		prog := randomProgram(r)
		native := newMemStorage()
		want := script.Run(NewNativeHost(native, 1), prog)
		s := newMemStorage()
		inst := newTestInstance(t, e, s)
		got, err := inst.Call(ctx, "run", prog)
		if err != nil {
			t.Fatalf("program %d: %v", i, err)
		}
		if !bytes.Equal(got, want) || s.dump() != native.dump() {
			t.Fatalf("program %d (%x): wasm and native differ:\n%x\n%x\n%q\n%q", i, prog, got, want, s.dump(), native.dump())
		}
		_ = inst.Close(ctx)
	}
}
