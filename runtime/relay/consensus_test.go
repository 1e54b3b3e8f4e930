package relay

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/aura"
	"github.com/metamars/mars/pallets/grandpa"
	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// testChain drives the relay runtime natively over frametest's host.
type testChain struct {
	t   *testing.T
	env *frametest.Env
	rt  *Runtime
	now uint64 // last timestamp of a block without Aura digest
}

func newChain(t *testing.T, cfg []byte) *testChain {
	t.Helper()
	rt := Default()
	return &testChain{t: t, env: frametest.New(t, rt.Runtime).Genesis(string(cfg)), rt: rt, now: 1_700_000_000_000}
}

func preRuntime(slot uint64) types.DigestItem {
	e := scale.NewEncoder(8)
	e.PutU64(slot)
	return types.DigestItem{Kind: types.DigestPreRuntime, Engine: types.EngineAura, Data: e.Bytes()}
}

func timestampXt(ms uint64) []byte {
	e := scale.NewEncoder(12)
	e.PutU8(IndexTimestamp)
	e.PutU8(0)
	e.PutCompact(ms)
	return types.EncodeBareExtrinsic(e.Bytes())
}

// start opens the next block: with slot > 0 an Aura block at that slot
// (timestamp slot * SlotDuration), else a dev-style block without digest.
func (c *testChain) start(slot uint64) uint64 {
	c.t.Helper()
	if slot == 0 {
		c.env.StartBlock()
		c.now += SlotDuration
		return c.now
	}
	c.env.StartBlock(preRuntime(slot))
	return slot * SlotDuration
}

func (c *testChain) block(slot uint64) types.Header {
	c.t.Helper()
	ts := c.start(slot)
	if res := c.env.Apply(timestampXt(ts)); res.Invalid != nil || res.DispatchErr != nil {
		c.t.Fatalf("block %d: timestamp: %+v", c.env.Last.Number+1, res)
	}
	return c.env.FinishBlock()
}

