package aura

import (
	"context"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/types"
)

// validatorNode is one validator of a simulated network: its own chain,
// keystore, verifier (runtime authorities through the cache) and author.
type validatorNode struct {
	name   string
	c      *chain.Chain
	author *Author
	made   int
}

// TestFourValidators runs the "local" preset's four validators (Alice, Bob,
// Charlie, Dave, from the runtime's AuraApi) over a dozen slots: each
// slot's owner authors, the three others import its block through their
// verifiers, and all four end on the same chain with three blocks each.
func TestFourValidators(t *testing.T) {
	ctx := context.Background()
	clock := base
	now := func() time.Time { return clock }
	names := []string{"Alice", "Bob", "Charlie", "Dave"}
	nodes := make([]*validatorNode, len(names))
	for i, name := range names {
		n := &validatorNode{name: name}
		ks := keystore.NewInMemory()
		if _, err := ks.Insert(keystore.KeyTypeAura, "//"+name, keystore.Sr25519); err != nil {
			t.Fatal(err)
		}
		auths := CachedAuthorities(func(at types.Hash) ([][32]byte, error) { return RuntimeAuthorities(n.c)(at) },
			func(h types.Hash) (*types.Header, error) { return n.c.Header(h) }, 0)
		v, err := NewVerifier(VerifierConfig{Now: now, Authorities: auths, Logger: quiet,
			SlotDurationFunc: func() (time.Duration, error) { return RuntimeSlotDuration(ctx, n.c, n.c.Genesis().Hash) },
			Report:           func([]byte) { t.Error("equivocation reported in an honest network") }})
		if err != nil {
			t.Fatal(err)
		}
		n.c = openPresetChain(t, "local", v)
		dur, err := RuntimeSlotDuration(ctx, n.c, n.c.Genesis().Hash)
		if err != nil {
			t.Fatal(err)
		}
		if n.author, err = NewAuthor(n.c, AuthorConfig{SlotDuration: dur, Authorities: auths, Keystore: ks, Now: now, Logger: quiet}); err != nil {
			t.Fatal(err)
		}
		nodes[i] = n
	}
	set, err := RuntimeAuthorities(nodes[0].c)(nodes[0].c.Genesis().Hash)
	if err != nil || len(set) != 4 {
		t.Fatalf("authorities %d: %v", len(set), err)
	}
	dur := nodes[0].author.cfg.SlotDuration
	const slots = 12
	for i := 0; i < slots; i++ {
		clock = base.Add(time.Duration(i) * dur)
		authored := 0
		for _, n := range nodes {
			blks, err := n.author.Step(ctx, clock)
			if err != nil {
				t.Fatalf("slot %d, %s: %v", i, n.name, err)
			}
			n.made += len(blks)
			authored += len(blks)
			for _, blk := range blks {
				for _, peer := range nodes {
					if peer == n {
						continue
					}
					if _, _, err := peer.c.Import(ctx, blk); err != nil {
						t.Fatalf("slot %d: %s imports %s's block: %v", i, peer.name, n.name, err)
					}
				}
			}
		}
		if authored != 1 {
			t.Fatalf("slot %d: %d blocks authored", i, authored)
		}
	}
	for _, n := range nodes {
		if n.c.Best() != nodes[0].c.Best() || n.c.Best().Number != slots || n.made != slots/4 {
			t.Fatalf("%s: best %v (Alice's %v), authored %d", n.name, n.c.Best(), nodes[0].c.Best(), n.made)
		}
	}
	// Each block's seal is by the authority its slot names.
	for num := uint32(1); num <= slots; num++ {
		h, _ := nodes[0].c.HashByNumber(num)
		hdr, err := nodes[0].c.Header(h)
		if err != nil {
			t.Fatal(err)
		}
		unsealed, sig, err := SplitSeal(hdr)
		if err != nil {
			t.Fatal(err)
		}
		slot, _ := FindSlot(&unsealed)
		pre := PreHash(&unsealed)
		if !keystore.Verify(keystore.Sr25519, set[slot%4], pre[:], sig[:]) {
			t.Fatalf("#%d not sealed by its slot's author", num)
		}
	}
}
