package frame

// readCache is Context's cache of storage values by key: an open-addressing
// table (linear probing) over a slice of entries. Go's map hashes string
// keys with its portable fallback hash inside WASM, several calls per
// lookup; storage keys are mostly hashes already, so a few of their bytes
// make a good hash here. Looked up by key; walked in key-insertion order
// only to write dirty entries back and to drop a cleared prefix.
//
// While a block executes it is also a write-back cache (see
// Context.StorageSet): a write only marks its entry dirty, and flush hands
// the dirty entries to the host when something must see them (the trie
// root, key iteration, a prefix clear, an append, the end of the block). A
// transfer writes the same few keys many times (the sender's account five
// times, EventCount once per event), so most writes never cross into the
// host. Storage transactions are kept here too: every change to an entry
// inside one is journalled (undo), and a rollback restores the entries as
// they were, dirty or not, while the host rolls back what was flushed.
type readCache struct {
	slots   []int32 // 0 = empty, else index+1 into entries
	entries []cachedValue
	undo    []undoRecord // changes to entries inside open transactions
	saves   []byte       // the journalled values' bytes (see save)
	marks   []txMark     // one per open transaction, innermost last
	seq     uint32       // transactions begun so far (names each one)
	ndirty  int          // entries with dirty set
}

// txMark is where an open transaction's journal starts, and its name.
type txMark struct {
	undo, saves int
	seq         uint32
}

// cachedValue is a value as the host returned it or the runtime wrote it
// (ok: present).
type cachedValue struct {
	key   []byte
	hash  uint64
	slot  int32  // this entry's index in entries (for the journal)
	saved uint32 // the transaction that journalled this entry last (0: none)
	val   []byte
	ok    bool
	own   bool // val was allocated here (a host may hand out its own buffer)
	gone  bool // dropped (StorageAppend, prefix clear): not a cached value any more
	dirty bool // written here and not yet handed to the host
}

// undoRecord is an entry as it was before a change inside a transaction
// (prev.slot says which).
type undoRecord struct {
	prev cachedValue
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
		if e := &t.entries[s-1]; e.hash == h && keyEqual(e.key, key) {
			return e
		}
	}
}

// keyEqual is bytes.Equal a word at a time: Go's memequal for wasm
// compares byte by byte, and a cache lookup compares a whole key (32 to 80
// bytes) each time its hash matches.
func keyEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for len(a) >= 8 {
		if le64(a) != le64(b) {
			return false
		}
		a, b = a[8:], b[8:]
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
	e := t.entry(key)
	t.save(e)
	*e = cachedValue{key: e.key, hash: e.hash, slot: e.slot, saved: e.saved, val: v, ok: ok}
}

// entry returns key's entry, adding a gone one if there is none.
func (t *readCache) entry(key []byte) *cachedValue {
	if e := t.find(key); e != nil {
		return e
	}
	if 2*(len(t.entries)+1) > len(t.slots) {
		t.grow()
	}
	h := keyHash(key)
	t.entries = append(t.entries, cachedValue{key: append([]byte(nil), key...), hash: h, slot: int32(len(t.entries)), gone: true})
	t.insert(h, int32(len(t.entries)))
	return &t.entries[len(t.entries)-1]
}

// inTx reports whether a transaction is open (changes are journalled).
func (t *readCache) inTx() bool { return len(t.marks) > 0 }

// save journals e before a change, when a transaction is open, once per
// transaction: the first record restores what the entry was when the
// transaction began. The record keeps a copy of the value in saves, one
// buffer for the whole journal (reused once no transaction is open), so
// that the entry keeps its own buffer and later writes reuse it: a
// transfer writes a dozen keys in nested transactions, and a fresh buffer
// for each was a third of its allocations.
func (t *readCache) save(e *cachedValue) {
	if len(t.marks) == 0 {
		return
	}
	cur := t.marks[len(t.marks)-1].seq
	if e.saved == cur {
		return
	}
	r := undoRecord{prev: *e}
	if e.val != nil {
		at := len(t.saves)
		t.saves = append(t.saves, e.val...)
		r.prev.val = t.saves[at:len(t.saves):len(t.saves)]
	}
	t.undo = append(t.undo, r)
	e.saved = cur
}

