package frame

import (
	"errors"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Store is the part of abi.Host that storage items use: the storage
// functions and the hashers. abi.Host and *Context both satisfy it.
type Store interface {
	StorageGet(key []byte) ([]byte, bool)
	StorageSet(key, value []byte)
	StorageClear(key []byte)
	StorageExists(key []byte) bool
	StorageAppend(key, value []byte)
	StorageClearPrefix(prefix []byte, limit uint32) (removed uint32, allRemoved bool)
	StorageNextKey(key []byte) ([]byte, bool)
	Blake2_128(data []byte) [16]byte
	Blake2_256(data []byte) [32]byte
	Twox64(data []byte) [8]byte
	Twox128(data []byte) [16]byte
	Twox256(data []byte) [32]byte
}

// Hasher is a storage key hasher; its value is its metadata index.
type Hasher uint8

// The FRAME hashers, in metadata order.
const (
	Blake2_128 Hasher = iota
	Blake2_256
	Blake2_128Concat
	Twox128
	Twox256
	Twox64Concat
	Identity
)

// ErrNotReversible is returned when iterating typed keys of a map whose hasher
// does not keep the key (Blake2_128, Blake2_256, Twox128, Twox256).
var ErrNotReversible = errors.New("frame: storage hasher does not keep the key")

// Hash hashes an encoded key with h, through the Store's host hashers.
func (h Hasher) Hash(s Store, key []byte) []byte {
	switch h {
	case Blake2_128:
		x := s.Blake2_128(key)
		return x[:]
	case Blake2_256:
		x := s.Blake2_256(key)
		return x[:]
	case Blake2_128Concat:
		x := s.Blake2_128(key)
		return append(x[:], key...)
	case Twox128:
		x := s.Twox128(key)
		return x[:]
	case Twox256:
		x := s.Twox256(key)
		return x[:]
	case Twox64Concat:
		x := s.Twox64(key)
		return append(x[:], key...)
	default: // Identity
		return append([]byte(nil), key...)
	}
}

// appendHash appends prefix ++ h(key) to dst, as Hash without its
// intermediate buffer.
func (h Hasher) appendHash(dst []byte, s Store, prefix, key []byte) []byte {
	dst = append(dst, prefix...)
	switch h {
	case Blake2_128:
		x := s.Blake2_128(key)
		return append(dst, x[:]...)
	case Blake2_256:
		x := s.Blake2_256(key)
		return append(dst, x[:]...)
	case Blake2_128Concat:
		x := s.Blake2_128(key)
		return append(append(dst, x[:]...), key...)
	case Twox128:
		x := s.Twox128(key)
		return append(dst, x[:]...)
	case Twox256:
		x := s.Twox256(key)
		return append(dst, x[:]...)
	case Twox64Concat:
		x := s.Twox64(key)
		return append(append(dst, x[:]...), key...)
	default: // Identity
		return append(dst, key...)
	}
}

// hashLen is the length of the hash part before the raw key for concat
// hashers (0 for Identity), or -1 for hashers that do not keep the key.
func (h Hasher) hashLen() int {
	switch h {
	case Blake2_128Concat:
		return 16
	case Twox64Concat:
		return 8
	case Identity:
		return 0
	}
	return -1
}

// fixedLen is the hashed key length of hashers that do not keep the key.
func (h Hasher) fixedLen() int {
	switch h {
	case Blake2_128, Twox128:
		return 16
	case Blake2_256, Twox256:
		return 32
	}
	return -1
}

// Prefix returns twox128(pallet) ++ twox128(item), the key of a value or
// the prefix of a map. It uses the pure-Go hasher (it runs once per item).
func Prefix(pallet, item string) []byte {
	a := types.Twox128([]byte(pallet))
	b := types.Twox128([]byte(item))
	return append(a[:], b[:]...)
}

// QueryKind says what Get returns for a missing value: the item's default
// (ValueQuery, Substrate's default modifier) or the zero value with the
// absence reported by TryGet (OptionQuery). It is also metadata.
type QueryKind uint8

const (
	OptionQuery QueryKind = 0
	ValueQuery  QueryKind = 1
)

// item holds what every storage item shares.
type item[V any] struct {
	pallet, name string
	prefix       []byte
	val          Codec[V]
	def          V
	query        QueryKind
	flat         bool // V holds no pointers (see pointerFree)
}

func (it *item[V]) decode(raw []byte) (V, bool) { return it.decodeIn(nil, raw) }

// decodeIn is decode with st's decoder free list (st may be nil).
func (it *item[V]) decodeIn(st Store, raw []byte) (V, bool) {
	d := acquireDecoder(st, raw)
	v := it.val.Decode(d)
	err := d.Finish()
	releaseDecoder(st, d)
	if err != nil {
		// Corrupt or old-format value: FRAME treats it as absent.
		return it.def, false
	}
	return v, true
}

func (it *item[V]) get(s Store, key []byte) (V, bool) {
	if c, isCtx := s.(*Context); isCtx && it.flat {
		// A pointer-free value cannot keep the bytes it was decoded from.
		raw, ok := c.storageShared(key)
		if !ok {
			return it.def, false
		}
		return it.decodeIn(s, raw)
	}
	raw, ok := s.StorageGet(key)
	if !ok {
		return it.def, false
	}
	return it.decodeIn(s, raw)
}

func (it *item[V]) set(s Store, key []byte, v V) {
	e := acquireEncoder(s)
	it.val.Encode(e, v)
	s.StorageSet(key, e.Bytes())
	releaseEncoder(s, e)
}

func (it *item[V]) mutate(s Store, key []byte, f func(v *V) error) error {
	v, _ := it.get(s, key)
	if err := f(&v); err != nil {
		return err
	}
	it.set(s, key, v)
	return nil
}

func (it *item[V]) mutateExists(s Store, key []byte, f func(v *V, exists *bool) error) error {
	v, ok := it.get(s, key)
	if err := f(&v, &ok); err != nil {
		return err
	}
	if ok {
		it.set(s, key, v)
	} else {
		s.StorageClear(key)
	}
	return nil
}

// Pallet and Name return the item's pallet prefix and name (metadata).
func (it *item[V]) Pallet() string { return it.pallet }
func (it *item[V]) Name() string   { return it.name }

// Query is the item's QueryKind.
func (it *item[V]) Query() QueryKind { return it.query }

// Default returns the value Get returns for a missing entry.
func (it *item[V]) Default() V { return it.def }

// DefaultBytes is the metadata default: the encoded default for
// ValueQuery, None (0x00) for OptionQuery.
func (it *item[V]) DefaultBytes() []byte {
	if it.query == OptionQuery {
		return []byte{0}
	}
	e := scale.NewEncoder(16)
	it.val.Encode(e, it.def)
	return e.Bytes()
}

// Option configures a storage item.
type Option[V any] func(*item[V])

// WithDefault sets the value Get returns for a missing entry (ValueQuery
// with a non-zero default, like #[pallet::type_value]).
func WithDefault[V any](v V) Option[V] { return func(it *item[V]) { it.def = v } }

// Optional marks the item OptionQuery (metadata; Get still returns the zero
// value for a missing entry, use TryGet to see absence).
func Optional[V any]() Option[V] { return func(it *item[V]) { it.query = OptionQuery } }

func newItem[V any](pallet, name string, val Codec[V], opts []Option[V]) item[V] {
	it := item[V]{pallet: pallet, name: name, prefix: Prefix(pallet, name), val: val, query: ValueQuery,
		flat: pointerFree(any(*new(V)))}
	for _, o := range opts {
		o(&it)
	}
	return it
}

// StorageValue is a single value at twox128(pallet) ++ twox128(name).
type StorageValue[V any] struct{ item[V] }

// NewValue declares a storage value.
func NewValue[V any](pallet, name string, val Codec[V], opts ...Option[V]) *StorageValue[V] {
	return &StorageValue[V]{newItem(pallet, name, val, opts)}
}

// Key is the item's storage key.
func (s *StorageValue[V]) Key() []byte { return s.prefix }

// Get returns the value, or the default when absent.
func (s *StorageValue[V]) Get(st Store) V { v, _ := s.get(st, s.prefix); return v }

// TryGet returns the value and whether it is present.
func (s *StorageValue[V]) TryGet(st Store) (V, bool) { return s.get(st, s.prefix) }

// Set writes the value.
func (s *StorageValue[V]) Set(st Store, v V) { s.set(st, s.prefix, v) }

// Exists reports whether a value is stored.
func (s *StorageValue[V]) Exists(st Store) bool { return st.StorageExists(s.prefix) }

// Remove deletes the value.
func (s *StorageValue[V]) Remove(st Store) { st.StorageClear(s.prefix) }

// Take returns the value (or the default) and removes it.
func (s *StorageValue[V]) Take(st Store) V {
	v, _ := s.get(st, s.prefix)
	st.StorageClear(s.prefix)
	return v
}

// Mutate reads the value (or default), applies f, and writes it back unless
// f returns an error.
func (s *StorageValue[V]) Mutate(st Store, f func(v *V) error) error {
	return s.mutate(st, s.prefix, f)
}

// MutateExists is Mutate for optional values: f sees and may change whether
// the value exists; when it ends not existing the value is removed.
func (s *StorageValue[V]) MutateExists(st Store, f func(v *V, exists *bool) error) error {
	return s.mutateExists(st, s.prefix, f)
}

// Append appends one encoded element to a stored Vec<T> without decoding it
// (ext_storage_append). elem is the SCALE encoding of one T.
func (s *StorageValue[V]) Append(st Store, elem []byte) { st.StorageAppend(s.prefix, elem) }

// StorageMap maps K to V at prefix ++ hasher(encode(k)).
type StorageMap[K, V any] struct {
	item[V]
	hasher Hasher
	key    Codec[K]
}

// NewMap declares a storage map.
func NewMap[K, V any](pallet, name string, hasher Hasher, key Codec[K], val Codec[V], opts ...Option[V]) *StorageMap[K, V] {
	return &StorageMap[K, V]{item: newItem(pallet, name, val, opts), hasher: hasher, key: key}
}

// Hasher returns the map's key hasher (metadata).
func (m *StorageMap[K, V]) Hasher() Hasher { return m.hasher }

// Key returns the full storage key of k.
func (m *StorageMap[K, V]) Key(st Store, k K) []byte {
	c, isCtx := st.(*Context)
	if !isCtx {
		e := acquireEncoder(st)
		m.key.Encode(e, k)
		out := m.hasher.appendHash(make([]byte, 0, len(m.prefix)+32+e.Len()), st, m.prefix, e.Bytes())
		releaseEncoder(st, e)
		return out
	}
	e := c.AcquireEncoder()
	m.key.Encode(e, k)
	raw := e.Bytes()
	memo := m.hasher == Blake2_128Concat && len(raw) == 32 && len(m.prefix) > 0
	if memo {
		if out := c.mapKeys.get(&m.prefix[0], raw); out != nil {
			c.ReleaseEncoder(e)
			return out
		}
	}
	out := m.hasher.appendHash(make([]byte, 0, len(m.prefix)+32+len(raw)), st, m.prefix, raw)
	if memo {
		out = out[:len(out):len(out)] // shared: an append must copy
		c.mapKeys.put(&m.prefix[0], raw, out)
	}
	c.ReleaseEncoder(e)
	return out
}

// Prefix returns the map's prefix (for iteration and removal of all entries).
func (m *StorageMap[K, V]) Prefix() []byte { return m.prefix }

// GetKey and SetKey read and write the entry at a full key from Key, for
// a caller that reads and writes the same entry (one key hash, not two).
func (m *StorageMap[K, V]) GetKey(st Store, key []byte) (V, bool) { return m.get(st, key) }
func (m *StorageMap[K, V]) SetKey(st Store, key []byte, v V)      { m.set(st, key, v) }

func (m *StorageMap[K, V]) Get(st Store, k K) V { v, _ := m.get(st, m.Key(st, k)); return v }
func (m *StorageMap[K, V]) TryGet(st Store, k K) (V, bool) {
	return m.get(st, m.Key(st, k))
}
func (m *StorageMap[K, V]) Set(st Store, k K, v V)            { m.set(st, m.Key(st, k), v) }
func (m *StorageMap[K, V]) Exists(st Store, k K) bool         { return st.StorageExists(m.Key(st, k)) }
func (m *StorageMap[K, V]) Remove(st Store, k K)              { st.StorageClear(m.Key(st, k)) }
func (m *StorageMap[K, V]) Append(st Store, k K, elem []byte) { st.StorageAppend(m.Key(st, k), elem) }
func (m *StorageMap[K, V]) Take(st Store, k K) V {
	key := m.Key(st, k)
	v, _ := m.get(st, key)
	st.StorageClear(key)
	return v
}
func (m *StorageMap[K, V]) Mutate(st Store, k K, f func(v *V) error) error {
	return m.mutate(st, m.Key(st, k), f)
}
func (m *StorageMap[K, V]) MutateExists(st Store, k K, f func(v *V, exists *bool) error) error {
	return m.mutateExists(st, m.Key(st, k), f)
}

// Clear removes up to limit entries (0 = all) and reports whether none are left.
func (m *StorageMap[K, V]) Clear(st Store, limit uint32) bool {
	_, all := st.StorageClearPrefix(m.prefix, limit)
	return all
}

// Iterate visits the entries in key (trie) order until f returns false.
// The map's hasher must keep the key (Blake2_128Concat, Twox64Concat,
// Identity); otherwise ErrNotReversible. f may write storage, including the
// visited entry.
func (m *StorageMap[K, V]) Iterate(st Store, f func(k K, v V) bool) error {
	hl := m.hasher.hashLen()
	if hl < 0 {
		return ErrNotReversible
	}
	return iteratePrefix(st, m.prefix, func(key, raw []byte) bool {
		d := scale.NewDecoder(key[len(m.prefix)+hl:])
		k := m.key.Decode(d)
		v, ok := m.decode(raw)
		if d.Finish() != nil || !ok {
			return true // not ours / corrupt: skip
		}
		return f(k, v)
	})
}

// iteratePrefix walks every key starting with prefix via StorageNextKey.
func iteratePrefix(st Store, prefix []byte, f func(key, value []byte) bool) error {
	cur := prefix
	for {
		next, ok := st.StorageNextKey(cur)
		if !ok || !hasPrefix(next, prefix) {
			return nil
		}
		if raw, ok := st.StorageGet(next); ok {
			if !f(next, raw) {
				return nil
			}
		}
		cur = next
	}
}

// IteratePrefix visits raw (key, value) pairs under prefix in key order.
func IteratePrefix(st Store, prefix []byte, f func(key, value []byte) bool) {
	_ = iteratePrefix(st, prefix, f)
}

func hasPrefix(b, p []byte) bool {
	if len(b) < len(p) {
		return false
	}
	for i := range p {
		if b[i] != p[i] {
			return false
		}
	}
	return true
}

// pointerFree reports whether v's type is one of the common types known to
// hold no pointers (so a value decoded from a buffer cannot alias it).
// Other pointer-free item types opt in with PointerFree.
func pointerFree(v any) bool {
	switch v.(type) {
	case bool, uint8, uint16, uint32, uint64, scale.U128, types.Hash, types.AccountID, types.Weight,
		AccountInfo, AccountData, ConsumedWeight, Phase:
		return true
	}
	return false
}

// PointerFree declares that the item's value type holds no pointers (no
// slices, strings, maps or pointers at any depth), so reads through a
// Context may decode it from the Context's cached bytes without a copy.
func PointerFree[V any]() Option[V] { return func(it *item[V]) { it.flat = true } }
