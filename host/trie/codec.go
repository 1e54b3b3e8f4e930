package trie

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"golang.org/x/crypto/blake2b"
)

// Version is the trie layout ("state version"): V0 inlines every value, V1
// stores values of at least 33 bytes as separate hashed-value nodes.
type Version uint8

// Layout versions.
const (
	V0 Version = 0
	V1 Version = 1
)

// maxInlineValue is V1's threshold: values this long or longer are hashed.
const maxInlineValue = 33

// nibbleSizeBound caps the partial-key length a header can express (trie-db NIBBLE_SIZE_BOUND).
const nibbleSizeBound = 65535

// Header prefixes (PROTOCOL.md §3): the high bits of the first byte.
const (
	prefixLeaf         = 0b01 << 6
	prefixBranch       = 0b10 << 6
	prefixBranchValue  = 0b11 << 6
	prefixHashedLeaf   = 0b001 << 5
	prefixHashedBranch = 0b0001 << 4
	emptyNode          = 0x00
)

// EmptyRoot is the root of the empty trie, blake2_256(0x00).
var EmptyRoot = [32]byte(blake2b.Sum256([]byte{emptyNode}))

func (v Version) valid() bool { return v == V0 || v == V1 }

// appendHeader writes the first byte (prefix | length bits) and the
// saturating continuation bytes of a partial-key length, as trie-db's
// size_and_prefix_iterator does.
func appendHeader(buf []byte, prefix byte, prefixBits uint, n int) []byte {
	if n > nibbleSizeBound {
		n = nibbleSizeBound
	}
	maxValue := 255 >> prefixBits
	l1 := min(maxValue-1, n)
	if n == l1 {
		return append(buf, prefix|byte(l1))
	}
	buf = append(buf, prefix|byte(maxValue))
	rem := n - l1
	for rem > 0 {
		if rem < 256 {
			buf = append(buf, byte(rem-1))
			break
		}
		buf = append(buf, 255)
		rem -= 255
	}
	return buf
}

// appendPartial packs nibbles two per byte; an odd count puts the first nibble
// alone in the low half of the first byte.
func appendPartial(buf, nibbles []byte) []byte {
	i := 0
	if len(nibbles)%2 == 1 {
		buf = append(buf, nibbles[0])
		i = 1
	}
	for ; i < len(nibbles); i += 2 {
		buf = append(buf, nibbles[i]<<4|nibbles[i+1])
	}
	return buf
}

func appendCompact(buf []byte, v int) []byte {
	switch {
	case v < 1<<6:
		return append(buf, byte(v<<2))
	case v < 1<<14:
		x := uint16(v<<2 | 1)
		return append(buf, byte(x), byte(x>>8))
	case v < 1<<30:
		x := uint32(v<<2 | 2)
		return append(buf, byte(x), byte(x>>8), byte(x>>16), byte(x>>24))
	}
	e := scale.NewEncoder(0)
	e.PutCompact(uint64(v))
	return append(buf, e.Bytes()...)
}

// decodedNode is the plain form of one encoded node.
type decodedNode struct {
	partial   []byte // nibbles
	hasValue  bool
	value     []byte // inline value (nil when hashedVal)
	valueHash []byte // 32 bytes when the value is stored hashed
	branch    bool
	children  [16][]byte // child references: 32-byte hash or inline encoding (< 32 bytes)
}

// decodeHeader returns the node kind prefix and the partial-key length.
func decodeHeader(d *scale.Decoder) (prefix byte, n int, err error) {
	first := d.U8()
	if d.Err() != nil {
		return 0, 0, fmt.Errorf("%w: empty input", ErrInvalidNode)
	}
	var bits uint
	switch {
	case first == emptyNode:
		return emptyNode, 0, nil
	case first&0xc0 != 0:
		prefix, bits = first&0xc0, 2
	case first&0xe0 == prefixHashedLeaf:
		prefix, bits = prefixHashedLeaf, 3
	case first&0xf0 == prefixHashedBranch:
		prefix, bits = prefixHashedBranch, 4
	default:
		return 0, 0, fmt.Errorf("%w: reserved header 0x%02x", ErrInvalidNode, first)
	}
	maxValue := 255 >> bits
	n = int(first) & maxValue
	if n < maxValue {
		return prefix, n, nil
	}
	n--
	for n <= nibbleSizeBound {
		b := d.U8()
		if d.Err() != nil {
			return 0, 0, fmt.Errorf("%w: truncated header", ErrInvalidNode)
		}
		if b < 255 {
			return prefix, n + int(b) + 1, nil
		}
		n += 255
	}
	return prefix, nibbleSizeBound, nil
}

