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
