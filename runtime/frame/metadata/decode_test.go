package metadata

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

func TestDecodeRoundTrip(t *testing.T) {
	m := Build(RuntimeInfo{Crate: "test_runtime"}, []IndexedDescriber{{0, testPallet{"A"}}, {6, testPallet{"B"}}})
	m.APIs = m.Types.StandardAPIs(m.Extrinsic.Type)
	for _, b := range [][]byte{m.V14(), m.V15()} {
		d, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Types) != m.Types.Len() || len(d.Pallets) != 2 || d.Pallets[1].Name != "B" || d.Pallets[1].Index != 6 ||
			len(d.Extrinsic.SignedExtensions) != len(m.Extrinsic.SignedExtensions) || d.RuntimeType != m.RuntimeType {
			t.Fatalf("v%d: decoded %d types, pallets %+v", d.Version, len(d.Types), d.Pallets)
		}
		if d.Version == 15 && (len(d.APIs) != len(m.APIs) || d.CallEnum != m.CallEnum || d.EventEnum != m.EventEnum) {
			t.Fatal("v15 fields")
		}
		a := d.Pallet("A")
		if a == nil || len(a.Storage) != 2 || a.Storage[0].Key == nil || !bytes.Equal(a.Storage[0].Hashers, []byte{HasherBlake2_128Concat}) {
			t.Fatalf("pallet A %+v", a)
		}
		// A.wrap(B.wrap(<nothing>)) is not a value: RuntimeCall recursion
		// needs a leaf; A's call wraps a call, so check depth is bounded.
		deep := bytes.Repeat([]byte{0, 0}, 1000)
		dec := scale.NewDecoder(deep)
		d.Skip(d.Pallets[0].Storage[0].Value, scale.NewDecoder(make([]byte, 80)))
		d.Skip(m.CallEnum, dec)
		if dec.Err() == nil {
			t.Fatal("unbounded recursion accepted")
		}
		// AccountInfo default (80 zero bytes) decodes exactly
		dd := scale.NewDecoder(a.Storage[0].Default)
		d.Skip(a.Storage[0].Value, dd)
		if err := dd.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Decode([]byte("meta\x0d")); err == nil {
		t.Fatal("bad blob decoded")
	}
}

func FuzzDecode(f *testing.F) {
	m := Build(RuntimeInfo{Crate: "t"}, []IndexedDescriber{{0, testPallet{"A"}}})
	f.Add(m.V14(), []byte{0, 0, 1})
	f.Add(m.V15(), []byte{})
	f.Fuzz(func(t *testing.T, b, v []byte) {
		d, err := Decode(b)
		if err != nil || len(d.Types) == 0 {
			return
		}
		for id := range d.Types {
			d.Skip(TypeID(id), scale.NewDecoder(v))
		}
	})
}
