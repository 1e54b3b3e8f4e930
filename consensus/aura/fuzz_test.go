package aura

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/types"
)

// FuzzVerify feeds arbitrary header bytes to the verifier: it must never
// panic, and whatever it accepts is sealed by the slot's author, has one
// aura pre-digest and comes back without its seal.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, 16)
	g := &fx.genesis
	good := sealed(g, 99, fx.alice)
	f.Add(good.Bytes())
	f.Add(seal(header(g, PreDigest(99), PreDigest(99)), fx.alice).Bytes())
	f.Add(header(g, PreDigest(99)).Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := types.DecodeHeader(b)
		if err != nil {
			return
		}
		got, err := fx.v.Verify(g, &h)
		if err != nil {
			return
		}
		unsealed, sig, err := SplitSeal(&h)
		if err != nil {
			t.Fatalf("accepted a header SplitSeal refuses: %v", err)
		}
		if !bytes.Equal(got.Bytes(), unsealed.Bytes()) {
			t.Fatal("returned header is not the header without its seal")
		}
		slot, err := FindSlot(&got)
		if err != nil || slot == 0 {
			t.Fatalf("accepted slot %d: %v", slot, err)
		}
		author, _ := SlotAuthor(slot, fx.auths)
		pre := PreHash(&got)
		if !keystore.Verify(keystore.Sr25519, author, pre[:], sig[:]) {
			t.Fatal("accepted a seal that is not the slot author's signature")
		}
	})
}

// FuzzDecodeEquivocationProof: decoding never panics, and what decodes
// re-encodes to the same bytes.
func FuzzDecodeEquivocationProof(f *testing.F) {
	fx := newFixture(f, 0)
	g := &fx.genesis
	a := sealed(g, 99, fx.alice)
	b := header(g, PreDigest(99))
	b.StateRoot = types.Hash{5}
	f.Add(encodeProof(EquivocationProof{Offender: fx.alice.Public(), Slot: 99, First: a, Second: seal(b, fx.alice)}))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		p, err := DecodeEquivocationProof(in)
		if err != nil {
			return
		}
		if !bytes.Equal(encodeProof(p), in) {
			t.Fatal("proof does not re-encode to its input")
		}
		_ = p.Check()
	})
}

// FuzzDecodeAuthorities: decoding never panics and round-trips.
func FuzzDecodeAuthorities(f *testing.F) {
	f.Add(append([]byte{4}, make([]byte, 32)...))
	f.Add([]byte{0xfe, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		auths, err := DecodeAuthorities(in)
		if err != nil {
			return
		}
		if len(in) < 1+32*len(auths) {
			t.Fatalf("%d authorities from %d bytes", len(auths), len(in))
		}
	})
}