// decodeNodeBytes parses one node encoding into dn, which the caller
// provides (usually on its stack: a decodedNode is large and short-lived).
// It reports false for the empty node.
func decodeNodeBytes(dn *decodedNode, enc []byte) (bool, error) {
	*dn = decodedNode{}
	d := scale.NewDecoder(enc)
	prefix, n, err := decodeHeader(d)
	if err != nil {
		return false, err
	}
	if prefix == emptyNode {
		if len(enc) != 1 {
			return false, fmt.Errorf("%w: trailing bytes after empty node", ErrInvalidNode)
		}
		return false, nil
	}
	nb := (n + 1) / 2
	if d.Remaining() < nb {
		return false, fmt.Errorf("%w: truncated partial key", ErrInvalidNode)
	}
	raw := d.Raw(nb)
	if n%2 == 1 && raw[0]&0xf0 != 0 {
		return false, fmt.Errorf("%w: non-zero partial key padding", ErrInvalidNode)
	}
	dn.partial = make([]byte, 0, n)
	for i, b := range raw {
		if i == 0 && n%2 == 1 {
			dn.partial = append(dn.partial, b&0x0f)
			continue
		}
		dn.partial = append(dn.partial, b>>4, b&0x0f)
	}
	hashed := prefix == prefixHashedLeaf || prefix == prefixHashedBranch
	dn.branch = prefix == prefixBranch || prefix == prefixBranchValue || prefix == prefixHashedBranch
	dn.hasValue = prefix != prefixBranch
	var bitmap uint16
	if dn.branch {
		bitmap = d.U16()
		if d.Err() != nil {
			return false, fmt.Errorf("%w: truncated bitmap", ErrInvalidNode)
		}
		if bitmap == 0 {
			return false, fmt.Errorf("%w: branch without children", ErrInvalidNode)
		}
	}
	if dn.hasValue {
		if hashed {
			if d.Remaining() < 32 {
				return false, fmt.Errorf("%w: truncated value hash", ErrInvalidNode)
			}
			dn.valueHash = d.Raw(32)
		} else {
			l := d.Len(1)
			v := d.Raw(l)
			if d.Err() != nil {
				return false, fmt.Errorf("%w: value: %w", ErrInvalidNode, d.Err())
			}
			dn.value = v
		}
	}
	for i := range 16 {
		if bitmap&(1<<i) == 0 {
			continue
		}
		l := d.Len(1)
		ref := d.Raw(l)
		if d.Err() != nil {
			return false, fmt.Errorf("%w: child %d: %w", ErrInvalidNode, i, d.Err())
		}
		if l > 32 || l == 0 {
			return false, fmt.Errorf("%w: child %d reference of %d bytes", ErrInvalidNode, i, l)
		}
		dn.children[i] = ref
	}
	if d.Remaining() != 0 {
		return false, fmt.Errorf("%w: %d trailing bytes", ErrInvalidNode, d.Remaining())
	}
	return true, nil
}

// ChildHashes lists the hashes a stored node encoding refers to: hashed
// children (recursively through inline children) and, for hashed-value nodes,
// the value hash (reported separately). Storage layers use it for reference
// counting.
func ChildHashes(enc []byte) (children [][32]byte, valueHash *[32]byte, err error) {
	var dn decodedNode
	if ok, err := decodeNodeBytes(&dn, enc); err != nil || !ok {
		return nil, nil, err
	}
	if dn.valueHash != nil {
		h := [32]byte(dn.valueHash)
		valueHash = &h
	}
	for _, ref := range dn.children {
		switch {
		case ref == nil:
		case len(ref) == 32:
			children = append(children, [32]byte(ref))
		default:
			// Inline children are shorter than 32 bytes, so they cannot
			// themselves hold a 32-byte reference; still decode to validate.
			sub, sv, err := ChildHashes(ref)
			if err != nil {
				return nil, nil, err
			}
			if len(sub) > 0 || sv != nil {
				return nil, nil, fmt.Errorf("%w: inline child with hashed references", ErrInvalidNode)
			}
		}
	}
	return children, valueHash, nil
}

func blake2(b []byte) []byte {
	h := blake2b.Sum256(b)
	return h[:]
}