// write makes value (copied) or, with ok false, absence the entry of key,
// dirty. The entry's buffer is reused if it has its own.
func (t *readCache) write(key, value []byte, ok bool) {
	e := t.entry(key)
	t.save(e)
	if !e.dirty {
		t.ndirty++
	}
	e.gone, e.dirty, e.ok = false, true, ok
	if !ok {
		e.val = e.val[:0] // keeps the buffer, if any, for a later write
		return
	}
	if !e.own || cap(e.val) < len(value) {
		e.val = make([]byte, 0, len(value))
		e.own = true
	}
	e.val = append(e.val[:0], value...)
}

// drop makes e not cached (journalled), for a value the host changed itself.
func (t *readCache) drop(e *cachedValue) {
	t.save(e)
	if e.dirty {
		t.ndirty--
	}
	e.val, e.gone, e.dirty = nil, true, false
}

// begin, commit and rollback follow the storage transactions opened while
// the cache writes back.
func (t *readCache) begin() {
	t.seq++
	t.marks = append(t.marks, txMark{undo: len(t.undo), saves: len(t.saves), seq: t.seq})
}

func (t *readCache) commit() {
	t.marks = t.marks[:len(t.marks)-1]
	if len(t.marks) == 0 {
		clear(t.undo)
		t.undo, t.saves = t.undo[:0], t.saves[:0]
	}
}

// rollback restores the entries changed since the innermost transaction
// began, newest change first. A restored value is copied out of saves
// (which the next records overwrite) into the entry's buffer.
func (t *readCache) rollback() {
	m := t.marks[len(t.marks)-1]
	t.marks = t.marks[:len(t.marks)-1]
	for i := len(t.undo) - 1; i >= m.undo; i-- {
		r := &t.undo[i]
		e := &t.entries[r.prev.slot]
		switch {
		case r.prev.dirty && !e.dirty:
			t.ndirty++
		case !r.prev.dirty && e.dirty:
			t.ndirty--
		}
		var buf []byte
		if e.own {
			buf = e.val[:0]
		}
		*e = r.prev
		if r.prev.val != nil {
			e.val, e.own = append(buf, r.prev.val...), true
		}
	}
	clear(t.undo[m.undo:])
	t.undo, t.saves = t.undo[:m.undo], t.saves[:m.saves]
}

// flushEntry hands e to the host if it is dirty.
func (t *readCache) flushEntry(h storageWriter, e *cachedValue) {
	if !e.dirty {
		return
	}
	t.save(e)
	e.dirty = false
	t.ndirty--
	if e.ok {
		h.StorageSet(e.key, e.val)
	} else {
		h.StorageClear(e.key)
	}
}

// flush hands every dirty entry to the host, in the order the keys were
// first cached (any order gives the same state; this one is deterministic).
func (t *readCache) flush(h storageWriter) {
	if t.ndirty == 0 {
		return
	}
	for i := range t.entries {
		t.flushEntry(h, &t.entries[i])
	}
	t.ndirty = 0
}

// storageWriter is the part of the host flush writes to.
type storageWriter interface {
	StorageSet(key, value []byte)
	StorageClear(key []byte)
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

// reset drops every entry (keeping the table's memory). Dirty entries must
// have been flushed and no transaction be open.
func (t *readCache) reset() {
	clear(t.slots)
	clear(t.entries)
	t.entries = t.entries[:0]
	clear(t.undo)
	t.undo, t.saves, t.marks, t.ndirty = t.undo[:0], t.saves[:0], t.marks[:0], 0
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
