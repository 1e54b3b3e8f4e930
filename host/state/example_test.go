package state_test

import (
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
)

// The life of a chain's state: genesis, a block imported together with its
// header, finalization, and a fork that is discarded.
func Example() {
	kv := db.NewMemory()
	st, _ := state.New(kv, state.Config{KeepFinalized: 256})

	// Genesis: write the spec's pairs on top of the empty state.
	g := st.NewOverlay(trie.EmptyRoot)
	_ = g.Set([]byte(":code"), []byte{0x00, 0x61, 0x73, 0x6d})
	_ = g.Set([]byte("balance/alice"), []byte{100})
	u, _ := g.Commit(trie.V1)
	_ = u.Write()
	genesis := u.Root()

	// Block 1: the executor works on an overlay of the parent state.
	o := st.NewOverlay(genesis)
	o.StartTransaction() // one extrinsic
	_ = o.Set([]byte("balance/alice"), []byte{90})
	_ = o.Set([]byte("balance/bob"), []byte{10})
	_ = o.CommitTransaction()
	root, _ := o.Root(1) // the root the header will carry
	u, _ = o.Commit(trie.V1)
	_ = u.Put(db.HeaderKey([32]byte{1}), []byte("header of block 1")) // same atomic batch
	_ = u.Write()
	fmt.Println("committed root matches:", u.Root() == root)

	// A competing block 1' that loses the fork choice.
	f := st.NewOverlay(genesis)
	_ = f.Set([]byte("balance/alice"), []byte{0})
	uf, _ := f.Commit(trie.V1)
	_ = uf.Write()
	d, _ := st.Discard(uf.Root())
	_ = d.Write()

	// Finality.
	fu, _ := st.Finalize(genesis, 0)
	_ = fu.Write()
	fu, _ = st.Finalize(root, 1)
	_ = fu.Write()

	v, _, _ := st.Get(root, []byte("balance/bob"))
	ok, _ := st.HasState(uf.Root())
	fmt.Println("bob:", v[0], "fork retained:", ok)
	// Output:
	// committed root matches: true
	// bob: 10 fork retained: false
}
