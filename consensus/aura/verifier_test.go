package aura

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/types"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const testSlotMs = 1000

// dev returns the well-known sr25519 dev key of name.
func dev(t testing.TB, name string) keystore.KeyPair {
	t.Helper()
	for _, a := range keystore.DevAccounts() {
		if a.Name == name {
			return a.KeyPair
		}
	}
	t.Fatalf("no dev account %s", name)
	return nil
}

// fixture is a verifier over Alice, Bob, Charlie with a clock at slot 100.
type fixture struct {
	alice, bob, charlie, dave keystore.KeyPair
	auths                     [][32]byte
	now                       time.Time
	mu                        sync.Mutex
	reports                   [][]byte
	v                         *Verifier
	genesis                   types.Header
}

func newFixture(t testing.TB, window uint64) *fixture {
	f := &fixture{alice: dev(t, "Alice"), bob: dev(t, "Bob"), charlie: dev(t, "Charlie"), dave: dev(t, "Dave")}
	f.auths = [][32]byte{f.alice.Public(), f.bob.Public(), f.charlie.Public()}
	f.now = time.UnixMilli(100 * testSlotMs)
	f.genesis = types.Header{Number: 0, StateRoot: types.Hash{1}}
	v, err := NewVerifier(VerifierConfig{
		SlotDuration:       testSlotMs * time.Millisecond,
		Authorities:        func(types.Hash) ([][32]byte, error) { return f.auths, nil },
		Now:                func() time.Time { return f.now },
		EquivocationWindow: window,
		Report: func(p []byte) {
			f.mu.Lock()
			f.reports = append(f.reports, p)
			f.mu.Unlock()
		},
		Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.v = v
	return f
}

// header returns an unsealed child of parent with the given digest.
func header(parent *types.Header, digest ...types.DigestItem) types.Header {
	return types.Header{ParentHash: parent.Hash(), Number: parent.Number + 1, StateRoot: types.Hash{2}, ExtrinsicsRoot: types.Hash{3}, Digest: digest}
}

// seal appends kp's aura seal of h.
func seal(h types.Header, kp keystore.KeyPair) types.Header {
	pre := PreHash(&h)
	h.Digest = append(append([]types.DigestItem{}, h.Digest...), SealDigest(kp.Sign(pre[:])))
	return h
}

// sealed returns a child of parent at slot sealed by kp.
func sealed(parent *types.Header, slot uint64, kp keystore.KeyPair) types.Header {
	return seal(header(parent, PreDigest(slot)), kp)
}

func TestVerify(t *testing.T) {
	f := newFixture(t, 0)
	g := &f.genesis
	parent := sealed(g, 90, f.alice) // 90 % 3 == 0: Alice
	other := types.DigestItem{Kind: types.DigestPreRuntime, Engine: [4]byte{'B', 'A', 'B', 'E'}, Data: []byte{9}}
	cases := []struct {
		name   string
		parent *types.Header
		hdr    func() types.Header
		want   error
	}{
		{"valid on genesis", g, func() types.Header { return sealed(g, 99, f.alice) }, nil},
		{"valid on a parent", &parent, func() types.Header { return sealed(&parent, 91, f.bob) }, nil},
		{"next slot is not future", g, func() types.Header { return sealed(g, 101, f.charlie) }, nil},
		{"another engine's pre-digest", g, func() types.Header { return seal(header(g, other, PreDigest(96), other), f.alice) }, nil},
		{"wrong author (another authority)", g, func() types.Header { return sealed(g, 99, f.bob) }, ErrWrongAuthor},
		{"sealed by a non-authority", g, func() types.Header { return sealed(g, 99, f.dave) }, ErrBadSeal},
		{"slot equal to parent's", &parent, func() types.Header { return sealed(&parent, 90, f.alice) }, ErrSlotNotIncreasing},
		{"slot below parent's", &parent, func() types.Header { return sealed(&parent, 87, f.alice) }, ErrSlotNotIncreasing},
		{"slot 0 on genesis", g, func() types.Header { return sealed(g, 0, f.alice) }, ErrSlotNotIncreasing},
		{"future slot", g, func() types.Header { return sealed(g, 102, f.alice) }, ErrFutureBlock},
		{"far future slot", g, func() types.Header { return sealed(g, 1<<63, f.bob) }, ErrFutureBlock},
		{"bad seal (flipped bit)", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			h.Digest[len(h.Digest)-1].Data[10] ^= 1
			return h
		}, ErrBadSeal},
		{"seal over other content", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			h.StateRoot[0] ^= 1
			return h
		}, ErrBadSeal},
		{"short seal", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			h.Digest[len(h.Digest)-1].Data = h.Digest[len(h.Digest)-1].Data[:63]
			return h
		}, ErrBadSeal},
		{"no seal", g, func() types.Header { return header(g, PreDigest(99)) }, ErrNoSeal},
		{"no digest at all", g, func() types.Header { return header(g) }, ErrNoSeal},
		{"seal of another engine", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			h.Digest[len(h.Digest)-1].Engine = types.EngineBabe
			return h
		}, ErrNoSeal},
		{"seal not last", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			h.Digest = append(h.Digest, types.DigestItem{Kind: types.DigestOther, Data: []byte{1}})
			return h
		}, ErrSealNotLast},
		{"two seals", g, func() types.Header {
			h := sealed(g, 99, f.alice)
			return seal(h, f.alice)
		}, ErrSealNotLast},
		{"missing pre-digest", g, func() types.Header { return seal(header(g, other), f.alice) }, ErrNoPreDigest},
		{"duplicate pre-digest", g, func() types.Header { return seal(header(g, PreDigest(99), PreDigest(99)), f.alice) }, ErrMultiplePreDigests},
		{"garbage pre-digest bytes", g, func() types.Header {
			return seal(header(g, types.DigestItem{Kind: types.DigestPreRuntime, Engine: Engine, Data: []byte("garbage!!")}), f.alice)
		}, ErrBadPreDigest},
		{"empty pre-digest", g, func() types.Header {
			return seal(header(g, types.DigestItem{Kind: types.DigestPreRuntime, Engine: Engine}), f.alice)
		}, ErrBadPreDigest},
		{"slot in a consensus item, not pre-runtime", g, func() types.Header {
			d := PreDigest(99)
			d.Kind = types.DigestConsensus
			return seal(header(g, d), f.alice)
		}, ErrNoPreDigest},
		{"parent without a slot", &types.Header{Number: 5}, func() types.Header { return sealed(&types.Header{Number: 5}, 99, f.alice) }, ErrParentSlot},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.hdr()
			before := h.Bytes()
			got, err := f.v.Verify(tc.parent, &h)
			if !bytes.Equal(before, h.Bytes()) {
				t.Fatal("Verify modified its input")
			}
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := h.WithoutSeal()
			if !bytes.Equal(got.Bytes(), want.Bytes()) || len(got.Digest) != len(h.Digest)-1 {
				t.Fatalf("returned header %x, want %x", got.Bytes(), want.Bytes())
			}
		})
	}
	if len(f.reports) != 0 {
		t.Fatalf("%d reports without an equivocation", len(f.reports))
	}
}

