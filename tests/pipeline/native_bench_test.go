package pipeline

import (
	"testing"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
)

// BenchmarkNativeExecuteBlock executes a block of 1,000 transfers with the
// runtime's Go code running natively (no WASM): the floor the WASM runtime
// is measured against, and the place to profile the runtime's own code.
//
//	go test ./tests/pipeline -run '^$' -bench NativeExecuteBlock -benchtime 3x -cpuprofile cpu.prof
func BenchmarkNativeExecuteBlock(b *testing.B) {
	const n = 1000
	ex := newExecutor(b, false)
	accts := newAccounts(b, n)
	gen := genesisWith(b, ex, accts, 10)
	author := openNode(b, ex, "", gen)
	exts := make([][]byte, n)
	for i, a := range accts {
		exts[i] = signTransfer(author, a, accts[(i+1)%n].kp.AccountID(), 1_000_000_000)
	}
	blk := buildBlock(b, author, 1, exts)
	parent, _ := author.chain.Header(blk.Header.ParentHash)
	input := scale.Encode(blk)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ov := author.chain.State().NewOverlay(parent.StateRoot)
		host := executor.NewNativeHost(ov, uint8(relay.Version().StateVersion()))
		if _, err := relay.Dispatch(host, "Core_execute_block", input); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tx/s")
}
