package balances

import (
	"bytes"
	"slices"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// decodedMetadata builds metadata for System + Balances (at 6) and decodes
// it back, V14 and V15.
func decodedMetadata(t *testing.T, p *Pallet) []*metadata.Decoded {
	t.Helper()
	m := metadata.Build(metadata.RuntimeInfo{Crate: "test_runtime"},
		[]metadata.IndexedDescriber{{Index: 0, Pallet: system.New()}, {Index: balancesIndex, Pallet: p}})
	var out []*metadata.Decoded
	for _, b := range [][]byte{m.V14(), m.V15()} {
		d, err := metadata.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// requireExact walks b as a value of type ty and requires it to be consumed
// exactly.
func requireExact(t *testing.T, m *metadata.Decoded, ty metadata.TypeID, b []byte, what string) {
	t.Helper()
	d := scale.NewDecoder(b)
	m.Skip(ty, d)
	if err := d.Finish(); err != nil {
		t.Fatalf("%s: %x does not decode as type %d %v: %v", what, b, ty, m.Type(ty).Path, err)
	}
}

func encodeWith(v scale.Encodable, prefix ...byte) []byte {
	e := scale.NewEncoder(64)
	e.PutRaw(prefix)
	v.EncodeTo(e)
	return e.Bytes()
}

func TestMetadataMatchesPallet(t *testing.T) {
	p := New(DefaultConfig(nil))
	for _, m := range decodedMetadata(t, p) {
		pm := m.Pallet(PalletName)
		if pm == nil || pm.Index != balancesIndex || pm.StoragePrefix != PalletName || pm.Calls == nil || pm.Event == nil || pm.Error == nil {
			t.Fatalf("v%d: pallet %+v", m.Version, pm)
		}
		if got := m.Type(*pm.Calls).Path; !slices.Equal(got, []string{"pallet_balances", "pallet", "Call"}) {
			t.Fatalf("call path %v", got)
		}

		// Calls: same indices and names as Calls(); the pallet's argument
		// encoders produce what the metadata types describe, and the
		// pallet decodes it back.
		addr := types.NewAddress(types.AccountID{7})
		samples := map[uint8]scale.Encodable{
			CallTransferAllowDeath:       &TransferArgs{Dest: addr, Value: scale.FromUint64(1 << 40)},
			CallForceTransfer:            &ForceTransferArgs{Source: addr, Dest: addr, Value: scale.U128{Hi: 1, Lo: 2}},
			CallTransferKeepAlive:        &TransferArgs{Dest: addr, Value: scale.FromUint64(3)},
			CallTransferAll:              &TransferAllArgs{Dest: addr, KeepAlive: true},
			CallForceUnreserve:           &ForceUnreserveArgs{Who: addr, Amount: scale.FromUint64(70)},
			CallUpgradeAccounts:          &UpgradeAccountsArgs{Who: []types.AccountID{{1}, {2}}},
			CallForceSetBalance:          &ForceSetBalanceArgs{Who: addr, NewFree: scale.FromUint64(1 << 62)},
			CallForceAdjustTotalIssuance: &AdjustIssuanceArgs{Direction: AdjustDecrease, Delta: scale.FromUint64(9)},
			CallBurn:                     &BurnArgs{Value: scale.FromUint64(5), KeepAlive: true},
		}
		defs := p.Calls()
		if n := len(m.Type(*pm.Calls).Variants); n != len(defs) || n != len(samples) {
			t.Fatalf("%d call variants, %d calls, %d samples", n, len(defs), len(samples))
		}
		for _, c := range defs {
			v := m.Variant(*pm.Calls, c.Index)
			if v == nil || v.Name != c.Name || len(v.Docs) == 0 {
				t.Fatalf("call %d %s: metadata %+v", c.Index, c.Name, v)
			}
			args := encodeWith(samples[c.Index])
			requireExact(t, m, *pm.Calls, append([]byte{c.Index}, args...), c.Name)
			// the pallet's own decoder reads the same bytes
			back := slices.Clone(args)
			dec := scale.NewDecoder(back)
			fresh := samples[c.Index].(interface {
				scale.Decodable
				scale.Encodable
			})
			fresh.DecodeFrom(dec)
			if dec.Finish() != nil || !bytes.Equal(encodeWith(fresh), args) {
				t.Fatalf("%s: round trip", c.Name)
			}
		}
		// transfer_allow_death{dest: MultiAddress, value: Compact<u128>}
		v := m.Variant(*pm.Calls, CallTransferAllowDeath)
		if v.Fields[0].Name != "dest" || v.Fields[0].TypeName != "AccountIdLookupOf<T>" ||
			m.Type(v.Fields[0].Type).Path[len(m.Type(v.Fields[0].Type).Path)-1] != "MultiAddress" ||
			v.Fields[1].Name != "value" || m.Type(v.Fields[1].Type).Def != metadata.DefCompact {
			t.Fatalf("transfer_allow_death %+v", v.Fields)
		}

		// Events: every variant the Go code encodes decodes exactly with
		// its metadata variant; variants without a Go encoder are listed.
		who := types.AccountID{9}
		evs := []scale.Encodable{
			EventTransfer{From: who, To: types.AccountID{8}, Amount: scale.FromUint64(1)},
			EventUpgraded{Who: who},
			EventTotalIssuanceForced{Old: scale.FromUint64(1), New: scale.FromUint64(2)},
		}
		for _, idx := range []uint8{EvEndowed, EvDustLost, EvBalanceSet, EvReserved, EvUnreserved, EvDeposit, EvWithdraw,
			EvSlashed, EvMinted, EvBurned, EvSuspended, EvRestored, EvLocked, EvUnlocked, EvFrozen, EvThawed} {
			evs = append(evs, EventAccount{Index: idx, Who: who, Amount: scale.FromUint64(uint64(idx) + 1)})
		}
		covered := map[uint8]bool{}
		for _, ev := range evs {
			b := encodeWith(ev)
			covered[b[0]] = true
			requireExact(t, m, *pm.Event, b, "event")
		}
		for _, idx := range []uint8{EvReserveRepatriated, EvIssued, EvRescinded} { // never emitted by MSC
			covered[idx] = true
		}
		if vs := m.Type(*pm.Event).Variants; len(vs) != len(covered) || len(vs) != int(EvTotalIssuanceForced)+1 {
			t.Fatalf("%d event variants, %d covered", len(vs), len(covered))
		}
		for _, v := range m.Type(*pm.Event).Variants {
			if !covered[v.Index] || len(v.Docs) == 0 {
				t.Fatalf("event %d %s", v.Index, v.Name)
			}
			for _, f := range v.Fields {
				if f.Name == "" {
					t.Fatalf("event %s has an unnamed field", v.Name)
				}
			}
		}

		// Errors: index, name and a doc for each of Errors.
		if n := len(m.Type(*pm.Error).Variants); n != len(Errors) {
			t.Fatalf("%d error variants, %d errors", n, len(Errors))
		}
		for _, e := range Errors {
			v := m.Variant(*pm.Error, e.Index)
			if v == nil || v.Name != e.Name || len(v.Docs) != 1 || len(v.Fields) != 0 {
				t.Fatalf("error %d %s: %+v", e.Index, e.Name, v)
			}
		}

		// Storage: names, hashers, modifiers and defaults of the items; a
		// value written by the item's codec decodes with the value type.
		lockVal := scale.NewEncoder(64)
		lockVecCodec.Encode(lockVal, []BalanceLock{{ID: LockID{'s', 't', 'a', 'k', 'i', 'n', 'g', ' '}, Amount: scale.FromUint64(5), Reasons: ReasonsAll}})
		idVal := scale.NewEncoder(64)
		idAmountVecCodec.Encode(idVal, []IDAmount{{ID: Reason{Pallet: 9, Variant: 1}, Amount: scale.FromUint64(5)}, {}})
		u128 := scale.NewEncoder(16)
		u128.PutU128(scale.U128{Hi: 3, Lo: 4})
		type item struct {
			name    string
			hasher  *frame.Hasher
			query   frame.QueryKind
			def     []byte
			example []byte
		}
		h := func(x frame.Hasher) *frame.Hasher { return &x }
		s := p.s
		items := []item{
			{s.totalIssuance.Name(), nil, s.totalIssuance.Query(), s.totalIssuance.DefaultBytes(), u128.Bytes()},
			{s.inactiveIssuance.Name(), nil, s.inactiveIssuance.Query(), s.inactiveIssuance.DefaultBytes(), u128.Bytes()},
			{s.locks.Name(), h(s.locks.Hasher()), s.locks.Query(), s.locks.DefaultBytes(), lockVal.Bytes()},
			{s.holds.Name(), h(s.holds.Hasher()), s.holds.Query(), s.holds.DefaultBytes(), idVal.Bytes()},
			{s.freezes.Name(), h(s.freezes.Hasher()), s.freezes.Query(), s.freezes.DefaultBytes(), idVal.Bytes()},
		}
		if len(pm.Storage) != len(items) {
			t.Fatalf("%d storage entries", len(pm.Storage))
		}
		for i, it := range items {
			se := pm.Storage[i]
			if se.Name != it.name || se.Optional != (it.query == frame.OptionQuery) || !bytes.Equal(se.Default, it.def) || len(se.Docs) == 0 {
				t.Fatalf("storage %s: %+v", it.name, se)
			}
			if (it.hasher == nil) != (se.Key == nil) || (it.hasher != nil && !bytes.Equal(se.Hashers, []byte{uint8(*it.hasher)})) {
				t.Fatalf("storage %s hashers %v", it.name, se.Hashers)
			}
			if se.Key != nil {
				requireExact(t, m, *se.Key, who[:], it.name+" key")
			}
			requireExact(t, m, se.Value, se.Default, it.name+" default")
			requireExact(t, m, se.Value, it.example, it.name+" value")
		}

		// Constants: the configured values.
		consts := map[string][]byte{}
		for _, c := range pm.Constants {
			requireExact(t, m, c.Type, c.Value, c.Name)
			consts[c.Name] = c.Value
		}
		ed := scale.NewEncoder(16)
		ed.PutU128(p.ExistentialDeposit())
		u32 := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
		want := map[string][]byte{"ExistentialDeposit": ed.Bytes(), "MaxLocks": u32(50), "MaxReserves": u32(MaxReserves),
			"MaxHolds": u32(p.cfg.MaxHolds), "MaxFreezes": u32(p.cfg.MaxFreezes)}
		if len(consts) != len(want) {
			t.Fatalf("constants %v", consts)
		}
		for k, v := range want {
			if !bytes.Equal(consts[k], v) {
				t.Fatalf("constant %s = %x, want %x", k, consts[k], v)
			}
		}
	}
}