func TestVerifyAuthorityErrors(t *testing.T) {
	f := newFixture(t, 0)
	h := sealed(&f.genesis, 99, f.alice)
	f.auths = nil
	if _, err := f.v.Verify(&f.genesis, &h); !errors.Is(err, ErrNoAuthorities) {
		t.Fatalf("empty set: %v", err)
	}
	boom := errors.New("no state")
	v, _ := NewVerifier(VerifierConfig{SlotDuration: time.Second, Now: func() time.Time { return f.now },
		Authorities: func(types.Hash) ([][32]byte, error) { return nil, boom }})
	if _, err := v.Verify(&f.genesis, &h); !errors.Is(err, ErrAuthorities) || !errors.Is(err, boom) {
		t.Fatalf("failing set: %v", err)
	}
	// The set is read at the parent.
	var at types.Hash
	v, _ = NewVerifier(VerifierConfig{SlotDuration: time.Second, Now: func() time.Time { return f.now },
		Authorities: func(h types.Hash) ([][32]byte, error) { at = h; return [][32]byte{f.alice.Public()}, nil }})
	if _, err := v.Verify(&f.genesis, &h); err != nil || at != f.genesis.Hash() {
		t.Fatalf("err %v, set read at %s, want %s", err, at, f.genesis.Hash())
	}
}