func entry(t *testing.T, h *frametest.Host, name string, in []byte) []byte {
	t.Helper()
	out, err := Dispatch(h, name, in)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// TestDevChainWithoutDigests: the development preset (Alice alone) runs
// blocks without Aura digests, as the manual dev author builds them,
// through several sessions and an era.
func TestDevChainWithoutDigests(t *testing.T) {
	cfg, _ := Preset(PresetDevelopment)
	c := newChain(t, cfg)
	for i := 0; i < 65; i++ {
		c.block(0)
	}
	ctx := c.env.Ctx
	if got := c.rt.Session.CurrentIndex(ctx); got != 6 {
		t.Fatalf("session %d after 65 blocks of period 10", got)
	}
	if vs := c.rt.Session.Validators(ctx); len(vs) != 1 || vs[0] != DevAccounts[0] {
		t.Fatalf("validators %v", vs)
	}
	if a := c.rt.Aura.Authorities(ctx); len(a) != 1 || a[0] != DevAccounts[0] {
		t.Fatalf("aura %x", a)
	}
	if _, ok := c.rt.Authorship.Author(ctx); ok {
		t.Fatal("an author without digest")
	}
}

// TestLocalChainAuthorsAndSetChanges: the local preset with short
// sessions and one-session eras: Aura blocks by slot, the author found,
// and a GRANDPA set change (FRNK digest, set id + 1) at each new era.
func TestLocalChainAuthorsAndSetChanges(t *testing.T) {
	vals := []GenesisValidator{DevValidator(0), DevValidator(1), DevValidator(2), DevValidator(3)}
	cfg, err := ValidatorsGenesisConfig(vals, DevAccounts, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(t, cfg)
	h := c.env.Host
	// Staking orders the elected set; Aura's list follows session's.
	ctx := c.env.Ctx
	order := c.rt.Session.Validators(ctx)
	byStash := map[types.AccountID]GenesisValidator{}
	for _, v := range vals {
		byStash[v.Stash] = v
	}
	want := scale.NewEncoder(200)
	want.PutLen(len(order))
	for _, who := range order {
		k := byStash[who].Aura
		want.PutRaw(k[:])
	}
	if out := entry(t, h, "AuraApi_authorities", nil); len(order) != 4 || !bytes.Equal(out, want.Bytes()) {
		t.Fatalf("AuraApi_authorities %x, validators %v", out, order)
	}
	if out := entry(t, h, "AuraApi_slot_duration", nil); !bytes.Equal(out, scale.Encode(u64(1000))) {
		t.Fatalf("slot duration %x", out)
	}
	if out := entry(t, h, "GrandpaApi_current_set_id", nil); !bytes.Equal(out, make([]byte, 8)) {
		t.Fatalf("set id %x", out)
	}
	setChanges := 0
	for n := uint64(1); n <= 12; n++ {
		slot := 100 + n
		ts := c.start(slot)
		// The author is found before the block's rotation, from the parent's set.
		if a, ok := c.rt.Authorship.Author(c.env.Ctx); !ok || a != order[slot%4] {
			t.Fatalf("block %d: author %v %v", n, a, ok)
		}
		if res := c.env.Apply(timestampXt(ts)); res.Invalid != nil || res.DispatchErr != nil {
			t.Fatalf("timestamp %+v", res)
		}
		hdr := c.env.FinishBlock()
		for _, d := range hdr.Digest {
			if d.Kind == types.DigestConsensus && d.Engine == types.EngineGrandpa {
				setChanges++
				if n%3 != 0 || d.Data[0] != grandpa.LogScheduledChange {
					t.Fatalf("block %d: FRNK %x", n, d.Data)
				}
				var dec []grandpa.Authority
				dd := scale.NewDecoder(d.Data[1:])
				dec = scale.DecodeVec(dd, 40, func(d *scale.Decoder) grandpa.Authority {
					var a grandpa.Authority
					a.DecodeFrom(d)
					return a
				})
				if delay := dd.U32(); dd.Finish() != nil || delay != 0 || len(dec) != 4 {
					t.Fatalf("change %+v delay %d", dec, delay)
				}
			}
		}
	}
	if setChanges == 0 {
		t.Fatal("no GRANDPA set change in 4 eras")
	}
	if id := c.rt.Grandpa.CurrentSetID(ctx); id != uint64(setChanges) {
		t.Fatalf("set id %d after %d changes", id, setChanges)
	}
	if c.rt.Aura.CurrentSlot(ctx) != 112 {
		t.Fatalf("slot %d", c.rt.Aura.CurrentSlot(ctx))
	}
	out := entry(t, h, "GrandpaApi_grandpa_authorities", nil)
	if len(out) != 1+4*40 || out[0] != 4<<2 {
		t.Fatalf("grandpa authorities %x", out)
	}
}

type u64 uint64

func (v u64) EncodeTo(e *scale.Encoder) { e.PutU64(uint64(v)) }

func TestAuraRejectsOldSlotAndWrongTime(t *testing.T) {
	cfg, _ := Preset(PresetLocal)
	c := newChain(t, cfg)
	c.block(50)
	// Same slot again (a time later in it): the block fails in on_finalize.
	c.env.StartBlock(preRuntime(50))
	if res := c.env.Apply(timestampXt(50*SlotDuration + 600)); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("timestamp: %+v", res)
	}
	if _, err := c.rt.FinalizeBlock(c.env.Ctx); !errors.Is(err, aura.ErrSlotMustIncrease) {
		t.Fatalf("finalize: %v", err)
	}
	// A timestamp outside the slot makes the inherent fail.
	c2 := newChain(t, cfg)
	c2.env.StartBlock(preRuntime(60))
	if res := c2.env.Apply(timestampXt(61 * SlotDuration)); res.Invalid == nil {
		t.Fatalf("timestamp of slot 61 in slot 60 accepted: %+v", res)
	}
}

func TestSessionKeysAPI(t *testing.T) {
	h := frametest.NewHost()
	keys := session.Keys{Aura: DevAccounts[0], Grandpa: devGrandpa[0]}
	raw := scale.Encode(keys)
	in := scale.NewEncoder(80)
	in.PutBytes(raw)
	out := entry(t, h, "SessionKeys_decode_session_keys", in.Bytes())
	want := scale.NewEncoder(80)
	want.PutOption(true)
	want.PutLen(2)
	want.PutBytes(keys.Aura[:])
	want.PutRaw([]byte("aura"))
	want.PutBytes(keys.Grandpa[:])
	want.PutRaw([]byte("gran"))
	if !bytes.Equal(out, want.Bytes()) {
		t.Fatalf("decode %x", out)
	}
	bad := scale.NewEncoder(8)
	bad.PutBytes(raw[:63])
	if out := entry(t, h, "SessionKeys_decode_session_keys", bad.Bytes()); !bytes.Equal(out, []byte{0}) {
		t.Fatalf("63 bytes decoded: %x", out)
	}
	h.KeyStore = map[string][32]byte{"sr25519/aura///Alice": keys.Aura, "ed25519/gran///Alice": keys.Grandpa}
	seed := scale.NewEncoder(16)
	seed.PutOption(true)
	seed.PutBytes([]byte("//Alice"))
	out = entry(t, h, "SessionKeys_generate_session_keys", seed.Bytes())
	wantGen := scale.NewEncoder(70)
	wantGen.PutBytes(raw)
	if want := wantGen.Bytes(); !bytes.Equal(out, want) {
		t.Fatalf("generate %x", out)
	}
}

// TestGrandpaEquivocationReport: a real double vote by a voter of the set
// gives an extrinsic the pool accepts (locally) and a block applies,
// reporting the offence once; a forged or non-equivocating proof gives None.
func TestGrandpaEquivocationReport(t *testing.T) {
	voter := frametest.NewKey("//Voter")
	vals := []GenesisValidator{DevValidator(0), DevValidator(1), DevValidator(2), DevValidator(3)}
	vals[2].Grandpa = [32]byte(voter.Account)
	cfg, err := ValidatorsGenesisConfig(vals, DevAccounts, 10, 6)
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(t, cfg)
	c.block(7)
	proof := grandpa.EquivocationProof{SetID: 0, Kind: grandpa.Precommit, Round: 3, Identity: [32]byte(voter.Account)}
	proof.First.Vote = grandpa.Vote{TargetHash: types.Hash{1}, TargetNumber: 1}
	proof.Second.Vote = grandpa.Vote{TargetHash: types.Hash{2}, TargetNumber: 1}
	sign := func(v *grandpa.SignedVote) {
		copy(v.Signature[:], ed25519.Sign(voter.Priv, grandpa.SignedPayload(proof.Kind, v.Vote, proof.Round, proof.SetID)))
	}
	sign(&proof.First)
	sign(&proof.Second)
	h := c.env.Host
	out := entry(t, h, "GrandpaEquivocationApi_report_extrinsic", scale.Encode(&proof))
	d := scale.NewDecoder(out)
	if !d.Option() {
		t.Fatal("valid proof: None")
	}
	xt := d.Bytes()
	if d.Finish() != nil {
		t.Fatal("trailing output")
	}
	validate := func(src types.TransactionSource) types.TransactionValidity {
		return c.rt.ValidateTransaction(c.env.Ctx, src, xt, c.env.Last.Hash())
	}
	if v := validate(types.SourceLocal); v.Err != nil || v.Valid.Priority != ^uint64(0) || len(v.Valid.Provides) != 1 {
		t.Fatalf("local: %+v", v)
	}
	if v := validate(types.SourceExternal); v.Err == nil {
		t.Fatal("external report accepted")
	}
	c.start(8)
	if res := c.env.Apply(timestampXt(8 * SlotDuration)); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("timestamp %+v", res)
	}
	if res := c.env.Apply(xt); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("report %+v", res)
	}
	c.env.FinishBlock()
	if !c.rt.Offences.IsKnownOffence(c.env.Ctx, grandpa.OffenceKind, append(scale.Encode(u64(0)), scale.Encode(u64(3))...), DevAccounts[2]) {
		t.Fatal("offence not recorded against Charlie")
	}
	if v := validate(types.SourceLocal); v.Err == nil {
		t.Fatal("known offence accepted again")
	}
	// Not an equivocation (same vote), or a bad signature: None.
	same := proof
	same.Second = same.First
	forged := proof
	forged.Second.Signature[0] ^= 1
	for _, p := range []grandpa.EquivocationProof{same, forged} {
		if out := entry(t, h, "GrandpaEquivocationApi_report_extrinsic", scale.Encode(&p)); !bytes.Equal(out, []byte{0}) {
			t.Fatalf("bad proof: %x", out)
		}
	}
}

