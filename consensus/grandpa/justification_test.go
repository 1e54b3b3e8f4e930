package grandpa

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// justFixture is a chain genesis <- b1 <- b2 <- b3
// with n authorities, and a fork block on genesis.
type justFixture struct {
	bt         *blockTree
	keys       []testKey
	auths      []Authority
	b1, b2, b3 types.Header
	fork       types.Header
}

func newJustFixture(n int) *justFixture {
	f := &justFixture{bt: newBlockTree()}
	for i := range n {
		f.keys = append(f.keys, newTestKey(i))
	}
	f.auths = testAuthorities(f.keys)
	f.b1 = f.bt.child(f.bt.genesis.Hash(), 1)
	f.b2 = f.bt.child(f.b1.Hash(), 1)
	f.b3 = f.bt.child(f.b2.Hash(), 1)
	f.fork = f.bt.child(f.bt.genesis.Hash(), 2)
	return f
}

func (f *justFixture) precommit(k testKey, target types.Header, round, set uint64) SignedPrecommit {
	m := sign(k, UnsignedMessage{KindPrecommit, f.bt.ref(target)}, round, set)
	return SignedPrecommit{Precommit: m.Message.Vote, Signature: m.Signature, ID: m.ID}
}

// justification of target by the first `signers` keys, all on target.
func (f *justFixture) justification(target types.Header, signers int) *Justification {
	j := &Justification{Round: 7, Target: f.bt.ref(target)}
	for _, k := range f.keys[:signers] {
		j.Precommits = append(j.Precommits, f.precommit(k, target, 7, 3))
	}
	return j
}

func TestVerifyJustification(t *testing.T) {
	f := newJustFixture(4)
	target := f.bt.ref(f.b1)
	type tc struct {
		name string
		mod  func(j *Justification) []byte
		set  uint64
		want error
	}
	enc := func(j *Justification) []byte { return j.Encode() }
	cases := []tc{
		{"valid", enc, 3, nil},
		{"valid with descendants", func(j *Justification) []byte {
			j.Precommits[1] = f.precommit(f.keys[1], f.b3, 7, 3)
			j.VotesAncestries = []types.Header{f.b2, f.b3}
			return j.Encode()
		}, 3, nil},
		{"equivocator counted for every block", func(j *Justification) []byte {
			// 2 honest on b1 + one voter precommitting b1 and b3: 3 of 4.
			j.Precommits = []SignedPrecommit{j.Precommits[0], j.Precommits[1], j.Precommits[2], f.precommit(f.keys[2], f.b3, 7, 3)}
			j.VotesAncestries = []types.Header{f.b2, f.b3}
			return j.Encode()
		}, 3, nil},
		{"wrong set id", enc, 4, ErrBadSignature},
		{"bad signature", func(j *Justification) []byte { j.Precommits[2].Signature[5] ^= 1; return j.Encode() }, 3, ErrBadSignature},
		{"insufficient weight", func(j *Justification) []byte { j.Precommits = j.Precommits[:2]; return j.Encode() }, 3, ErrWeight},
		{"ghost beyond target", func(j *Justification) []byte {
			for i := range 3 {
				j.Precommits[i] = f.precommit(f.keys[i], f.b2, 7, 3)
			}
			j.VotesAncestries = []types.Header{f.b2}
			return j.Encode()
		}, 3, ErrWeight},
		{"non-member", func(j *Justification) []byte {
			j.Precommits[0] = f.precommit(newTestKey(99), f.b1, 7, 3)
			return j.Encode()
		}, 3, ErrNotAuthority},
		{"duplicate signer", func(j *Justification) []byte { j.Precommits[3] = j.Precommits[0]; return j.Encode() }, 3, ErrDuplicateVote},
		{"missing ancestry", func(j *Justification) []byte {
			j.Precommits[1] = f.precommit(f.keys[1], f.b3, 7, 3)
			j.VotesAncestries = []types.Header{f.b3}
			return j.Encode()
		}, 3, ErrAncestry},
		{"precommit on a fork", func(j *Justification) []byte {
			j.Precommits[1] = f.precommit(f.keys[1], f.fork, 7, 3)
			j.VotesAncestries = []types.Header{f.fork}
			return j.Encode()
		}, 3, ErrAncestry},
		{"unused ancestry", func(j *Justification) []byte { j.VotesAncestries = []types.Header{f.b2}; return j.Encode() }, 3, ErrUnusedAncestry},
		{"trailing garbage", func(j *Justification) []byte { return append(j.Encode(), 0) }, 3, ErrDecode},
		{"truncated", func(j *Justification) []byte { b := j.Encode(); return b[:len(b)-1] }, 3, ErrDecode},
		{"wrong round in signatures", func(j *Justification) []byte { j.Round = 8; return j.Encode() }, 3, ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.mod(f.justification(f.b1, 4))
			j, err := VerifyJustification(b, target.Hash, target.Number, c.set, f.auths)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if err == nil && !bytes.Equal(j.Encode(), b) {
				t.Fatal("re-encoding differs")
			}
		})
	}
	// The wrong block.
	b := f.justification(f.b1, 4).Encode()
	if _, err := VerifyJustification(b, f.b2.Hash(), 2, 3, f.auths); !errors.Is(err, ErrWrongTarget) {
		t.Fatalf("wrong target: %v", err)
	}
	if _, err := VerifyJustification(b, target.Hash, target.Number, 3, nil); !errors.Is(err, ErrEmptyAuthorities) {
		t.Fatalf("empty set: %v", err)
	}
	// Weighted set: one heavy voter alone is not enough, with two others it is.
	heavy := append([]Authority(nil), f.auths...)
	heavy[0].Weight = 5 // total 8, threshold 6
	if _, err := VerifyJustification(f.justification(f.b1, 1).Encode(), target.Hash, 1, 3, heavy); !errors.Is(err, ErrWeight) {
		t.Fatalf("heavy alone: %v", err)
	}
	if _, err := VerifyJustification(f.justification(f.b1, 2).Encode(), target.Hash, 1, 3, heavy); err != nil {
		t.Fatalf("heavy + one: %v", err)
	}
}

