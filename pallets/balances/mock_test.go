package balances

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

// The mock runtime: System at 0 and Balances at its relay index 6, with an
// existential deposit of 10 so amounts read easily.
const (
	balancesIndex = 6
	testED        = 10
)

var (
	alice   = frametest.NewKey("//Alice").Account
	bob     = frametest.NewKey("//Bob").Account
	charlie = frametest.NewKey("//Charlie").Account
)

type testRuntime struct {
	t      testing.TB
	ed     uint64
	funded []GenesisBalance
	env    *frametest.Env
	sys    *system.Pallet
	p      *Pallet
}

// newTestRuntime starts a builder; Build (or the first use) creates the
// chain at block 1. Every block's TryState runs when the test ends.
func newTestRuntime(t testing.TB) *testRuntime { return &testRuntime{t: t, ed: testED} }

// Funded endows who with amount at genesis.
func (r *testRuntime) Funded(who types.AccountID, amount uint64) *testRuntime {
	r.funded = append(r.funded, GenesisBalance{Who: who, Amount: u(amount)})
	return r
}

// WithED sets the existential deposit.
func (r *testRuntime) WithED(ed uint64) *testRuntime { r.ed = ed; return r }

func testLimits() frame.Limits {
	return frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
		types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)
}

// Build creates the runtime, builds genesis and opens block 1.
func (r *testRuntime) Build() *testRuntime {
	r.t.Helper()
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1}, Limits: testLimits()})
	r.sys = system.New()
	cfg := DefaultConfig(r.sys)
	cfg.ExistentialDeposit = u(r.ed)
	r.p = New(cfg)
	rt.Register(0, r.sys)
	rt.Register(balancesIndex, r.p)
	gen, err := json.Marshal(map[string]any{"balances": GenesisConfig{Balances: r.funded}})
	if err != nil {
		r.t.Fatal(err)
	}
	r.env = frametest.New(r.t, rt).Genesis(string(gen))
	r.env.StartBlock()
	r.t.Cleanup(func() {
		if !r.t.Failed() {
			r.env.FinishBlock() // runs TryState
		}
	})
	return r
}

func (r *testRuntime) ctx() *frame.Context { return r.env.Ctx }

// call encodes Balances call idx with args.
func call(idx uint8, args scale.Encodable) []byte {
	e := scale.NewEncoder(64)
	e.PutU8(balancesIndex)
	e.PutU8(idx)
	args.EncodeTo(e)
	return e.Bytes()
}

func (r *testRuntime) dispatch(o frame.Origin, idx uint8, args scale.Encodable) error {
	return r.env.Dispatch(o, call(idx, args))
}

// requireNoop dispatches and requires the error want with storage untouched.
func (r *testRuntime) requireNoop(want error, o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	err := r.env.RequireNoop(r.t, func() error { return r.dispatch(o, idx, args) })
	if !errors.Is(err, want) {
		r.t.Fatalf("error %v, want %v", err, want)
	}
}

func (r *testRuntime) requireOK(o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	if err := r.dispatch(o, idx, args); err != nil {
		r.t.Fatalf("dispatch: %v", err)
	}
}

func (r *testRuntime) requireLastEvent(ev scale.Encodable) {
	r.t.Helper()
	r.env.RequireLastEvent(r.t, PalletName, ev)
}

func (r *testRuntime) requireFree(who types.AccountID, want uint64) {
	r.t.Helper()
	if got := r.p.Free(r.ctx(), who); got != u(want) {
		r.t.Fatalf("free balance %s, want %d", got, want)
	}
}

func (r *testRuntime) requireIssuance(want uint64) {
	r.t.Helper()
	if got := r.p.TotalIssuance(r.ctx()); got != u(want) {
		r.t.Fatalf("total issuance %s, want %d", got, want)
	}
}

func transferTo(to types.AccountID, v uint64) *TransferArgs {
	return &TransferArgs{Dest: types.NewAddress(to), Value: u(v)}
}
