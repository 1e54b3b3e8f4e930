package metadata

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// Decoding metadata back (tests, tools): Decode parses a `meta` V14/V15
// blob into its type registry and pallets, and Decoded.Skip walks a SCALE
// value of a registry type, so a test can check that what a pallet encodes
// is what its metadata says.

// Type definition kinds (scale_info::TypeDef).
const (
	DefComposite uint8 = iota
	DefVariant
	DefSequence
	DefArray
	DefTuple
	DefPrimitive
	DefCompact
	DefBitSequence
)

// DecodedType is one registry type.
type DecodedType struct {
	Path     []string
	Params   []Param
	Def      uint8
	Fields   []Field   // DefComposite
	Variants []Variant // DefVariant
	Elem     TypeID    // DefSequence, DefArray, DefCompact
	Len      uint32    // DefArray
	Tuple    []TypeID  // DefTuple
	Prim     Primitive // DefPrimitive
	Docs     []string
}

// Decoded is a parsed metadata blob. Pallets reuse Pallet (Index set,
// Docs only for V15).
type Decoded struct {
	Version uint8
	Types   []DecodedType
	Pallets []Pallet
	// Extrinsic: Type (V14 only), Version, and for V15 Address, Call,
	// Signature, ExtraTy; SignedExtensions for both.
	Extrinsic   Extrinsic
	RuntimeType TypeID
	// V15 only.
	APIs                           []API
	CallEnum, EventEnum, ErrorEnum TypeID
	Custom                         []CustomValue
}

// ErrBadMetadata reports a blob Decode cannot parse.
var ErrBadMetadata = errors.New("metadata: cannot decode")

// Decode parses a `meta` ++ V14|V15 blob (after Check-like validation of
// type references).
func Decode(b []byte) (*Decoded, error) {
	if _, _, err := Check(b); err != nil {
		return nil, err
	}
	d := scale.NewDecoder(b)
	d.U32()
	out := &Decoded{Version: d.U8()}
	if out.Version != 14 && out.Version != 15 {
		return nil, fmt.Errorf("%w: version %d", ErrBadMetadata, out.Version)
	}
	strs := func() []string {
		var ss []string
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			ss = append(ss, d.String())
		}
		return ss
	}
	optStr := func() string {
		if d.Option() {
			return d.String()
		}
		return ""
	}
	id := func() TypeID { return TypeID(d.Compact()) }
	optID := func() *TypeID {
		if d.Option() {
			t := id()
			return &t
		}
		return nil
	}
	fields := func() []Field {
		var fs []Field
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			f := Field{Name: optStr(), Type: id()}
			f.TypeName = optStr()
			f.Docs = strs()
			fs = append(fs, f)
		}
		return fs
	}
	n := d.Len(1)
	out.Types = make([]DecodedType, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		d.Compact()
		t := DecodedType{Path: strs()}
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			t.Params = append(t.Params, Param{Name: d.String(), Type: optID()})
		}
		switch t.Def = d.U8(); t.Def {
		case DefComposite:
			t.Fields = fields()
		case DefVariant:
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				v := Variant{Name: d.String(), Fields: fields()}
				v.Index = d.U8()
				v.Docs = strs()
				t.Variants = append(t.Variants, v)
			}
		case DefSequence, DefCompact:
			t.Elem = id()
		case DefArray:
			t.Len = d.U32()
			t.Elem = id()
		case DefTuple:
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				t.Tuple = append(t.Tuple, id())
			}
		case DefPrimitive:
			t.Prim = Primitive(d.U8())
		}
		t.Docs = strs()
		out.Types = append(out.Types, t)
	}
	for np := d.Len(1); np > 0 && d.Err() == nil; np-- {
		p := Pallet{Name: d.String()}
		if d.Option() {
			p.StoragePrefix = d.String()
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				s := StorageEntry{Name: d.String(), Optional: d.U8() == 0}
				if d.U8() == 0 {
					s.Value = id()
				} else {
					s.Hashers = d.Bytes()
					k := id()
					s.Key = &k
					s.Value = id()
				}
				s.Default = d.Bytes()
				s.Docs = strs()
				p.Storage = append(p.Storage, s)
			}
		}
		p.Calls = optID()
		p.Event = optID()
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			c := Constant{Name: d.String(), Type: id()}
			c.Value = d.Bytes()
			c.Docs = strs()
			p.Constants = append(p.Constants, c)
		}
		p.Error = optID()
		p.Index = d.U8()
		if out.Version >= 15 {
			p.Docs = strs()
		}
		out.Pallets = append(out.Pallets, p)
	}
	x := &out.Extrinsic
	if out.Version == 14 {
		x.Type = id()
		x.Version = d.U8()
	} else {
		x.Version = d.U8()
		x.Address, x.Call, x.Signature, x.ExtraTy = id(), id(), id(), id()
	}
	for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
		s := SignedExtension{Identifier: d.String(), Type: id()}
		s.AdditionalSigned = id()
		x.SignedExtensions = append(x.SignedExtensions, s)
	}
	out.RuntimeType = id()
	if out.Version >= 15 {
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			a := API{Name: d.String()}
			for m := d.Len(1); m > 0 && d.Err() == nil; m-- {
				f := APIMethod{Name: d.String()}
				for q := d.Len(1); q > 0 && d.Err() == nil; q-- {
					f.Inputs = append(f.Inputs, APIParam{Name: d.String(), Type: id()})
				}
				f.Output = id()
				f.Docs = strs()
				a.Methods = append(a.Methods, f)
			}
			a.Docs = strs()
			out.APIs = append(out.APIs, a)
		}
		out.CallEnum, out.EventEnum, out.ErrorEnum = id(), id(), id()
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			c := CustomValue{Name: d.String(), Type: id()}
			c.Value = d.Bytes()
			out.Custom = append(out.Custom, c)
		}
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadMetadata, err)
	}
	return out, nil
}

