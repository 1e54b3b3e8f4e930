package db

import "encoding/binary"

// Key-space prefixes: the first byte of every key says which space it is in.
const (
	PrefixHeader        byte = 'h' // h ++ block hash -> SCALE header
	PrefixBody          byte = 'b' // b ++ block hash -> SCALE Vec<extrinsic>
	PrefixJustification byte = 'j' // j ++ block hash -> encoded justification
	PrefixCanonical     byte = 'n' // n ++ u32 big-endian number -> block hash
	PrefixTrieNode      byte = 't' // t ++ node hash -> node encoding (content addressed)
	PrefixState         byte = 's' // state bookkeeping (reference counts, pruning journal)
	PrefixMeta          byte = 'm' // m ++ name -> chain metadata
	PrefixAux           byte = 'a' // a ++ name -> consensus engines' own records (voter state)
)

// Chain metadata keys.
var (
	KeyBestBlock      = []byte{PrefixMeta, 'b', 'e', 's', 't'}
	KeyFinalizedBlock = []byte{PrefixMeta, 'f', 'i', 'n'}
	KeyGenesisHash    = []byte{PrefixMeta, 'g', 'e', 'n'}
)

func hashKey(p byte, h [32]byte) []byte {
	k := make([]byte, 33)
	k[0] = p
	copy(k[1:], h[:])
	return k
}

// HeaderKey is the key of a block header.
func HeaderKey(hash [32]byte) []byte { return hashKey(PrefixHeader, hash) }

// BodyKey is the key of a block body.
func BodyKey(hash [32]byte) []byte { return hashKey(PrefixBody, hash) }

// JustificationKey is the key of a block's justification.
func JustificationKey(hash [32]byte) []byte { return hashKey(PrefixJustification, hash) }

// TrieNodeKey is the key of a trie node (or hashed value) by its hash.
func TrieNodeKey(hash [32]byte) []byte { return hashKey(PrefixTrieNode, hash) }

// CanonicalKey is the key of the canonical block hash at number; big-endian
// so that iteration follows block order.
func CanonicalKey(number uint32) []byte {
	k := make([]byte, 5)
	k[0] = PrefixCanonical
	binary.BigEndian.PutUint32(k[1:], number)
	return k
}

// PrefixUpperBound returns the smallest key greater than every key with the
// given prefix (nil if there is none), for use as an iterator's upper bound.
func PrefixUpperBound(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
