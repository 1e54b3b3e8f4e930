package frame

import "github.com/metamars/mars/runtime/scale"

// StorageDoubleMap maps (K1, K2) to V at prefix ++ h1(k1) ++ h2(k2).
type StorageDoubleMap[K1, K2, V any] struct {
	item[V]
	h1, h2 Hasher
	k1     Codec[K1]
	k2     Codec[K2]
}

// NewDoubleMap declares a double map.
func NewDoubleMap[K1, K2, V any](pallet, name string, h1 Hasher, k1 Codec[K1], h2 Hasher, k2 Codec[K2], val Codec[V], opts ...Option[V]) *StorageDoubleMap[K1, K2, V] {
	return &StorageDoubleMap[K1, K2, V]{item: newItem(pallet, name, val, opts), h1: h1, h2: h2, k1: k1, k2: k2}
}

// Hashers returns the two key hashers (metadata).
func (m *StorageDoubleMap[K1, K2, V]) Hashers() [2]Hasher { return [2]Hasher{m.h1, m.h2} }

// PrefixOf returns prefix ++ h1(k1), the prefix of all entries under k1.
func (m *StorageDoubleMap[K1, K2, V]) PrefixOf(st Store, k1 K1) []byte {
	h := m.h1.Hash(st, m.k1.Bytes(k1))
	return append(append(make([]byte, 0, len(m.prefix)+len(h)+48), m.prefix...), h...)
}

// Key returns the full key of (k1, k2).
func (m *StorageDoubleMap[K1, K2, V]) Key(st Store, k1 K1, k2 K2) []byte {
	return append(m.PrefixOf(st, k1), m.h2.Hash(st, m.k2.Bytes(k2))...)
}

func (m *StorageDoubleMap[K1, K2, V]) Get(st Store, k1 K1, k2 K2) V {
	v, _ := m.get(st, m.Key(st, k1, k2))
	return v
}
func (m *StorageDoubleMap[K1, K2, V]) TryGet(st Store, k1 K1, k2 K2) (V, bool) {
	return m.get(st, m.Key(st, k1, k2))
}
func (m *StorageDoubleMap[K1, K2, V]) Set(st Store, k1 K1, k2 K2, v V) {
	m.set(st, m.Key(st, k1, k2), v)
}
func (m *StorageDoubleMap[K1, K2, V]) Exists(st Store, k1 K1, k2 K2) bool {
	return st.StorageExists(m.Key(st, k1, k2))
}
func (m *StorageDoubleMap[K1, K2, V]) Remove(st Store, k1 K1, k2 K2) {
	st.StorageClear(m.Key(st, k1, k2))
}
func (m *StorageDoubleMap[K1, K2, V]) Take(st Store, k1 K1, k2 K2) V {
	key := m.Key(st, k1, k2)
	v, _ := m.get(st, key)
	st.StorageClear(key)
	return v
}
func (m *StorageDoubleMap[K1, K2, V]) Mutate(st Store, k1 K1, k2 K2, f func(v *V) error) error {
	return m.mutate(st, m.Key(st, k1, k2), f)
}
func (m *StorageDoubleMap[K1, K2, V]) MutateExists(st Store, k1 K1, k2 K2, f func(v *V, exists *bool) error) error {
	return m.mutateExists(st, m.Key(st, k1, k2), f)
}

// RemovePrefix removes up to limit (0 = all) entries under k1; it reports
// whether all are gone.
func (m *StorageDoubleMap[K1, K2, V]) RemovePrefix(st Store, k1 K1, limit uint32) bool {
	_, all := st.StorageClearPrefix(m.PrefixOf(st, k1), limit)
	return all
}

