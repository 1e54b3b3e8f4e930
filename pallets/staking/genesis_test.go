package staking

import (
	"errors"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/types"
)

func TestGenesisFields(t *testing.T) {
	r := newTestRuntime(t).Validator(va, 1_000, 5).Nominator(n1, 700, va).Pool(5_000).Build()
	ctx := r.ctx()
	if r.p.s.validatorCount.Get(ctx) != 2 || r.p.s.sessionsPerEra.Get(ctx) != 3 || r.p.s.bondingDuration.Get(ctx) != 2 ||
		r.p.s.slashDeferDuration.Get(ctx) != 1 || r.p.s.eraPayout.Get(ctx) != u(1_000) {
		t.Fatal("parameters not stored")
	}
	if p := r.p.s.validators.Get(ctx, va); p.Commission != 5 {
		t.Fatalf("prefs %+v", p)
	}
	if d, _ := r.p.s.payee.TryGet(ctx, n1); d.Kind != PayeeStaked {
		t.Fatal("payee")
	}
	r.requireFree(RewardsPoolAccount(), 5_000)
	r.requireFree(funder, 1_000)
	r.requireLedger(n1, 700, 700)
}

// TestGenesisDefaults: omitted era parameters come from Config.
func TestGenesisDefaults(t *testing.T) {
	r := newTestRuntime(t).Validator(va, 1_000, 0).With(func(g *GenesisConfig) {
		g.SessionsPerEra, g.BondingDuration, g.SlashDeferDuration = nil, nil, nil
	}).Build()
	d := DefaultConfig(nil, nil)
	if r.p.s.sessionsPerEra.Get(r.ctx()) != d.SessionsPerEra || r.p.s.bondingDuration.Get(r.ctx()) != d.BondingDuration ||
		r.p.s.slashDeferDuration.Get(r.ctx()) != d.SlashDeferDuration {
		t.Fatal("defaults not used")
	}
}

func TestGenesisErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(r *testRuntime)
		want string
	}{
		{"unknown role", func(r *testRuntime) { r.gen.Stakers[0].Role = "boss" }, "unknown role"},
		{"target not a validator", func(r *testRuntime) { r.Nominator(n1, 10, n2) }, "not a validator"},
		{"bond above balance", func(r *testRuntime) { r.gen.Stakers[0].Bond = u(20_000) }, "exceeds"},
		{"bad stash", func(r *testRuntime) { r.gen.Stakers[0].Stash = "nope" }, "staker 0"},
		{"commission", func(r *testRuntime) { r.gen.Stakers[0].Commission = 1_000_000_001 }, "commission"},
		{"pool without source", func(r *testRuntime) { r.gen.RewardsPool = u(5) }, "rewardsPoolSource"},
		{"pool too large", func(r *testRuntime) { r.Pool(10); r.gen.RewardsPool = u(1 << 40) }, "rewardsPool"},
		{"defer not below bonding", func(r *testRuntime) { d := uint32(2); r.gen.SlashDeferDuration = &d }, "slashDeferDuration"},
		{"min above count", func(r *testRuntime) { r.gen.MinimumValidatorCount = 3 }, "minimumValidatorCount"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newTestRuntime(t).Validator(va, 1_000, 0)
			c.edit(r)
			rt := r.runtime()
			env := frametest.New(t, rt)
			err := rt.BuildGenesis(env.Ctx, []byte(r.genesisJSON()))
			if !errors.Is(err, ErrGenesis) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
	// Unknown fields are refused.
	r := newTestRuntime(t)
	env := frametest.New(t, r.runtime())
	if err := r.p.BuildGenesis(env.Ctx, []byte(`{"validatorCnt": 3}`)); !errors.Is(err, ErrGenesis) || !strings.Contains(err.Error(), "unknown field") {
		t.Fatalf("unknown field: %v", err)
	}
	// A runtime that forgot the locks adapter fails at genesis, not later.
	p := New(Config{Currency: r.bal})
	if err := p.BuildGenesis(env.Ctx, nil); !errors.Is(err, ErrGenesis) || p.IntegrityTest() == nil {
		t.Fatalf("nil Locks: %v", err)
	}
}

// TestGenesisAccountsAsSS58OrHex: stashes and targets may be SS58 or hex.
func TestGenesisAccountsAsSS58OrHex(t *testing.T) {
	r := newTestRuntime(t).Validator(va, 1_000, 0).Nominator(n1, 500, va)
	r.gen.Stakers[0].Stash = va.SS58(42)
	r.gen.Stakers[1].Stash = n1.Hex()
	r.gen.Stakers[1].Targets = []string{va.SS58(0)}
	r.Build()
	if nom, ok := r.p.s.nominators.TryGet(r.ctx(), n1); !ok || nom.Targets[0] != va {
		t.Fatal("nominator not built")
	}
	var _ types.AccountID = va
}
