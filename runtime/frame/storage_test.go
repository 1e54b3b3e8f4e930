package frame_test

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var alice = types.AccountID(func() (a [32]byte) {
	b, _ := hex.DecodeString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	copy(a[:], b)
	return
}())

func TestStorageKeyVectors(t *testing.T) {
	h := frametest.NewHost()
	account := frame.NewMap("System", "Account", frame.Blake2_128Concat, frame.AccountIDCodec, frame.CodecOf[frame.AccountInfo]())
	want := mustHex(t, "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"+
		"de1e86a9a8c739864cf3cc5ec2bea59f"+hex.EncodeToString(alice[:]))
	if got := account.Key(h, alice); string(got) != string(want) {
		t.Fatalf("System.Account(alice) key\n got %x\nwant %x", got, want)
	}
	events := frame.NewValue("System", "Events", frame.BytesCodec)
	if got, want := hex.EncodeToString(events.Key()), "26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7"; got != want {
		t.Fatalf("System.Events key %s, want %s", got, want)
	}
	if got := hex.EncodeToString(frame.Prefix("Balances", "TotalIssuance")[:16]); got != "c2261276cc9d1f8598ea4b6a74b15c2f" {
		t.Fatalf("twox128(Balances) = %s", got)
	}
}

func TestHashers(t *testing.T) {
	h := frametest.NewHost()
	k := []byte{1, 2, 3}
	cases := []struct {
		h    frame.Hasher
		want []byte
	}{
		{frame.Blake2_128, func() []byte { x := types.Blake2b128(k); return x[:] }()},
		{frame.Blake2_256, func() []byte { x := types.Blake2b256(k); return x[:] }()},
		{frame.Blake2_128Concat, types.Blake2_128Concat(k)},
		{frame.Twox128, func() []byte { x := types.Twox128(k); return x[:] }()},
		{frame.Twox256, func() []byte { x := types.Twox256(k); return x[:] }()},
		{frame.Twox64Concat, types.Twox64Concat(k)},
		{frame.Identity, k},
	}
	for _, c := range cases {
		if got := c.h.Hash(h, k); string(got) != string(c.want) {
			t.Errorf("hasher %d: %x want %x", c.h, got, c.want)
		}
	}
}

func TestStorageMapOps(t *testing.T) {
	h := frametest.NewHost()
	m := frame.NewMap("Test", "Map", frame.Twox64Concat, frame.U32Codec, frame.U64Codec, frame.WithDefault[uint64](7))
	if got := m.Get(h, 1); got != 7 {
		t.Fatalf("default %d", got)
	}
	if _, ok := m.TryGet(h, 1); ok {
		t.Fatal("TryGet of missing")
	}
	for i := uint32(0); i < 5; i++ {
		m.Set(h, i, uint64(i)*10)
	}
	errBoom := errors.New("boom")
	if err := m.Mutate(h, 2, func(v *uint64) error { *v = 999; return errBoom }); !errors.Is(err, errBoom) {
		t.Fatal(err)
	}
	if m.Get(h, 2) != 20 {
		t.Fatal("failed Mutate wrote")
	}
	_ = m.Mutate(h, 2, func(v *uint64) error { *v++; return nil })
	if m.Get(h, 2) != 21 {
		t.Fatal("Mutate")
	}
	if v := m.Take(h, 3); v != 30 || m.Exists(h, 3) {
		t.Fatal("Take")
	}
	_ = m.MutateExists(h, 4, func(v *uint64, ok *bool) error { *ok = false; return nil })
	if m.Exists(h, 4) {
		t.Fatal("MutateExists remove")
	}
	var keys []uint32
	var sum uint64
	if err := m.Iterate(h, func(k uint32, v uint64) bool { keys = append(keys, k); sum += v; return true }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || sum != 0+10+21 {
		t.Fatalf("iterate %v %d", keys, sum)
	}
	opaque := frame.NewMap("Test", "Opaque", frame.Blake2_256, frame.U32Codec, frame.U32Codec)
	if err := opaque.Iterate(h, func(uint32, uint32) bool { return true }); !errors.Is(err, frame.ErrNotReversible) {
		t.Fatal("expected ErrNotReversible", err)
	}
	if !m.Clear(h, 0) || m.Exists(h, 0) {
		t.Fatal("Clear")
	}
}

func TestDoubleMapAndNMap(t *testing.T) {
	h := frametest.NewHost()
	dm := frame.NewDoubleMap("Test", "DM", frame.Blake2_128Concat, frame.AccountIDCodec, frame.Twox64Concat, frame.U32Codec, frame.U128Codec)
	bob := types.AccountID{2}
	dm.Set(h, alice, 1, scale.FromUint64(1))
	dm.Set(h, alice, 2, scale.FromUint64(2))
	dm.Set(h, bob, 1, scale.FromUint64(3))
	n := 0
	_ = dm.IteratePrefix(h, alice, func(k2 uint32, v scale.U128) bool { n++; return true })
	if n != 2 {
		t.Fatalf("prefix iterate %d", n)
	}
	total := 0
	_ = dm.Iterate(h, func(k1 types.AccountID, k2 uint32, v scale.U128) bool { total++; return true })
	if total != 3 {
		t.Fatalf("iterate %d", total)
	}
	dm.RemovePrefix(h, alice, 0)
	if dm.Exists(h, alice, 1) || !dm.Exists(h, bob, 1) {
		t.Fatal("RemovePrefix")
	}
	nm := frame.NewNMap("Test", "NM", []frame.Hasher{frame.Twox64Concat, frame.Identity, frame.Blake2_128Concat}, frame.U32Codec)
	nm.Set(h, 5, []byte{1}, []byte{2}, []byte{3})
	if nm.Get(h, []byte{1}, []byte{2}, []byte{3}) != 5 {
		t.Fatal("nmap get")
	}
	key := nm.Key(h, []byte{1}, []byte{2}, []byte{3})
	if len(key) != 32+8+1+1+16+1 {
		t.Fatalf("nmap key len %d", len(key))
	}
	nm.RemovePrefix(h, 0, []byte{1})
	if nm.Exists(h, []byte{1}, []byte{2}, []byte{3}) {
		t.Fatal("nmap RemovePrefix")
	}
}

func TestValueAppendAndCorruptDecode(t *testing.T) {
	h := frametest.NewHost()
	v := frame.NewValue("Test", "Vec", frame.VecCodec(frame.U32Codec, 4))
	v.Append(h, []byte{1, 0, 0, 0})
	v.Append(h, []byte{2, 0, 0, 0})
	if got := v.Get(h); len(got) != 2 || got[1] != 2 {
		t.Fatalf("append %v", got)
	}
	h.StorageSet(v.Key(), []byte{0xff})
	if _, ok := v.TryGet(h); ok {
		t.Fatal("corrupt value decoded")
	}
}

func TestInherentDataCodec(t *testing.T) {
	var d frame.InherentData
	d.Put(frame.InherentID{'z'}, []byte{1})
	d.Put(frame.InherentID{'a'}, []byte{2})
	b := scale.Encode(&d)
	var back frame.InherentData
	if err := scale.Decode(b, &back); err != nil {
		t.Fatal(err)
	}
	if x, _ := back.Get(frame.InherentID{'a'}); len(x) != 1 || x[0] != 2 {
		t.Fatal("roundtrip")
	}
	// unsorted keys are rejected
	bad := append([]byte{8}, append(append([]byte("zzzzzzzz"), 0), append([]byte("aaaaaaaa"), 0)...)...)
	if err := scale.Decode(bad, &back); err == nil {
		t.Fatal("unsorted accepted")
	}
}
