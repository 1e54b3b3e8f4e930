package relay

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// System.Events (PROTOCOL.md §3).
var eventsKey, _ = hex.DecodeString("26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7")

func TestMetadataComplete(t *testing.T) {
	rt := Default()
	m, missing := rt.Metadata()
	if len(missing) > 0 {
		t.Fatalf("pallets without metadata: %v", missing)
	}
	for _, b := range [][]byte{m.V14(), m.V15()} {
		if _, np, err := metadata.Check(b); err != nil || np != len(rt.Pallets()) {
			t.Fatalf("check: %d pallets: %v", np, err)
		}
		d, err := metadata.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		// every pallet at its index, with exactly its calls
		for _, ip := range rt.Pallets() {
			pm := d.Pallet(ip.Pallet.Name())
			if pm == nil || pm.Index != ip.Index {
				t.Fatalf("pallet %s: %+v", ip.Pallet.Name(), pm)
			}
			defs := ip.Pallet.Calls()
			if pm.Calls == nil {
				if len(defs) != 0 {
					t.Fatalf("%s: calls not described", pm.Name)
				}
				continue
			}
			if len(d.Type(*pm.Calls).Variants) != len(defs) {
				t.Fatalf("%s: %d call variants, %d calls", pm.Name, len(d.Type(*pm.Calls).Variants), len(defs))
			}
			for _, c := range defs {
				if v := d.Variant(*pm.Calls, c.Index); v == nil || v.Name != c.Name {
					t.Fatalf("%s.%s (%d): %+v", pm.Name, c.Name, c.Index, v)
				}
			}
		}
		if d.Version == 15 {
			var names []string
			for _, a := range d.APIs {
				names = append(names, a.Name)
			}
			for _, api := range []string{"Metadata", "TransactionPaymentApi", "AuraApi", "GrandpaApi", "SessionKeys",
				"AuraEquivocationApi", "GrandpaEquivocationApi"} {
				if !slices.Contains(names, api) {
					t.Fatalf("apis %v: no %s", names, api)
				}
			}
			withEvents := 0 // every pallet that has events has a variant
			for _, pm := range d.Pallets {
				if pm.Event != nil {
					withEvents++
				}
			}
			if d.Type(d.CallEnum).Path[0] != Crate || len(d.Type(d.EventEnum).Variants) != withEvents || withEvents < 6 {
				t.Fatalf("outer enums %v %d", d.Type(d.CallEnum).Path, len(d.Type(d.EventEnum).Variants))
			}
		}
	}
}

func TestVersionListsMetadataAPI(t *testing.T) {
	id, _ := hex.DecodeString("37e397fc7c91f5e4")
	for _, a := range Version().APIs {
		if a.ID == [8]byte(id) {
			if a.Version != 2 {
				t.Fatalf("Metadata v%d", a.Version)
			}
			return
		}
	}
	t.Fatal("Metadata API not listed")
}

func TestMetadataEntryPoints(t *testing.T) {
	h := frametest.NewHost()
	// versions: Vec<u32> holding 14 and 15
	d := scale.NewDecoder(call(t, h, "Metadata_metadata_versions", nil))
	vs := scale.DecodeVec(d, 4, func(d *scale.Decoder) uint32 { return d.U32() })
	if d.Finish() != nil || !slices.Contains(vs, 14) || !slices.Contains(vs, 15) {
		t.Fatalf("versions %v", vs)
	}
	blobs := map[uint32][]byte{}
	for _, v := range []uint32{14, 15} {
		d := scale.NewDecoder(call(t, h, "Metadata_metadata_at_version", scale.Encode(u32(v))))
		if !d.Option() {
			t.Fatalf("v%d: None", v)
		}
		b := d.Bytes()
		if err := d.Finish(); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0x6d, 0x65, 0x74, 0x61, byte(v)}) {
			t.Fatalf("v%d prefix %x", v, b[:5])
		}
		if _, _, err := metadata.Check(b); err != nil {
			t.Fatal(err)
		}
		blobs[v] = b
	}
	// Metadata_metadata is OpaqueMetadata (Vec<u8>) of V14
	d = scale.NewDecoder(call(t, h, "Metadata_metadata", nil))
	if b := d.Bytes(); d.Finish() != nil || !bytes.Equal(b, blobs[14]) {
		t.Fatal("Metadata_metadata is not V14")
	}
	for _, v := range []uint32{0, 13, 16, ^uint32(0)} {
		if out := call(t, h, "Metadata_metadata_at_version", scale.Encode(u32(v))); !bytes.Equal(out, []byte{0}) {
			t.Fatalf("v%d: %x, want None", v, out)
		}
	}
	t.Logf("metadata V14 %d bytes, V15 %d bytes", len(blobs[14]), len(blobs[15]))
}

type u32 uint32

func (v u32) EncodeTo(e *scale.Encoder) { e.PutU32(uint32(v)) }

