package aura

import (
	"sync"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// logAuthoritiesChange is the ConsensusLog variant (engine "aura") that
// announces a new authority set: AuthoritiesChange(Vec<AuthorityId>).
const logAuthoritiesChange = 1

// DefaultCacheSize is how many blocks' authority sets CachedAuthorities
// remembers.
const DefaultCacheSize = 4096

// CachedAuthorities wraps base (a runtime call, ~10 ms on a block whose
// runtime instance is not warm) with a cache that follows the chain:
// the set at block B is the set at B's parent unless B's header carries
// Aura's AuthoritiesChange consensus log (then it is that log's list, as
// pallet_aura deposits it in the block that changes the set). A block that
// carries an undecodable Aura consensus log or changes the runtime code,
// and a block whose parent's set is not cached, asks base. header returns
// a stored header (chain.Chain.Header). size ≤ 0 means DefaultCacheSize.
//
// This trusts the runtime to log every change of the set, as Substrate's
// pallet_aura does; a set rewritten behind its back (a root set_storage)
// is seen by the cache only at the next block that asks base.
func CachedAuthorities(base AuthoritiesFunc, header func(types.Hash) (*types.Header, error), size int) AuthoritiesFunc {
	if size <= 0 {
		size = DefaultCacheSize
	}
	c := &authCache{base: base, header: header, size: size, sets: map[types.Hash][][32]byte{}}
	return c.get
}

type authCache struct {
	base   AuthoritiesFunc
	header func(types.Hash) (*types.Header, error)
	size   int

	mu    sync.Mutex
	sets  map[types.Hash][][32]byte
	order []types.Hash // insertion order, for eviction
}

func (c *authCache) get(at types.Hash) ([][32]byte, error) {
	c.mu.Lock()
	set, ok := c.sets[at]
	c.mu.Unlock()
	if ok {
		return set, nil
	}
	set, ok = c.derive(at)
	if !ok {
		var err error
		if set, err = c.base(at); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	if _, dup := c.sets[at]; !dup {
		if len(c.order) >= c.size {
			delete(c.sets, c.order[0])
			c.order = c.order[1:]
		}
		c.sets[at] = set
		c.order = append(c.order, at)
	}
	c.mu.Unlock()
	return set, nil
}

// derive finds the set at block at from its header and its parent's cached
// set, without calling the runtime.
func (c *authCache) derive(at types.Hash) ([][32]byte, bool) {
	h, err := c.header(at)
	if err != nil || h.Number == 0 {
		return nil, false
	}
	var changed [][32]byte
	for i := range h.Digest {
		d := &h.Digest[i]
		switch {
		case d.Kind == types.DigestRuntimeEnvironmentUpdated:
			return nil, false
		case d.Kind == types.DigestConsensus && d.Engine == Engine:
			set, ok := decodeAuthoritiesChange(d.Data)
			if !ok {
				return nil, false
			}
			changed = set
		}
	}
	if changed != nil {
		return changed, true
	}
	c.mu.Lock()
	set, ok := c.sets[h.ParentHash]
	c.mu.Unlock()
	return set, ok
}

// decodeAuthoritiesChange decodes AuthoritiesChange(Vec<[u8; 32]>).
func decodeAuthoritiesChange(b []byte) ([][32]byte, bool) {
	if len(b) == 0 || b[0] != logAuthoritiesChange {
		return nil, false
	}
	d := scale.NewDecoder(b[1:])
	n := d.Len(32)
	set := make([][32]byte, n)
	for i := range set {
		set[i] = d.Fixed32()
	}
	if d.Finish() != nil || n == 0 {
		return nil, false
	}
	return set, true
}
