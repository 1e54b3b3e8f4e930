package state

import "sync"

// DefaultCacheBytes is the default size of the node cache.
const DefaultCacheBytes = 64 << 20

// nodeCache keeps recently used node encodings by hash, in two generations:
// hits in the old generation move to the new one, and when the new one
// fills half the budget the old one is dropped. That approximates LRU with
// O(1) work and no per-entry bookkeeping. Content addressing makes a cached
// encoding correct forever; entries are still evicted when a node is pruned
// so that pruned states stop being readable.
type nodeCache struct {
	mu       sync.Mutex
	budget   int                 // bytes per generation; 0 disables the cache
	cur, old map[[32]byte][]byte // guarded by mu
	curBytes int                 // guarded by mu
}

func newNodeCache(bytes int) *nodeCache {
	return &nodeCache{budget: bytes / 2, cur: map[[32]byte][]byte{}}
}

func (c *nodeCache) get(h [32]byte) ([]byte, bool) {
	if c == nil || c.budget == 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[h]; ok {
		return v, true
	}
	if v, ok := c.old[h]; ok {
		c.addLocked(h, v)
		return v, true
	}
	return nil, false
}

func (c *nodeCache) add(h [32]byte, enc []byte) {
	if c == nil || c.budget == 0 {
		return
	}
	c.mu.Lock()
	c.addLocked(h, enc)
	c.mu.Unlock()
}

func (c *nodeCache) addLocked(h [32]byte, enc []byte) {
	if _, ok := c.cur[h]; ok {
		return
	}
	size := len(enc) + 64
	if c.curBytes+size > c.budget {
		c.old, c.cur, c.curBytes = c.cur, map[[32]byte][]byte{}, 0
	}
	c.cur[h] = enc
	c.curBytes += size
}

func (c *nodeCache) remove(hs [][32]byte) {
	if c == nil || c.budget == 0 || len(hs) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, h := range hs {
		delete(c.cur, h)
		delete(c.old, h)
	}
}

// refcountEntryBytes is roughly what one cached reference count costs in a
// Go map (32-byte key, 4-byte count, map overhead).
const refcountEntryBytes = 64

// refcountCache keeps recent reference counts by node hash, in the same two
// generations as nodeCache. Committing a block increments the count of every
// unchanged child of every new node: without the cache each is a database
// read, and on a state of 100,000 accounts those reads were most of a
// commit. The cache is exact, not a hint: the State is the only writer of
// reference counts and only one Update is pending at a time, so an entry
// holds either a count read from the database while no Update could change
// it, or the count a written Update stored (0: absent).
type refcountCache struct {
	mu       sync.Mutex
	budget   int                 // entries per generation; 0 disables the cache
	cur, old map[[32]byte]uint32 // guarded by mu
}

func newRefcountCache(bytes int) *refcountCache {
	return &refcountCache{budget: bytes / 2 / refcountEntryBytes, cur: map[[32]byte]uint32{}}
}

func (c *refcountCache) get(h [32]byte) (uint32, bool) {
	if c.budget == 0 {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if rc, ok := c.cur[h]; ok {
		return rc, true
	}
	if rc, ok := c.old[h]; ok {
		c.setLocked(h, rc)
		return rc, true
	}
	return 0, false
}

// set records the count of h, stored in the database.
func (c *refcountCache) set(h [32]byte, rc uint32) {
	if c.budget == 0 {
		return
	}
	c.mu.Lock()
	c.setLocked(h, rc)
	c.mu.Unlock()
}

// setAll records the counts a written update stored.
func (c *refcountCache) setAll(rcs map[[32]byte]uint32) {
	if c.budget == 0 {
		return
	}
	c.mu.Lock()
	for h, rc := range rcs {
		c.setLocked(h, rc)
	}
	c.mu.Unlock()
}

func (c *refcountCache) setLocked(h [32]byte, rc uint32) {
	if _, ok := c.cur[h]; !ok && len(c.cur) >= c.budget {
		c.old, c.cur = c.cur, make(map[[32]byte]uint32, c.budget/4)
	}
	c.cur[h] = rc // shadows any older count of h in old
}
