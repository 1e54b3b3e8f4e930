package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// prefixKey is twox128(pallet) ++ twox128(item).
func prefixKey(pallet, item string) []byte {
	p, i := types.Twox128([]byte(pallet)), types.Twox128([]byte(item))
	return append(p[:], i[:]...)
}

// keysUnder counts the storage keys under prefix at the best block (up to 100).
func (n *node) keysUnder(ctx context.Context, prefix []byte) (int, error) {
	var keys []string
	if err := n.callInto(ctx, &keys, "state_getKeysPaged", hexOf(prefix), 100); err != nil {
		return 0, err
	}
	return len(keys), nil
}

// stakingActive is Staking.Ledger(stash).active (planck), 0 if unbonded.
func (n *node) stakingActive(ctx context.Context, stash types.AccountID) (scale.U128, error) {
	key := append(prefixKey("Staking", "Ledger"), types.Blake2_128Concat(stash[:])...)
	b, err := n.storage(ctx, key, "")
	if err != nil || b == nil {
		return scale.U128{}, err
	}
	d := scale.NewDecoder(b)
	d.Raw(32)
	d.CompactU128()
	active := d.CompactU128()
	return active, d.Err()
}

// TestEquivocationSlashed runs four validators, one of which (Dave) signs
// two blocks for each of its slots and two GRANDPA votes per stage: the
// others detect it, the runtime records the offence (deduplicated), and
// Dave's bond is slashed, while the network goes on finalizing.
func TestEquivocationSlashed(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process network test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tn := newTestnet(ctx, t, 4, 10, 2)
	var vs []*node
	for i := 0; i < 3; i++ {
		vs = append(vs, tn.startValidator(ctx, i))
	}
	vs = append(vs, tn.startValidator(ctx, 3, "--unsafe-test-equivocate"))
	dave := types.AccountID(pair(t, "//Dave").Public())
	before, err := vs[0].stakingActive(ctx, dave)
	if err != nil || before.IsZero() {
		t.Fatalf("Dave's bond at genesis: %v (err %v)", before, err)
	}
	eventually(ctx, t, 120*time.Second, "the offence is recorded on chain", func() (bool, string) {
		n, err := vs[0].keysUnder(ctx, prefixKey("Offences", "Reports"))
		return err == nil && n > 0, fmt.Sprintf("%d offence reports (err %v)", n, err)
	})
	eventually(ctx, t, 120*time.Second, "Dave is slashed", func() (bool, string) {
		now, err := vs[0].stakingActive(ctx, dave)
		return err == nil && now.Lt(before), fmt.Sprintf("Dave's active bond %s, at genesis %s (err %v)", now, before, err)
	})
	if _, err := vs[1].waitLog(ctx, regexp.MustCompile(`equivocation reported`), 0, 5*time.Second); err != nil {
		t.Errorf("no honest validator logged the report: %v", err)
	}
	_, fin0, _ := vs[0].heads(ctx)
	eventually(ctx, t, 60*time.Second, "finality goes on", func() (bool, string) {
		_, fin, err := vs[1].heads(ctx)
		return err == nil && fin >= fin0+3, fmt.Sprintf("finalized %d, want ≥ %d", fin, fin0+3)
	})
	finalityAgree(ctx, t, vs...)
}

// txCall runs `marsd tx call` against a node and waits until the
// transaction is in a block; it fails the test if the call failed.
func txCall(ctx context.Context, t *testing.T, n *node, from string, args ...string) string {
	t.Helper()
	out := marsdRun(ctx, t, append([]string{"tx", "call", "--rpc", n.rpcWS, "--from", from, "--wait", "in-block"}, args...)...)
	if strings.Contains(out, "ExtrinsicFailed") {
		t.Fatalf("tx call %v failed:\n%s", args, out)
	}
	return out
}

// TestNewValidatorElected starts a fifth node with //Eve's session keys:
// Eve bonds, declares herself a validator and sets her session keys; root
// raises the validator count; at the next era she is elected, her keys
// become Aura authorities, and her node authors blocks.
func TestNewValidatorElected(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process network test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	tn := newTestnet(ctx, t, 4, 5, 2) // sessions of 5 blocks, eras of 2 sessions
	var vs []*node
	for i := 0; i < 4; i++ {
		vs = append(vs, tn.startValidator(ctx, i))
	}
	eve := tn.startValidator(ctx, 4) // //Eve: keys in the keystore, not in the set
	eventually(ctx, t, 60*time.Second, "the network finalizes", func() (bool, string) {
		_, fin, err := vs[0].heads(ctx)
		return err == nil && fin >= 2, fmt.Sprintf("finalized %d", fin)
	})

	eveSr, eveEd := pair(t, "//Eve"), edPair(t, "//Eve")
	keys, _ := json.Marshal(map[string]string{
		"aura": hexOf(sliceOf(eveSr.Public())), "grandpa": hexOf(sliceOf(eveEd.Public()))})
	txCall(ctx, t, vs[0], "//Eve", "Staking", "bond", "200000MSCA", "Staked")
	txCall(ctx, t, vs[0], "//Eve", "Staking", "validate", `{"commission": 50000000, "blocked": false}`)
	txCall(ctx, t, vs[0], "//Eve", "Session", "set_keys", string(keys), "0x")
	txCall(ctx, t, vs[0], "//Alice", "Sudo", "sudo", `{"pallet":"Staking","call":"set_validator_count","args":[5]}`)

	eveAura := hexOf(sliceOf(eveSr.Public()))
	eventually(ctx, t, 150*time.Second, "Eve is elected and becomes an Aura authority", func() (bool, string) {
		var out string
		if err := vs[0].callInto(ctx, &out, "state_call", "AuraApi_authorities", "0x"); err != nil {
			return false, err.Error()
		}
		return strings.Contains(out, strings.TrimPrefix(eveAura, "0x")), "authorities " + out
	})
	if _, err := eve.waitLog(ctx, regexp.MustCompile(`aura: authored block`), 0, 60*time.Second); err != nil {
		t.Fatalf("Eve's node did not author: %v", err)
	}
	finalityAgree(ctx, t, append(vs, eve)...)
}

func sliceOf(a [32]byte) []byte { return a[:] }

func edPair(t *testing.T, uri string) keystore.KeyPair {
	t.Helper()
	kp, err := keystore.FromURI(keystore.Ed25519, uri)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}
