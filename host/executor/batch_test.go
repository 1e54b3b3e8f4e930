package executor

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"
)

// TestBatchVerify: inside a batch the batch functions answer true at once
// and finish reports whether every check held; outside one they answer the
// check's result. Opening twice or finishing without a batch panics (traps
// in wasm).
func TestBatchVerify(t *testing.T) {
	h := NewNativeHost(newMemStorage(), 1)
	pub, priv, _ := ed25519.GenerateKey(nil)
	var pk [32]byte
	copy(pk[:], pub)
	sign := func(msg string) *[64]byte {
		var s [64]byte
		copy(s[:], ed25519.Sign(priv, []byte(msg)))
		return &s
	}
	bad := sign("other")
	if h.Ed25519BatchVerify(bad, []byte("msg"), &pk) {
		t.Fatal("outside a batch: bad signature accepted")
	}
	if !h.Ed25519BatchVerify(sign("msg"), []byte("msg"), &pk) {
		t.Fatal("outside a batch: good signature refused")
	}
	for _, withBad := range []bool{false, true} {
		h.StartBatchVerify()
		for i := range 100 {
			msg := []byte{byte(i)}
			sig := sign(string(msg))
			if withBad && i == 57 {
				sig = bad
			}
			if !h.Ed25519BatchVerify(sig, msg, &pk) {
				t.Fatal("batch_verify answered false inside a batch")
			}
			msg[0]++ // the host copied what it needs
			var zero [64]byte
			if !h.Sr25519BatchVerify(&zero, msg, &pk) { // a bad sr25519 signature, queued
				t.Fatal("sr25519 batch_verify answered false inside a batch")
			}
		}
		// The sr25519 checks above are all bad.
		if h.FinishBatchVerify() {
			t.Fatal("batch with bad signatures reported valid")
		}
		h.StartBatchVerify()
		for i := range 50 {
			msg := []byte{byte(i)}
			sig := sign(string(msg))
			if withBad && i == 7 {
				sig = bad
			}
			h.Ed25519BatchVerify(sig, msg, &pk)
		}
		if got := h.FinishBatchVerify(); got == withBad {
			t.Fatalf("withBad=%v: finish = %v", withBad, got)
		}
	}
	mustPanic := func(name string, f func()) {
		defer func() {
			if recover() == nil {
				t.Fatalf("%s did not panic", name)
			}
		}()
		f()
	}
	mustPanic("finish without batch", func() { h.FinishBatchVerify() })
	h.StartBatchVerify()
	mustPanic("start twice", h.StartBatchVerify)
	if !h.FinishBatchVerify() {
		t.Fatal("empty batch reported invalid")
	}
}

// TestBatchVerifySr25519: valid sr25519 signatures across several chunks
// pass as a batch; one signature over another message (well-formed, so only
// the batched equation can catch it) fails the batch wherever it sits.
func TestBatchVerifySr25519(t *testing.T) {
	h := NewNativeHost(newMemStorage(), 1)
	const n = 3*batchChunk + 5
	type signed struct {
		sig [64]byte
		pub [32]byte
		msg []byte
	}
	sigs := make([]signed, n)
	for i := range sigs {
		sk, err := sr25519.GenerateMiniSecretKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		kp := sk.ExpandEd25519().KeyPair()
		msg := []byte{byte(i), 1, 2, 3}
		s, err := kp.Sign(rand.Reader, sr25519Context.NewTranscriptBytes(msg))
		if err != nil {
			t.Fatal(err)
		}
		sb, _ := s.MarshalBinary()
		pb, _ := kp.PublicKey().MarshalBinary()
		sigs[i] = signed{[64]byte(sb), [32]byte(pb), msg}
	}
	for _, bad := range []int{-1, 0, batchChunk - 1, 2*batchChunk + 3, n - 1} {
		h.StartBatchVerify()
		for i := range sigs {
			msg := sigs[i].msg
			if i == bad {
				msg = []byte("something else")
			}
			if !h.Sr25519BatchVerify(&sigs[i].sig, msg, &sigs[i].pub) {
				t.Fatal("batch_verify answered false inside a batch")
			}
		}
		if got := h.FinishBatchVerify(); got != (bad < 0) {
			t.Fatalf("bad signature at %d: finish = %v", bad, got)
		}
	}
}
