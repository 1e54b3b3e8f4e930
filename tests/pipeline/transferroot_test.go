package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// fixedAccounts makes n sr25519 keys from fixed seeds, so blocks built from
// them have the same state root on every run.
func fixedAccounts(tb testing.TB, n int) []*account {
	out := make([]*account, n)
	for i := range out {
		var seed [32]byte
		seed[0], seed[1], seed[31] = byte(i), byte(i>>8), 0x5a
		kp, err := keystore.FromURI(keystore.Sr25519, "0x"+hex.EncodeToString(seed[:]))
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = &account{kp: kp}
	}
	return out
}

// transferBlock builds (in WASM) and imports a block of transfers between
// fixed accounts covering the transfer path's branches: plain transfers,
// transfers creating new accounts (NewAccount, Endowed), a transfer that
// fails in dispatch (ExtrinsicFailed, fee still paid), and several
// transfers from one sender (nonces).
func transferBlock(tb testing.TB) (*node, *types.Block) {
	ex := newExecutor(tb, false)
	accts := fixedAccounts(tb, 8)
	fresh := fixedAccounts(tb, 11)[8:] // not in genesis
	gen := genesisWith(tb, ex, accts, 10)
	n := openNode(tb, ex, "", gen)
	var exts [][]byte
	for i, a := range accts {
		exts = append(exts, signTransfer(n, a, accts[(i+1)%len(accts)].kp.AccountID(), 1_000_000_000+uint64(i)))
	}
	for i, f := range fresh {
		exts = append(exts, signTransfer(n, accts[i], f.kp.AccountID(), 2_000_000_000_000))
	}
	// More than the sender has: Balances error in dispatch.
	exts = append(exts, signTransfer(n, accts[5], accts[6].kp.AccountID(), 1_000_000_000_000_000_000))
	exts = append(exts, signTransfer(n, accts[0], accts[7].kp.AccountID(), 5))
	return n, buildBlock(tb, n, 1, exts)
}

// TestTransferBlockStateRootPinned pins the state root (which includes the
// block's System.Events) of a block of transfers: the transfer path's
// optimizations must not change any write or event.
func TestTransferBlockStateRootPinned(t *testing.T) {
	n, blk := transferBlock(t)
	// The state holds the runtime blob (:code), and through the genesis
	// hash (System.BlockHash, System.ParentHash) depends on it: pin a hash
	// of every other pair (the block's events are in System.Events).
	ov := n.chain.State().NewOverlay(blk.Header.StateRoot)
	skip := [][]byte{[]byte(":code"), frame.Prefix("System", "BlockHash"), frame.Prefix("System", "ParentHash")}
	h := sha256.New()
	var key []byte
	pairs := 0
next:
	for {
		k, ok, err := ov.NextKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		key = k
		for _, p := range skip {
			if bytes.HasPrefix(k, p) {
				continue next
			}
		}
		v, _, err := ov.Get(k)
		if err != nil {
			t.Fatal(err)
		}
		e := scale.NewEncoder(len(k) + len(v) + 8)
		e.PutBytes(k)
		e.PutBytes(v)
		h.Write(e.Bytes())
		pairs++
	}
	root := h.Sum(nil)
	const want = "73a415f6e1c07605293b9cc224ccc8329ba91d13e1bc10ae4ce5e5f944b9b4d4"
	got := hex.EncodeToString(root[:])
	t.Logf("%d pairs", pairs)
	if got != want {
		t.Fatalf("hash of the state after the transfer block = %s, want %s", got, want)
	}
}

// countingHost counts the host calls the runtime makes.
type countingHost struct {
	abi.Host
	get, set, clear, exists, app, b128, b256, tx, other int
	gets, sets                                          map[string]int
}

func keyName(k []byte) string {
	for _, p := range []string{"System", "Balances", "TransactionPayment", "Timestamp", "Aura", "Authorship", "Treasury", "Session", "Grandpa", "Babe", "Staking"} {
		for _, it := range []string{"Account", "Number", "ExecutionPhase", "EventCount", "Events", "BlockWeight", "AllExtrinsicsLen", "ExtrinsicCount", "BlockHash", "ExtrinsicData", "InherentsApplied", "TotalIssuance", "NextFeeMultiplier", "Author", "Digest", "ParentHash", "Now", "DidUpdate", "CurrentSlot", "Authorities"} {
			pre := frame.Prefix(p, it)
			if len(k) >= 32 && string(k[:32]) == string(pre) {
				return p + "." + it
			}
		}
	}
	return fmt.Sprintf("%x", k[:min(len(k), 8)])
}

func (h *countingHost) StorageGet(k []byte) ([]byte, bool) {
	h.get++
	h.gets[keyName(k)]++
	return h.Host.StorageGet(k)
}
func (h *countingHost) StorageSet(k, v []byte) {
	h.set++
	h.sets[keyName(k)]++
	h.Host.StorageSet(k, v)
}
func (h *countingHost) StorageClear(k []byte)        { h.clear++; h.Host.StorageClear(k) }
func (h *countingHost) StorageExists(k []byte) bool  { h.exists++; return h.Host.StorageExists(k) }
func (h *countingHost) StorageAppend(k, v []byte)    { h.app++; h.Host.StorageAppend(k, v) }
func (h *countingHost) Blake2_128(d []byte) [16]byte { h.b128++; return h.Host.Blake2_128(d) }
func (h *countingHost) Blake2_256(d []byte) [32]byte { h.b256++; return h.Host.Blake2_256(d) }
func (h *countingHost) StartTransaction()            { h.tx++; h.Host.StartTransaction() }
func (h *countingHost) Twox128(d []byte) [16]byte    { h.other++; return h.Host.Twox128(d) }
func (h *countingHost) Twox64(d []byte) [8]byte      { h.other++; return h.Host.Twox64(d) }

// TestTransferHostCalls reports the host calls per transfer when a block
// of 1,000 transfers is executed natively.
func TestTransferHostCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 1000
	ex := newExecutor(t, false)
	accts := newAccounts(t, n)
	gen := genesisWith(t, ex, accts, 10)
	author := openNode(t, ex, "", gen)
	exts := make([][]byte, n)
	for i, a := range accts {
		exts[i] = signTransfer(author, a, accts[(i+1)%n].kp.AccountID(), 1_000_000_000)
	}
	blk := buildBlock(t, author, 1, exts)
	parent, _ := author.chain.Header(blk.Header.ParentHash)
	ov := author.chain.State().NewOverlay(parent.StateRoot)
	h := &countingHost{Host: executor.NewNativeHost(ov, uint8(relay.Version().StateVersion())), gets: map[string]int{}, sets: map[string]int{}}
	if _, err := relay.Dispatch(h, "Core_execute_block", scale.Encode(blk)); err != nil {
		t.Fatal(err)
	}
	per := func(v int) string { return fmt.Sprintf("%.2f", float64(v)/n) }
	t.Logf("per transfer: get %s set %s clear %s exists %s append %s blake2_128 %s blake2_256 %s transactions %s twox %s",
		per(h.get), per(h.set), per(h.clear), per(h.exists), per(h.app), per(h.b128), per(h.b256), per(h.tx), per(h.other))
	if testing.Verbose() {
		t.Logf("reads by item: %v", h.gets)
		t.Logf("writes by item: %v", h.sets)
	}
}
