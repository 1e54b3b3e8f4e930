package transactionpayment

import (
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func TestTreasuryAccount(t *testing.T) {
	if got := TreasuryAccount().SS58(42); got != "5EYCAe5ijiYfyeZ2JJCGq56LmPyNRAKzpG4QkoQkkQNB5e6Z" {
		t.Fatalf("treasury %s", got)
	}
}

func TestFeeChargedToTreasuryWithoutAuthor(t *testing.T) {
	treasury := TreasuryAccount()
	r := newTestRuntime(t).Funded(alice.Account, 1_000*msca).Funded(treasury, ed).Build()
	xt := r.sign(alice, transferCall(bob.Account, 10*msca), 0)
	r.apply(alice, xt)
	fee := expectedFee(len(xt), balances.WeightTransferKeepAlive.RefTime, 0)
	if got := r.free(alice.Account); got != 1_000*msca-10*msca-fee {
		t.Fatalf("alice %d, want %d (fee %d)", got, 1_000*msca-10*msca-fee, fee)
	}
	if got := r.free(treasury); got != ed+fee {
		t.Fatalf("treasury %d, want %d", got, ed+fee)
	}
	r.env.RequireEvent(t, PalletName, EventTransactionFeePaid{Who: alice.Account, ActualFee: u(fee)})
	r.env.RequireEvent(t, balances.PalletName, balances.EventAccount{Index: balances.EvWithdraw, Who: alice.Account, Amount: u(fee)})
	if r.bal.TotalIssuance(r.ctx()) != u(1_000*msca+ed) {
		t.Fatal("issuance changed")
	}
	// TransactionFeePaid comes right before System's ExtrinsicSuccess.
	evs := r.env.Events()
	want := r.env.EncodeEvent(PalletName, EventTransactionFeePaid{Who: alice.Account, ActualFee: u(fee)})
	if len(evs) < 2 || string(evs[len(evs)-2].Event) != string(want) || evs[len(evs)-1].Event[0] != 0 {
		t.Fatalf("event order: %d events", len(evs))
	}
}

func TestFeeSplitAndTipToAuthor(t *testing.T) {
	treasury := TreasuryAccount()
	r := newTestRuntime(t).Funded(alice.Account, 1_000*msca).Funded(treasury, ed).Funded(author, ed).WithAuthor(author).Build()
	const tip = 3 * msca
	xt := r.sign(alice, transferCall(bob.Account, 10*msca), tip)
	r.apply(alice, xt)
	fee := expectedFee(len(xt), balances.WeightTransferKeepAlive.RefTime, 0)
	toTreasury := fee * 80 / 100
	if got := r.free(treasury); got != ed+toTreasury {
		t.Fatalf("treasury %d, want %d", got, ed+toTreasury)
	}
	if got := r.free(author); got != ed+fee-toTreasury+tip {
		t.Fatalf("author %d, want %d", got, ed+fee-toTreasury+tip)
	}
	if got := r.free(alice.Account); got != 1_000*msca-10*msca-fee-tip {
		t.Fatalf("alice %d", got)
	}
	r.env.RequireEvent(t, PalletName, EventTransactionFeePaid{Who: alice.Account, ActualFee: u(fee + tip), Tip: u(tip)})
}

func TestUnusedWeightRefunded(t *testing.T) {
	treasury := TreasuryAccount()
	r := newTestRuntime(t).Funded(alice.Account, 1_000*msca).Funded(treasury, ed).Build()
	xt := r.sign(alice, mockCall(900_000_000, 200_000_000, false), 0)
	r.apply(alice, xt)
	charged := expectedFee(len(xt), 200_000_000, 0)
	if got := r.free(alice.Account); got != 1_000*msca-charged {
		t.Fatalf("alice %d, want %d", got, 1_000*msca-charged)
	}
	r.env.RequireEvent(t, balances.PalletName, balances.EventAccount{Index: balances.EvDeposit, Who: alice.Account, Amount: u(700_000_000)})
	r.env.RequireEvent(t, PalletName, EventTransactionFeePaid{Who: alice.Account, ActualFee: u(charged)})
	if got := r.free(treasury); got != ed+charged {
		t.Fatalf("treasury %d", got)
	}
	// A failing call still pays (its own writes are rolled back).
	xt = r.sign(alice, mockCall(900_000_000, 900_000_000, true), 0)
	res := r.apply(alice, xt)
	if res.DispatchErr == nil {
		t.Fatal("mock call did not fail")
	}
	if got := r.free(alice.Account); got != 1_000*msca-charged-expectedFee(len(xt), 900_000_000, 0) {
		t.Fatalf("alice after failed call %d", got)
	}
}

func TestInsufficientFundsForFeeIsPayment(t *testing.T) {
	r := newTestRuntime(t).Funded(alice.Account, 1_000*msca).Funded(charlie.Account, ed+1_000).Build()
	r.bal.SetLock(r.ctx(), balances.LockID{'v', 'e', 's', 't', 'i', 'n', 'g', ' '}, alice.Account, u(1_000*msca), balances.ReasonsAll)
	for name, k := range map[string]struct {
		key  frametest.Key
		want uint8
	}{
		"cannot pay without being reaped": {charlie, types.InvalidPayment},
		"no account":                      {bob, types.InvalidPayment},
		"funds frozen":                    {alice, types.InvalidPayment},
	} {
		xt := r.sign(k.key, transferCall(alice.Account, 1), 0)
		var res types.ApplyExtrinsicResult
		r.env.RequireNoop(t, func() error {
			res = r.env.Apply(xt)
			if res.Invalid == nil {
				return nil
			}
			return res.Invalid
		})
		if !res.Invalid.Invalid || res.Invalid.Kind != k.want {
			t.Fatalf("%s: %v", name, res.Invalid)
		}
	}
}

func TestQueryInfoAndFeeDetails(t *testing.T) {
	r := newTestRuntime(t).Funded(alice.Account, 1_000*msca).Build()
	call := transferCall(bob.Account, msca)
	xt := r.sign(alice, call, 5)
	info, err := r.tp.QueryInfo(r.ctx(), xt, uint32(len(xt)))
	if err != nil {
		t.Fatal(err)
	}
	fee := expectedFee(len(xt), balances.WeightTransferKeepAlive.RefTime, 0)
	if info.Weight != balances.WeightTransferKeepAlive || info.Class != frame.Normal || info.PartialFee != u(fee) {
		t.Fatalf("query_info %+v, want fee %d", info, fee)
	}
	b := scale.Encode(&info)
	var back RuntimeDispatchInfo
	if err := scale.Decode(b, &back); err != nil || back != info {
		t.Fatalf("round trip %x", b)
	}
	d, err := r.tp.QueryFeeDetails(r.ctx(), xt, uint32(len(xt)))
	if err != nil || d.InclusionFee == nil || !d.Tip.IsZero() ||
		d.InclusionFee.BaseFee != u(baseExtrinsic.RefTime) || d.InclusionFee.LenFee != u(uint64(len(xt))*1_000_000) ||
		d.InclusionFee.AdjustedWeightFee != u(balances.WeightTransferKeepAlive.RefTime) {
		t.Fatalf("fee details %+v %v", d.InclusionFee, err)
	}
	// Unsigned extrinsics pay nothing.
	bare := types.EncodeBareExtrinsic(call)
	if info, err := r.tp.QueryInfo(r.ctx(), bare, uint32(len(bare))); err != nil || !info.PartialFee.IsZero() {
		t.Fatalf("bare query_info %+v %v", info, err)
	}
	if d, err := r.tp.QueryFeeDetails(r.ctx(), bare, uint32(len(bare))); err != nil || d.InclusionFee != nil {
		t.Fatalf("bare fee details %+v %v", d, err)
	}
	if _, err := r.tp.QueryInfo(r.ctx(), []byte{1, 2, 3}, 3); err == nil {
		t.Fatal("garbage accepted")
	}
	if r.tp.QueryLengthToFee(10) != u(10_000_000) || r.tp.QueryWeightToFee(r.ctx(), types.Weight{RefTime: 7}) != u(7) {
		t.Fatal("weight/length to fee")
	}
	// Pool priority: a tip raises it.
	i := frame.DispatchInfo{Weight: balances.WeightTransferKeepAlive}
	if p0, p1 := r.tp.Priority(r.ctx(), i, 150, u(0), u(fee)), r.tp.Priority(r.ctx(), i, 150, u(msca), u(fee)); p1 <= p0 || p0 == 0 {
		t.Fatalf("priority %d %d", p0, p1)
	}
}

func TestGenesisAndMultiplier(t *testing.T) {
	r := newTestRuntime(t).Funded(alice.Account, msca).Build()
	if r.tp.NextFeeMultiplier(r.ctx()) != MultiplierOne {
		t.Fatal("multiplier")
	}
	if err := r.tp.BuildGenesis(r.ctx(), []byte(`{"multiplier":"2000000000000000000"}`)); err != nil {
		t.Fatal(err)
	}
	i := frame.DispatchInfo{Weight: types.Weight{RefTime: 1_000}}
	if got := r.tp.ComputeFee(r.ctx(), 0, i, u(0)); got != u(baseExtrinsic.RefTime+2_000) {
		t.Fatalf("fee with multiplier 2: %s", got)
	}
	if err := r.tp.BuildGenesis(r.ctx(), []byte(`{"multiplier":"1000000000000000000"}`)); err != nil {
		t.Fatal(err)
	}
	if err := r.tp.BuildGenesis(r.ctx(), []byte(`{"foo":1}`)); err == nil {
		t.Fatal("unknown field accepted")
	}
	i.PaysFee = frame.PaysNo
	if got := r.tp.ComputeFee(r.ctx(), 100, i, u(9)); got != u(9) {
		t.Fatalf("pays no: %s", got)
	}
	_ = system.Name
}