// Pallet returns the pallet named name, or nil.
func (m *Decoded) Pallet(name string) *Pallet {
	for i := range m.Pallets {
		if m.Pallets[i].Name == name {
			return &m.Pallets[i]
		}
	}
	return nil
}

// Type returns type t.
func (m *Decoded) Type(t TypeID) *DecodedType { return &m.Types[t] }

// Variant returns the variant of enum type t with index idx, or nil.
func (m *Decoded) Variant(t TypeID, idx uint8) *Variant {
	for i, v := range m.Types[t].Variants {
		if v.Index == idx {
			return &m.Types[t].Variants[i]
		}
	}
	return nil
}

// maxSkipDepth bounds Skip's recursion (a recursive type such as
// RuntimeCall nests through values, so a value bounds it too), and
// maxSkipSteps the types it visits (a hostile registry can nest
// zero-sized types into exponential work).
const (
	maxSkipDepth = 256
	maxSkipSteps = 1 << 20
)

// Skip reads one value of type t from d (failing d on a mismatch): a
// value encoded by Go code decodes with its metadata type iff Skip
// consumes it exactly.
func (m *Decoded) Skip(t TypeID, d *scale.Decoder) {
	steps := 0
	m.skip(t, d, 0, &steps)
}

func (m *Decoded) skip(t TypeID, d *scale.Decoder, depth int, steps *int) {
	if d.Err() != nil {
		return
	}
	if *steps++; depth > maxSkipDepth || *steps > maxSkipSteps || int(t) >= len(m.Types) {
		d.Fail(fmt.Errorf("%w: type %d too deep, too large or unknown", ErrBadMetadata, t))
		return
	}
	ty := &m.Types[t]
	switch ty.Def {
	case DefComposite:
		for _, f := range ty.Fields {
			m.skip(f.Type, d, depth+1, steps)
		}
	case DefVariant:
		idx := d.U8()
		if d.Err() != nil {
			return
		}
		v := m.Variant(t, idx)
		if v == nil {
			d.Fail(fmt.Errorf("%w: %v has no variant %d", ErrBadMetadata, ty.Path, idx))
			return
		}
		for _, f := range v.Fields {
			m.skip(f.Type, d, depth+1, steps)
		}
	case DefSequence:
		m.skipN(ty.Elem, uint64(d.Len(0)), d, depth, steps)
	case DefArray:
		m.skipN(ty.Elem, uint64(ty.Len), d, depth, steps)
	case DefTuple:
		for _, e := range ty.Tuple {
			m.skip(e, d, depth+1, steps)
		}
	case DefPrimitive:
		switch ty.Prim {
		case Bool:
			d.Bool()
		case Char:
			d.U32()
		case Str:
			_ = d.String()
		default:
			sizes := map[Primitive]int{U8: 1, U16: 2, U32: 4, U64: 8, U128: 16, U256: 32,
				I8: 1, I16: 2, I32: 4, I64: 8, I128: 16, I256: 32}
			d.Raw(sizes[ty.Prim])
		}
	case DefCompact:
		if in := &m.Types[ty.Elem]; in.Def == DefTuple && len(in.Tuple) == 0 {
			return // Compact<()> encodes as nothing
		}
		d.CompactBig()
	default:
		d.Fail(fmt.Errorf("%w: cannot walk type def %d", ErrBadMetadata, ty.Def))
	}
}

// skipN skips n values of type t. A type that reads no byte for one value
// reads none for any (nothing data-dependent was read), so a zero-sized
// element ends the loop early.
func (m *Decoded) skipN(t TypeID, n uint64, d *scale.Decoder, depth int, steps *int) {
	for i := uint64(0); i < n && d.Err() == nil; i++ {
		off := d.Offset()
		m.skip(t, d, depth+1, steps)
		if d.Offset() == off {
			return
		}
	}
}
