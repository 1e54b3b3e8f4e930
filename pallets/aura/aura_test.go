package aura

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

const (
	auraIndex = 25
	slotMs    = 1000
)

var keys = []frametest.Key{frametest.NewKey("//A"), frametest.NewKey("//B"), frametest.NewKey("//C")}

// accounts are the validators behind authority indices.
type accounts []types.AccountID

func (a accounts) ValidatorAt(_ *frame.Context, i uint32) (types.AccountID, bool) {
	if int(i) >= len(a) {
		return types.AccountID{}, false
	}
	return a[i], true
}

// reporter records reports and refuses duplicates, as offences does.
type reporter struct{ seen map[string]uint32 }

func (r *reporter) ReportOffence(_ *frame.Context, kind [16]byte, slot []byte, who []types.AccountID, slash uint32) error {
	k := string(kind[:]) + string(slot) + string(who[0][:])
	if _, ok := r.seen[k]; ok {
		return errors.New("duplicate")
	}
	r.seen[k] = slash
	return nil
}

func (r *reporter) IsKnownOffence(_ frame.Store, kind [16]byte, slot []byte, who types.AccountID) bool {
	_, ok := r.seen[string(kind[:])+string(slot)+string(who[:])]
	return ok
}

type testRuntime struct {
	t   *testing.T
	env *frametest.Env
	p   *Pallet
	rep *reporter
	val accounts
}

func newTestRuntime(t *testing.T) *testRuntime {
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1},
		Limits: frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
			types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)})
	r := &testRuntime{t: t, rep: &reporter{seen: map[string]uint32{}}}
	for i := range keys {
		var a types.AccountID
		a[0] = byte(i + 1)
		r.val = append(r.val, a)
	}
	r.p = New(Config{SlotDuration: slotMs, Validators: r.val, Reporter: r.rep})
	rt.Register(0, system.New())
	rt.Register(1, timestamp.New(timestamp.Config{MinimumPeriod: slotMs / 2, OnSet: r.p}))
	rt.Register(auraIndex, r.p)
	r.env = frametest.New(t, rt).Genesis(`{}`)
	// The test host checks "sr25519" seals as ed25519 signatures: frametest
	// has no schnorrkel (runtime code may not import it); what is signed and
	// by which key is what this tests.
	r.env.Host.Sr25519 = func(sig *[64]byte, msg []byte, pub *[32]byte) bool { return ed25519.Verify(pub[:], msg, sig[:]) }
	var ks [][32]byte
	for _, k := range keys {
		ks = append(ks, [32]byte(k.Account))
	}
	r.p.OnGenesisSession(r.env.Ctx, ks)
	return r
}

func preRuntime(slot uint64) types.DigestItem {
	e := scale.NewEncoder(8)
	e.PutU64(slot)
	return types.DigestItem{Kind: types.DigestPreRuntime, Engine: types.EngineAura, Data: e.Bytes()}
}

func setTime(ms uint64) []byte {
	e := scale.NewEncoder(12)
	e.PutU8(1)
	e.PutU8(timestamp.CallSet)
	e.PutCompact(ms)
	return types.EncodeBareExtrinsic(e.Bytes())
}

// block runs a block at slot (0: no digest) with time ms.
func (r *testRuntime) block(slot, ms uint64) types.Header {
	r.t.Helper()
	if slot > 0 {
		r.env.StartBlock(preRuntime(slot))
	} else {
		r.env.StartBlock()
	}
	if res := r.env.Apply(setTime(ms)); res.Invalid != nil || res.DispatchErr != nil {
		r.t.Fatalf("timestamp: %+v", res)
	}
	return r.env.FinishBlock()
}

func TestSlotAdvancesAndAuthorIndex(t *testing.T) {
	r := newTestRuntime(t)
	r.block(0, 1_000_123) // no digest: nothing checked
	r.block(2000, 2000*slotMs)
	if r.p.CurrentSlot(r.env.Ctx) != 2000 {
		t.Fatal("slot not stored")
	}
	r.env.StartBlock(preRuntime(2002))
	if i, ok := r.p.AuthorIndex(r.env.Ctx); !ok || i != 2002%3 {
		t.Fatalf("author index %d %v", i, ok)
	}
	r.env.Apply(setTime(2002*slotMs + 999))
	r.env.FinishBlock()
}

func TestSlotMustIncrease(t *testing.T) {
	r := newTestRuntime(t)
	r.block(10, 10*slotMs)
	r.env.StartBlock(preRuntime(10))
	if res := r.env.Apply(setTime(10*slotMs + 600)); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("timestamp %+v", res)
	}
	if _, err := r.env.RT.FinalizeBlock(r.env.Ctx); !errors.Is(err, ErrSlotMustIncrease) {
		t.Fatalf("finalize: %v", err)
	}
}

func TestTimestampMustBeInSlot(t *testing.T) {
	r := newTestRuntime(t)
	r.env.StartBlock(preRuntime(10))
	res := r.env.Apply(setTime(11 * slotMs))
	if res.Invalid == nil {
		t.Fatalf("time of slot 11 in slot 10 accepted: %+v", res)
	}
}

