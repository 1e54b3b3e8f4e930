package network

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzReadMsg: the framing reader never panics, never returns more than
// its limit, and gives back what writeMsg framed.
func FuzzReadMsg(f *testing.F) {
	f.Add([]byte{0})
	f.Add(binary.AppendUvarint(nil, 1<<40))
	f.Add(append(binary.AppendUvarint(nil, 3), 1, 2, 3))
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80})
	f.Fuzz(func(t *testing.T, in []byte) {
		const limit = 1024
		msg, err := readMsg(bytes.NewReader(in), limit)
		if err != nil {
			if len(msg) != 0 {
				t.Fatal("bytes with an error")
			}
			return
		}
		if len(msg) > limit {
			t.Fatalf("%d bytes over limit", len(msg))
		}
		var out bytes.Buffer
		if err := writeMsg(&out, msg); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(in, out.Bytes()) {
			t.Fatalf("reframing %x gives %x", in, out.Bytes())
		}
	})
}
