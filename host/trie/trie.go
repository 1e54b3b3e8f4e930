package trie

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"
)

// NodeStore reads nodes by hash. GetNode returns the encoding stored under
// hash (a node, or a value of a V1 hashed-value node) as a slice the trie may
// keep; a missing entry is an error wrapping ErrMissingNode.
type NodeStore interface {
	GetNode(hash [32]byte) ([]byte, error)
}

// NodeWriter receives the nodes and hashed values a Commit persists, children
// before their parents.
type NodeWriter interface {
	WriteNode(hash [32]byte, enc []byte) error
	WriteValue(hash [32]byte, value []byte) error
}

// Trie is a Substrate trie. The zero value is an empty in-memory trie.
type Trie struct {
	root  *node
	store NodeStore // nil: purely in memory
	gen   uint64    // nodes created with this generation are owned by t alone

	scratch []byte // reused encoding buffer for hashing
}

// New returns an empty trie that loads nothing from a store.
func New() *Trie { return &Trie{gen: nextGen()} }

// NewFromRoot returns the trie with the given root, loading nodes lazily
// from store. EmptyRoot gives an empty trie.
func NewFromRoot(root [32]byte, store NodeStore) *Trie {
	t := &Trie{store: store, gen: nextGen()}
	if root != EmptyRoot {
		t.root = &node{mv: bytes.Clone(root[:]), mvVer: mvFixed, stub: true, persisted: true}
	}
	return t
}

// Copy returns an independent trie sharing all nodes with t: O(1). Later
// writes to either do not show in the other.
func (t *Trie) Copy() *Trie {
	// From now on neither trie may change the nodes they share in place.
	t.gen = nextGen()
	return &Trie{root: t.root, store: t.store, gen: nextGen()}
}

var genCounter atomic.Uint64

func nextGen() uint64 { return genCounter.Add(1) }

// IsEmpty reports whether the trie holds no key.
func (t *Trie) IsEmpty() bool { return t.root == nil }

func (t *Trie) resolve(n *node) error {
	if !n.stub {
		return nil
	}
	if t.store == nil {
		return fmt.Errorf("%w: %x (no store)", ErrMissingNode, n.mv)
	}
	h := [32]byte(n.mv)
	enc, err := t.store.GetNode(h)
	if err != nil {
		if errors.Is(err, ErrMissingNode) || errors.Is(err, ErrIncompleteProof) {
			return err
		}
		return fmt.Errorf("%w: %x: %w", ErrMissingNode, h, err)
	}
	var dec node // decoded aside: on an error n stays a valid stub
	if err := dec.decode(enc); err != nil {
		return fmt.Errorf("node %x: %w", h, err)
	}
	mv := n.mv
	if len(enc) < 32 {
		// Only a root can be stored while shorter than 32 bytes; as a child
		// (after a later insert above it) its merkle value is the encoding.
		mv = bytes.Clone(enc)
	}
	*n = dec
	n.mv, n.mvVer = mv, mvFixed
	return nil
}

func (t *Trie) loadValue(n *node) error {
	if n.valLoad {
		return nil
	}
	if t.store == nil {
		return fmt.Errorf("%w: value %x (no store)", ErrMissingNode, n.valHash)
	}
	v, err := t.store.GetNode([32]byte(n.valHash))
	if err != nil {
		if errors.Is(err, ErrMissingNode) || errors.Is(err, ErrIncompleteProof) {
			return err
		}
		return fmt.Errorf("%w: value %x: %w", ErrMissingNode, n.valHash, err)
	}
	n.value, n.valLoad = v, true
	return nil
}

// Get returns the value stored under key. The slice is shared with the trie
// (and possibly its NodeStore): the caller must not modify it.
func (t *Trie) Get(key []byte) ([]byte, bool, error) {
	k := keyToNibbles(key)
	n := t.root
	for n != nil {
		if err := t.resolve(n); err != nil {
			return nil, false, err
		}
		if !bytes.HasPrefix(k, n.partial) {
			return nil, false, nil
		}
		k = k[len(n.partial):]
		if len(k) == 0 {
			if !n.hasValue {
				return nil, false, nil
			}
			if err := t.loadValue(n); err != nil {
				return nil, false, err
			}
			return n.value, true, nil
		}
		if n.children == nil {
			return nil, false, nil
		}
		n = n.children[k[0]]
		k = k[1:]
	}
	return nil, false, nil
}