func TestNewSessionChangesAuthoritiesWithDigest(t *testing.T) {
	r := newTestRuntime(t)
	r.env.StartBlock(preRuntime(5))
	nk := [][32]byte{[32]byte(keys[2].Account), [32]byte(keys[0].Account)}
	r.p.OnNewSession(r.env.Ctx, 1, false, nk, nk) // unchanged: ignored
	if len(r.p.Authorities(r.env.Ctx)) != 3 {
		t.Fatal("unchanged session replaced the set")
	}
	r.p.OnNewSession(r.env.Ctx, 1, true, nk, nk)
	r.env.Apply(setTime(5 * slotMs))
	h := r.env.FinishBlock()
	if a := r.p.Authorities(r.env.Ctx); len(a) != 2 || a[0] != nk[0] {
		t.Fatalf("authorities %x", a)
	}
	want := scale.NewEncoder(80)
	want.PutU8(1)
	want.PutLen(2)
	want.PutRaw(nk[0][:])
	want.PutRaw(nk[1][:])
	last := h.Digest[len(h.Digest)-1]
	if last.Kind != types.DigestConsensus || last.Engine != types.EngineAura || string(last.Data) != string(want.Bytes()) {
		t.Fatalf("digest %+v", h.Digest)
	}
}

// equivocation builds two headers of slot by key k (second differs by
// its state root), sealed.
func equivocation(k frametest.Key, slot uint64) *EquivocationProof {
	seal := func(h types.Header) types.Header {
		pre := types.Blake2b256(h.Bytes())
		h.Digest = append(h.Digest, types.DigestItem{Kind: types.DigestSeal, Engine: types.EngineAura, Data: ed25519.Sign(k.Priv, pre[:])})
		return h
	}
	return &EquivocationProof{Offender: [32]byte(k.Account), Slot: slot,
		First:  seal(types.Header{Number: 9, Digest: []types.DigestItem{preRuntime(slot)}}),
		Second: seal(types.Header{Number: 9, StateRoot: types.Hash{1}, Digest: []types.DigestItem{preRuntime(slot)}}),
	}
}

func (r *testRuntime) validate(src types.TransactionSource, p *EquivocationProof) types.TransactionValidity {
	return r.env.RT.ValidateTransaction(r.env.Ctx, src, types.EncodeBareExtrinsic(ReportCall(auraIndex, p)), r.env.Last.Hash())
}

func TestEquivocationValidateAndReport(t *testing.T) {
	r := newTestRuntime(t)
	r.block(1, slotMs)
	good := equivocation(keys[1], 7)
	if v := r.validate(types.SourceLocal, good); v.Err != nil || v.Valid.Propagate || v.Valid.Longevity != ReportLongevity {
		t.Fatalf("valid proof: %+v", v)
	}
	mut := func(f func(p *EquivocationProof)) *EquivocationProof {
		p := equivocation(keys[1], 7)
		f(p)
		return p
	}
	outsider := frametest.NewKey("//Outsider")
	for name, p := range map[string]*EquivocationProof{
		"same header":    mut(func(p *EquivocationProof) { p.Second = p.First }),
		"other slot":     mut(func(p *EquivocationProof) { p.Slot = 8 }),
		"bad seal":       mut(func(p *EquivocationProof) { p.Second.Digest[1].Data[5] ^= 1 }),
		"no seal":        mut(func(p *EquivocationProof) { p.First.Digest = p.First.Digest[:1] }),
		"other signer":   mut(func(p *EquivocationProof) { p.Offender = [32]byte(keys[0].Account) }),
		"not authority":  equivocation(outsider, 7),
		"not slot owner": equivocation(keys[0], 7), // slot 7 of 3 authorities is keys[1]'s
	} {
		if v := r.validate(types.SourceLocal, p); v.Err == nil || v.Err.Kind != types.InvalidBadProof {
			t.Errorf("%s: %+v", name, v.Err)
		}
	}
	if v := r.validate(types.SourceExternal, good); v.Err == nil {
		t.Fatal("external report accepted")
	}
	// In a block: reported once with Substrate's slash for 1 of 3.
	r.env.StartBlock(preRuntime(2))
	r.env.Apply(setTime(2 * slotMs))
	if res := r.env.Apply(types.EncodeBareExtrinsic(ReportCall(auraIndex, good))); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("report: %+v", res)
	}
	r.env.FinishBlock()
	if len(r.rep.seen) != 1 {
		t.Fatalf("reports %v", r.rep.seen)
	}
	for _, slash := range r.rep.seen {
		if slash != 1_000_000_000 {
			t.Fatalf("slash %d", slash)
		}
	}
	if v := r.validate(types.SourceLocal, good); v.Err == nil || v.Err.Kind != types.InvalidStale {
		t.Fatalf("known offence: %+v", v.Err)
	}
}

func TestSlashFraction(t *testing.T) {
	for _, c := range []struct {
		k, n int
		want uint32
	}{{1, 4, 562_500_000}, {1, 3, 1_000_000_000}, {1, 100, 900_000}, {0, 4, 0}, {1, 0, 0}} {
		if got := SlashFraction(c.k, c.n); got != c.want {
			t.Errorf("SlashFraction(%d, %d) = %d, want %d", c.k, c.n, got, c.want)
		}
	}
}

func FuzzDecodeEquivocationProof(f *testing.F) {
	f.Add(scale.Encode(equivocation(keys[0], 3)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeEquivocationProof(b)
		if err == nil && string(scale.Encode(&p)) != string(b) {
			t.Fatal("round trip")
		}
	})
}
