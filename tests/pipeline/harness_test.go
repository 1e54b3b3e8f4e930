package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/pebbledb"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// quietLogger drops the runtime's info logs so benchmarks print figures only.
var quietLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

// newExecutor returns an executor with a shared on-disk compilation cache
// (so each test binary compiles the relay blob once).
func newExecutor(tb testing.TB, interpreter bool) *executor.Executor {
	tb.Helper()
	cache := filepath.Join(os.TempDir(), "marsd-test-wasm-cache")
	ex, err := executor.New(context.Background(), executor.Config{CacheDir: cache, Interpreter: interpreter, Logger: quietLogger, Uninterruptible: os.Getenv("MARS_UNINTERRUPTIBLE") != ""})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ex.Close(context.Background()) })
	return ex
}

// node is one chain over its own database.
type node struct {
	kv    db.Database
	chain *chain.Chain
}

func openNode(tb testing.TB, ex *executor.Executor, dir string, genesis []trie.Pair) *node {
	tb.Helper()
	var kv db.Database
	var err error
	if dir == "" {
		kv = db.NewMemory()
	} else {
		kv, err = pebbledb.OpenPebble(dir, pebbledb.PebbleOptions{})
		if err != nil {
			tb.Fatal(err)
		}
	}
	st, err := state.New(kv, state.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := chain.Open(context.Background(), chain.Config{DB: kv, State: st, Executor: ex, Logger: quietLogger}, genesis)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { kv.Close() })
	return &node{kv: kv, chain: c}
}

// account is a funded sr25519 key.
type account struct {
	kp    keystore.KeyPair
	nonce uint32
}

// newAccounts makes n sr25519 keys from random seeds (no PBKDF2).
func newAccounts(tb testing.TB, n int) []*account {
	out := make([]*account, n)
	for i := range out {
		var seed [32]byte
		rand.Read(seed[:])
		kp, err := keystore.FromURI(keystore.Sr25519, "0x"+hex.EncodeToString(seed[:]))
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = &account{kp: kp}
	}
	return out
}

// genesisWith builds the development genesis with extra accounts funded
// (carved out of the genesis reserve, so the supply stays 84,000,000 MSCA).
func genesisWith(tb testing.TB, ex *executor.Executor, accts []*account, each uint64) []trie.Pair {
	tb.Helper()
	code := blobs.Relay()
	cfgJSON, ok := relay.Preset(relay.PresetDevelopment)
	if !ok {
		tb.Fatal("no development preset")
	}
	var cfg map[string]any
	d := json.NewDecoder(bytesReader(cfgJSON))
	d.UseNumber()
	if err := d.Decode(&cfg); err != nil {
		tb.Fatal(err)
	}
	bal := cfg["balances"].(map[string]any)
	list := bal["balances"].([]any)
	amount, _ := scale.FromUint64(each).Mul64(relay.PlanckPerMSCA)
	total, _ := amount.Mul64(uint64(len(accts)))
	reserve := relay.ReserveAccount().SS58(42)
	for _, e := range list {
		pair := e.([]any)
		if pair[0] == reserve {
			r, err := scale.ParseU128(string(pair[1].(json.Number)))
			if err != nil {
				tb.Fatal(err)
			}
			r, ok := r.Sub(total)
			if !ok {
				tb.Fatal("reserve too small")
			}
			pair[1] = json.Number(r.String())
		}
	}
	for _, a := range accts {
		list = append(list, []any{a.kp.AccountID().SS58(42), json.Number(amount.String())})
	}
	bal["balances"] = list
	out, err := json.Marshal(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	pairs, err := chain.GenesisFromConfig(context.Background(), ex, code, out)
	if err != nil {
		tb.Fatal(err)
	}
	return pairs
}

// transferKeepAlive encodes Balances.transfer_keep_alive(dest, amount).
func transferKeepAlive(dest types.AccountID, amount scale.U128) []byte {
	e := scale.NewEncoder(48)
	e.PutU8(relay.IndexBalances)
	e.PutU8(3) // transfer_keep_alive
	types.NewAddress(dest).EncodeTo(e)
	e.PutCompactU128(amount)
	return e.Bytes()
}

// signTransfer signs a transfer from a with an immortal era.
func signTransfer(n *node, a *account, dest types.AccountID, amount uint64) []byte {
	v := relay.Version()
	g := n.chain.Genesis().Hash
	ext := txbuilder.Sign(transferKeepAlive(dest, scale.FromUint64(amount)), a.kp, txbuilder.Params{
		Nonce: a.nonce, Era: types.ImmortalEra, GenesisHash: g, BirthHash: g,
		SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion,
	})
	a.nonce++
	return ext
}

// buildBlock builds and imports, on n, a block with a timestamp and exts.
func buildBlock(tb testing.TB, n *node, slot int, exts [][]byte) *types.Block {
	tb.Helper()
	ctx := context.Background()
	b, err := n.chain.NewBuilder(ctx, n.chain.Best().Hash, nil)
	if err != nil {
		tb.Fatal(err)
	}
	data := chain.InherentData{}
	data.SetTimestamp(uint64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()) + uint64(slot)*1000)
	if err := b.Inherents(ctx, data); err != nil {
		tb.Fatal(err)
	}
	for i, x := range exts {
		if err := b.Apply(ctx, x); err != nil {
			tb.Fatalf("extrinsic %d: %v", i, err)
		}
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