// Put stores a copy of value under key (an empty value is a value).
func (t *Trie) Put(key, value []byte) error {
	r, _, err := t.insert(t.root, keyToNibbles(key), bytes.Clone(value))
	if err != nil {
		return err
	}
	t.root = r
	return nil
}

// Delete removes key; deleting an absent key is not an error.
func (t *Trie) Delete(key []byte) error {
	r, _, err := t.remove(t.root, keyToNibbles(key))
	if err != nil {
		return err
	}
	t.root = r
	return nil
}

// mutable reports whether n belongs to t alone and may be changed in place:
// created by t since its last Copy, and not yet persisted.
func (t *Trie) mutable(n *node) bool { return n.gen == t.gen && !n.persisted }

// own returns n itself when t may change it in place (clearing its hash
// cache), else a fresh copy owned by t.
func (t *Trie) own(n *node) *node {
	if t.mutable(n) {
		n.mv, n.mvVer = nil, mvNone
		return n
	}
	c := n.clone()
	c.gen = t.gen
	return c
}

func (t *Trie) newLeaf(k, v []byte) *node {
	n := &node{partial: k, gen: t.gen}
	n.setValue(v)
	return n
}

// insert puts v under k in n's subtree and returns the new subtree root and
// whether anything changed.
func (t *Trie) insert(n *node, k, v []byte) (*node, bool, error) {
	if v == nil {
		v = []byte{}
	}
	if n == nil {
		return t.newLeaf(k, v), true, nil
	}
	if err := t.resolve(n); err != nil {
		return nil, false, err
	}
	cp := commonPrefix(n.partial, k)
	if cp == len(n.partial) {
		if cp == len(k) {
			if n.hasValue && n.valLoad && bytes.Equal(n.value, v) {
				return n, false, nil
			}
			nn := t.own(n)
			nn.setValue(v)
			return nn, true, nil
		}
		idx := k[cp]
		var child *node
		if n.children != nil {
			child = n.children[idx]
		}
		nc, changed, err := t.insert(child, k[cp+1:], v)
		if err != nil || !changed {
			return n, false, err
		}
		nn := t.own(n)
		nn.setChild(idx, nc)
		return nn, true, nil
	}
	// Split n's partial key at cp under a new branch.
	b := &node{partial: k[:cp], children: new([16]*node), gen: t.gen}
	p := n.partial
	old := t.own(n)
	old.partial = p[cp+1:]
	b.children[p[cp]] = old
	if cp == len(k) {
		b.setValue(v)
	} else {
		b.children[k[cp]] = t.newLeaf(k[cp+1:], v)
	}
	return b, true, nil
}

func (t *Trie) remove(n *node, k []byte) (*node, bool, error) {
	if n == nil {
		return nil, false, nil
	}
	if err := t.resolve(n); err != nil {
		return nil, false, err
	}
	if !bytes.HasPrefix(k, n.partial) {
		return n, false, nil
	}
	if len(k) == len(n.partial) {
		if !n.hasValue {
			return n, false, nil
		}
		nn := t.own(n)
		nn.value, nn.valHash, nn.hasValue, nn.valLoad = nil, nil, false, false
		r, err := t.normalize(nn)
		return r, true, err
	}
	if n.children == nil {
		return n, false, nil
	}
	idx := k[len(n.partial)]
	child := n.children[idx]
	nc, changed, err := t.remove(child, k[len(n.partial)+1:])
	if err != nil || !changed {
		return n, false, err
	}
	nn := t.own(n)
	nn.setChild(idx, nc)
	r, err := t.normalize(nn)
	return r, true, err
}

// normalize restores the trie invariants on a freshly cloned node: no
// childless branch, no value-less branch with a single child.
func (t *Trie) normalize(n *node) (*node, error) {
	switch c := n.childCount(); {
	case c == 0:
		n.children = nil
		if !n.hasValue {
			return nil, nil
		}
		return n, nil
	case c == 1 && !n.hasValue:
		var idx int
		for i, ch := range n.children {
			if ch != nil {
				idx = i
			}
		}
		child := n.children[idx]
		if err := t.resolve(child); err != nil {
			return nil, err
		}
		m := t.own(child)
		m.partial = concatNibbles(n.partial, []byte{byte(idx)}, m.partial)
		return m, nil
	}
	return n, nil
}
