package relay

import (
	"github.com/metamars/mars/pallets/aura"
	"github.com/metamars/mars/pallets/authorship"
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/grandpa"
	"github.com/metamars/mars/pallets/offences"
	"github.com/metamars/mars/pallets/session"
	"github.com/metamars/mars/pallets/staking"
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
	// Consensus (issue 6). Authorship comes first so that its
	// on_initialize finds the author with the parent's authorities and
	// validators, before Session rotates them.
	IndexAuthorship uint8 = 20
	IndexStaking    uint8 = 21
	IndexOffences   uint8 = 22
	IndexSession    uint8 = 23
	IndexGrandpa    uint8 = 24
	IndexAura       uint8 = 25
)

// MinimumPeriod is Timestamp's minimum period (ms); Aura's slot is twice it.
const MinimumPeriod = 500

// SlotDuration is Aura's slot duration in ms (AuraApi_slot_duration).
const SlotDuration = 2 * MinimumPeriod

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
			api("AuraApi", 1),
			api("GrandpaApi", 3),
			api("SessionKeys", 1),
			api("AuraEquivocationApi", 1),
			api("GrandpaEquivocationApi", 1),
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
	Authorship         *authorship.Pallet
	Staking            *staking.Pallet
	Offences           *offences.Pallet
	Session            *session.Pallet
	Grandpa            *grandpa.Pallet
	Aura               *aura.Pallet
}

// New composes the runtime.
func New() *Runtime {
	rt := frame.NewRuntime(frame.Config{
		Version: Version(),
		Limits:  frame.DefaultLimits(maxBlock, baseBlock, baseExtrinsic, MaxBlockLength, 75),
	})
	r := &Runtime{Runtime: rt}
	r.System = system.New()
	// Session first: Aura, GRANDPA and Authorship map authority indices
	// to accounts through it; it learns of their keys through SetHandlers.
	r.Session = session.New(session.Config{Accounts: r.System})
	r.Aura = aura.New(aura.Config{SlotDuration: SlotDuration, Validators: r.Session})
	r.Grandpa = grandpa.New(grandpa.Config{Validators: r.Session})
	r.Session.SetHandlers(r.Aura, r.Grandpa)
	r.Authorship = authorship.New(authorship.Config{FindAuthor: r.Aura, Validators: r.Session})
	r.Timestamp = timestamp.New(timestamp.Config{MinimumPeriod: MinimumPeriod, OnSet: r.Aura})
	r.Sudo = sudo.New(sudo.Config{Calls: rt})
	r.Balances = balances.New(balances.DefaultConfig(r.System))
	sc := staking.DefaultConfig(r.Balances, stakingLocks{r.Balances})
	sc.Time = r.Timestamp
	r.Staking = staking.New(sc)
	r.Offences = offences.New(offences.Config{Handler: r.Staking})
	r.Session.SetManager(r.Staking)
	r.Authorship.SetEventHandler(r.Staking)
	r.Aura.SetReporter(r.Offences)
	r.Grandpa.SetReporter(r.Offences)
	// Fees: the author's share to the block author, the rest to staking's
	// rewards pool, which pays the era rewards (no inflation).
	tp := transactionpayment.DefaultConfig(r.Balances, r.Authorship)
	tp.Treasury = staking.RewardsPoolAccount()
	r.TransactionPayment = transactionpayment.New(tp)
	rt.Register(IndexSystem, r.System)
	rt.Register(IndexTimestamp, r.Timestamp)
	rt.Register(IndexSudo, r.Sudo)
	rt.Register(IndexBalances, r.Balances)
	rt.Register(IndexTransactionPayment, r.TransactionPayment)
	rt.Register(IndexAuthorship, r.Authorship)
	rt.Register(IndexStaking, r.Staking)
	rt.Register(IndexOffences, r.Offences)
	rt.Register(IndexSession, r.Session)
	rt.Register(IndexGrandpa, r.Grandpa)
	rt.Register(IndexAura, r.Aura)
	rt.SetPayment(r.TransactionPayment)
	return r
}
