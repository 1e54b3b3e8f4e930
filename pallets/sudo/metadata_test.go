package sudo

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func requireExact(t *testing.T, m *metadata.Decoded, ty metadata.TypeID, b []byte, what string) {
	t.Helper()
	d := scale.NewDecoder(b)
	m.Skip(ty, d)
	if err := d.Finish(); err != nil {
		t.Fatalf("%s: %x does not decode as type %d %v: %v", what, b, ty, m.Type(ty).Path, err)
	}
}

func TestMetadataMatchesPallet(t *testing.T) {
	rt := frame.NewRuntime(frame.Config{Version: types.RuntimeVersion{SpecName: "msc-test", SpecVersion: 1}})
	sys := system.New()
	bal := balances.New(balances.DefaultConfig(sys))
	p := New(Config{Calls: rt})
	rt.Register(0, sys)
	rt.Register(sudoIndex, p)
	rt.Register(balancesIndex, bal)
	built := metadata.Build(metadata.RuntimeInfo{Crate: "test_runtime"}, []metadata.IndexedDescriber{
		{Index: 0, Pallet: sys}, {Index: sudoIndex, Pallet: p}, {Index: balancesIndex, Pallet: bal}})

	// Calls as the runtime encodes them (pallet ++ call ++ args); inner is
	// Balances.transfer_keep_alive.
	args := balances.TransferArgs{Dest: types.NewAddress(bob.Account), Value: scale.FromUint64(12345)}
	inner := append([]byte{balancesIndex, balances.CallTransferKeepAlive}, scale.Encode(&args)...)
	weight := scale.Encode(&types.Weight{RefTime: 1 << 33, ProofSize: 7})
	who := append([]byte{0}, carol.Account[:]...) // MultiAddress::Id
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	head := func(c uint8) []byte { return []byte{sudoIndex, c} }
	samples := map[uint8][]byte{
		CallSudo:                cat(head(CallSudo), inner),
		CallSudoUncheckedWeight: cat(head(CallSudoUncheckedWeight), inner, weight),
		CallSetKey:              cat(head(CallSetKey), who),
		CallSudoAs:              cat(head(CallSudoAs), who, inner),
		CallRemoveKey:           head(CallRemoveKey),
	}
	nested := cat(head(CallSudo), samples[CallSudoAs]) // sudo(sudo_as(who, transfer))

	for _, b := range [][]byte{built.V14(), built.V15()} {
		m, err := metadata.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		pm := m.Pallet(PalletName)
		if pm == nil || pm.Index != sudoIndex || pm.Calls == nil || pm.Event == nil || pm.Error == nil {
			t.Fatalf("pallet %+v", pm)
		}
		defs := p.Calls()
		if len(m.Type(*pm.Calls).Variants) != len(defs) || len(defs) != len(samples) {
			t.Fatalf("%d call variants, %d calls", len(m.Type(*pm.Calls).Variants), len(defs))
		}
		// the RuntimeCall type: the pallet decodes (through the runtime)
		// exactly the bytes the metadata describes
		callT := m.Extrinsic.Call
		if m.Version == 14 {
			callT = *m.Type(m.Extrinsic.Type).Params[1].Type
		}
		for _, c := range defs {
			v := m.Variant(*pm.Calls, c.Index)
			if v == nil || v.Name != c.Name || len(v.Docs) == 0 {
				t.Fatalf("call %d %s: %+v", c.Index, c.Name, v)
			}
			x := samples[c.Index]
			requireExact(t, m, callT, x, c.Name)
			rc, err := rt.DecodeCallBytes(x)
			if err != nil || rc.PalletIndex != sudoIndex || rc.CallIndex != c.Index || !bytes.Equal(rc.Encoded, x) {
				t.Fatalf("%s: runtime decode %v", c.Name, err)
			}
		}
		requireExact(t, m, callT, nested, "nested")
		if _, err := rt.DecodeCallBytes(nested); err != nil {
			t.Fatal(err)
		}
		if f := m.Variant(*pm.Calls, CallSudo).Fields[0]; f.Name != "call" || f.Type != callT {
			t.Fatalf("sudo field %+v is not Box<RuntimeCall>", f)
		}

		// Events, as the pallet encodes them.
		mod := types.NewModuleError(sudoIndex, 0)
		other := types.DispatchError{Kind: types.DispatchOther}
		old := alice.Account
		evs := []scale.Encodable{
			EventSudid{Index: EvSudid}, EventSudid{Index: EvSudid, Result: &mod}, EventSudid{Index: EvSudoAsDone, Result: &other},
			EventKeyChanged{New: bob.Account}, EventKeyChanged{Old: &old, New: bob.Account}, EventKeyRemoved{},
		}
		covered := map[uint8]bool{}
		for _, ev := range evs {
			b := scale.Encode(ev)
			covered[b[0]] = true
			requireExact(t, m, *pm.Event, b, "event")
		}
		if vs := m.Type(*pm.Event).Variants; len(vs) != len(covered) {
			t.Fatalf("%d event variants, %d encoded", len(vs), len(covered))
		}

		// Errors.
		if len(m.Type(*pm.Error).Variants) != len(Errors) {
			t.Fatal("error count")
		}
		for _, e := range Errors {
			if v := m.Variant(*pm.Error, e.Index); v == nil || v.Name != e.Name || len(v.Docs) != 1 {
				t.Fatalf("error %s: %+v", e.Name, v)
			}
		}

		// Storage: Key, Option<AccountId>.
		if len(pm.Storage) != 1 {
			t.Fatal("storage")
		}
		se := pm.Storage[0]
		if se.Name != "Key" || !se.Optional || se.Key != nil || !bytes.Equal(se.Default, key.DefaultBytes()) ||
			!bytes.Equal(se.Default, []byte{0}) {
			t.Fatalf("storage %+v", se)
		}
		requireExact(t, m, se.Value, alice.Account[:], "Key value")
	}
}
