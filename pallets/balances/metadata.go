package balances

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

var _ metadata.Describer = (*Pallet)(nil)

// MaxReserves is the MaxReserves constant in metadata: Polkadot's 50. MSC
// has no named reserves (no Balances.Reserves item), so nothing enforces
// it; it is published because clients read it.
const MaxReserves uint32 = 50

// errorDocs are the errors' one-line docs (pallet_balances'), by index.
var errorDocs = [...]string{
	"Vesting balance too high to send value.",
	"Account liquidity restrictions prevent withdrawal.",
	"Balance too low to send value.",
	"Value too low to create account due to existential deposit.",
	"Transfer/payment would kill account.",
	"A vesting schedule already exists for this account.",
	"Beneficiary account must pre-exist.",
	"Number of named reserves exceed `MaxReserves`.",
	"Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`.",
	"Number of freezes exceed `MaxFreezes`.",
	"The issuance cannot be modified since it is already deactivated.",
	"The delta cannot be zero.",
}

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// Metadata describes pallet_balances (calls, events, errors, storage,
// constants) exactly as this package encodes them.
func (p *Pallet) Metadata(r *metadata.Registry, _ metadata.TypeID) metadata.Pallet {
	acc, u128, u32, b := r.AccountID32(), r.Prim(metadata.U128), r.Prim(metadata.U32), r.Prim(metadata.Bool)
	addr, cbal := r.MultiAddress(), r.Compact(u128)
	params := []metadata.Param{{Name: "T"}, {Name: "I"}}
	path := func(name string) []string { return []string{"pallet_balances", "pallet", name} }
	call := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	lookup := func(name string) metadata.Field { return field(name, addr, "AccountIdLookupOf<T>") }
	value := func(name string) metadata.Field { return field(name, cbal, "T::Balance") }
	keepAlive := field("keep_alive", b, "bool")
	direction := r.Variant([]string{"pallet_balances", "types", "AdjustmentDirection"}, nil, []metadata.Variant{
		{Name: "Increase", Index: AdjustIncrease}, {Name: "Decrease", Index: AdjustDecrease},
	})
	calls := r.Variant(path("Call"), params, []metadata.Variant{
		call("transfer_allow_death", CallTransferAllowDeath, "Transfer some liquid free balance to another account; the sender may be reaped.",
			lookup("dest"), value("value")),
		call("force_transfer", CallForceTransfer, "Exactly as `transfer_allow_death`, except the origin must be root and the source account may be specified.",
			lookup("source"), lookup("dest"), value("value")),
		call("transfer_keep_alive", CallTransferKeepAlive, "Same as `transfer_allow_death`, but the sender must stay alive.",
			lookup("dest"), value("value")),
		call("transfer_all", CallTransferAll, "Transfer the entire transferable balance from the caller account.",
			lookup("dest"), keepAlive),
		call("force_unreserve", CallForceUnreserve, "Unreserve some balance from a user by force (root).",
			lookup("who"), field("amount", u128, "T::Balance")),
		call("upgrade_accounts", CallUpgradeAccounts, "Upgrade a specified account to the current account logic.",
			field("who", r.Sequence(acc), "Vec<T::AccountId>")),
		call("force_set_balance", CallForceSetBalance, "Set the regular balance of a given account (root).",
			lookup("who"), value("new_free")),
		call("force_adjust_total_issuance", CallForceAdjustTotalIssuance, "Adjust the total issuance in a saturating way (root).",
			field("direction", direction, "AdjustmentDirection"), value("delta")),
		call("burn", CallBurn, "Burn the specified liquid free balance from the origin account.",
			value("value"), keepAlive),
	}, " Contains a variant per dispatchable extrinsic that this pallet has.")

	who, amount := field("who", acc, "T::AccountId"), field("amount", u128, "T::Balance")
	ev := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	status := r.Variant([]string{"frame_support", "traits", "tokens", "misc", "BalanceStatus"}, nil, []metadata.Variant{
		{Name: "Free", Index: 0}, {Name: "Reserved", Index: 1},
	})
	events := r.Variant(path("Event"), params, []metadata.Variant{
		ev("Endowed", EvEndowed, "An account was created with some free balance.",
			field("account", acc, "T::AccountId"), field("free_balance", u128, "T::Balance")),
		ev("DustLost", EvDustLost, "An account was removed whose balance was non-zero but below ExistentialDeposit, resulting in an outright loss.",
			field("account", acc, "T::AccountId"), amount),
		ev("Transfer", EvTransfer, "Transfer succeeded.",
			field("from", acc, "T::AccountId"), field("to", acc, "T::AccountId"), amount),
		ev("BalanceSet", EvBalanceSet, "A balance was set by root.", who, field("free", u128, "T::Balance")),
		ev("Reserved", EvReserved, "Some balance was reserved (moved from free to reserved).", who, amount),
		ev("Unreserved", EvUnreserved, "Some balance was unreserved (moved from reserved to free).", who, amount),
		ev("ReserveRepatriated", EvReserveRepatriated, "Some balance was moved from the reserve of the first account to the second account.",
			field("from", acc, "T::AccountId"), field("to", acc, "T::AccountId"), amount,
			field("destination_status", status, "Status")),
		ev("Deposit", EvDeposit, "Some amount was deposited (e.g. for transaction fees).", who, amount),
		ev("Withdraw", EvWithdraw, "Some amount was withdrawn from the account (e.g. for transaction fees).", who, amount),
		ev("Slashed", EvSlashed, "Some amount was removed from the account (e.g. for misbehavior).", who, amount),
		ev("Minted", EvMinted, "Some amount was minted into an account.", who, amount),
		ev("Burned", EvBurned, "Some amount was burned from an account.", who, amount),
		ev("Suspended", EvSuspended, "Some amount was suspended from an account (it can be restored later).", who, amount),
		ev("Restored", EvRestored, "Some amount was restored into an account.", who, amount),
		ev("Upgraded", EvUpgraded, "An account was upgraded.", who),
		ev("Issued", EvIssued, "Total issuance was increased by `amount`, creating a credit to be balanced.", amount),
		ev("Rescinded", EvRescinded, "Total issuance was decreased by `amount`, creating a debt to be balanced.", amount),
		ev("Locked", EvLocked, "Some balance was locked.", who, amount),
		ev("Unlocked", EvUnlocked, "Some balance was unlocked.", who, amount),
		ev("Frozen", EvFrozen, "Some balance was frozen.", who, amount),
		ev("Thawed", EvThawed, "Some balance was thawed.", who, amount),
		ev("TotalIssuanceForced", EvTotalIssuanceForced, "The `TotalIssuance` was forcefully changed.",
			field("old", u128, "T::Balance"), field("new", u128, "T::Balance")),
	}, " The `Event` enum of this pallet")

	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), params, errVariants, " The `Error` enum of this pallet.")

	// Locks: WeakBoundedVec<BalanceLock<u128>, MaxLocks>.
	reasons := r.Variant([]string{"pallet_balances", "types", "Reasons"}, nil, []metadata.Variant{
		{Name: "Fee", Index: uint8(ReasonsFee)}, {Name: "Misc", Index: uint8(ReasonsMisc)}, {Name: "All", Index: uint8(ReasonsAll)},
	})
	lock := r.Composite([]string{"pallet_balances", "types", "BalanceLock"}, []metadata.Param{metadata.P("Balance", u128)}, []metadata.Field{
		field("id", r.Array(8, r.Prim(metadata.U8)), "LockIdentifier"),
		field("amount", u128, "Balance"),
		field("reasons", reasons, "Reasons"),
	})
	bounded := func(p []string, elem metadata.TypeID) metadata.TypeID {
		seq := r.Sequence(elem)
		return r.Composite(p, []metadata.Param{metadata.P("T", elem), {Name: "S"}}, []metadata.Field{{Type: seq, TypeName: "Vec<T>"}})
	}
	locks := bounded([]string{"bounded_collections", "weak_bounded_vec", "WeakBoundedVec"}, lock)
	// Holds and freezes are keyed by the runtime's composite reason enum,
	// which MSC encodes as (pallet index u8, reason variant u8) for any
	// runtime: described as that tuple.
	reason := r.Tuple(r.Prim(metadata.U8), r.Prim(metadata.U8))
	idAmount := r.Composite([]string{"frame_support", "traits", "tokens", "misc", "IdAmount"},
		[]metadata.Param{metadata.P("Id", reason), metadata.P("Balance", u128)}, []metadata.Field{
			field("id", reason, "Id"), field("amount", u128, "Balance"),
		})
	idAmounts := bounded([]string{"bounded_collections", "bounded_vec", "BoundedVec"}, idAmount)
	mapped := func(name string, m *frame.StorageMap[types.AccountID, []IDAmount], v metadata.TypeID, d string) metadata.StorageEntry {
		return metadata.StorageEntry{Name: name, Optional: m.Query() == frame.OptionQuery, Hashers: []uint8{uint8(m.Hasher())},
			Key: tid(acc), Value: v, Default: m.DefaultBytes(), Docs: doc(d)}
	}
	plain := func(v *frame.StorageValue[scale.U128], d string) metadata.StorageEntry {
		return metadata.StorageEntry{Name: v.Name(), Optional: v.Query() == frame.OptionQuery, Value: u128, Default: v.DefaultBytes(), Docs: doc(d)}
	}
	s := &p.s
	storage := []metadata.StorageEntry{
		plain(s.totalIssuance, "The total units issued in the system."),
		plain(s.inactiveIssuance, "The total units of outstanding deactivated balance in the system."),
		{Name: s.locks.Name(), Optional: s.locks.Query() == frame.OptionQuery, Hashers: []uint8{uint8(s.locks.Hasher())},
			Key: tid(acc), Value: locks, Default: s.locks.DefaultBytes(),
			Docs: doc("Any liquidity locks on some account balances.")},
		mapped(s.holds.Name(), s.holds, idAmounts, "Holds on account balances."),
		mapped(s.freezes.Name(), s.freezes, idAmounts, "Freeze locks on account balances."),
	}

	u32le := func(v uint32) []byte { e := scale.NewEncoder(4); e.PutU32(v); return e.Bytes() }
	ed := scale.NewEncoder(16)
	ed.PutU128(p.cfg.ExistentialDeposit)
	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName, Storage: storage,
		Calls: tid(calls), Event: tid(events), Error: tid(errs),
		Constants: []metadata.Constant{
			{Name: "ExistentialDeposit", Type: u128, Value: ed.Bytes(),
				Docs: doc("The minimum amount required to keep an account open. MUST BE GREATER THAN ZERO!")},
			{Name: "MaxLocks", Type: u32, Value: u32le(p.cfg.MaxLocks),
				Docs: doc("The maximum number of locks that should exist on an account (not a hard limit).")},
			{Name: "MaxReserves", Type: u32, Value: u32le(MaxReserves),
				Docs: doc("The maximum number of named reserves that can exist on an account.")},
			{Name: "MaxHolds", Type: u32, Value: u32le(p.cfg.MaxHolds),
				Docs: doc("The maximum number of holds that can exist on an account at any time.")},
			{Name: "MaxFreezes", Type: u32, Value: u32le(p.cfg.MaxFreezes),
				Docs: doc("The maximum number of individual freeze locks that can exist on an account at any time.")},
		},
		Docs: doc("MSC's pallet_balances: MSCA balances (12 decimals) stored in System.Account."),
	}
}