// TestMetadataDecodesBlock: a block's signed extrinsic and the events it
// leaves in System.Events decode exactly with the served metadata's types
// (extrinsic address, signature, extensions and call; EventRecords of
// System, Balances and TransactionPayment).
func TestMetadataDecodesBlock(t *testing.T) {
	k := frametest.NewKey("//MetaTester")
	h := genesis(t, k.Account)
	rt := Default()
	genHeader := types.Header{StateRoot: h.StorageRoot(), ExtrinsicsRoot: h.TrieBlake2OrderedRoot(nil, 0)}
	hdr := types.Header{ParentHash: genHeader.Hash(), Number: 1}
	call(t, h, "Core_initialize_block", scale.Encode(&hdr))
	inh := call(t, h, "BlockBuilder_inherent_extrinsics", scale.Encode(timestamp.InherentData(1_700_000_000_000)))
	d := scale.NewDecoder(inh)
	xts := [][]byte{}
	for n := d.Len(1); n > 0; n-- {
		xts = append(xts, readExtrinsic(d))
	}
	ctx := rt.NewContext(h)
	imp, err := rt.Implicit(ctx, &frame.Extra{Era: types.ImmortalEra})
	if err != nil {
		t.Fatal(err)
	}
	fresh := types.AccountID{0xfe, 1} // a new account: Endowed, System.NewAccount
	xts = append(xts,
		frametest.SignWith(k, frame.Extra{Era: types.ImmortalEra}, imp, transferCall(DevAccounts[1], 5*PlanckPerMSCA)),
		frametest.SignWith(k, frame.Extra{Era: types.ImmortalEra, Nonce: 1}, imp, transferCall(fresh, 7*PlanckPerMSCA)),
		frametest.SignWith(k, frame.Extra{Era: types.ImmortalEra, Nonce: 2}, imp, transferCall(types.AccountID{0xfe, 2}, 1)), // fails: below ED
	)
	for i, xt := range xts {
		out := call(t, h, "BlockBuilder_apply_extrinsic", xt)
		if want := i < 3; (string(out) == "\x00\x00") != want {
			t.Fatalf("extrinsic %d: %x", i, out)
		}
	}
	raw, ok := h.StorageGet(eventsKey)
	if !ok {
		t.Fatal("no events")
	}

	d15 := scale.NewDecoder(call(t, h, "Metadata_metadata_at_version", scale.Encode(u32(15))))
	d15.Option()
	m, err := metadata.Decode(d15.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var eventsT metadata.TypeID
	for _, s := range m.Pallet("System").Storage {
		if s.Name == "Events" {
			eventsT = s.Value
		}
	}
	requireMetaExact(t, m, eventsT, raw, "System.Events")
	// which pallets spoke
	ed := scale.NewDecoder(raw)
	n := ed.Len(1)
	seen := map[uint8]bool{}
	failed := false
	rec := m.Type(eventsT).Elem
	phaseT, eventT := m.Type(rec).Fields[0].Type, m.Type(rec).Fields[1].Type
	for i := 0; i < n; i++ {
		m.Skip(phaseT, ed)
		seen[raw[ed.Offset()]] = true
		failed = failed || (raw[ed.Offset()] == IndexSystem && raw[ed.Offset()+1] == 1) // ExtrinsicFailed
		m.Skip(eventT, ed)
		m.Skip(m.Type(rec).Fields[2].Type, ed)
	}
	if !seen[IndexSystem] || !seen[IndexBalances] || !seen[IndexTransactionPayment] || !failed {
		t.Fatalf("events from pallets %v", seen)
	}

	// signed extrinsics: Compact(len) ++ 0x84 ++ address ++ signature ++ extra ++ call
	for _, xt := range xts[1:] {
		d := scale.NewDecoder(xt)
		d.Compact()
		if d.U8() != 0x84 {
			t.Fatal("not signed v4")
		}
		for _, ty := range []metadata.TypeID{m.Extrinsic.Address, m.Extrinsic.Signature, m.Extrinsic.ExtraTy, m.Extrinsic.Call} {
			m.Skip(ty, d)
		}
		if err := d.Finish(); err != nil {
			t.Fatalf("extrinsic %x: %v", xt, err)
		}
	}
}

func requireMetaExact(t *testing.T, m *metadata.Decoded, ty metadata.TypeID, b []byte, what string) {
	t.Helper()
	d := scale.NewDecoder(b)
	m.Skip(ty, d)
	if err := d.Finish(); err != nil {
		t.Fatalf("%s: %x does not decode as %v: %v", what, b, m.Type(ty).Path, err)
	}
}

// BenchmarkMetadata: building the relay's metadata natively (cold, as the
// first Metadata_* call of an instance) and serving it.
func BenchmarkMetadata(b *testing.B) {
	rt := Default()
	for _, v := range []uint32{14, 15} {
		b.Run(fmt.Sprintf("build+encode/v%d", v), func(b *testing.B) {
			var n int
			for b.Loop() {
				m, _ := rt.Metadata()
				if v == 14 {
					n = len(m.V14())
				} else {
					n = len(m.V15())
				}
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
	b.Run("Metadata_metadata_at_version/v15", func(b *testing.B) {
		h := frametest.NewHost()
		in := scale.Encode(u32(15))
		for b.Loop() {
			if _, err := Dispatch(h, "Metadata_metadata_at_version", in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
