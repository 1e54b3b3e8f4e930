package trie

import (
	"bytes"
	"fmt"
)

// encode returns n's encoding under ver, computing children's merkle values
// as needed. Persisted nodes re-encode exactly as stored.
func (t *Trie) encode(n *node, ver Version, buf []byte) ([]byte, error) {
	if err := t.resolve(n); err != nil {
		return nil, err
	}
	hashed := false
	if n.hasValue {
		switch n.valForm {
		case formHashed:
			hashed = true
		case formInline:
		default:
			if !n.valLoad {
				hashed = ver == V1 // only values >= 33 bytes are ever stored hashed
			} else {
				hashed = ver == V1 && len(n.value) >= maxInlineValue
			}
		}
		if hashed && n.valHash == nil {
			n.valHash = blake2(n.value)
		}
		if !hashed {
			if err := t.loadValue(n); err != nil {
				return nil, err
			}
		}
	}
	// Children first: their encodings may reuse the scratch buffer that
	// buf aliases, and they must be done before this node writes into it.
	var mvs [16][]byte
	branch := false
	if n.children != nil {
		for i, c := range n.children {
			if c == nil {
				continue
			}
			mv, err := t.merkle(c, ver)
			if err != nil {
				return nil, err
			}
			mvs[i], branch = mv, true
		}
	}
	switch {
	case !branch && hashed:
		buf = appendHeader(buf, prefixHashedLeaf, 3, len(n.partial))
	case !branch:
		buf = appendHeader(buf, prefixLeaf, 2, len(n.partial))
	case hashed:
		buf = appendHeader(buf, prefixHashedBranch, 4, len(n.partial))
	case n.hasValue:
		buf = appendHeader(buf, prefixBranchValue, 2, len(n.partial))
	default:
		buf = appendHeader(buf, prefixBranch, 2, len(n.partial))
	}
	buf = appendPartial(buf, n.partial)
	if branch {
		var bitmap uint16
		for i, c := range n.children {
			if c != nil {
				bitmap |= 1 << i
			}
		}
		buf = append(buf, byte(bitmap), byte(bitmap>>8))
	}
	if n.hasValue {
		if hashed {
			buf = append(buf, n.valHash...)
		} else {
			buf = appendCompact(buf, len(n.value))
			buf = append(buf, n.value...)
		}
	}
	for _, mv := range mvs {
		if mv != nil {
			buf = appendCompact(buf, len(mv))
			buf = append(buf, mv...)
		}
	}
	return buf, nil
}

// merkle returns n's merkle value under ver, from the cache when valid.
func (t *Trie) merkle(n *node, ver Version) ([]byte, error) {
	if n.mvVer == mvFixed || n.mvVer == uint8(ver)+1 {
		return n.mv, nil
	}
	enc, err := t.encode(n, ver, t.scratch[:0])
	if err != nil {
		return nil, err
	}
	t.scratch = enc[:0]
	if len(enc) < 32 {
		n.mv = bytes.Clone(enc)
	} else {
		n.mv = blake2(enc)
	}
	n.mvVer = uint8(ver) + 1
	return n.mv, nil
}

// Hash returns the root hash under layout ver. Only nodes created since the
// last Hash (under the same ver) are encoded and hashed.
func (t *Trie) Hash(ver Version) ([32]byte, error) {
	if !ver.valid() {
		return [32]byte{}, fmt.Errorf("%w: %d", ErrInvalidVersion, ver)
	}
	if t.root == nil {
		return EmptyRoot, nil
	}
	if t.root.stub {
		return [32]byte(t.root.mv), nil
	}
	mv, err := t.merkle(t.root, ver)
	if err != nil {
		return [32]byte{}, err
	}
	if len(mv) < 32 {
		return [32]byte(blake2(mv)), nil
	}
	return [32]byte(mv), nil
}

// Commit writes every node not yet persisted (and, under V1, every new
// hashed value) to w, children first, marks them persisted and returns the
// root hash. Nodes shorter than 32 bytes are embedded in their parent and are
// not written on their own, except the root, which is always stored under
// its hash.
func (t *Trie) Commit(ver Version, w NodeWriter) ([32]byte, error) {
	root, err := t.Hash(ver)
	if err != nil || t.root == nil {
		return root, err
	}
	var a arena
	if err := t.commit(t.root, ver, w, true, &a); err != nil {
		return [32]byte{}, err
	}
	return root, nil
}

// arena hands out the encodings a Commit writes from a few large buffers:
// growing each one from nil took several allocations per node. The writer
// keeps the slices (capped: appending to one never reaches the next).
type arena struct{ buf []byte }

const arenaChunk = 64 << 10

// encode returns n's encoding under ver in arena memory when it fits.
func (a *arena) encode(t *Trie, n *node, ver Version) ([]byte, error) {
	if cap(a.buf)-len(a.buf) < arenaChunk/16 {
		a.buf = make([]byte, 0, arenaChunk)
	}
	free := cap(a.buf) - len(a.buf)
	enc, err := t.encode(n, ver, a.buf[len(a.buf):])
	if err != nil {
		return nil, err
	}
	if len(enc) <= free { // encoded in place, not reallocated by append
		a.buf = a.buf[:len(a.buf)+len(enc)]
		enc = enc[:len(enc):len(enc)]
	}
	return enc, nil
}

func (t *Trie) commit(n *node, ver Version, w NodeWriter, isRoot bool, a *arena) error {
	if n.persisted {
		return nil
	}
	if n.children != nil {
		for _, c := range n.children {
			if c != nil {
				if err := t.commit(c, ver, w, false, a); err != nil {
					return err
				}
			}
		}
	}
	enc, err := a.encode(t, n, ver)
	if err != nil {
		return err
	}
	if n.hasValue {
		n.valForm = formInline
		if isHashedKind(enc[0]) {
			n.valForm = formHashed
			// A value not loaded came from the store and is already there.
			if n.valLoad {
				if err := w.WriteValue([32]byte(n.valHash), n.value); err != nil {
					return err
				}
			}
		}
	}
	if len(enc) >= 32 {
		if err := w.WriteNode([32]byte(n.mv), enc); err != nil {
			return err
		}
	} else if isRoot {
		if err := w.WriteNode([32]byte(blake2(enc)), enc); err != nil {
			return err
		}
	}
	n.persisted, n.mvVer = true, mvFixed
	return nil
}

func isHashedKind(first byte) bool {
	return first&0xc0 == 0 && (first&0xe0 == prefixHashedLeaf || first&0xf0 == prefixHashedBranch)
}
