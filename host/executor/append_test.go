package executor

import (
	"bytes"
	"testing"
)

func TestAppendItem(t *testing.T) {
	cases := []struct {
		name   string
		old    []byte
		exists bool
		item   []byte
		want   []byte
	}{
		{"missing", nil, false, []byte{0xaa}, []byte{0x04, 0xaa}},
		{"empty vec", []byte{0x00}, true, []byte{0xaa}, []byte{0x04, 0xaa}},
		{"one item", []byte{0x04, 0x01}, true, []byte{0x02}, []byte{0x08, 0x01, 0x02}},
		// 63 → 64 items crosses the one-byte compact boundary.
		{"compact grows", append([]byte{63 << 2}, make([]byte, 63)...), true, []byte{0x07},
			append(append([]byte{0x01, 0x01}, make([]byte, 63)...), 0x07)},
		{"undecodable", []byte{0x03}, true, []byte{0xaa}, []byte{0x04, 0xaa}},
		{"non-canonical", []byte{0x01, 0x00}, true, []byte{0xaa}, []byte{0x04, 0xaa}},
	}
	for _, c := range cases {
		if got := appendItem(c.old, c.exists, c.item); !bytes.Equal(got, c.want) {
			t.Errorf("%s: got %x want %x", c.name, got, c.want)
		}
	}
}

func TestDecompressBounds(t *testing.T) {
	code := compress(t, []byte("hello wasm"))
	if got, err := decompress(code, 1<<20); err != nil || string(got) != "hello wasm" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := decompress(code, 4); err == nil {
		t.Fatal("limit not enforced")
	}
	if _, err := decompress(make([]byte, 10), 4); err == nil {
		t.Fatal("limit not enforced on uncompressed code")
	}
}
