package transactionpayment

import (
	"encoding/json"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The mock runtime: System 0, Balances 6, TransactionPayment 7 and a Mock
// pallet 9 whose call declares one weight and reports another, with MSC's
// real existential deposit and fee rates.
const (
	balancesIndex = 6
	mockIndex     = 9
	ed            = balances.DefaultExistentialDeposit
	msca          = balances.MSCA
)

var (
	alice   = frametest.NewKey("//Alice")
	bob     = frametest.NewKey("//Bob")
	charlie = frametest.NewKey("//Charlie")
	author  = frametest.NewKey("//Author").Account
)

var baseExtrinsic = types.Weight{RefTime: 100_000_000}

// mockPallet's call 0 (declared u64, actual u64, fail bool) declares
// weight `declared`, reports `actual` and fails if asked.
type mockPallet struct{}

type mockArgs struct {
	Declared, Actual uint64
	Fail             bool
}

var errMock = frame.NewError("Mock", 0, "Failed")

func (mockPallet) Name() string { return "Mock" }
func (mockPallet) Calls() []frame.CallDef {
	return []frame.CallDef{frame.NewCallPost(0, "work",
		func(d *scale.Decoder) mockArgs { return mockArgs{d.U64(), d.U64(), d.Bool()} },
		func(a mockArgs) frame.DispatchInfo {
			return frame.DispatchInfo{Weight: types.Weight{RefTime: a.Declared}}
		},
		func(ctx *frame.Context, o frame.Origin, a mockArgs) (frame.PostDispatchInfo, error) {
			if _, err := o.EnsureSigned(); err != nil {
				return frame.PostDispatchInfo{}, err
			}
			w := types.Weight{RefTime: a.Actual}
			if a.Fail {
				return frame.PostDispatchInfo{ActualWeight: &w}, errMock
			}
			return frame.PostDispatchInfo{ActualWeight: &w}, nil
		})}
}

func mockCall(declared, actual uint64, fail bool) []byte {
	e := scale.NewEncoder(20)
	e.PutU8(mockIndex)
	e.PutU8(0)
	e.PutU64(declared)
	e.PutU64(actual)
	e.PutBool(fail)
	return e.Bytes()
}

type fixedAuthor struct{ who types.AccountID }

func (a fixedAuthor) Author(*frame.Context) (types.AccountID, bool) { return a.who, true }

type testRuntime struct {
	t      testing.TB
	env    *frametest.Env
	sys    *system.Pallet
	bal    *balances.Pallet
	tp     *Pallet
	author BlockAuthor
	funded [][2]any
	nonce  map[types.AccountID]uint32
}

func newTestRuntime(t testing.TB) *testRuntime {
	return &testRuntime{t: t, nonce: map[types.AccountID]uint32{}}
}

func (r *testRuntime) Funded(who types.AccountID, amount uint64) *testRuntime {
	r.funded = append(r.funded, [2]any{who.Hex(), amount})
	return r
}

func (r *testRuntime) WithAuthor(who types.AccountID) *testRuntime {
	r.author = fixedAuthor{who}
	return r
}

func (r *testRuntime) Build() *testRuntime {
	r.t.Helper()
	limits := frame.DefaultLimits(types.Weight{RefTime: 2 * frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
		types.Weight{RefTime: 5_000_000}, baseExtrinsic, 5<<20, 75)
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1}, Limits: limits})
	r.sys = system.New()
	r.bal = balances.New(balances.DefaultConfig(r.sys))
	r.tp = New(DefaultConfig(r.bal, r.author))
	rt.Register(0, r.sys)
	rt.Register(balancesIndex, r.bal)
	rt.Register(7, r.tp)
	rt.Register(mockIndex, mockPallet{})
	rt.SetPayment(r.tp)
	gen, _ := json.Marshal(map[string]any{"balances": map[string]any{"balances": r.funded}, "transactionPayment": map[string]any{}})
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

// sign builds k's next signed extrinsic of call with tip.
func (r *testRuntime) sign(k frametest.Key, call []byte, tip uint64) []byte {
	r.t.Helper()
	x := r.env.Sign(k, frame.Extra{Era: types.Era{Immortal: true}, Nonce: r.nonce[k.Account], Tip: scale.FromUint64(tip)}, call)
	return x
}

// apply applies xt and requires it to be included.
func (r *testRuntime) apply(k frametest.Key, xt []byte) types.ApplyExtrinsicResult {
	r.t.Helper()
	res := r.env.Apply(xt)
	if res.Invalid != nil {
		r.t.Fatalf("extrinsic invalid: %v", res.Invalid)
	}
	r.nonce[k.Account]++
	return res
}

func (r *testRuntime) free(who types.AccountID) uint64 {
	v, ok := r.bal.Free(r.ctx(), who).Uint64()
	if !ok {
		r.t.Fatal("balance above u64")
	}
	return v
}

func transferCall(to types.AccountID, v uint64) []byte {
	e := scale.NewEncoder(64)
	e.PutU8(balancesIndex)
	e.PutU8(balances.CallTransferKeepAlive)
	(&balances.TransferArgs{Dest: types.NewAddress(to), Value: u(v)}).EncodeTo(e)
	return e.Bytes()
}

// expectedFee is the fee formula written out: base + length + weight (×1.0) + tip.
func expectedFee(length int, refTime uint64, tip uint64) uint64 {
	return baseExtrinsic.RefTime + uint64(length)*1_000_000 + refTime + tip
}
