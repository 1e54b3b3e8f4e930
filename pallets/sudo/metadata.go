package sudo

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
)

var _ metadata.Describer = (*Pallet)(nil)

// errorDocs are the errors' one-line docs, by index.
var errorDocs = [...]string{"Sender must be the Sudo account."}

func doc(s string) []string { return []string{" " + s} }

func field(name string, t metadata.TypeID, tn string) metadata.Field {
	return metadata.Field{Name: name, Type: t, TypeName: tn}
}

func tid(t metadata.TypeID) *metadata.TypeID { return &t }

// Metadata describes pallet_sudo; call is the runtime's RuntimeCall (the
// Box<RuntimeCall> arguments).
func (p *Pallet) Metadata(r *metadata.Registry, call metadata.TypeID) metadata.Pallet {
	acc, addr := r.AccountID32(), r.MultiAddress()
	params := []metadata.Param{{Name: "T"}}
	path := func(name string) []string { return []string{"pallet_sudo", "pallet", name} }
	v := func(name string, idx uint8, d string, fs ...metadata.Field) metadata.Variant {
		return metadata.Variant{Name: name, Index: idx, Fields: fs, Docs: doc(d)}
	}
	inner := field("call", call, "Box<<T as Config>::RuntimeCall>")
	calls := r.Variant(path("Call"), params, []metadata.Variant{
		v("sudo", CallSudo, "Authenticates the sudo key and dispatches a function call with `Root` origin.", inner),
		v("sudo_unchecked_weight", CallSudoUncheckedWeight,
			"Authenticates the sudo key and dispatches a function call with `Root` origin, declaring the given weight.",
			inner, field("weight", r.Weight(), "Weight")),
		v("set_key", CallSetKey, "Authenticates the current sudo key and sets the given AccountId (`new`) as the new sudo key.",
			field("new", addr, "AccountIdLookupOf<T>")),
		v("sudo_as", CallSudoAs, "Authenticates the sudo key and dispatches a function call with `Signed` origin from a given account.",
			field("who", addr, "AccountIdLookupOf<T>"), inner),
		v("remove_key", CallRemoveKey, "Permanently removes the sudo key."),
	}, " Contains a variant per dispatchable extrinsic that this pallet has.")

	result := field("sudo_result", r.Result(r.Unit(), r.DispatchError()), "DispatchResult")
	events := r.Variant(path("Event"), params, []metadata.Variant{
		v("Sudid", EvSudid, "A sudo call just took place.", result),
		v("KeyChanged", EvKeyChanged, "The sudo key has been updated.",
			field("old", r.Option(acc), "Option<T::AccountId>"), field("new", acc, "T::AccountId")),
		v("KeyRemoved", EvKeyRemoved, "The key was permanently removed."),
		v("SudoAsDone", EvSudoAsDone, "A [sudo_as](Pallet::sudo_as) call just took place.", result),
	}, " The `Event` enum of this pallet")

	errVariants := make([]metadata.Variant, len(Errors))
	for i, e := range Errors {
		errVariants[i] = metadata.Variant{Name: e.Name, Index: e.Index, Docs: doc(errorDocs[e.Index])}
	}
	errs := r.Variant(path("Error"), params, errVariants, " Error for the Sudo pallet.")

	return metadata.Pallet{
		Name: PalletName, StoragePrefix: PalletName,
		Storage: []metadata.StorageEntry{{Name: key.Name(), Optional: key.Query() == frame.OptionQuery,
			Value: acc, Default: key.DefaultBytes(), Docs: doc("The `AccountId` of the sudo key.")}},
		Calls: tid(calls), Event: tid(events), Error: tid(errs),
		Docs: doc("pallet_sudo: a single account (the key) may dispatch calls as Root."),
	}
}