func TestScheduledChangeRoundTrip(t *testing.T) {
	f := newJustFixture(3)
	h := types.Header{Number: 5, Digest: []types.DigestItem{
		{Kind: types.DigestPreRuntime, Engine: types.EngineAura, Data: []byte{1, 2}},
		ScheduledChangeDigest(f.auths, 0),
	}}
	next, delay, ok := DecodeScheduledChange(&h)
	if !ok || delay != 0 || fmt.Sprint(next) != fmt.Sprint(f.auths) {
		t.Fatalf("got %v %d %v", next, delay, ok)
	}
	// Substrate's bytes: 01 ++ compact(3) ++ (id ++ u64 LE)*3 ++ delay u32.
	d := ScheduledChangeDigest(f.auths[:1], 7).Data
	want := append(append([]byte{1, 4}, f.auths[0].ID[:]...), 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0)
	if !bytes.Equal(d, want) {
		t.Fatalf("digest %x, want %x", d, want)
	}
	h.Digest[1].Data = append(h.Digest[1].Data, 0) // trailing byte: not a change
	if _, _, ok := DecodeScheduledChange(&h); ok {
		t.Fatal("accepted a malformed change")
	}
}

func TestFinalityProofEncoding(t *testing.T) {
	f := newJustFixture(1)
	b := EncodeFinalityProof(f.b1.Hash(), []byte{0xaa, 0xbb}, []types.Header{f.b2})
	h := f.b1.Hash()
	want := append(append(append(h[:], 8, 0xaa, 0xbb), 4), f.b2.Bytes()...)
	if !bytes.Equal(b, want) {
		t.Fatalf("proof %x, want %x", b, want)
	}
}

func FuzzVerifyJustification(f *testing.F) {
	fx := newJustFixture(4)
	j := fx.justification(fx.b1, 4)
	f.Add(j.Encode())
	j.Precommits[1] = fx.precommit(fx.keys[1], fx.b3, 7, 3)
	j.VotesAncestries = []types.Header{fx.b2, fx.b3}
	f.Add(j.Encode())
	f.Add([]byte{})
	target := fx.bt.ref(fx.b1)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeJustification(b)
		if err == nil && !bytes.Equal(d.Encode(), b) {
			t.Fatalf("decode/encode not identical for %x", b)
		}
		_, _ = VerifyJustification(b, target.Hash, target.Number, 3, fx.auths)
	})
}

func benchVerify(b *testing.B, n int) {
	f := newJustFixture(n)
	j := f.justification(f.b1, n-(n-1)/3)
	buf := j.Encode()
	target := f.bt.ref(f.b1)
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for range b.N {
		if _, err := VerifyJustification(buf, target.Hash, target.Number, 3, f.auths); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyJustification4(b *testing.B)   { benchVerify(b, 4) }
func BenchmarkVerifyJustification100(b *testing.B) { benchVerify(b, 100) }

// Large commits are batch-verified; one bad signature still fails them.
func TestVerifyJustificationBatch(t *testing.T) {
	f := newJustFixture(10)
	target := f.bt.ref(f.b1)
	j := f.justification(f.b1, 10)
	if _, err := VerifyJustification(j.Encode(), target.Hash, 1, 3, f.auths); err != nil {
		t.Fatal(err)
	}
	j.Precommits[6].Signature[0] ^= 0x80
	if _, err := VerifyJustification(j.Encode(), target.Hash, 1, 3, f.auths); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("err = %v", err)
	}
}

type proveChain struct {
	f     *justFixture
	justs map[types.Hash][]byte
}

func (c proveChain) Finalized() chain.BlockRef {
	return chain.BlockRef{Hash: c.f.b3.Hash(), Number: 3}
}
func (c proveChain) HashByNumber(n uint32) (types.Hash, bool) {
	hs := []types.Header{c.f.bt.genesis, c.f.b1, c.f.b2, c.f.b3}
	if int(n) >= len(hs) {
		return types.Hash{}, false
	}
	return hs[n].Hash(), true
}
func (c proveChain) Header(h types.Hash) (*types.Header, error) {
	hd := c.f.bt.headers[h]
	return &hd, nil
}
func (c proveChain) Justification(h types.Hash) ([]byte, bool) { j, ok := c.justs[h]; return j, ok }

func TestProveFinality(t *testing.T) {
	f := newJustFixture(4)
	c := proveChain{f, map[types.Hash][]byte{f.b3.Hash(): {0xaa}}}
	got, err := ProveFinality(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := EncodeFinalityProof(f.b3.Hash(), []byte{0xaa}, []types.Header{f.b2, f.b3}); !bytes.Equal(got, want) {
		t.Fatalf("proof %x, want %x", got, want)
	}
	if got, _ := ProveFinality(c, 3); !bytes.Equal(got, EncodeFinalityProof(f.b3.Hash(), []byte{0xaa}, nil)) {
		t.Fatalf("proof of the justified block %x", got)
	}
	if _, err := ProveFinality(c, 4); !errors.Is(err, ErrNoProof) {
		t.Fatalf("unfinalized: %v", err)
	}
	delete(c.justs, f.b3.Hash())
	if _, err := ProveFinality(c, 1); !errors.Is(err, ErrNoProof) {
		t.Fatalf("no justification: %v", err)
	}
}
