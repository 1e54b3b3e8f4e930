package pipeline

import (
	"context"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// TestCallsShareInstanceButNotWrites validates the same transaction twice
// through chain.Call at one block (the calls share a runtime instance) and
// requires identical verdicts: one call's writes must not leak into the next.
func TestCallsShareInstanceButNotWrites(t *testing.T) {
	ex := newExecutor(t, false)
	accts := newAccounts(t, 2)
	n := openNode(t, ex, "", genesisWith(t, ex, accts, 10))
	best := n.chain.Best().Hash
	ext := signTransfer(n, accts[0], accts[1].kp.AccountID(), 1_000_000_000)
	input := func() []byte {
		e := scale.NewEncoder(len(ext) + 40)
		e.PutU8(uint8(types.SourceExternal))
		e.PutRaw(ext)
		e.PutRaw(best[:])
		return e.Bytes()
	}()
	var verdicts [2]types.TransactionValidity
	for i := range verdicts {
		out, err := n.chain.Call(context.Background(), best, "TaggedTransactionQueue_validate_transaction", input)
		if err != nil {
			t.Fatal(err)
		}
		if err := scale.Decode(out, &verdicts[i]); err != nil {
			t.Fatal(err)
		}
		if verdicts[i].Err != nil {
			t.Fatalf("call %d: invalid: %v", i, verdicts[i].Err)
		}
	}
	if string(verdicts[0].Valid.Provides[0]) != string(verdicts[1].Valid.Provides[0]) || verdicts[0].Valid.Priority != verdicts[1].Valid.Priority {
		t.Fatalf("verdicts differ: %+v vs %+v", verdicts[0].Valid, verdicts[1].Valid)
	}
	// A trapping call (garbage input to execute_block) fails cleanly and
	// the next call gets a fresh instance.
	if _, err := n.chain.Call(context.Background(), best, "Core_execute_block", []byte{1, 2, 3}); err == nil {
		t.Fatal("garbage execute_block succeeded")
	}
	if _, err := n.chain.Call(context.Background(), best, "Core_version", nil); err != nil {
		t.Fatalf("call after a failed one: %v", err)
	}
}
