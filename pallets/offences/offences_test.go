package offences

import (
	"errors"
	"slices"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

type call struct {
	offenders []types.AccountID
	fraction  uint32
}

// recorder is a handler that remembers what it was given.
type recorder struct{ calls []call }

func (r *recorder) OnOffence(_ *frame.Context, offenders []types.AccountID, f uint32) {
	r.calls = append(r.calls, call{slices.Clone(offenders), f})
}

func newEnv(t *testing.T) (*frametest.Env, *Pallet, *recorder) {
	rec := &recorder{}
	p := New(Config{Handler: rec})
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "t", SpecVersion: 1},
		Limits: frame.DefaultLimits(types.Weight{RefTime: 1 << 40, ProofSize: 1 << 20}, types.Weight{}, types.Weight{}, 1<<20, 75)})
	rt.Register(0, system.New())
	rt.Register(8, p)
	env := frametest.New(t, rt).Genesis(`{}`)
	env.StartBlock()
	return env, p, rec
}

var kind = [16]byte{'g', 'r', 'a', 'n', 'd', 'p', 'a', ':', 'e', 'q', 'u', 'i', 'v', 'o', 'c', 'a'}

func TestReportDedup(t *testing.T) {
	env, p, rec := newEnv(t)
	a, b := types.AccountID{1}, types.AccountID{2}
	slot := []byte{7, 0, 0, 0, 0, 0, 0, 0}
	if err := p.ReportOffence(env.Ctx, kind, slot, []types.AccountID{a, a}, 5); err != nil {
		t.Fatal(err)
	}
	env.RequireLastEvent(t, PalletName, EventOffence{Kind: kind, TimeSlot: slot})
	if len(rec.calls) != 1 || !slices.Equal(rec.calls[0].offenders, []types.AccountID{a}) || rec.calls[0].fraction != 5 {
		t.Fatalf("handler got %+v", rec.calls)
	}
	err := env.RequireNoop(t, func() error { return p.ReportOffence(env.Ctx, kind, slot, []types.AccountID{a}, 9) })
	if !errors.Is(err, ErrDuplicateReport) || len(rec.calls) != 1 {
		t.Fatalf("duplicate: %v, %d calls", err, len(rec.calls))
	}
	// Another slot or kind is another offence; a known offender next to a
	// new one: only the new one is reported.
	if err := p.ReportOffence(env.Ctx, kind, []byte{8}, []types.AccountID{a}, 5); err != nil {
		t.Fatal(err)
	}
	if err := p.ReportOffence(env.Ctx, [16]byte{'x'}, slot, []types.AccountID{a}, 5); err != nil {
		t.Fatal(err)
	}
	if err := p.ReportOffence(env.Ctx, kind, slot, []types.AccountID{a, b}, 5); err != nil {
		t.Fatal(err)
	}
	if last := rec.calls[len(rec.calls)-1]; !slices.Equal(last.offenders, []types.AccountID{b}) {
		t.Fatalf("last report %+v", last)
	}
	ids := p.s.concurrent.Get(env.Ctx, kind, slot)
	if !slices.Equal(ids, []types.Hash{ReportID(env.Ctx, kind, slot, a), ReportID(env.Ctx, kind, slot, b)}) {
		t.Fatalf("index %v", ids)
	}
	if !p.IsKnownOffence(env.Ctx, kind, slot, b) || p.IsKnownOffence(env.Ctx, kind, []byte{9}, b) {
		t.Fatal("IsKnownOffence")
	}
	for _, bad := range []func() error{
		func() error { return p.ReportOffence(env.Ctx, kind, slot, nil, 1) },
		func() error { return p.ReportOffence(env.Ctx, kind, slot, []types.AccountID{{3}}, Billion+1) },
		func() error {
			return p.ReportOffence(env.Ctx, kind, make([]byte, MaxTimeSlot+1), []types.AccountID{{3}}, 1)
		},
		func() error { return p.ReportOffence(env.Ctx, kind, slot, make([]types.AccountID, MaxOffenders+1), 1) },
	} {
		if err := env.RequireNoop(t, bad); !errors.Is(err, ErrBadReport) {
			t.Fatalf("bad report: %v", err)
		}
	}
}

// TestReportIDIsSubstrates: blake2_256(kind ++ Vec<u8> slot ++ offender).
func TestReportIDIsSubstrates(t *testing.T) {
	env, _, _ := newEnv(t)
	e := scale.NewEncoder(64)
	e.PutRaw(kind[:])
	e.PutBytes([]byte{1, 2})
	e.PutRaw(make([]byte, 32))
	if ReportID(env.Ctx, kind, []byte{1, 2}, types.AccountID{}) != types.Hash(env.Ctx.Blake2_256(e.Bytes())) {
		t.Fatal("report id")
	}
}

func TestMetadata(t *testing.T) {
	p := New(Config{})
	built := metadata.Build(metadata.RuntimeInfo{Crate: "t"}, []metadata.IndexedDescriber{{Index: 0, Pallet: system.New()}, {Index: 8, Pallet: p}})
	for _, raw := range [][]byte{built.V14(), built.V15()} {
		m, err := metadata.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		pm := m.Pallet(PalletName)
		if pm == nil || pm.Event == nil || pm.Calls != nil || len(pm.Storage) != 2 {
			t.Fatalf("pallet %+v", pm)
		}
		e := scale.NewEncoder(64)
		EventOffence{Kind: kind, TimeSlot: []byte{1, 2, 3}}.EncodeTo(e)
		d := scale.NewDecoder(e.Bytes())
		m.Skip(*pm.Event, d)
		if d.Finish() != nil {
			t.Fatal("event does not match metadata")
		}
		v := frame.CodecOf[OffenceDetails]().Bytes(OffenceDetails{Offender: types.AccountID{1}, Reporters: []types.AccountID{{2}}})
		d = scale.NewDecoder(v)
		m.Skip(pm.Storage[0].Value, d)
		if d.Finish() != nil {
			t.Fatal("Reports value does not match metadata")
		}
	}
}

// FuzzOffenceDetails decodes arbitrary stored reports: no panic, exact
// round trip.
func FuzzOffenceDetails(f *testing.F) {
	f.Add(make([]byte, 33))
	c := frame.CodecOf[OffenceDetails]()
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := c.Parse(b); err == nil && string(c.Bytes(v)) != string(b) {
			t.Fatalf("round trip %x", b)
		}
	})
}