// IteratePrefix visits the entries under k1 in key order until f returns
// false. The second hasher must keep the key.
func (m *StorageDoubleMap[K1, K2, V]) IteratePrefix(st Store, k1 K1, f func(k2 K2, v V) bool) error {
	hl := m.h2.hashLen()
	if hl < 0 {
		return ErrNotReversible
	}
	p := m.PrefixOf(st, k1)
	return iteratePrefix(st, p, func(key, raw []byte) bool {
		d := scale.NewDecoder(key[len(p)+hl:])
		k2 := m.k2.Decode(d)
		v, ok := m.decode(raw)
		if d.Finish() != nil || !ok {
			return true
		}
		return f(k2, v)
	})
}

// Iterate visits all entries; both hashers must keep their keys.
func (m *StorageDoubleMap[K1, K2, V]) Iterate(st Store, f func(k1 K1, k2 K2, v V) bool) error {
	hl1, hl2 := m.h1.hashLen(), m.h2.hashLen()
	if hl1 < 0 || hl2 < 0 {
		return ErrNotReversible
	}
	return iteratePrefix(st, m.prefix, func(key, raw []byte) bool {
		d := scale.NewDecoder(key[len(m.prefix)+hl1:])
		k1 := m.k1.Decode(d)
		if d.Err() != nil || d.Remaining() < hl2 {
			return true
		}
		d.Raw(hl2)
		k2 := m.k2.Decode(d)
		v, ok := m.decode(raw)
		if d.Finish() != nil || !ok {
			return true
		}
		return f(k1, k2, v)
	})
}

// StorageNMap is a map with any number of keys, each given pre-encoded
// (SCALE) with its own hasher: prefix ++ h1(k1) ++ ... ++ hn(kn).
type StorageNMap[V any] struct {
	item[V]
	hashers []Hasher
}

// NewNMap declares an n-key map.
func NewNMap[V any](pallet, name string, hashers []Hasher, val Codec[V], opts ...Option[V]) *StorageNMap[V] {
	return &StorageNMap[V]{item: newItem(pallet, name, val, opts), hashers: append([]Hasher(nil), hashers...)}
}

// Hashers returns the key hashers (metadata).
func (m *StorageNMap[V]) Hashers() []Hasher { return m.hashers }

// Key returns the key of encoded key parts; fewer parts than hashers give a
// prefix (for RemovePrefix and IteratePrefix).
func (m *StorageNMap[V]) Key(st Store, keys ...[]byte) []byte {
	out := append([]byte(nil), m.prefix...)
	for i, k := range keys {
		if i >= len(m.hashers) {
			break
		}
		out = append(out, m.hashers[i].Hash(st, k)...)
	}
	return out
}

func (m *StorageNMap[V]) Get(st Store, keys ...[]byte) V {
	v, _ := m.get(st, m.Key(st, keys...))
	return v
}
func (m *StorageNMap[V]) TryGet(st Store, keys ...[]byte) (V, bool) {
	return m.get(st, m.Key(st, keys...))
}
func (m *StorageNMap[V]) Set(st Store, v V, keys ...[]byte) { m.set(st, m.Key(st, keys...), v) }
func (m *StorageNMap[V]) Exists(st Store, keys ...[]byte) bool {
	return st.StorageExists(m.Key(st, keys...))
}
func (m *StorageNMap[V]) Remove(st Store, keys ...[]byte) { st.StorageClear(m.Key(st, keys...)) }
func (m *StorageNMap[V]) Mutate(st Store, f func(v *V) error, keys ...[]byte) error {
	return m.mutate(st, m.Key(st, keys...), f)
}

// RemovePrefix removes entries under the given leading key parts.
func (m *StorageNMap[V]) RemovePrefix(st Store, limit uint32, keys ...[]byte) bool {
	_, all := st.StorageClearPrefix(m.Key(st, keys...), limit)
	return all
}

// IteratePrefix visits (raw key suffix after the given parts, value) pairs.
func (m *StorageNMap[V]) IteratePrefix(st Store, f func(suffix []byte, v V) bool, keys ...[]byte) {
	p := m.Key(st, keys...)
	_ = iteratePrefix(st, p, func(key, raw []byte) bool {
		v, ok := m.decode(raw)
		if !ok {
			return true
		}
		return f(key[len(p):], v)
	})
}
