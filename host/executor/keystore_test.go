package executor

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/metamars/mars/host/executor/internal/testrt/script"
	"github.com/metamars/mars/runtime/scale"
)

// fakeKeys records what the runtime asked for and derives a distinct public
// key per request, so the test sees the host pass type, scheme and seed.
type fakeKeys struct{ asked []string }

func (f *fakeKeys) Generate(kt [4]byte, s KeyScheme, seed []byte) ([32]byte, error) {
	if string(seed) == "fail" {
		return [32]byte{}, errors.New("refused")
	}
	f.asked = append(f.asked, string(kt[:])+string(rune('0'+s))+string(seed))
	var pub [32]byte
	copy(pub[:], string(kt[:])+string(rune('0'+s))+string(seed))
	return pub, nil
}

func generateProg(op uint8, kt string, seed []byte) []byte {
	e := scale.NewEncoder(16)
	e.PutU8(op)
	e.PutRaw([]byte(kt))
	e.PutOption(seed != nil)
	if seed != nil {
		e.PutBytes(seed)
	}
	return e.Bytes()
}

func TestKeystoreGenerate(t *testing.T) {
	e := newTestExecutor(t, nil)
	ks := &fakeKeys{}
	ctx := WithKeystore(context.Background(), ks)
	for _, c := range []struct {
		op   uint8
		kt   string
		seed []byte
		want string
	}{
		{script.OpSr25519Generate, "aura", nil, "aura1"},
		{script.OpEd25519Generate, "gran", []byte("//Alice"), "gran2//Alice"},
	} {
		inst := newTestInstance(t, e, newMemStorage())
		got, err := inst.Call(ctx, "run", generateProg(c.op, c.kt, c.seed))
		if err != nil {
			t.Fatal(err)
		}
		want := make([]byte, 32)
		copy(want, c.want)
		if !bytes.Equal(got, want) {
			t.Fatalf("got %q want %q", got, want)
		}
	}
	if len(ks.asked) != 2 {
		t.Fatalf("keystore asked %v", ks.asked)
	}

	// Without a keystore (block execution) and on a keystore error, the
	// call traps with a typed error and the node goes on.
	for _, c := range []struct {
		ctx  context.Context
		seed []byte
		want error
	}{{context.Background(), nil, ErrNoKeystore}, {ctx, []byte("fail"), ErrBadArgument}} {
		inst := newTestInstance(t, e, newMemStorage())
		_, err := inst.Call(c.ctx, "run", generateProg(script.OpSr25519Generate, "aura", c.seed))
		if !errors.Is(err, ErrTrap) || !errors.Is(err, c.want) {
			t.Fatalf("got %v, want a trap with %v", err, c.want)
		}
	}
}
