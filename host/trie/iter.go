package trie

import "bytes"

// Iterate calls fn for every key >= start, in key order, until fn returns
// false. Values are loaded as needed. fn must not modify the trie, nor the
// key and value slices it is given.
func (t *Trie) Iterate(start []byte, fn func(key, value []byte) bool) error {
	if t.root == nil {
		return nil
	}
	_, err := t.walk(t.root, nil, keyToNibbles(start), true, fn)
	return err
}

// IteratePrefix calls fn for every key with the given prefix that is >=
// start (nil start: from the prefix), in order, until fn returns false.
func (t *Trie) IteratePrefix(prefix, start []byte, fn func(key, value []byte) bool) error {
	if bytes.Compare(start, prefix) < 0 {
		start = prefix
	}
	return t.Iterate(start, func(k, v []byte) bool {
		if !bytes.HasPrefix(k, prefix) {
			return false
		}
		return fn(k, v)
	})
}

// NextKey returns the smallest key strictly greater than key. It does not
// load any value.
func (t *Trie) NextKey(key []byte) ([]byte, bool, error) {
	return t.SeekKey(append(bytes.Clone(key), 0x00)) // the smallest key above key
}

// IterateKeys calls fn for every key with the given prefix that is >= start
// (nil start: from the prefix), in order, until fn returns false. Values are
// not loaded.
func (t *Trie) IterateKeys(prefix, start []byte, fn func(key []byte) bool) error {
	if t.root == nil {
		return nil
	}
	if bytes.Compare(start, prefix) < 0 {
		start = prefix
	}
	_, err := t.walkKeys(t.root, nil, keyToNibbles(start), true, func(k []byte) bool {
		if !bytes.HasPrefix(k, prefix) {
			return false
		}
		return fn(k)
	})
	return err
}

// SeekKey returns the smallest key >= key without loading its value.
func (t *Trie) SeekKey(key []byte) ([]byte, bool, error) {
	if t.root == nil {
		return nil, false, nil
	}
	var found []byte
	_, err := t.walkKeys(t.root, nil, keyToNibbles(key), true, func(k []byte) bool {
		found = k
		return false
	})
	return found, found != nil, err
}

// walk visits the keys of n's subtree that are >= path++bound (when bounded)
// in order. It returns stop=true once fn asked to stop.
func (t *Trie) walk(n *node, path, bound []byte, bounded bool, fn func(k, v []byte) bool) (bool, error) {
	return t.walkNode(n, path, bound, bounded, func(n *node, full []byte) (bool, error) {
		if err := t.loadValue(n); err != nil {
			return true, err
		}
		return !fn(nibblesToKey(full), n.value), nil
	})
}

func (t *Trie) walkKeys(n *node, path, bound []byte, bounded bool, fn func(k []byte) bool) (bool, error) {
	return t.walkNode(n, path, bound, bounded, func(_ *node, full []byte) (bool, error) {
		return !fn(nibblesToKey(full)), nil
	})
}

func (t *Trie) walkNode(n *node, path, bound []byte, bounded bool, emit func(n *node, full []byte) (bool, error)) (bool, error) {
	if err := t.resolve(n); err != nil {
		return true, err
	}
	p := n.partial
	full := concatNibbles(path, p)
	if bounded {
		cp := commonPrefix(p, bound)
		switch {
		case cp < len(p) && cp < len(bound):
			if p[cp] < bound[cp] {
				return false, nil // the whole subtree sorts before the bound
			}
			bounded = false
		case cp == len(p):
			bound = bound[len(p):]
			bounded = len(bound) > 0
		default:
			bounded = false // the bound is a proper prefix: everything is above it
		}
	}
	if !bounded && n.hasValue && len(full)%2 == 0 {
		if stop, err := emit(n, full); stop || err != nil {
			return true, err
		}
	}
	if n.children == nil {
		return false, nil
	}
	first := 0
	if bounded {
		first = int(bound[0])
	}
	for i := first; i < 16; i++ {
		c := n.children[i]
		if c == nil {
			continue
		}
		cb, cbounded := []byte(nil), false
		if bounded && i == first {
			cb, cbounded = bound[1:], true
		}
		stop, err := t.walkNode(c, append(full, byte(i)), cb, cbounded, emit)
		if stop || err != nil {
			return true, err
		}
	}
	return false, nil
}
