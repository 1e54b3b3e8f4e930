package grandpa

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

const grandpaIndex = 24

var voters = []frametest.Key{frametest.NewKey("//V0"), frametest.NewKey("//V1"), frametest.NewKey("//V2"), frametest.NewKey("//V3")}

type accounts []types.AccountID

func (a accounts) ValidatorAt(_ *frame.Context, i uint32) (types.AccountID, bool) {
	if int(i) >= len(a) {
		return types.AccountID{}, false
	}
	return a[i], true
}

type reporter struct{ seen map[string]bool }

func (r *reporter) ReportOffence(_ *frame.Context, kind [16]byte, slot []byte, who []types.AccountID, _ uint32) error {
	k := string(kind[:]) + string(slot) + string(who[0][:])
	if r.seen[k] {
		return errors.New("duplicate")
	}
	r.seen[k] = true
	return nil
}

func (r *reporter) IsKnownOffence(_ frame.Store, kind [16]byte, slot []byte, who types.AccountID) bool {
	return r.seen[string(kind[:])+string(slot)+string(who[:])]
}

type testRuntime struct {
	t   *testing.T
	env *frametest.Env
	p   *Pallet
	rep *reporter
}

func keysOf(ks []frametest.Key) [][32]byte {
	out := make([][32]byte, len(ks))
	for i, k := range ks {
		out[i] = [32]byte(k.Account)
	}
	return out
}

func newTestRuntime(t *testing.T) *testRuntime {
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1},
		Limits: frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
			types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)})
	var val accounts
	for i := range voters {
		var a types.AccountID
		a[0] = byte(i + 1)
		val = append(val, a)
	}
	r := &testRuntime{t: t, rep: &reporter{seen: map[string]bool{}}}
	r.p = New(Config{Validators: val, Reporter: r.rep})
	rt.Register(0, system.New())
	rt.Register(grandpaIndex, r.p)
	r.env = frametest.New(t, rt).Genesis(`{}`)
	r.p.OnGenesisSession(r.env.Ctx, keysOf(voters))
	return r
}

func TestSetChangeInTheSessionBlock(t *testing.T) {
	r := newTestRuntime(t)
	r.env.StartBlock()
	r.p.OnNewSession(r.env.Ctx, 1, false, keysOf(voters), nil)
	if h := r.env.FinishBlock(); len(h.Digest) != 0 || r.p.CurrentSetID(r.env.Ctx) != 0 {
		t.Fatalf("unchanged session: digest %v", h.Digest)
	}
	if s, ok := r.p.SessionOfSet(r.env.Ctx, 0); !ok || s != 1 {
		t.Fatalf("SetIdSession(0) = %d %v", s, ok)
	}
	next := keysOf(voters[1:])
	r.env.StartBlock()
	r.p.OnNewSession(r.env.Ctx, 2, true, next, nil)
	r.env.RequireLastEvent(t, PalletName, EventNewAuthorities{AuthoritySet: weighted(next)})
	h := r.env.FinishBlock()
	ctx := r.env.Ctx
	if r.p.CurrentSetID(ctx) != 1 || len(r.p.Authorities(ctx)) != 3 || r.p.Authorities(ctx)[0].ID != next[0] {
		t.Fatalf("set %d %v", r.p.CurrentSetID(ctx), r.p.Authorities(ctx))
	}
	if s, _ := r.p.SessionOfSet(ctx, 1); s != 2 {
		t.Fatalf("SetIdSession(1) = %d", s)
	}
	want := scale.NewEncoder(200)
	want.PutU8(LogScheduledChange)
	want.PutLen(3)
	for _, k := range next {
		want.PutRaw(k[:])
		want.PutU64(1)
	}
	want.PutU32(0)
	if len(h.Digest) != 1 || h.Digest[0].Kind != types.DigestConsensus || h.Digest[0].Engine != types.EngineGrandpa ||
		string(h.Digest[0].Data) != string(want.Bytes()) {
		t.Fatalf("digest %+v", h.Digest)
	}
}

func signedProof(k frametest.Key, setID, round uint64, kind uint8, a, b Vote) *EquivocationProof {
	p := &EquivocationProof{SetID: setID, Kind: kind, Round: round, Identity: [32]byte(k.Account)}
	p.First.Vote, p.Second.Vote = a, b
	copy(p.First.Signature[:], ed25519.Sign(k.Priv, SignedPayload(kind, a, round, setID)))
	copy(p.Second.Signature[:], ed25519.Sign(k.Priv, SignedPayload(kind, b, round, setID)))
	return p
}

func (r *testRuntime) validate(src types.TransactionSource, p *EquivocationProof) types.TransactionValidity {
	return r.env.RT.ValidateTransaction(r.env.Ctx, src, types.EncodeBareExtrinsic(ReportCall(grandpaIndex, p)), r.env.Last.Hash())
}

func TestEquivocationValidateAndReport(t *testing.T) {
	r := newTestRuntime(t)
	r.env.StartBlock()
	r.env.FinishBlock()
	va, vb := Vote{TargetHash: types.Hash{1}, TargetNumber: 5}, Vote{TargetHash: types.Hash{2}, TargetNumber: 5}
	good := signedProof(voters[2], 0, 4, Prevote, va, vb)
	if v := r.validate(types.SourceLocal, good); v.Err != nil || v.Valid.Priority != ^uint64(0) {
		t.Fatalf("valid: %+v", v)
	}
	kindSwap := signedProof(voters[2], 0, 4, Prevote, va, vb)
	kindSwap.Kind = Precommit // signatures were over prevotes
	for name, p := range map[string]*EquivocationProof{
		"same vote":   signedProof(voters[2], 0, 4, Prevote, va, va),
		"future set":  signedProof(voters[2], 1, 4, Prevote, va, vb),
		"not a voter": signedProof(frametest.NewKey("//Outsider"), 0, 4, Prevote, va, vb),
		"wrong kind":  kindSwap,
		"other identity": func() *EquivocationProof {
			p := signedProof(voters[2], 0, 4, Prevote, va, vb)
			p.Identity = [32]byte(voters[1].Account)
			return p
		}(),
	} {
		if v := r.validate(types.SourceLocal, p); v.Err == nil || v.Err.Kind != types.InvalidBadProof {
			t.Errorf("%s: %+v", name, v.Err)
		}
	}
	if v := r.validate(types.SourceExternal, good); v.Err == nil {
		t.Fatal("external accepted")
	}
	r.env.StartBlock()
	if res := r.env.Apply(types.EncodeBareExtrinsic(ReportCall(grandpaIndex, good))); res.Invalid != nil || res.DispatchErr != nil {
		t.Fatalf("report: %+v", res)
	}
	r.env.FinishBlock()
	if len(r.rep.seen) != 1 {
		t.Fatalf("reports %v", r.rep.seen)
	}
	if v := r.validate(types.SourceLocal, good); v.Err == nil || v.Err.Kind != types.InvalidStale {
		t.Fatalf("duplicate: %+v", v.Err)
	}
}

func FuzzDecodeEquivocationProof(f *testing.F) {
	f.Add(scale.Encode(signedProof(voters[0], 1, 2, Precommit, Vote{}, Vote{TargetNumber: 1})))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeEquivocationProof(b)
		if err == nil && string(scale.Encode(&p)) != string(b) {
			t.Fatal("round trip")
		}
	})
}