func TestValidatorsGenesisConfigRejects(t *testing.T) {
	v := DevValidator(0)
	dup := DevValidator(1)
	dup.Grandpa = v.Grandpa
	big := DevValidator(1)
	big.Bond = msca(DevEndowmentMSCA)
	for name, vals := range map[string][]GenesisValidator{
		"none": nil, "reused key": {v, dup}, "bond too big": {v, big}, "stash twice": {v, v},
	} {
		if _, err := ValidatorsGenesisConfig(vals, DevAccounts, 10, 6); !errors.Is(err, ErrValidators) {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, err := ValidatorsGenesisConfig([]GenesisValidator{v}, nil, 10, 6)
	if err != nil || !json.Valid(b) {
		t.Fatal(err)
	}
	newChain(t, b).block(0) // a chain with only the validator endowed
}

// TestAuraEquivocationReport: two headers of one slot sealed by one
// authority give an extrinsic a block applies; the offence is recorded.
// frametest cannot verify sr25519 (runtime code may not import schnorrkel):
// the test's host verifies "sr25519" seals as ed25519 signatures, which
// checks what the pallet signs and with which key; the curve itself is
// host/executor's (tested there and end to end).
func TestAuraEquivocationReport(t *testing.T) {
	author := frametest.NewKey("//AuraAuthor")
	vals := []GenesisValidator{DevValidator(0), DevValidator(1)}
	vals[1].Aura = [32]byte(author.Account)
	cfg, err := ValidatorsGenesisConfig(vals, DevAccounts, 10, 6)
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(t, cfg)
	c.env.Host.Sr25519 = func(sig *[64]byte, msg []byte, pub *[32]byte) bool {
		return ed25519.Verify(pub[:], msg, sig[:])
	}
	c.block(5)
	sealed := func(h types.Header) types.Header {
		pre := types.Blake2b256(h.Bytes())
		h.Digest = append(h.Digest, types.DigestItem{Kind: types.DigestSeal, Engine: types.EngineAura, Data: ed25519.Sign(author.Priv, pre[:])})
		return h
	}
	first := sealed(types.Header{ParentHash: c.env.Last.Hash(), Number: 2, Digest: []types.DigestItem{preRuntime(8)}})
	second := sealed(types.Header{ParentHash: c.env.Last.Hash(), Number: 2, StateRoot: types.Hash{7}, Digest: []types.DigestItem{preRuntime(8)}})
	// Slot 8 of 2 authorities is index 0's: Bob, whose account sorts first.
	proof := aura.EquivocationProof{Offender: [32]byte(author.Account), Slot: 8, First: first, Second: second}
	h := c.env.Host
	out := entry(t, h, "AuraEquivocationApi_report_extrinsic", scale.Encode(&proof))
	d := scale.NewDecoder(out)
	if !d.Option() {
		t.Fatal("valid proof: None")
	}
	xt := d.Bytes()
	c.start(10)
	if res := c.env.Apply(timestampXt(10 * SlotDuration)); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("timestamp %+v", res)
	}
	if res := c.env.Apply(xt); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("report %+v", res)
	}
	c.env.FinishBlock()
	if !c.rt.Offences.IsKnownOffence(c.env.Ctx, aura.OffenceKind, scale.Encode(u64(8)), DevAccounts[1]) {
		t.Fatal("offence not recorded against Bob")
	}
	// Another slot in the proof, one header twice, a seal by someone else: None.
	wrongSlot, same, other := proof, proof, proof
	wrongSlot.Slot = 6
	same.Second = same.First
	other.Offender = DevAccounts[0]
	for _, p := range []aura.EquivocationProof{wrongSlot, same, other} {
		if out := entry(t, h, "AuraEquivocationApi_report_extrinsic", scale.Encode(&p)); !bytes.Equal(out, []byte{0}) {
			t.Fatalf("bad proof: %x", out)
		}
	}
}

func TestDevValidatorKeysDistinct(t *testing.T) {
	seen := map[[32]byte]bool{}
	for i := range DevAccounts {
		v := DevValidator(i)
		if v.Stash != DevAccounts[i] || seen[v.Grandpa] || v.Grandpa == ([32]byte{}) {
			t.Fatalf("dev validator %d: %+v", i, v)
		}
		seen[v.Grandpa] = true
	}
}
