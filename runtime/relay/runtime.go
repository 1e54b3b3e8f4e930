package relay

import (
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/sudo"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/pallets/transactionpayment"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// Pallet indices (fixed forever: they are in every call and event).
const (
	IndexSystem             uint8 = 0
	IndexTimestamp          uint8 = 1
	IndexSudo               uint8 = 5
	IndexBalances           uint8 = 6
	IndexTransactionPayment uint8 = 7
)

// SpecName and SpecVersion identify the runtime; a forkless upgrade must
// keep the name and raise the version.
const (
	SpecName    = "mars-relay"
	ImplName    = "marsd"
	SpecVersion = 1
)

// Version is the runtime's RuntimeVersion (Core_version).
func Version() types.RuntimeVersion {
	api := func(name string, v uint32) types.APIVersion {
		return types.APIVersion{ID: types.APIID(name), Version: v}
	}
	return types.RuntimeVersion{
		SpecName:         SpecName,
		ImplName:         ImplName,
		AuthoringVersion: 1,
		SpecVersion:      SpecVersion,
		ImplVersion:      0,
		APIs: []types.APIVersion{
			api("Core", 5),
			api("Metadata", 2),
			api("BlockBuilder", 6),
			api("TaggedTransactionQueue", 3),
			api("AccountNonceApi", 1),
			api("TransactionPaymentApi", 4),
			api("GenesisBuilder", 1),
		},
		TransactionVersion: 1,
		SystemVersion:      1,
	}
}

// Block limits: 1 s blocks (MinimumPeriod 500 ms); 500 ms of computation
// per block, 75% of it and of the 5 MiB length for normal extrinsics.
var (
	maxBlock      = types.Weight{RefTime: frame.WeightRefTimePerSecond / 2, ProofSize: ^uint64(0)}
	baseBlock     = types.Weight{RefTime: 5_000_000_000}
	baseExtrinsic = types.Weight{RefTime: 125_000_000}
)

// MaxBlockLength is the block length limit in bytes.
const MaxBlockLength = 5 << 20

// Runtime is the composed relay runtime with typed access to its pallets.
type Runtime struct {
	*frame.Runtime
	System             *system.Pallet
	Timestamp          *timestamp.Pallet
	Sudo               *sudo.Pallet
	Balances           *balances.Pallet
	TransactionPayment *transactionpayment.Pallet
}

// New composes the runtime.
func New() *Runtime {
	rt := frame.NewRuntime(frame.Config{
		Version: Version(),
		Limits:  frame.DefaultLimits(maxBlock, baseBlock, baseExtrinsic, MaxBlockLength, 75),
	})
	r := &Runtime{Runtime: rt}
	r.System = system.New()
	r.Timestamp = timestamp.New(timestamp.Config{MinimumPeriod: 500})
	r.Sudo = sudo.New(sudo.Config{Calls: rt})
	r.Balances = balances.New(balances.DefaultConfig(r.System))
	r.TransactionPayment = transactionpayment.New(transactionpayment.DefaultConfig(r.Balances, nil))
	rt.Register(IndexSystem, r.System)
	rt.Register(IndexTimestamp, r.Timestamp)
	rt.Register(IndexSudo, r.Sudo)
	rt.Register(IndexBalances, r.Balances)
	rt.Register(IndexTransactionPayment, r.TransactionPayment)
	rt.SetPayment(r.TransactionPayment)
	return r
}
