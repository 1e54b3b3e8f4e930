package rpc

import "github.com/metamars/mars/runtime/types"

// valueItem is the storage item of a value or hash query: the value, or
// its blake2_256 hash when hashed.
func valueItem(key, val []byte, hashed bool) storageItem {
	it := storageItem{Key: key}
	if hashed {
		sum := types.Blake2b256(val)
		hv := Bytes(sum[:])
		it.Hash = &hv
	} else {
		v := Bytes(val)
		it.Value = &v
	}
	return it
}

// merkleItem is the storage item of a closestDescendantMerkleValue query.
func merkleItem(key, mv []byte) storageItem {
	m := Bytes(mv)
	return storageItem{Key: key, ClosestDescendantMerkleValue: &m}
}
