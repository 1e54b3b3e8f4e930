package transactionpayment

import (
	"bytes"
	"testing"

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
	p := New(DefaultConfig(nil, nil))
	built := metadata.Build(metadata.RuntimeInfo{Crate: "test_runtime"}, []metadata.IndexedDescriber{{Index: 7, Pallet: p}})
	for _, b := range [][]byte{built.V14(), built.V15()} {
		m, err := metadata.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		pm := m.Pallet(PalletName)
		if pm == nil || pm.Index != 7 || pm.StoragePrefix != PalletName || pm.Event == nil {
			t.Fatalf("pallet %+v", pm)
		}
		// no calls, no errors (as Calls() and Substrate's pallet)
		if pm.Calls != nil || len(p.Calls()) != 0 || pm.Error != nil {
			t.Fatal("calls or errors described")
		}
		ev := scale.Encode(EventTransactionFeePaid{Who: types.AccountID{1}, ActualFee: scale.FromUint64(100), Tip: scale.U128{Hi: 1}})
		requireExact(t, m, *pm.Event, ev, "TransactionFeePaid")
		v := m.Variant(*pm.Event, EvTransactionFeePaid)
		if len(m.Type(*pm.Event).Variants) != 1 || v.Name != "TransactionFeePaid" || len(v.Fields) != 3 ||
			v.Fields[0].Name != "who" || v.Fields[1].Name != "actual_fee" || v.Fields[2].Name != "tip" {
			t.Fatalf("event %+v", v)
		}

		// Storage: the items' names, modifiers and defaults; values written
		// by the items' codecs decode with the value types.
		s := p.s
		mult := scale.NewEncoder(16)
		multiplierCodec.Encode(mult, Multiplier{Inner: scale.FromUint64(3)})
		want := []struct {
			name     string
			query    frame.QueryKind
			def, val []byte
			last     string
		}{
			{s.nextFeeMultiplier.Name(), s.nextFeeMultiplier.Query(), s.nextFeeMultiplier.DefaultBytes(), mult.Bytes(), "FixedU128"},
			{s.storageVersion.Name(), s.storageVersion.Query(), s.storageVersion.DefaultBytes(), []byte{releasesV2}, "Releases"},
		}
		if len(pm.Storage) != len(want) {
			t.Fatalf("%d storage entries", len(pm.Storage))
		}
		for i, w := range want {
			se := pm.Storage[i]
			path := m.Type(se.Value).Path
			if se.Name != w.name || se.Optional != (w.query == frame.OptionQuery) || se.Key != nil ||
				!bytes.Equal(se.Default, w.def) || len(path) == 0 || path[len(path)-1] != w.last {
				t.Fatalf("storage %s: %+v %v", w.name, se, path)
			}
			requireExact(t, m, se.Value, se.Default, w.name+" default")
			requireExact(t, m, se.Value, w.val, w.name+" value")
		}
		// NextFeeMultiplier defaults to 1.0 = 10^18.
		if d := scale.NewDecoder(pm.Storage[0].Default); d.U128() != MultiplierOne.Inner {
			t.Fatal("multiplier default")
		}

		if len(pm.Constants) != 1 || pm.Constants[0].Name != "OperationalFeeMultiplier" ||
			!bytes.Equal(pm.Constants[0].Value, []byte{DefaultOperationalFeeMultiplier}) {
			t.Fatalf("constants %+v", pm.Constants)
		}
		requireExact(t, m, pm.Constants[0].Type, pm.Constants[0].Value, "OperationalFeeMultiplier")
	}
}
