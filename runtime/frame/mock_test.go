package frame_test

import (
	"errors"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// counter is a test pallet: increment (signed), fail (writes then errors),
// root_only, heavy (declares more than a block).
type counter struct{}

const counterName = "Counter"

var (
	counterValue   = frame.NewValue(counterName, "Value", frame.U32Codec)
	errCounterFail = frame.NewError(counterName, 1, "Fail")
)

type incremented struct {
	Who types.AccountID
	Now uint32
}

func (e incremented) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(0)
	enc.PutRaw(e.Who[:])
	enc.PutU32(e.Now)
}

func (counter) Name() string { return counterName }

func u32(d *scale.Decoder) uint32 { return d.U32() }

func w(ref uint64) func(uint32) frame.DispatchInfo {
	return func(uint32) frame.DispatchInfo { return frame.DispatchInfo{Weight: types.Weight{RefTime: ref}} }
}

func (c counter) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCall(0, "increment", u32, w(1_000_000), func(ctx *frame.Context, o frame.Origin, by uint32) error {
			who, err := o.EnsureSigned()
			if err != nil {
				return err
			}
			return counterValue.Mutate(ctx, func(v *uint32) error {
				*v += by
				ctx.Deposit(counterName, incremented{who, *v})
				return nil
			})
		}),
		frame.NewCall(1, "fail", u32, w(1_000_000), func(ctx *frame.Context, o frame.Origin, by uint32) error {
			counterValue.Set(ctx, 12345)
			ctx.Deposit(counterName, incremented{Now: 12345})
			return errCounterFail
		}),
		frame.NewCall(2, "root_only", u32, w(1_000_000), func(ctx *frame.Context, o frame.Origin, v uint32) error {
			if err := o.EnsureRoot(); err != nil {
				return err
			}
			counterValue.Set(ctx, v)
			return nil
		}),
		frame.NewCall(3, "heavy", u32, w(2*frame.WeightRefTimePerSecond), func(*frame.Context, frame.Origin, uint32) error { return nil }),
		frame.NewCallPost(4, "refund", u32, w(500_000_000), func(*frame.Context, frame.Origin, uint32) (frame.PostDispatchInfo, error) {
			aw := types.Weight{RefTime: 1_000}
			return frame.PostDispatchInfo{ActualWeight: &aw, PaysFee: frame.PaysNo}, nil
		}),
	}
}

func counterCall(idx uint8, arg uint32) []byte {
	e := scale.NewEncoder(8)
	e.PutU8(9)
	e.PutU8(idx)
	e.PutU32(arg)
	return e.Bytes()
}

// payment is a mock TransactionPayment: fee = 1000 + length, taken from
// the account's free balance, refunded fully when the call pays no fee.
type payment struct{ sys *system.Pallet }

const feeBase = 1000

func (p payment) ComputeFee(ctx *frame.Context, length uint32, info frame.DispatchInfo, tip scale.U128) scale.U128 {
	if info.PaysFee == frame.PaysNo {
		return scale.U128{}
	}
	return scale.FromUint64(feeBase + uint64(length)).SaturatingAdd(tip)
}

func (p payment) ComputeActualFee(ctx *frame.Context, length uint32, info frame.DispatchInfo, post frame.PostDispatchInfo, tip scale.U128) scale.U128 {
	if frame.ActualPays(info, post) == frame.PaysNo {
		return scale.U128{}
	}
	return p.ComputeFee(ctx, length, info, tip)
}

func (p payment) ComputeFeeDetails(ctx *frame.Context, length uint32, info frame.DispatchInfo, tip scale.U128) frame.FeeDetails {
	return frame.FeeDetails{Tip: tip}
}

var errNoFunds = errors.New("no funds")

func (p payment) WithdrawFee(ctx *frame.Context, who types.AccountID, call *frame.RuntimeCall, info frame.DispatchInfo, fee, tip scale.U128) (scale.U128, error) {
	err := p.sys.TryMutateAccountData(ctx, who, func(d *frame.AccountData, _ bool) error {
		nf, ok := d.Free.Sub(fee)
		if !ok {
			return errNoFunds
		}
		d.Free = nf
		return nil
	})
	return fee, err
}

func (p payment) CorrectAndDepositFee(ctx *frame.Context, who types.AccountID, info frame.DispatchInfo, post frame.PostDispatchInfo, actual, tip, withdrawn scale.U128) error {
	refund, _ := withdrawn.Sub(actual)
	return p.sys.TryMutateAccountData(ctx, who, func(d *frame.AccountData, _ bool) error {
		d.Free = d.Free.SaturatingAdd(refund)
		return nil
	})
}

func testRuntime() (*frame.Runtime, *system.Pallet) {
	v := types.RuntimeVersion{SpecName: "test", ImplName: "test", SpecVersion: 1, TransactionVersion: 1, SystemVersion: 1}
	limits := frame.DefaultLimits(types.Weight{RefTime: frame.WeightRefTimePerSecond, ProofSize: 5 << 20},
		types.Weight{RefTime: 5_000_000_000}, types.Weight{RefTime: 125_000_000}, 5<<20, 75)
	rt := frame.NewRuntime(frame.Config{Version: v, Limits: limits})
	sys := system.New()
	rt.Register(0, sys)
	rt.Register(1, timestamp.New(timestamp.Config{}))
	rt.Register(9, counter{})
	rt.SetPayment(payment{sys})
	return rt, sys
}

// newEnv returns an env at genesis with the keys funded.
func newEnv(t *testing.T, keys ...frametest.Key) *frametest.Env {
	rt, _ := testRuntime()
	env := frametest.New(t, rt).Genesis(`{"system":{}}`)
	for _, k := range keys {
		system.Account.Set(env.Ctx, k.Account, frame.AccountInfo{Providers: 1, Data: frame.AccountData{Free: scale.FromUint64(1_000_000)}})
	}
	env.Last.StateRoot = env.Host.StorageRoot()
	return env
}
