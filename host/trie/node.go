package trie

import "fmt"

// Cache states of node.mvVer.
const (
	mvNone  uint8 = 0 // not computed
	mvV0    uint8 = 1 // computed under V0
	mvV1    uint8 = 2 // computed under V1
	mvFixed uint8 = 3 // stored encoding: valid for every version
)

// Value forms: how a node's value is encoded.
const (
	formByVersion uint8 = iota // not persisted: the layout version decides
	formInline                 // persisted with the value inline
	formHashed                 // persisted as a hashed-value node
)

// node is one trie node. Nodes are shared between Trie values and never
// modified once reachable, except for filling caches and resolving stubs
// (which do not change what the node means).
type node struct {
	partial  []byte     // partial key, one nibble per byte
	children *[16]*node // nil when the node has no children
	value    []byte     // valid when hasValue and the value is loaded
	valHash  []byte     // blake2_256(value) when known; the only copy of the value until loaded
	hasValue bool
	valLoad  bool  // value is loaded (false only for hashed values read from a store)
	valForm  uint8 // formByVersion, formInline or formHashed

	mv    []byte // merkle value: encoding when < 32 bytes, else its hash
	mvVer uint8

	stub      bool   // only mv (a hash) is known: load from the store
	persisted bool   // held by the store (or embedded in a stored parent)
	gen       uint64 // generation of the Trie that created it (see Trie.mutable)
}

func (n *node) childCount() int {
	if n.children == nil {
		return 0
	}
	c := 0
	for _, ch := range n.children {
		if ch != nil {
			c++
		}
	}
	return c
}

// clone returns a new, unpersisted node with the same content, its own
// children array and no cache.
func (n *node) clone() *node {
	if n.children == nil {
		return &node{partial: n.partial, value: n.value, valHash: n.valHash, hasValue: n.hasValue, valLoad: n.valLoad}
	}
	b := &nodeWithChildren{ch: *n.children}
	b.n = node{partial: n.partial, children: &b.ch, value: n.value, valHash: n.valHash, hasValue: n.hasValue, valLoad: n.valLoad}
	return &b.n
}

// nodeWithChildren allocates a node and its children array together.
type nodeWithChildren struct {
	n  node
	ch [16]*node
}

// setChild sets child i in place: n must own its children array (a node
// made by clone or created as a branch does).
func (n *node) setChild(i byte, c *node) {
	if n.children == nil {
		n.children = new([16]*node)
	}
	n.children[i] = c
}

func (n *node) setValue(v []byte) {
	n.value, n.valHash, n.hasValue, n.valLoad = v, nil, true, true
}

// nodeFromEncoding builds a node from a stored encoding; children referenced
// by hash become stubs, inline children are decoded at once. The node keeps
// sub-slices of enc (never written to), so enc must not change afterwards.
func nodeFromEncoding(enc []byte) (*node, error) {
	n := &node{}
	if err := n.decode(enc); err != nil {
		return nil, err
	}
	return n, nil
}

// decode makes n the node of a stored encoding, as nodeFromEncoding does,
// without allocating n itself. n must be new or unreachable: on an error it
// is left half set.
func (n *node) decode(enc []byte) error {
	var dn decodedNode
	ok, err := decodeNodeBytes(&dn, enc)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: empty node inside a trie", ErrInvalidNode)
	}
	*n = node{partial: dn.partial, hasValue: dn.hasValue, persisted: true}
	if dn.hasValue {
		if dn.valueHash != nil {
			n.valHash, n.valForm = dn.valueHash, formHashed
		} else {
			n.value, n.valLoad, n.valForm = dn.value, true, formInline
		}
	}
	if dn.branch {
		n.children = new([16]*node)
		hashed := 0
		for _, ref := range dn.children {
			if len(ref) == 32 {
				hashed++
			}
		}
		stubs := make([]node, hashed) // one allocation for all stubs
		for i, ref := range dn.children {
			switch {
			case ref == nil:
			case len(ref) == 32:
				st := &stubs[len(stubs)-hashed]
				hashed--
				st.mv, st.mvVer, st.stub, st.persisted = ref, mvFixed, true, true
				n.children[i] = st
			default:
				c, err := nodeFromEncoding(ref)
				if err != nil {
					return err
				}
				c.mv, c.mvVer = ref, mvFixed
				n.children[i] = c
			}
		}
	}
	if !n.hasValue && n.childCount() == 0 {
		return fmt.Errorf("%w: node without value or children", ErrInvalidNode)
	}
	return nil
}

// keyToNibbles expands a key, high nibble first.
func keyToNibbles(key []byte) []byte {
	out := make([]byte, 2*len(key))
	for i, b := range key {
		out[2*i], out[2*i+1] = b>>4, b&0x0f
	}
	return out
}

// nibblesToKey packs an even number of nibbles back into bytes.
func nibblesToKey(nib []byte) []byte {
	out := make([]byte, len(nib)/2)
	for i := range out {
		out[i] = nib[2*i]<<4 | nib[2*i+1]
	}
	return out
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func concatNibbles(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
