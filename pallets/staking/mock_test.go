package staking

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/metamars/mars/pallets/authorship"
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/offences"
	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The mock runtime: System 0, Balances 6, Staking 7, Offences 8 (Polkadot's
// order), an existential deposit of 1, and pallet_session played by the
// test itself (rotate) with Substrate's call order.
const (
	balancesIndex = 6
	stakingIndex  = 7
	offencesIndex = 8
)

// The contracts with the other pallets.
var (
	_ offences.OnOffenceHandler = (*Pallet)(nil)
	_ session.SessionManager    = (*Pallet)(nil)
	_ authorship.EventHandler   = (*Pallet)(nil)
	_ Currency                  = (*balances.Pallet)(nil)
	_ UnixTime                  = (*timestamp.Pallet)(nil)
)

func acc(n byte) types.AccountID { return types.AccountID{n} }

func u(v uint64) scale.U128 { return scale.FromUint64(v) }

var (
	va, vb, vc, vd = acc(11), acc(21), acc(31), acc(41) // validators
	n1, n2         = acc(101), acc(102)                 // nominators
	funder         = acc(200)                           // pays the rewards pool at genesis
	stranger       = acc(250)
)

type testRuntime struct {
	t       testing.TB
	funded  []balances.GenesisBalance
	gen     GenesisConfig
	env     *frametest.Env
	bal     *balances.Pallet
	p       *Pallet
	off     *offences.Pallet
	session uint32
	active  []types.AccountID // the session's validators
	queued  []types.AccountID
}

func newTestRuntime(t testing.TB) *testRuntime {
	one := uint32(1)
	three := uint32(3)
	two := uint32(2)
	return &testRuntime{t: t, gen: GenesisConfig{
		ValidatorCount: 2, MinimumValidatorCount: 1, SessionsPerEra: &three,
		BondingDuration: &two, SlashDeferDuration: &one, EraPayout: u(1_000),
	}}
}

func (r *testRuntime) Funded(who types.AccountID, amount uint64) *testRuntime {
	r.funded = append(r.funded, balances.GenesisBalance{Who: who, Amount: u(amount)})
	return r
}

// Validator endows who with 10_000 and bonds bond as a validator.
func (r *testRuntime) Validator(who types.AccountID, bond uint64, commission Perbill) *testRuntime {
	r.Funded(who, 10_000)
	r.gen.Stakers = append(r.gen.Stakers, GenesisStaker{Stash: who.String(), Bond: u(bond), Role: "validator", Commission: uint32(commission)})
	return r
}

// Nominator endows who with 10_000 and bonds bond nominating targets.
func (r *testRuntime) Nominator(who types.AccountID, bond uint64, targets ...types.AccountID) *testRuntime {
	r.Funded(who, 10_000)
	s := GenesisStaker{Stash: who.String(), Bond: u(bond), Role: "nominator"}
	for _, t := range targets {
		s.Targets = append(s.Targets, t.String())
	}
	r.gen.Stakers = append(r.gen.Stakers, s)
	return r
}

// Pool moves amount from funder into the rewards pool at genesis.
func (r *testRuntime) Pool(amount uint64) *testRuntime {
	r.Funded(funder, amount+1_000)
	r.gen.RewardsPool = u(amount)
	r.gen.RewardsPoolSource = funder.String()
	return r
}

func (r *testRuntime) With(f func(g *GenesisConfig)) *testRuntime { f(&r.gen); return r }

func testLimits() frame.Limits {
	return frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
		types.Weight{RefTime: 5_000_000}, types.Weight{RefTime: 100_000_000}, 5<<20, 75)
}

func (r *testRuntime) runtime() *frame.Runtime {
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1}, Limits: testLimits()})
	sys := system.New()
	bcfg := balances.DefaultConfig(sys)
	bcfg.ExistentialDeposit = u(1)
	r.bal = balances.New(bcfg)
	r.p = New(DefaultConfig(r.bal, stakingLocks{r.bal}))
	r.off = offences.New(offences.Config{Handler: r.p})
	rt.Register(0, sys)
	rt.Register(balancesIndex, r.bal)
	rt.Register(stakingIndex, r.p)
	rt.Register(offencesIndex, r.off)
	return rt
}

