package metadata

import (
	"github.com/metamars/mars/runtime/scale"
)

// TypeID is a type's index in the registry (Compact<u32> on the wire).
type TypeID uint32

// Primitive is scale_info::TypeDefPrimitive.
type Primitive uint8

// Primitives, in scale-info order.
const (
	Bool Primitive = iota
	Char
	Str
	U8
	U16
	U32
	U64
	U128
	U256
	I8
	I16
	I32
	I64
	I128
	I256
)

// Field is a composite or variant field; Name "" is unnamed.
type Field struct {
	Name     string
	Type     TypeID
	TypeName string
	Docs     []string
}

// Variant is one variant of an enum type.
type Variant struct {
	Name   string
	Fields []Field
	Index  uint8
	Docs   []string
}

// Param is a generic type parameter; Type nil means unused.
type Param struct {
	Name string
	Type *TypeID
}

// P returns a used type parameter.
func P(name string, t TypeID) Param { return Param{Name: name, Type: &t} }

// Registry is scale_info::PortableRegistry under construction.
type Registry struct {
	types [][]byte // encoded Type (path, params, def, docs); nil = reserved
	index map[string]TypeID
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{index: map[string]TypeID{}} }

// Len is the number of types.
func (r *Registry) Len() int { return len(r.types) }

func (r *Registry) add(enc []byte) TypeID {
	if id, ok := r.index[string(enc)]; ok {
		return id
	}
	id := TypeID(len(r.types))
	r.types = append(r.types, enc)
	r.index[string(enc)] = id
	return id
}

// Reserve allocates an id to Define later (recursive types).
func (r *Registry) Reserve() TypeID {
	r.types = append(r.types, nil)
	return TypeID(len(r.types) - 1)
}

// DefineComposite / DefineVariant fill a reserved id.
func (r *Registry) DefineComposite(id TypeID, path []string, params []Param, fields []Field, docs ...string) {
	r.types[id] = encodeType(path, params, docs, func(e *scale.Encoder) { e.PutU8(0); putFields(e, fields) })
}

// DefineVariant fills a reserved id with an enum type.
func (r *Registry) DefineVariant(id TypeID, path []string, params []Param, variants []Variant, docs ...string) {
	r.types[id] = encodeType(path, params, docs, func(e *scale.Encoder) { e.PutU8(1); putVariants(e, variants) })
}

func putStrings(e *scale.Encoder, ss []string) {
	e.PutLen(len(ss))
	for _, s := range ss {
		e.PutString(s)
	}
}

func putOptString(e *scale.Encoder, s string) {
	e.PutOption(s != "")
	if s != "" {
		e.PutString(s)
	}
}

func putFields(e *scale.Encoder, fs []Field) {
	e.PutLen(len(fs))
	for _, f := range fs {
		putOptString(e, f.Name)
		e.PutCompact(uint64(f.Type))
		putOptString(e, f.TypeName)
		putStrings(e, f.Docs)
	}
}

func putVariants(e *scale.Encoder, vs []Variant) {
	e.PutLen(len(vs))
	for _, v := range vs {
		e.PutString(v.Name)
		putFields(e, v.Fields)
		e.PutU8(v.Index)
		putStrings(e, v.Docs)
	}
}

func encodeType(path []string, params []Param, docs []string, def func(*scale.Encoder)) []byte {
	e := scale.NewEncoder(64)
	putStrings(e, path)
	e.PutLen(len(params))
	for _, p := range params {
		e.PutString(p.Name)
		e.PutOption(p.Type != nil)
		if p.Type != nil {
			e.PutCompact(uint64(*p.Type))
		}
	}
	def(e)
	putStrings(e, docs)
	return e.Bytes()
}

// Composite registers a struct type.
func (r *Registry) Composite(path []string, params []Param, fields []Field, docs ...string) TypeID {
	return r.add(encodeType(path, params, docs, func(e *scale.Encoder) { e.PutU8(0); putFields(e, fields) }))
}

// Variant registers an enum type.
func (r *Registry) Variant(path []string, params []Param, variants []Variant, docs ...string) TypeID {
	return r.add(encodeType(path, params, docs, func(e *scale.Encoder) { e.PutU8(1); putVariants(e, variants) }))
}

// Sequence registers Vec<t>.
func (r *Registry) Sequence(t TypeID) TypeID {
	return r.add(encodeType(nil, nil, nil, func(e *scale.Encoder) { e.PutU8(2); e.PutCompact(uint64(t)) }))
}

// Array registers [t; n].
func (r *Registry) Array(n uint32, t TypeID) TypeID {
	return r.add(encodeType(nil, nil, nil, func(e *scale.Encoder) { e.PutU8(3); e.PutU32(n); e.PutCompact(uint64(t)) }))
}

// Tuple registers (ts...); Tuple() is the unit type.
func (r *Registry) Tuple(ts ...TypeID) TypeID {
	return r.add(encodeType(nil, nil, nil, func(e *scale.Encoder) {
		e.PutU8(4)
		e.PutLen(len(ts))
		for _, t := range ts {
			e.PutCompact(uint64(t))
		}
	}))
}

// Prim registers a primitive.
func (r *Registry) Prim(p Primitive) TypeID {
	return r.add(encodeType(nil, nil, nil, func(e *scale.Encoder) { e.PutU8(5); e.PutU8(uint8(p)) }))
}

// Compact registers Compact<t>.
func (r *Registry) Compact(t TypeID) TypeID {
	return r.add(encodeType(nil, nil, nil, func(e *scale.Encoder) { e.PutU8(6); e.PutCompact(uint64(t)) }))
}

// EncodeTo writes the PortableRegistry: Vec<{id Compact<u32>, ty}>.
// Reserved but undefined types are a programming error and panic.
func (r *Registry) EncodeTo(e *scale.Encoder) {
	e.PutLen(len(r.types))
	for i, t := range r.types {
		if t == nil {
			panic("metadata: type reserved but never defined")
		}
		e.PutCompact(uint64(i))
		e.PutRaw(t)
	}
}
