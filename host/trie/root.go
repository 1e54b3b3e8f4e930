package trie

import (
	"bytes"
	"slices"

	"github.com/metamars/mars/runtime/scale"
	"golang.org/x/crypto/blake2b"
)

// Pair is one key/value entry of a state.
type Pair struct {
	Key, Value []byte
}

// SortPairs orders pairs by key, the trie's iteration order.
func SortPairs(pairs []Pair) {
	slices.SortFunc(pairs, func(a, b Pair) int { return bytes.Compare(a.Key, b.Key) })
}

// RootOfPairs returns the root of the trie holding exactly pairs (in any
// order; a later duplicate key wins) under layout ver.
func RootOfPairs(pairs []Pair, ver Version) ([32]byte, error) {
	t := New()
	for _, p := range pairs {
		if err := t.Put(p.Key, p.Value); err != nil {
			return [32]byte{}, err
		}
	}
	return t.Hash(ver)
}

// OrderedRoot returns the root of the trie mapping SCALE Compact<u32>(i) to
// values[i]: the extrinsics root of a block body.
func OrderedRoot(values [][]byte, ver Version) ([32]byte, error) {
	t := New()
	e := scale.NewEncoder(5)
	for i, v := range values {
		e.Reset()
		e.PutCompact(uint64(i))
		if err := t.Put(e.Bytes(), v); err != nil {
			return [32]byte{}, err
		}
	}
	return t.Hash(ver)
}

// GenesisHash returns the hash of the genesis header for a state root:
// blake2_256(parent 0x00×32 ++ Compact(0) ++ stateRoot ++ EmptyRoot ++ empty digest).
func GenesisHash(stateRoot [32]byte) [32]byte {
	enc := make([]byte, 0, 98)
	enc = append(enc, make([]byte, 32)...)
	enc = append(enc, 0x00)
	enc = append(enc, stateRoot[:]...)
	enc = append(enc, EmptyRoot[:]...)
	enc = append(enc, 0x00)
	return blake2b.Sum256(enc)
}
