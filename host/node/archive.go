package node

import (
	"github.com/metamars/mars/host/rpc"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// ClosestDescendantMerkleValue implements rpc.State for the
// closestDescendantMerkleValue storage item of chainHead_v1_storage and
// archive_v1_storage, reading the stored trie at the block's state root.
// Stored nodes keep the Merkle values they were written with, so the
// layout version passed to the trie changes nothing here.
func (r *rpcState) ClosestDescendantMerkleValue(at types.Hash, key []byte) ([]byte, bool, error) {
	root, err := r.c.StateRoot(at)
	if err != nil {
		return nil, false, wrapBlockErr(err)
	}
	return r.c.State().Trie(root).ClosestDescendantMerkleValue(key, trie.V1)
}

var _ rpc.State = (*rpcState)(nil)