func TestVerifySlotDurationFunc(t *testing.T) {
	f := newFixture(t, 0)
	h := sealed(&f.genesis, 99, f.alice)
	var err error
	calls := 0
	v, err2 := NewVerifier(VerifierConfig{Now: func() time.Time { return f.now }, Logger: quiet,
		Authorities:      func(types.Hash) ([][32]byte, error) { return f.auths, nil },
		SlotDurationFunc: func() (time.Duration, error) { calls++; return testSlotMs * time.Millisecond, err }})
	if err2 != nil {
		t.Fatal(err2)
	}
	err = errors.New("chain not open yet")
	if _, e := v.Verify(&f.genesis, &h); !errors.Is(e, ErrSlotDuration) {
		t.Fatalf("err = %v", e)
	}
	err = nil
	for i := 0; i < 2; i++ {
		if _, e := v.Verify(&f.genesis, &h); e != nil {
			t.Fatal(e)
		}
	}
	if calls != 2 {
		t.Fatalf("SlotDurationFunc called %d times, want 2 (once failing, once succeeding)", calls)
	}
	if _, e := NewVerifier(VerifierConfig{Authorities: v.cfg.Authorities}); e == nil {
		t.Fatal("no slot duration accepted")
	}
}

// TestVerifyFutureBecomesValid: a block refused as future is accepted once
// the clock reaches its slot (callers may retry on ErrFutureBlock).
func TestVerifyFutureBecomesValid(t *testing.T) {
	f := newFixture(t, 0)
	h := sealed(&f.genesis, 105, f.alice)
	if _, err := f.v.Verify(&f.genesis, &h); !errors.Is(err, ErrFutureBlock) {
		t.Fatalf("err = %v", err)
	}
	f.now = time.UnixMilli(104*testSlotMs + 1)
	if _, err := f.v.Verify(&f.genesis, &h); err != nil {
		t.Fatal(err)
	}
}