func (r *testRuntime) genesisJSON() string {
	b, err := json.Marshal(map[string]any{"balances": balances.GenesisConfig{Balances: r.funded}, "staking": r.gen})
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// Build creates the chain, opens block 1 and runs session's genesis:
// NewSession(0), NewSession(1), StartSession(0).
func (r *testRuntime) Build() *testRuntime {
	r.t.Helper()
	r.env = frametest.New(r.t, r.runtime()).Genesis(r.genesisJSON())
	r.env.StartBlock()
	ctx := r.ctx()
	v0, ok := r.p.NewSession(ctx, 0)
	if !ok {
		r.t.Fatal("no validators for session 0")
	}
	r.active, r.queued = v0, v0
	if v1, ok := r.p.NewSession(ctx, 1); ok {
		r.queued = v1
	}
	r.p.StartSession(ctx, 0)
	r.t.Cleanup(func() {
		if !r.t.Failed() {
			r.env.FinishBlock() // runs TryState
		}
	})
	return r
}

func (r *testRuntime) ctx() *frame.Context { return r.env.Ctx }

// rotate is pallet_session::rotate_session in a new block.
func (r *testRuntime) rotate() {
	r.env.NextBlock()
	ctx := r.ctx()
	r.p.EndSession(ctx, r.session)
	r.session++
	r.p.StartSession(ctx, r.session)
	r.active = r.queued
	if v, ok := r.p.NewSession(ctx, r.session+1); ok {
		r.queued = v
	}
}

// rotateTo rotates until era is active.
func (r *testRuntime) rotateTo(era uint32) {
	r.t.Helper()
	for range 1000 {
		if a, ok := r.p.ActiveEra(r.ctx()); ok && a.Index >= era {
			return
		}
		r.rotate()
	}
	r.t.Fatalf("era %d never came", era)
}

// rotateToPlanned rotates until era is planned (CurrentEra).
func (r *testRuntime) rotateToPlanned(era uint32) {
	r.t.Helper()
	for range 1000 {
		if c, ok := r.p.CurrentEra(r.ctx()); ok && c >= era {
			return
		}
		r.rotate()
	}
	r.t.Fatalf("era %d never planned", era)
}

// author notes n blocks by who in the current block.
func (r *testRuntime) author(who types.AccountID, n int) {
	for range n {
		r.p.NoteAuthor(r.ctx(), who)
	}
}

// stakingLocks is the runtime's adapter (see Locks).
type stakingLocks struct{ b *balances.Pallet }

func (l stakingLocks) SetLock(ctx *frame.Context, id [8]byte, who types.AccountID, amount scale.U128) {
	l.b.SetLock(ctx, balances.LockID(id), who, amount, balances.ReasonsAll)
}

func (l stakingLocks) LockAmount(st frame.Store, id [8]byte, who types.AccountID) scale.U128 {
	for _, x := range l.b.Locks(st, who) {
		if x.ID == balances.LockID(id) {
			return x.Amount
		}
	}
	return scale.U128{}
}

func call(idx uint8, args scale.Encodable) []byte {
	e := scale.NewEncoder(64)
	e.PutU8(stakingIndex)
	e.PutU8(idx)
	args.EncodeTo(e)
	return e.Bytes()
}

func (r *testRuntime) dispatch(o frame.Origin, idx uint8, args scale.Encodable) error {
	return r.env.Dispatch(o, call(idx, args))
}

func (r *testRuntime) requireOK(o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	if err := r.dispatch(o, idx, args); err != nil {
		r.t.Fatalf("call %d: %v", idx, err)
	}
}

// requireNoop dispatches and requires the error want with storage untouched.
func (r *testRuntime) requireNoop(want error, o frame.Origin, idx uint8, args scale.Encodable) {
	r.t.Helper()
	err := r.env.RequireNoop(r.t, func() error { return r.dispatch(o, idx, args) })
	if !errors.Is(err, want) {
		r.t.Fatalf("call %d: error %v, want %v", idx, err, want)
	}
}

func (r *testRuntime) requireLastEvent(ev scale.Encodable) {
	r.t.Helper()
	r.env.RequireLastEvent(r.t, PalletName, ev)
}

func (r *testRuntime) requireEvent(ev scale.Encodable) {
	r.t.Helper()
	r.env.RequireEvent(r.t, PalletName, ev)
}

func (r *testRuntime) ledger(who types.AccountID) StakingLedger {
	r.t.Helper()
	l, ok := r.p.Ledger(r.ctx(), who)
	if !ok {
		r.t.Fatalf("%v has no ledger", who)
	}
	return l
}

func (r *testRuntime) requireLedger(who types.AccountID, total, active uint64, chunks ...UnlockChunk) {
	r.t.Helper()
	l := r.ledger(who)
	if l.Total != u(total) || l.Active != u(active) || !slices.Equal(l.Unlocking, chunks) {
		r.t.Fatalf("ledger of %v: total %s active %s chunks %v; want %d %d %v", who, l.Total, l.Active, l.Unlocking, total, active, chunks)
	}
}

func (r *testRuntime) free(who types.AccountID) scale.U128 { return r.bal.Free(r.ctx(), who) }

func (r *testRuntime) requireFree(who types.AccountID, want uint64) {
	r.t.Helper()
	if got := r.free(who); got != u(want) {
		r.t.Fatalf("free of %v = %s, want %d", who, got, want)
	}
}

func addrs(ids ...types.AccountID) *NominateArgs {
	a := &NominateArgs{}
	for _, id := range ids {
		a.Targets = append(a.Targets, types.NewAddress(id))
	}
	return a
}

func chunk(v uint64, era uint32) UnlockChunk { return UnlockChunk{Value: u(v), Era: era} }
