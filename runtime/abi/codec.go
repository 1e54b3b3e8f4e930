package abi

import "github.com/metamars/mars/runtime/scale"

// EncodeKVs encodes the input of ext_trie_blake2_256_root_version_3:
// SCALE Vec<(Vec<u8>, Vec<u8>)>.
func EncodeKVs(kvs [][2][]byte) []byte {
	n := scale.CompactLen(uint64(len(kvs)))
	for _, kv := range kvs {
		n += scale.CompactLen(uint64(len(kv[0]))) + len(kv[0]) + scale.CompactLen(uint64(len(kv[1]))) + len(kv[1])
	}
	e := scale.NewEncoder(n)
	e.PutLen(len(kvs))
	for _, kv := range kvs {
		e.PutBytes(kv[0])
		e.PutBytes(kv[1])
	}
	return e.Bytes()
}

// DecodeKVs is the inverse of EncodeKVs; the returned slices alias b.
func DecodeKVs(b []byte) ([][2][]byte, error) {
	d := scale.NewDecoder(b)
	n := d.Len(2)
	kvs := make([][2][]byte, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		k := d.Bytes()
		v := d.Bytes()
		kvs = append(kvs, [2][]byte{k, v})
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return kvs, nil
}

// EncodeValues encodes SCALE Vec<Vec<u8>>, the input of
// ext_trie_blake2_256_ordered_root_version_3 and the proof of
// ext_trie_blake2_256_verify_proof_version_2.
func EncodeValues(vs [][]byte) []byte {
	n := scale.CompactLen(uint64(len(vs)))
	for _, v := range vs {
		n += scale.CompactLen(uint64(len(v))) + len(v)
	}
	e := scale.NewEncoder(n)
	e.PutLen(len(vs))
	for _, v := range vs {
		e.PutBytes(v)
	}
	return e.Bytes()
}

// DecodeValues is the inverse of EncodeValues; the returned slices alias b.
func DecodeValues(b []byte) ([][]byte, error) {
	d := scale.NewDecoder(b)
	n := d.Len(1)
	vs := make([][]byte, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		vs = append(vs, d.Bytes())
	}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return vs, nil
}