func TestEquivocationReported(t *testing.T) {
	f := newFixture(t, 0)
	g := &f.genesis
	first := sealed(g, 99, f.alice)
	second := header(g, PreDigest(99))
	second.StateRoot = types.Hash{7}
	second = seal(second, f.alice)
	third := header(g, PreDigest(99))
	third.ExtrinsicsRoot = types.Hash{8}
	third = seal(third, f.alice)
	bobs := sealed(g, 100, f.bob)

	for i, h := range []types.Header{first, first, bobs, second, second, third, first} {
		if _, err := f.v.Verify(g, &h); err != nil {
			t.Fatalf("header %d: %v", i, err)
		}
	}
	if len(f.reports) != 1 {
		t.Fatalf("%d reports, want 1", len(f.reports))
	}
	var want []byte
	pub := f.alice.Public()
	want = append(want, pub[:]...)
	want = binary.LittleEndian.AppendUint64(want, 99)
	want = append(want, first.Bytes()...)
	want = append(want, second.Bytes()...)
	if !bytes.Equal(f.reports[0], want) {
		t.Fatalf("proof\n%x\nwant\n%x", f.reports[0], want)
	}
	p, err := DecodeEquivocationProof(f.reports[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.Offender != pub || p.Slot != 99 || p.First.Hash() != first.Hash() || p.Second.Hash() != second.Hash() {
		t.Fatalf("decoded proof %+v", p)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestEquivocationConcurrent: many importers verifying the same twins
// concurrently report once.
func TestEquivocationConcurrent(t *testing.T) {
	f := newFixture(t, 0)
	g := &f.genesis
	first := sealed(g, 99, f.alice)
	second := header(g, PreDigest(99))
	second.StateRoot = types.Hash{7}
	second = seal(second, f.alice)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, h := range []types.Header{first, second, first, second} {
				if _, err := f.v.Verify(g, &h); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if len(f.reports) != 1 {
		t.Fatalf("%d reports, want 1", len(f.reports))
	}
}

// TestEquivocationWindow: headers older than the window are neither kept
// nor compared, and the memory stays bounded.
func TestEquivocationWindow(t *testing.T) {
	f := newFixture(t, 8)
	g := &f.genesis
	old := sealed(g, 3, f.alice)
	if _, err := f.v.Verify(g, &old); err != nil {
		t.Fatal(err)
	}
	for s := uint64(4); s < 100; s++ {
		h := sealed(g, s, []keystore.KeyPair{f.alice, f.bob, f.charlie}[s%3])
		if _, err := f.v.Verify(g, &h); err != nil {
			t.Fatalf("slot %d: %v", s, err)
		}
		if n := len(f.v.seen); n > 8+8/4+2 {
			t.Fatalf("slot %d: %d remembered headers", s, n)
		}
	}
	twin := header(g, PreDigest(3))
	twin.StateRoot = types.Hash{9}
	twin = seal(twin, f.alice)
	if _, err := f.v.Verify(g, &twin); err != nil {
		t.Fatal(err)
	}
	if len(f.reports) != 0 {
		t.Fatal("reported an equivocation outside the window")
	}
	// Inside the window it is still caught.
	recent := header(g, PreDigest(96))
	recent.StateRoot = types.Hash{9}
	recent = seal(recent, f.alice)
	if _, err := f.v.Verify(g, &recent); err != nil {
		t.Fatal(err)
	}
	if len(f.reports) != 1 {
		t.Fatalf("%d reports, want 1", len(f.reports))
	}
}

func TestProofCheckRejects(t *testing.T) {
	f := newFixture(t, 0)
	g := &f.genesis
	a := sealed(g, 99, f.alice)
	b := header(g, PreDigest(99))
	b.StateRoot = types.Hash{5}
	b = seal(b, f.alice)
	other := sealed(g, 96, f.alice)
	byBob := seal(header(g, PreDigest(99)), f.bob)
	good := EquivocationProof{Offender: f.alice.Public(), Slot: 99, First: a, Second: b}
	if err := good.Check(); err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]EquivocationProof{
		"same header":    {Offender: f.alice.Public(), Slot: 99, First: a, Second: a},
		"different slot": {Offender: f.alice.Public(), Slot: 99, First: a, Second: other},
		"other signer":   {Offender: f.alice.Public(), Slot: 99, First: a, Second: byBob},
		"wrong offender": {Offender: f.bob.Public(), Slot: 99, First: a, Second: b},
		"unsealed":       {Offender: f.alice.Public(), Slot: 99, First: a, Second: b.WithoutSeal()},
	} {
		if err := p.Check(); !errors.Is(err, ErrBadProof) {
			t.Errorf("%s: %v", name, err)
		}
	}
	enc := encodeProof(good)
	if _, err := DecodeEquivocationProof(append(enc, 0)); !errors.Is(err, ErrBadProof) {
		t.Fatalf("trailing byte: %v", err)
	}
	if _, err := DecodeEquivocationProof(enc[:len(enc)-1]); !errors.Is(err, ErrBadProof) {
		t.Fatalf("truncated: %v", err)
	}
}

func encodeProof(p EquivocationProof) []byte {
	var b []byte
	b = append(b, p.Offender[:]...)
	b = binary.LittleEndian.AppendUint64(b, p.Slot)
	b = append(b, p.First.Bytes()...)
	return append(b, p.Second.Bytes()...)
}

func TestDigestHelpers(t *testing.T) {
	d := PreDigest(0x0102030405060708)
	want := []byte{6, 'a', 'u', 'r', 'a', 32, 8, 7, 6, 5, 4, 3, 2, 1}
	if got := (types.Header{Digest: []types.DigestItem{d}}).Bytes(); !bytes.Equal(got[len(got)-len(want):], want) {
		t.Fatalf("pre-digest encodes as %x", got)
	}
	if s, err := SlotOf(&types.Header{}); err != nil || s != 0 {
		t.Fatalf("genesis slot %d %v", s, err)
	}
	if _, err := SlotAuthor(1, nil); !errors.Is(err, ErrNoAuthorities) {
		t.Fatal(err)
	}
	if CurrentSlot(time.UnixMilli(-5), time.Second) != 0 || CurrentSlot(time.UnixMilli(6999), time.Second) != 6 {
		t.Fatal("CurrentSlot")
	}
	auths, err := DecodeAuthorities(append([]byte{8}, make([]byte, 64)...))
	if err != nil || len(auths) != 2 {
		t.Fatal(auths, err)
	}
	if _, err := DecodeAuthorities([]byte{8, 1}); !errors.Is(err, ErrBadRuntimeAnswer) {
		t.Fatal(err)
	}
}

func BenchmarkVerify(b *testing.B) {
	f := newFixture(b, 0)
	g := &f.genesis
	hdrs := make([]types.Header, 64)
	for i := range hdrs {
		s := uint64(37 + i)
		hdrs[i] = sealed(g, s, []keystore.KeyPair{f.alice, f.bob, f.charlie}[s%3])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := &hdrs[i%len(hdrs)]
		if _, err := f.v.Verify(g, h); err != nil {
			b.Fatal(err)
		}
	}
}
