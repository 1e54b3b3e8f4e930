package types

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// Every fuzz target decodes arbitrary bytes (no panic allowed) and, when
// decoding succeeds, checks that encoding gives the input back.

func FuzzDecodeExtrinsic(f *testing.F) {
	f.Add(observedTransfer(f))
	f.Add(EncodeBareExtrinsic([]byte{3, 0, 0x0b, 0xe8, 3}))
	f.Add(EncodeSignedExtrinsic(MultiAddress{Kind: AddressIndex, Index: 77}, MultiSignature{Kind: SigEcdsa, Sig: rep(1, 65)}, []byte{0x85, 2}, []byte{1, 2}))
	f.Add(EncodeSignedExtrinsic(MultiAddress{Kind: AddressRaw, Raw: []byte{9}}, MultiSignature{Kind: SigEd25519, Sig: rep(1, 64)}, nil, nil))
	f.Add([]byte{0x04, 0x84, 0x04, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := DecodeExtrinsic(in)
		if err != nil {
			return
		}
		if out := x.Encode(); !bytes.Equal(out, in) {
			t.Fatalf("round trip: %x → %+v → %x", in, x, out)
		}
	})
}

func FuzzHeader(f *testing.F) {
	f.Add(appendixHeaderBytes(f))
	h := Header{Number: 1 << 30, Digest: []DigestItem{{Kind: DigestOther, Data: []byte{1}}, {Kind: DigestRuntimeEnvironmentUpdated}, {Kind: DigestConsensus, Engine: EngineGrandpa}}}
	f.Add(h.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := DecodeHeader(in)
		if err != nil {
			return
		}
		if out := h.Bytes(); !bytes.Equal(out, in) {
			t.Fatalf("round trip: %x → %x", in, out)
		}
		if h.Hash() != Blake2b256(in) {
			t.Fatal("hash is not blake2_256 of the encoding")
		}
	})
}

func FuzzBlock(f *testing.F) {
	blk := Block{Header: appendixHeader(), Extrinsics: [][]byte{EncodeBareExtrinsic([]byte{3, 0, 0}), observedTransfer(f)}}
	f.Add(enc(&blk))
	f.Add(append(appendixHeaderBytes(f), 0))
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := DecodeBlock(in)
		if err != nil {
			return
		}
		if out := enc(&b); !bytes.Equal(out, in) {
			t.Fatalf("round trip: %x → %x", in, out)
		}
		for _, x := range b.Extrinsics {
			_, _ = DecodeExtrinsic(x) // must not panic on any opaque body
		}
	})
}

func FuzzRuntimeVersion(f *testing.F) {
	v := sampleVersion()
	full := enc(&v)
	f.Add(full)
	f.Add(full[:len(full)-1])
	f.Add(full[:len(full)-5])
	f.Fuzz(func(t *testing.T, in []byte) {
		v, err := DecodeRuntimeVersion(in)
		if err != nil {
			return
		}
		out := enc(&v)
		// The input is the full form or one of the older, shorter ones.
		if !bytes.Equal(out, in) && !bytes.Equal(out[:len(out)-1], in) && !bytes.Equal(out[:len(out)-5], in) {
			t.Fatalf("round trip: %x → %x", in, out)
		}
		again, err := DecodeRuntimeVersion(out)
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("re-decode: %+v vs %+v, %v", again, v, err)
		}
	})
}

func FuzzEra(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{0x85, 0x02})
	f.Add([]byte{0x16, 0x00})
	f.Add([]byte{0x4e, 0x9c})
	f.Fuzz(func(t *testing.T, in []byte) {
		var e Era
		if err := scale.Decode(in, &e); err != nil {
			return
		}
		if out := enc(e); !bytes.Equal(out, in) {
			t.Fatalf("round trip: %x → %+v → %x", in, e, out)
		}
		if !e.Immortal {
			if b := e.Birth(1 << 40); b > 1<<40 || e.Death(1<<40) <= 1<<40 {
				t.Fatalf("%+v: window [%d, %d) misses current", e, b, e.Death(1<<40))
			}
		}
	})
}

func FuzzDispatchError(f *testing.F) {
	for _, s := range [][]byte{{0}, {3, 5, 2, 0, 0, 0}, {7, 9}, {8, 1}, {14, 13}, {0x0f}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var e DispatchError
		if err := scale.Decode(in, &e); err == nil {
			if out := enc(e); !bytes.Equal(out, in) {
				t.Fatalf("dispatch error round trip: %x → %x", in, out)
			}
			_ = e.Error()
		}
		var v TransactionValidityError
		if err := scale.Decode(in, &v); err == nil {
			if out := enc(v); !bytes.Equal(out, in) {
				t.Fatalf("validity error round trip: %x → %x", in, out)
			}
			_ = v.Error()
		}
		var r ApplyExtrinsicResult
		if err := scale.Decode(in, &r); err == nil {
			if out := enc(&r); !bytes.Equal(out, in) {
				t.Fatalf("apply result round trip: %x → %x", in, out)
			}
		}
		var tv TransactionValidity
		if err := scale.Decode(in, &tv); err == nil {
			if out := enc(&tv); !bytes.Equal(out, in) {
				t.Fatalf("validity round trip: %x → %x", in, out)
			}
		}
		var w Weight
		if err := scale.Decode(in, &w); err == nil {
			if out := enc(w); !bytes.Equal(out, in) {
				t.Fatalf("weight round trip: %x → %x", in, out)
			}
		}
	})
}

func FuzzParseSS58(f *testing.F) {
	f.Add("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	f.Add("15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5")
	f.Add(account(f, bobPub).SS58(16383))
	f.Add("1")
	f.Fuzz(func(t *testing.T, s string) {
		id, prefix, err := ParseSS58(s)
		if err != nil {
			return
		}
		if out := id.SS58(prefix); out != s {
			t.Fatalf("round trip: %q → %x/%d → %q", s, id, prefix, out)
		}
	})
}
