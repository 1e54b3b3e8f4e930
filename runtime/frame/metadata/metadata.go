package metadata

import "github.com/metamars/mars/runtime/scale"

// Magic is the metadata prefix "meta" (u32 LE 0x6174656d).
const Magic uint32 = 0x6174656d

// Storage entry hashers (metadata indices, as frame.Hasher).
const (
	HasherBlake2_128 uint8 = iota
	HasherBlake2_256
	HasherBlake2_128Concat
	HasherTwox128
	HasherTwox256
	HasherTwox64Concat
	HasherIdentity
)

// StorageEntry is one storage item. Key is nil for a plain value; for a
// map with several hashers Key is the tuple of the keys.
type StorageEntry struct {
	Name     string
	Optional bool // OptionQuery (modifier 0) rather than ValueQuery (1)
	Hashers  []uint8
	Key      *TypeID
	Value    TypeID
	Default  []byte
	Docs     []string
}

// Constant is a pallet constant with its SCALE value.
type Constant struct {
	Name  string
	Type  TypeID
	Value []byte
	Docs  []string
}

// Pallet is one pallet's metadata. Storage is omitted when StoragePrefix
// is ""; Calls, Event and Error are enum types or nil.
type Pallet struct {
	Name          string
	Index         uint8
	StoragePrefix string
	Storage       []StorageEntry
	Calls         *TypeID
	Event         *TypeID
	Error         *TypeID
	Constants     []Constant
	Docs          []string
}

// SignedExtension is one transaction extension: its identifier, the type
// of its data in the extrinsic and of its implicit (signed-only) data.
type SignedExtension struct {
	Identifier       string
	Type             TypeID
	AdditionalSigned TypeID
}

// Extrinsic describes the extrinsic format.
type Extrinsic struct {
	Type                              TypeID // UncheckedExtrinsic (V14)
	Version                           uint8  // 4
	Address, Call, Signature, ExtraTy TypeID // V15
	SignedExtensions                  []SignedExtension
}

// APIParam is a runtime API method argument.
type APIParam struct {
	Name string
	Type TypeID
}

// APIMethod is a runtime API method.
type APIMethod struct {
	Name   string
	Inputs []APIParam
	Output TypeID
	Docs   []string
}

// API is a runtime API trait (V15).
type API struct {
	Name    string
	Methods []APIMethod
	Docs    []string
}

// CustomValue is a V15 custom metadata entry.
type CustomValue struct {
	Name  string
	Type  TypeID
	Value []byte
}

// Metadata is a runtime's metadata.
type Metadata struct {
	Types       *Registry
	Pallets     []Pallet
	Extrinsic   Extrinsic
	RuntimeType TypeID
	APIs        []API
	// Outer enums (V15): RuntimeCall, RuntimeEvent, RuntimeError.
	CallEnum, EventEnum, ErrorEnum TypeID
	Custom                         []CustomValue // sorted by Name
}

func optType(e *scale.Encoder, t *TypeID) {
	e.PutOption(t != nil)
	if t != nil {
		e.PutCompact(uint64(*t))
	}
}

func (m *Metadata) putPallet(e *scale.Encoder, p *Pallet, v15 bool) {
	e.PutString(p.Name)
	e.PutOption(p.StoragePrefix != "")
	if p.StoragePrefix != "" {
		e.PutString(p.StoragePrefix)
		e.PutLen(len(p.Storage))
		for _, s := range p.Storage {
			e.PutString(s.Name)
			if s.Optional {
				e.PutU8(0)
			} else {
				e.PutU8(1)
			}
			if s.Key == nil {
				e.PutU8(0)
				e.PutCompact(uint64(s.Value))
			} else {
				e.PutU8(1)
				e.PutBytes(s.Hashers)
				e.PutCompact(uint64(*s.Key))
				e.PutCompact(uint64(s.Value))
			}
			e.PutBytes(s.Default)
			putStrings(e, s.Docs)
		}
	}
	optType(e, p.Calls)
	optType(e, p.Event)
	e.PutLen(len(p.Constants))
	for _, c := range p.Constants {
		e.PutString(c.Name)
		e.PutCompact(uint64(c.Type))
		e.PutBytes(c.Value)
		putStrings(e, c.Docs)
	}
	optType(e, p.Error)
	e.PutU8(p.Index)
	if v15 {
		putStrings(e, p.Docs)
	}
}

func (m *Metadata) putExtensions(e *scale.Encoder) {
	e.PutLen(len(m.Extrinsic.SignedExtensions))
	for _, s := range m.Extrinsic.SignedExtensions {
		e.PutString(s.Identifier)
		e.PutCompact(uint64(s.Type))
		e.PutCompact(uint64(s.AdditionalSigned))
	}
}

func (m *Metadata) header(version uint8) *scale.Encoder {
	e := scale.NewEncoder(64 << 10)
	e.PutU32(Magic)
	e.PutU8(version)
	m.Types.EncodeTo(e)
	e.PutLen(len(m.Pallets))
	for i := range m.Pallets {
		m.putPallet(e, &m.Pallets[i], version >= 15)
	}
	return e
}

// V14 returns `meta` ++ 0x0e ++ RuntimeMetadataV14.
func (m *Metadata) V14() []byte {
	e := m.header(14)
	e.PutCompact(uint64(m.Extrinsic.Type))
	e.PutU8(m.Extrinsic.Version)
	m.putExtensions(e)
	e.PutCompact(uint64(m.RuntimeType))
	return e.Bytes()
}

// V15 returns `meta` ++ 0x0f ++ RuntimeMetadataV15.
func (m *Metadata) V15() []byte {
	e := m.header(15)
	x := &m.Extrinsic
	e.PutU8(x.Version)
	for _, t := range []TypeID{x.Address, x.Call, x.Signature, x.ExtraTy} {
		e.PutCompact(uint64(t))
	}
	m.putExtensions(e)
	e.PutCompact(uint64(m.RuntimeType))
	e.PutLen(len(m.APIs))
	for _, a := range m.APIs {
		e.PutString(a.Name)
		e.PutLen(len(a.Methods))
		for _, f := range a.Methods {
			e.PutString(f.Name)
			e.PutLen(len(f.Inputs))
			for _, in := range f.Inputs {
				e.PutString(in.Name)
				e.PutCompact(uint64(in.Type))
			}
			e.PutCompact(uint64(f.Output))
			putStrings(e, f.Docs)
		}
		putStrings(e, a.Docs)
	}
	for _, t := range []TypeID{m.CallEnum, m.EventEnum, m.ErrorEnum} {
		e.PutCompact(uint64(t))
	}
	e.PutLen(len(m.Custom))
	for _, c := range m.Custom {
		e.PutString(c.Name)
		e.PutCompact(uint64(c.Type))
		e.PutBytes(c.Value)
	}
	return e.Bytes()
}

// Opaque wraps metadata bytes as OpaqueMetadata (Vec<u8>), the output of
// Metadata_metadata.
func Opaque(b []byte) []byte {
	e := scale.NewEncoder(len(b) + 5)
	e.PutBytes(b)
	return e.Bytes()
}
