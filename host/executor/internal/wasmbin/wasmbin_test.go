package wasmbin

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	b := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		// custom section "ab" = {1,2}
		0x00, 0x05, 0x02, 'a', 'b', 0x01, 0x02,
		// import section: 2 imports
		0x02, 0x15, 0x02,
		0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00, // env.f func type 0
		0x03, 'e', 'n', 'v', 0x03, 'm', 'e', 'm', 0x02, 0x01, 0x01, 0x02, // env.mem memory {1,2}
	}
	m, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Imports) != 2 || m.Imports[0] != (Import{"env", "f", KindFunc}) || m.Imports[1] != (Import{"env", "mem", KindMemory}) {
		t.Fatalf("imports %+v", m.Imports)
	}
	if got := m.Custom["ab"]; len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("custom %x", got)
	}
	for i := 8; i < len(b); i++ {
		if _, err := Parse(b[:i]); !errors.Is(err, ErrMalformed) && i != 8 && i != 15 {
			t.Fatalf("truncated at %d: err %v", i, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x05})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Parse(b)
	})
}
