package session

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

const sessionIndex = 23

var (
	alice   = frametest.NewKey("//Alice").Account
	bob     = frametest.NewKey("//Bob").Account
	charlie = frametest.NewKey("//Charlie").Account
	dave    = frametest.NewKey("//Dave").Account
)

// keysOf derives distinct test keys for an account.
func keysOf(who types.AccountID) Keys {
	k := Keys{Aura: who, Grandpa: who}
	k.Aura[0] ^= 0xaa
	k.Grandpa[0] ^= 0x55
	return k
}

// fakeManager plans sets from a script and records the calls it gets.
type fakeManager struct {
	plan  map[uint32][]types.AccountID
	calls []string
}

func (m *fakeManager) NewSession(_ *frame.Context, i uint32) ([]types.AccountID, bool) {
	m.calls = append(m.calls, "new "+itoa(i))
	vs, ok := m.plan[i]
	return vs, ok
}
func (m *fakeManager) EndSession(_ *frame.Context, i uint32) {
	m.calls = append(m.calls, "end "+itoa(i))
}
func (m *fakeManager) StartSession(_ *frame.Context, i uint32) {
	m.calls = append(m.calls, "start "+itoa(i))
}

func itoa(i uint32) string { return string(rune('0' + i)) }

// fakeHandler records what session tells it.
type fakeHandler struct {
	genesis [][32]byte
	last    [][32]byte
	index   uint32
	changed bool
	count   int
}

func (h *fakeHandler) OnGenesisSession(_ *frame.Context, keys [][32]byte) { h.genesis = keys }
func (h *fakeHandler) OnNewSession(_ *frame.Context, i uint32, changed bool, keys, _ [][32]byte) {
	h.index, h.changed, h.last = i, changed, keys
	h.count++
}

type testRuntime struct {
	t       *testing.T
	env     *frametest.Env
	sys     *system.Pallet
	p       *Pallet
	m       *fakeManager
	aura    *fakeHandler
	grandpa *fakeHandler
	genesis GenesisConfig
	funded  []types.AccountID
}

func newTestRuntime(t *testing.T) *testRuntime {
	return &testRuntime{t: t, m: &fakeManager{plan: map[uint32][]types.AccountID{}}, aura: &fakeHandler{}, grandpa: &fakeHandler{}}
}

// Validator registers who's keys at genesis.
func (r *testRuntime) Validator(who types.AccountID) *testRuntime {
	r.genesis.Keys = append(r.genesis.Keys, GenesisKeys{Account: who, Validator: who, Keys: keysOf(who)})
	return r
}

// Period sets the session length.
func (r *testRuntime) Period(n uint32) *testRuntime { r.genesis.Period = n; return r }

// Plan makes the manager answer NewSession(i) with vs.
func (r *testRuntime) Plan(i uint32, vs ...types.AccountID) *testRuntime { r.m.plan[i] = vs; return r }

// Funded gives who a provider reference (an existing account) at genesis.
func (r *testRuntime) Funded(who types.AccountID) *testRuntime {
	r.funded = append(r.funded, who)
	return r
}

type provider struct{ sys *system.Pallet }

func (provider) Name() string           { return "Provider" }
func (provider) Calls() []frame.CallDef { return nil }
func (p provider) BuildGenesis(ctx *frame.Context, cfg []byte) error {
	var who []types.AccountID
	if cfg == nil {
		return nil
	}
	if err := json.Unmarshal(cfg, &who); err != nil {
		return err
	}
	for _, a := range who {
		p.sys.IncProviders(ctx, a)
	}
	return nil
}

func (r *testRuntime) Build() *testRuntime {
	r.t.Helper()
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1},
		Limits: frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
			types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)})
	r.sys = system.New()
	r.p = New(Config{Accounts: r.sys, Manager: r.m})
	r.p.SetHandlers(r.aura, r.grandpa)
	rt.Register(0, r.sys)
	rt.Register(1, provider{r.sys})
	rt.Register(sessionIndex, r.p)
	gen, err := json.Marshal(map[string]any{"session": r.genesis, "provider": r.funded})
	if err != nil {
		r.t.Fatal(err)
	}
	r.env = frametest.New(r.t, rt).Genesis(string(gen))
	r.env.StartBlock()
	r.t.Cleanup(func() {
		if !r.t.Failed() {
			r.env.FinishBlock()
		}
	})
	return r
}

func (r *testRuntime) ctx() *frame.Context { return r.env.Ctx }

// advance finishes blocks until block n is open.
func (r *testRuntime) advance(n types.BlockNumber) {
	r.t.Helper()
	for r.env.Last.Number+1 < n {
		r.env.NextBlock()
	}
}

func call(idx uint8, args scale.Encodable) []byte {
	e := scale.NewEncoder(80)
	e.PutU8(sessionIndex)
	e.PutU8(idx)
	if args != nil {
		args.EncodeTo(e)
	}
	return e.Bytes()
}

func (r *testRuntime) requireNoop(want error, o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	err := r.env.RequireNoop(r.t, func() error { return r.env.Dispatch(o, call(idx, args)) })
	if !errors.Is(err, want) {
		r.t.Fatalf("error %v, want %v", err, want)
	}
}

func (r *testRuntime) requireOK(o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	if err := r.env.Dispatch(o, call(idx, args)); err != nil {
		r.t.Fatalf("dispatch: %v", err)
	}
}

func hexOf(a types.AccountID) string { return a.Hex()[2:] }

func newHost() *frametest.Host { return frametest.NewHost() }
