package scale

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
)

func hx(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestCompactVectors(t *testing.T) {
	// Vectors from the SCALE specification and parity-scale-codec's tests.
	cases := []struct {
		v   uint64
		enc string
	}{
		{0, "00"}, {1, "04"}, {42, "a8"}, {63, "fc"}, {64, "0101"}, {69, "1501"},
		{16383, "fdff"}, {16384, "02000100"}, {1073741823, "feffffff"},
		{1073741824, "0300000040"}, {1 << 32, "070000000001"},
		{1<<64 - 1, "13ffffffffffffffff"}, {100000000000000, "0b00407a10f35a"},
	}
	for _, c := range cases {
		e := NewEncoder(0)
		e.PutCompact(c.v)
		if got := hex.EncodeToString(e.Bytes()); got != c.enc {
			t.Errorf("encode %d = %s, want %s", c.v, got, c.enc)
		}
		if CompactLen(c.v) != len(c.enc)/2 {
			t.Errorf("CompactLen(%d) = %d", c.v, CompactLen(c.v))
		}
		d := NewDecoder(hx(c.enc))
		if got := d.Compact(); got != c.v || d.Finish() != nil {
			t.Errorf("decode %s = %d (%v), want %d", c.enc, got, d.Err(), c.v)
		}
		d = NewDecoder(hx(c.enc))
		if got := d.CompactU128(); got != FromUint64(c.v) || d.Finish() != nil {
			t.Errorf("decode128 %s = %v (%v)", c.enc, got, d.Err())
		}
		d = NewDecoder(hx(c.enc))
		if got := d.CompactBig(); got.Cmp(new(big.Int).SetUint64(c.v)) != 0 || d.Finish() != nil {
			t.Errorf("decodeBig %s = %v (%v)", c.enc, got, d.Err())
		}
	}
}

func TestCompactNonCanonical(t *testing.T) {
	for _, enc := range []string{"0100", "02000000", "0300000000", "03ffffff3f", "070000000100"} {
		d := NewDecoder(hx(enc))
		d.Compact()
		if !errors.Is(d.Err(), ErrNonCanonicalCompact) {
			t.Errorf("%s: err %v, want non-canonical", enc, d.Err())
		}
	}
	d := NewDecoder(hx("17ffffffffffffffffff"))
	d.Compact()
	if !errors.Is(d.Err(), ErrOverflow) {
		t.Errorf("9-byte compact into u64: %v", d.Err())
	}
}

func TestCompactU128AndBig(t *testing.T) {
	vals := []U128{MaxU128, {Hi: 1}, {Hi: 0xff, Lo: 3}, FromUint64(84_000_000_000_000_000_000 % (1 << 63))}
	for _, v := range vals {
		e := NewEncoder(0)
		e.PutCompactU128(v)
		e2 := NewEncoder(0)
		e2.PutCompactBig(v.Big())
		if !bytes.Equal(e.Bytes(), e2.Bytes()) {
			t.Fatalf("u128 %v: %x vs big %x", v, e.Bytes(), e2.Bytes())
		}
		d := NewDecoder(e.Bytes())
		if got := d.CompactU128(); got != v || d.Finish() != nil {
			t.Fatalf("round trip %v -> %v (%v)", v, got, d.Err())
		}
	}
	e := NewEncoder(0)
	e.PutCompactU128(MaxU128)
	if hex.EncodeToString(e.Bytes()) != "33ffffffffffffffffffffffffffffffff" {
		t.Fatalf("max u128 = %x", e.Bytes())
	}
	huge := new(big.Int).Lsh(big.NewInt(1), 535)
	e.Reset()
	if !e.PutCompactBig(huge) {
		t.Fatal("2^535 refused")
	}
	if got := NewDecoder(e.Bytes()).CompactBig(); got.Cmp(huge) != 0 {
		t.Fatal("2^535 round trip")
	}
	if e.PutCompactBig(new(big.Int).Lsh(big.NewInt(1), 536)) {
		t.Fatal("2^536 accepted")
	}
}

func TestFixedAndComposite(t *testing.T) {
	e := NewEncoder(0)
	e.PutBool(true)
	e.PutU16(0x0102)
	e.PutU32(0x01020304)
	e.PutU64(0x0102030405060708)
	e.PutI32(-1)
	e.PutU128(U128{Hi: 1, Lo: 2})
	e.PutString("hé")
	e.PutOption(true)
	e.PutU8(9)
	e.PutOption(false)
	EncodeVec(e, []uint32{1, 2}, (*Encoder).PutU32)
	want := "01" + "0201" + "04030201" + "0807060504030201" + "ffffffff" +
		"0200000000000000" + "0100000000000000" + "0c68c3a9" + "0109" + "00" + "08" + "01000000" + "02000000"
	if got := hex.EncodeToString(e.Bytes()); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	d := NewDecoder(e.Bytes())
	if !d.Bool() || d.U16() != 0x0102 || d.U32() != 0x01020304 || d.U64() != 0x0102030405060708 || d.I32() != -1 {
		t.Fatal("ints")
	}
	if d.U128() != (U128{Hi: 1, Lo: 2}) || d.String() != "hé" || !d.Option() || d.U8() != 9 || d.Option() {
		t.Fatal("u128/string/option")
	}
	xs := DecodeVec(d, 4, (*Decoder).U32)
	if len(xs) != 2 || xs[1] != 2 || d.Finish() != nil {
		t.Fatalf("vec %v %v", xs, d.Err())
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		in   string
		read func(*Decoder)
		want error
	}{
		{"eof u32", "010203", func(d *Decoder) { d.U32() }, ErrUnexpectedEOF},
		{"bad bool", "02", func(d *Decoder) { d.Bool() }, ErrInvalidBool},
		{"bad option", "05", func(d *Decoder) { d.Option() }, ErrInvalidOption},
		{"vec too long", "fdff00", func(d *Decoder) { d.Bytes() }, ErrTooLong},
		{"vec elems too long", "0c0000", func(d *Decoder) { DecodeVec(d, 4, (*Decoder).U32) }, ErrTooLong},
		{"bad utf8", "04ff", func(d *Decoder) { _ = d.String() }, ErrInvalidUTF8},
		{"trailing", "0000", func(d *Decoder) { d.U8(); d.Finish() }, ErrTrailingBytes},
		{"empty compact", "", func(d *Decoder) { d.Compact() }, ErrUnexpectedEOF},
	}
	for _, c := range cases {
		d := NewDecoder(hx(c.in))
		c.read(d)
		if !errors.Is(d.Err(), c.want) {
			t.Errorf("%s: %v, want %v", c.name, d.Err(), c.want)
		}
		// Sticky: later reads return zero values and keep the first error.
		if d.U64() != 0 || !errors.Is(d.Err(), c.want) {
			t.Errorf("%s: error not sticky", c.name)
		}
	}
}

func TestU128Arithmetic(t *testing.T) {
	if _, ok := MaxU128.Add(FromUint64(1)); ok {
		t.Fatal("overflow not detected")
	}
	if _, ok := FromUint64(0).Sub(FromUint64(1)); ok {
		t.Fatal("underflow not detected")
	}
	if MaxU128.SaturatingAdd(FromUint64(5)) != MaxU128 || FromUint64(3).SaturatingSub(FromUint64(5)) != (U128{}) {
		t.Fatal("saturating")
	}
	supply, ok := FromUint64(84_000_000).Mul64(1_000_000_000_000)
	if !ok || supply.String() != "84000000000000000000" {
		t.Fatalf("supply %v", supply)
	}
	if p, err := ParseU128(supply.String()); err != nil || p != supply {
		t.Fatal("parse")
	}
	if _, err := ParseU128("340282366920938463463374607431768211456"); err == nil {
		t.Fatal("2^128 parsed")
	}
	q, r := supply.Div64(7)
	back, _ := q.Mul64(7)
	if back2, _ := back.Add(FromUint64(r)); back2 != supply {
		t.Fatal("div64")
	}
	if _, ok := (U128{Hi: 1}).Mul(U128{Hi: 1}); ok {
		t.Fatal("mul overflow")
	}
	if v, ok := supply.MulDiv(FromUint64(20), FromUint64(100)); !ok || v.String() != "16800000000000000000" {
		t.Fatalf("muldiv %v", v)
	}
	if v, ok := MaxU128.MulDiv(FromUint64(2), FromUint64(4)); !ok || v != (U128{Hi: 1<<63 - 1, Lo: ^uint64(0)}) {
		t.Fatalf("muldiv wide %v", v)
	}
	var j U128
	if err := j.UnmarshalJSON([]byte(`"123"`)); err != nil || j != FromUint64(123) {
		t.Fatal("json")
	}
}

func FuzzCompact(f *testing.F) {
	for _, s := range []string{"00", "fdff", "0300000040", "13ffffffffffffffff", "33ffffffffffffffffffffffffffffffff"} {
		f.Add(hx(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		v := d.Compact()
		if d.Err() == nil {
			e := NewEncoder(0)
			e.PutCompact(v)
			if !bytes.Equal(e.Bytes(), b[:d.Offset()]) {
				t.Fatalf("non-canonical accepted: %x", b[:d.Offset()])
			}
		}
		d = NewDecoder(b)
		w := d.CompactU128()
		if d.Err() == nil {
			e := NewEncoder(0)
			e.PutCompactU128(w)
			if !bytes.Equal(e.Bytes(), b[:d.Offset()]) {
				t.Fatalf("u128 non-canonical accepted: %x", b[:d.Offset()])
			}
		}
		d = NewDecoder(b)
		x := d.CompactBig()
		if d.Err() == nil {
			e := NewEncoder(0)
			e.PutCompactBig(x)
			if !bytes.Equal(e.Bytes(), b[:d.Offset()]) {
				t.Fatalf("big non-canonical accepted: %x", b[:d.Offset()])
			}
		}
	})
}

func FuzzVecBytes(f *testing.F) {
	f.Add(hx("0c010203"))
	f.Add(hx("fdff0000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		xs := DecodeVec(d, 1, (*Decoder).Bytes)
		if d.Err() != nil {
			return
		}
		e := NewEncoder(0)
		EncodeVec(e, xs, (*Encoder).PutBytes)
		if !bytes.Equal(e.Bytes(), b[:d.Offset()]) {
			t.Fatalf("round trip %x -> %x", b[:d.Offset()], e.Bytes())
		}
	})
}

func FuzzPrimitives(f *testing.F) {
	f.Add(hx("01020304050607080910"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		d.Bool()
		d.Option()
		d.U16()
		d.U128()
		_ = d.String()
		d.Fixed32()
		d.U256()
		_ = d.Finish()
	})
}

func BenchmarkCompactRoundTrip(b *testing.B) {
	e := NewEncoder(64)
	for i := 0; i < b.N; i++ {
		e.Reset()
		e.PutCompact(uint64(i))
		e.PutCompactU128(U128{Hi: uint64(i), Lo: 5})
		d := NewDecoder(e.Bytes())
		d.Compact()
		d.CompactU128()
	}
}
