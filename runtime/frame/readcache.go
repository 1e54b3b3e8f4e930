package frame

// readCache is Context's cache of storage values by key: an open-addressing
// table (linear probing) over a slice of entries. Go's map hashes string
// keys with its portable fallback hash inside WASM, several calls per
// lookup; storage keys are mostly hashes already, so a few of their bytes
// make a good hash here. Only looked up by key, never iterated.
type readCache struct {
	slots   []int32 // 0 = empty, else index+1 into entries
	entries []cachedValue
}

// cachedValue is a value as the host returned it (ok: present).
type cachedValue struct {
	key  string
	hash uint64
	val  []byte
	ok   bool
	own  bool // val was allocated here (a host may hand out its own buffer)
	gone bool // dropped (StorageAppend): not a cached value any more
}

// keyHash mixes words of key: for hashed storage keys (twox128 prefixes,
// then blake2 or twox map keys) those bytes are already uniform. The last
// word is always in, so keys of one map differ (twox64_concat of a u32 is
// 44 bytes).
func keyHash(key []byte) uint64 {
	var h uint64
	n := len(key)
	switch {
	case n >= 40:
		h = le64(key[16:]) ^ le64(key[24:])*0x9e3779b97f4a7c15 ^ le64(key[32:])*0xc2b2ae3d27d4eb4f ^ le64(key[n-8:])*0x165667b19e3779f9
	case n >= 32:
		h = le64(key[16:]) ^ le64(key[24:])*0x9e3779b97f4a7c15 ^ le64(key[n-8:])*0x165667b19e3779f9
	default:
		h = 0xcbf29ce484222325
		for _, b := range key {
			h = (h ^ uint64(b)) * 0x100000001b3
		}
	}
	h ^= uint64(n)
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// find returns the entry of key, or nil.
func (t *readCache) find(key []byte) *cachedValue {
	if len(t.slots) == 0 {
		return nil
	}
	var h uint64
	if n := len(key); n >= 40 {
		// keyHash's common case, spelled out here: a call less per lookup.
		h = le64(key[16:]) ^ le64(key[24:])*0x9e3779b97f4a7c15 ^ le64(key[32:])*0xc2b2ae3d27d4eb4f ^ le64(key[n-8:])*0x165667b19e3779f9
		h ^= uint64(n)
		h ^= h >> 29
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 32
	} else {
		h = keyHash(key)
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return nil
		}
		if e := &t.entries[s-1]; e.hash == h && e.key == string(key) {
			return e
		}
	}
}

// get returns the live entry of key, or nil.
func (t *readCache) get(key []byte) *cachedValue {
	if e := t.find(key); e != nil && !e.gone {
		return e
	}
	return nil
}

// put records key's value as read from the host (v is not copied).
func (t *readCache) put(key, v []byte, ok bool) {
	if e := t.find(key); e != nil {
		*e = cachedValue{key: e.key, hash: e.hash, val: v, ok: ok}
		return
	}
	if 2*(len(t.entries)+1) > len(t.slots) {
		t.grow()
	}
	h := keyHash(key)
	t.entries = append(t.entries, cachedValue{key: string(key), hash: h, val: v, ok: ok})
	t.insert(h, int32(len(t.entries)))
}

func (t *readCache) insert(h uint64, slot int32) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = slot
}

func (t *readCache) grow() {
	n := 2 * len(t.slots)
	if n < 64 {
		n = 64
	}
	t.slots = make([]int32, n)
	for i := range t.entries {
		t.insert(t.entries[i].hash, int32(i+1))
	}
}

// reset drops every entry (keeping the table's memory).
func (t *readCache) reset() {
	clear(t.slots)
	clear(t.entries)
	t.entries = t.entries[:0]
}

// keyMemo remembers the last few full storage keys of blake2_128_concat
// maps with 32-byte keys (System.Account: a transfer computes the keys of
// its two or three accounts about ten times). A map is told apart by its
// prefix's address. The keys are shared: callers do not change them.
type keyMemo struct {
	e    [keyMemoSlots]keyMemoEntry
	next uint8
}

const keyMemoSlots = 4

type keyMemoEntry struct {
	prefix *byte
	in     [4]uint64
	key    []byte
}

func (m *keyMemo) get(prefix *byte, raw []byte) []byte {
	w0, w1, w2, w3 := le64(raw[0:]), le64(raw[8:]), le64(raw[16:]), le64(raw[24:])
	for i := range m.e {
		if e := &m.e[i]; e.prefix == prefix && e.in[0] == w0 && e.in[1] == w1 && e.in[2] == w2 && e.in[3] == w3 {
			return e.key
		}
	}
	return nil
}

func (m *keyMemo) put(prefix *byte, raw, key []byte) {
	m.e[m.next] = keyMemoEntry{prefix: prefix, in: [4]uint64{le64(raw[0:]), le64(raw[8:]), le64(raw[16:]), le64(raw[24:])}, key: key}
	m.next = (m.next + 1) % keyMemoSlots
}
