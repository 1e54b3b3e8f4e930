package txpool_test

import (
	"context"
	"fmt"

	"github.com/metamars/mars/host/txpool"
	"github.com/metamars/mars/runtime/types"
)

// nonceValidator stands in for the runtime call in this example: the
// extrinsic's single byte is the sender's nonce, the chain's nonce is 0.
type nonceValidator struct{ chainNonce byte }

func (v *nonceValidator) Validate(_ context.Context, _ types.Hash, _ types.TransactionSource, ext []byte) (types.ValidTransaction, *types.TransactionValidityError, error) {
	if len(ext) != 1 || ext[0] < v.chainNonce {
		return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidStale}, nil
	}
	vt := types.ValidTransaction{Priority: 1, Longevity: 64, Propagate: true, Provides: [][]byte{{ext[0]}}}
	if ext[0] > v.chainNonce {
		vt.Requires = [][]byte{{ext[0] - 1}}
	}
	return vt, nil, nil
}

// The node's side of the pool: RPC submits and watches, the author
// iterates, block import prunes, revalidates and drives the watchers.
func Example() {
	ctx := context.Background()
	v := &nonceValidator{}
	pool := txpool.New(v, types.Hash{}, 0, txpool.Config{})

	w, _ := pool.SubmitAndWatch(ctx, types.SourceExternal, []byte{1}) // nonce 1: waits for nonce 0
	_, _ = pool.Submit(ctx, types.SourceExternal, []byte{0})

	// Block author.
	var block [][]byte
	var hashes []types.Hash
	it := pool.Ready()
	for tx, ok := it.Next(); ok; tx, ok = it.Next() {
		block = append(block, tx.Ext)
		hashes = append(hashes, tx.Hash)
	}
	fmt.Println("block:", block)

	// Block import.
	b1 := types.Hash{1}
	v.chainNonce = 2
	pool.Prune(b1, 1, block)
	pool.BlockIncluded(b1, hashes)
	_, _ = pool.Revalidate(ctx, b1, 1)
	pool.BlockFinalized(b1)

	for s := range w.Updates() {
		fmt.Println(s.Kind)
	}
	fmt.Printf("%+v\n", pool.Stats())
	// Output:
	// block: [[0] [1]]
	// future
	// ready
	// inBlock
	// finalized
	// {Ready:0 ReadyBytes:0 Future:0 FutureBytes:0}
}
