// Package wasmbin reads the few parts of a wasm binary the executor needs
// before (or instead of) compiling it: the import section, to refuse a
// module that imports something we do not provide with an error naming the
// import, and custom sections, to read a runtime's version without running
// it. It validates only what it reads; wazero validates the whole module.
package wasmbin

import (
	"errors"
	"fmt"
)

// ErrMalformed is returned for a binary that is not a well-formed wasm module
// as far as this package reads it.
var ErrMalformed = errors.New("wasmbin: malformed module")

// Import kinds (the binary's import descriptor tags).
const (
	KindFunc   byte = 0x00
	KindTable  byte = 0x01
	KindMemory byte = 0x02
	KindGlobal byte = 0x03
)

// Import is one entry of the import section.
type Import struct {
	Module, Name string
	Kind         byte
}

// Module is what Parse extracts.
type Module struct {
	Imports []Import
	// Custom holds the first custom section of each name; the data aliases
	// the parsed binary.
	Custom map[string][]byte
}

var magic = [8]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}

// Parse reads the import and custom sections of b.
func Parse(b []byte) (*Module, error) {
	if len(b) < 8 || [8]byte(b[:8]) != magic {
		return nil, fmt.Errorf("%w: bad magic or version", ErrMalformed)
	}
	m := &Module{Custom: map[string][]byte{}}
	r := reader{b: b, off: 8}
	for r.off < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		if uint64(size) > uint64(len(r.b)-r.off) {
			return nil, fmt.Errorf("%w: section %d overruns the binary", ErrMalformed, id)
		}
		sec := reader{b: r.b[r.off : r.off+int(size)]}
		r.off += int(size)
		switch id {
		case 0:
			name := sec.name()
			if sec.err != nil {
				return nil, sec.err
			}
			if _, dup := m.Custom[name]; !dup {
				m.Custom[name] = sec.b[sec.off:]
			}
		case 2:
			imps, err := parseImports(&sec)
			if err != nil {
				return nil, err
			}
			m.Imports = imps
		}
	}
	return m, nil
}

func parseImports(r *reader) ([]Import, error) {
	n := r.u32()
	if r.err != nil {
		return nil, r.err
	}
	// Each import takes at least 4 bytes: refuse counts the section cannot hold.
	if uint64(n) > uint64(len(r.b)-r.off)/4 {
		return nil, fmt.Errorf("%w: import count %d too large", ErrMalformed, n)
	}
	imps := make([]Import, 0, n)
	for i := uint32(0); i < n; i++ {
		imp := Import{Module: r.name(), Name: r.name(), Kind: r.byte()}
		switch imp.Kind {
		case KindFunc:
			r.u32()
		case KindTable:
			r.byte() // reftype
			r.limits()
		case KindMemory:
			r.limits()
		case KindGlobal:
			r.byte() // valtype
			r.byte() // mutability
		default:
			if r.err == nil {
				r.err = fmt.Errorf("%w: import kind 0x%02x", ErrMalformed, imp.Kind)
			}
		}
		if r.err != nil {
			return nil, r.err
		}
		imps = append(imps, imp)
	}
	if r.off != len(r.b) {
		return nil, fmt.Errorf("%w: trailing bytes in import section", ErrMalformed)
	}
	return imps, nil
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: truncated %s at offset %d", ErrMalformed, what, r.off)
	}
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.fail("byte")
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

// u64 reads an unsigned LEB128 of at most maxBytes bytes.
func (r *reader) leb(maxBytes int) uint64 {
	var v uint64
	for i := 0; i < maxBytes; i++ {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v
		}
	}
	if r.err == nil {
		r.err = fmt.Errorf("%w: LEB128 too long at offset %d", ErrMalformed, r.off)
	}
	return 0
}

func (r *reader) u32() uint32 {
	v := r.leb(5)
	if v > 0xffffffff && r.err == nil {
		r.err = fmt.Errorf("%w: u32 overflow at offset %d", ErrMalformed, r.off)
	}
	return uint32(v)
}

func (r *reader) name() string {
	n := r.u32()
	if r.err != nil {
		return ""
	}
	if uint64(n) > uint64(len(r.b)-r.off) {
		r.fail("name")
		return ""
	}
	s := string(r.b[r.off : r.off+int(n)])
	r.off += int(n)
	return s
}

func (r *reader) limits() {
	flags := r.byte()
	if flags > 0x07 && r.err == nil {
		r.err = fmt.Errorf("%w: limits flags 0x%02x", ErrMalformed, flags)
	}
	size := 5
	if flags&0x04 != 0 { // memory64
		size = 10
	}
	r.leb(size)
	if flags&0x01 != 0 {
		r.leb(size)
	}
}
