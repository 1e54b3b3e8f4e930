package metadata

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

type testPallet struct{ name string }

func (p testPallet) Metadata(r *Registry, call TypeID) Pallet {
	calls := r.Variant(path("pallet_test", "pallet", "Call"), []Param{{Name: "T"}}, []Variant{
		{Name: "wrap", Index: 0, Fields: []Field{{Name: "call", Type: call, TypeName: "Box<RuntimeCall>"}}},
	})
	ev := r.Variant(path("pallet_test", "pallet", "Event"), nil, []Variant{
		{Name: "Done", Index: 0, Fields: []Field{{Name: "result", Type: r.Result(r.Unit(), r.DispatchError())}}},
	})
	return Pallet{Name: p.name, StoragePrefix: p.name, Calls: &calls, Event: &ev,
		Storage: []StorageEntry{
			{Name: "Account", Hashers: []uint8{HasherBlake2_128Concat}, Key: ptr(r.AccountID32()), Value: r.AccountInfo(), Default: make([]byte, 80)},
			{Name: "Events", Value: r.Sequence(r.EventRecord(r.Unit())), Default: []byte{0}},
		},
		Constants: []Constant{{Name: "N", Type: r.Prim(U32), Value: []byte{1, 0, 0, 0}}}}
}

func ptr(t TypeID) *TypeID { return &t }

func TestBuildWellFormed(t *testing.T) {
	m := Build(RuntimeInfo{Crate: "test_runtime"}, []IndexedDescriber{{0, testPallet{"A"}}, {6, testPallet{"B"}}})
	for _, b := range [][]byte{m.V14(), m.V15()} {
		n, np, err := Check(b)
		if err != nil {
			t.Fatal(err)
		}
		if np != 2 || n < 40 {
			t.Fatalf("%d types, %d pallets", n, np)
		}
	}
	if !bytes.HasPrefix(m.V14(), []byte{0x6d, 0x65, 0x74, 0x61, 0x0e}) || !bytes.HasPrefix(m.V15(), []byte("meta\x0f")) {
		t.Fatal("prefix")
	}
	if o := Opaque([]byte("meta")); !bytes.Equal(o, []byte("\x10meta")) {
		t.Fatalf("opaque %x", o)
	}
}

func TestRegistryDedupAndEncoding(t *testing.T) {
	r := NewRegistry()
	a, b := r.AccountID32(), r.AccountID32()
	if a != b || r.Len() != 3 { // u8, [u8;32], AccountId32
		t.Fatalf("dedup: %d %d, %d types", a, b, r.Len())
	}
	if r.Option(r.Prim(U32)) == r.Option(r.Prim(U64)) {
		t.Fatal("Option<u32> == Option<u64>")
	}
	r2 := NewRegistry()
	r2.Prim(U8)
	e := scale.NewEncoder(8)
	r2.EncodeTo(e)
	// Vec len 1, id 0, path [], params [], Primitive(U8), docs []
	if want := []byte{0x04, 0x00, 0x00, 0x00, 0x05, 0x03, 0x00}; !bytes.Equal(e.Bytes(), want) {
		t.Fatalf("u8 type %x, want %x", e.Bytes(), want)
	}
}

func FuzzCheck(f *testing.F) {
	m := Build(RuntimeInfo{Crate: "t"}, []IndexedDescriber{{0, testPallet{"A"}}})
	f.Add(m.V14())
	f.Add(m.V15())
	f.Fuzz(func(t *testing.T, b []byte) { _, _, _ = Check(b) })
}
