package sync

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	stdsync "sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// testLogger logs warnings to stderr with -v, nothing otherwise.
func testLogger(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return quiet
}

var shared struct {
	once    stdsync.Once
	exec    *executor.Executor
	genesis []trie.Pair
	err     error
}

// fixture returns the process-wide executor and the development genesis.
func fixture(tb testing.TB) (*executor.Executor, []trie.Pair) {
	tb.Helper()
	shared.once.Do(func() {
		ctx := context.Background()
		cache := filepath.Join(os.TempDir(), "marsd-test-wasm-cache")
		shared.exec, shared.err = executor.New(ctx, executor.Config{CacheDir: cache, Logger: quiet})
		if shared.err != nil {
			return
		}
		// host/ may not import runtime/blobs: read the committed blob file.
		code, err := os.ReadFile(filepath.Join("..", "..", "runtime", "blobs", "relay.wasm.zst"))
		if err != nil {
			shared.err = err
			return
		}
		shared.genesis, shared.err = chain.GenesisFromPreset(ctx, shared.exec, code, "development")
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.exec, shared.genesis
}

// newChain opens a fresh chain over an in-memory database.
func newChain(tb testing.TB) *chain.Chain {
	tb.Helper()
	c, kv := openMem(tb)
	tb.Cleanup(func() { kv.Close() })
	return c
}

// newChainNoCleanup opens a chain that lives as long as the process.
func newChainNoCleanup(tb testing.TB) *chain.Chain {
	c, _ := openMem(tb)
	return c
}

func openMem(tb testing.TB) (*chain.Chain, db.Database) {
	tb.Helper()
	ex, gen := fixture(tb)
	kv := db.NewMemory()
	st, err := state.New(kv, state.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := chain.Open(context.Background(), chain.Config{DB: kv, State: st, Executor: ex, Logger: quiet}, gen)
	if err != nil {
		tb.Fatal(err)
	}
	return c, kv
}

var epoch = uint64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli())

// build builds and imports on c a block on parent with a timestamp of
// slot seconds and the given pre-runtime digests.
func build(tb testing.TB, c *chain.Chain, parent types.Hash, slot int, digest []types.DigestItem) *types.Block {
	tb.Helper()
	ctx := context.Background()
	b, err := c.NewBuilder(ctx, parent, digest)
	if err != nil {
		tb.Fatal(err)
	}
	data := chain.InherentData{}
	data.SetTimestamp(epoch + uint64(slot)*1000)
	if err := b.Inherents(ctx, data); err != nil {
		tb.Fatal(err)
	}
	if _, err := b.Finish(ctx); err != nil {
		tb.Fatal(err)
	}
	blk, _, _, err := b.Import(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return blk
}

// extend builds n blocks on c's best block, slots following its number.
func extend(tb testing.TB, c *chain.Chain, n int) {
	tb.Helper()
	for i := 0; i < n; i++ {
		best := c.Best()
		build(tb, c, best.Hash, int(best.Number)+1, nil)
	}
}
