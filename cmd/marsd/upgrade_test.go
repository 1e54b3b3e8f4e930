package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/metamars/mars/cmd/marsd/internal/wasmbuild"
	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// stateNode is a read-only JSON-RPC node serving one block: the dev
// genesis state of the committed relay runtime, as block hash `hash`.
type stateNode struct {
	hash  types.Hash
	root  types.Hash
	keys  []string // sorted
	kv    map[string][]byte
	calls map[string]int
	mu    sync.Mutex
}

var (
	genesisOnce sync.Once
	genesisKV   map[string][]byte
	genesisRoot types.Hash
	genesisErr  error
	wasmCache   string // shared by the package's dry runs (compiled once)
)

// devGenesis builds the development genesis state once per test binary.
func devGenesis(t *testing.T) (map[string][]byte, types.Hash) {
	t.Helper()
	genesisOnce.Do(func() {
		ctx := context.Background()
		if wasmCache, genesisErr = os.MkdirTemp("", "marsd-try-upgrade-cache-"); genesisErr != nil {
			return
		}
		ex, err := executor.New(ctx, executor.Config{CacheDir: wasmCache})
		if err != nil {
			genesisErr = err
			return
		}
		defer ex.Close(ctx)
		pairs, err := chain.GenesisFromPreset(ctx, ex, blobs.Relay(), relay.PresetDevelopment)
		if err != nil {
			genesisErr = err
			return
		}
		genesisKV = map[string][]byte{}
		st, _ := state.New(db.NewMemory(), state.Config{})
		root, err := commitState(st, trie.EmptyRoot, trie.V1, func(ov *state.Overlay) error {
			for _, p := range pairs {
				genesisKV[string(p.Key)] = p.Value
				if err := ov.Set(p.Key, p.Value); err != nil {
					return err
				}
			}
			return nil
		})
		genesisRoot, genesisErr = types.Hash(root), err
	})
	if genesisErr != nil {
		t.Fatal(genesisErr)
	}
	return genesisKV, genesisRoot
}

func TestMain(m *testing.M) {
	code := m.Run()
	if wasmCache != "" {
		os.RemoveAll(wasmCache)
	}
	os.Exit(code)
}

func newStateNode(kv map[string][]byte, root types.Hash) *stateNode {
	n := &stateNode{hash: types.Hash{0xab, 0xcd}, root: root, kv: kv, calls: map[string]int{}}
	for k := range kv {
		n.keys = append(n.keys, k)
	}
	sort.Strings(n.keys)
	return n
}

func (n *stateNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	n.mu.Lock()
	n.calls[req.Method]++
	n.mu.Unlock()
	var result any
	var rpcErr any
	switch req.Method {
	case "chain_getBlockHash":
		result = n.hash
	case "chain_getHeader":
		result = map[string]any{"parentHash": types.Hash{}, "number": "0x0", "stateRoot": n.root,
			"extrinsicsRoot": types.Hash{}, "digest": map[string]any{"logs": []string{}}}
	case "state_getKeysPaged":
		var count int
		var start *rpcclient.Bytes
		_ = json.Unmarshal(req.Params[1], &count)
		_ = json.Unmarshal(req.Params[2], &start)
		out := []rpcclient.Bytes{}
		for _, k := range n.keys {
			if start != nil && k <= string(*start) {
				continue
			}
			if len(out) == count {
				break
			}
			out = append(out, rpcclient.Bytes(k))
		}
		result = out
	case "state_queryStorageAt":
		var keys []rpcclient.Bytes
		_ = json.Unmarshal(req.Params[0], &keys)
		var changes [][2]*rpcclient.Bytes
		for _, k := range keys {
			var v *rpcclient.Bytes
			if val, ok := n.kv[string(k)]; ok {
				b := rpcclient.Bytes(val)
				v = &b
			}
			kk := k
			changes = append(changes, [2]*rpcclient.Bytes{&kk, v})
		}
		result = []any{map[string]any{"block": n.hash, "changes": changes}}
	default:
		rpcErr = map[string]any{"code": -32601, "message": "Method not found"}
	}
	resp := map[string]any{"jsonrpc": "2.0", "id": req.ID}
	if rpcErr != nil {
		resp["error"] = rpcErr
	} else {
		resp["result"] = result
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// withVersion returns the committed relay blob with its runtime_version
// section claiming another version: the same code, which a node then
// takes for that version (it reads the section and does not run it).
func withVersion(t *testing.T, specName string, specVersion uint32) []byte {
	t.Helper()
	ex, err := executor.New(context.Background(), executor.Config{CacheDir: wasmCache})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close(context.Background())
	raw, err := ex.RuntimeVersion(context.Background(), blobs.Relay())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := types.DecodeRuntimeVersion(raw)
	v.SpecName, v.SpecVersion = specName, specVersion
	wasm := decompressForTest(t, blobs.Relay())
	// A later runtime_version section would be ignored by a reader taking
	// the first: put the new one first, right after the header.
	out := append([]byte{}, wasm[:8]...)
	out = wasmbuild.AppendCustomSection(out, "runtime_version", scale.Encode(&v))
	return append(out, wasm[8:]...)
}

func decompressForTest(t *testing.T, b []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(b, wasmbuild.ZstdPrefix) {
		return b
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	raw, err := dec.DecodeAll(b[len(wasmbuild.ZstdPrefix):], nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func runTryUpgrade(t *testing.T, n *stateNode, code []byte, pageSize int) (string, *tryUpgradeReport, error) {
	t.Helper()
	srv := httptest.NewServer(n)
	t.Cleanup(srv.Close)
	var out strings.Builder
	rep, err := tryUpgrade(context.Background(), &out, tryUpgradeOptions{rpcURL: srv.URL, cacheDir: wasmCache, pageSize: pageSize}, code)
	return out.String(), rep, err
}

// TestTryUpgradeDryRun: over a node serving the dev genesis state, a dry
// run pages through the state, checks its root, and builds and re-executes
// block #1 under the new code; the set_code checks refuse what the chain
// would refuse; an incomplete state is caught by its root.
func TestTryUpgradeDryRun(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the relay runtime")
	}
	kv, root := devGenesis(t)
	n := newStateNode(kv, root)

	// The same code claiming v2 (its executive still says v1, so no
	// migration runs): the whole block pipeline, with paging by 7 keys.
	out, rep, err := runTryUpgrade(t, n, withVersion(t, relay.SpecName, relay.SpecVersion+1), 7)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if rep.Keys != len(kv) || n.calls["state_getKeysPaged"] < len(kv)/7 {
		t.Errorf("fetched %d keys of %d in %d pages", rep.Keys, len(kv), n.calls["state_getKeysPaged"])
	}
	if rep.NewVersion.SpecVersion != relay.SpecVersion+1 || rep.OldVersion.SpecVersion != relay.SpecVersion {
		t.Errorf("versions %d -> %d", rep.OldVersion.SpecVersion, rep.NewVersion.SpecVersion)
	}
	if rep.NewStateRoot == (types.Hash{}) {
		t.Error("no new state root")
	}
	for _, want := range []string{"root matches the block's", "set_code:    checks pass", "block #1:", "re-executed", "result:      ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	t.Logf("dry run:\n%s", out)

	for _, c := range []struct {
		what string
		code []byte
		want string
	}{
		{"the same runtime", blobs.Relay(), "SpecVersionNeedsToIncrease"},
		{"another spec name", withVersion(t, "mars-other", relay.SpecVersion+1), "InvalidSpecName"},
		{"not wasm", []byte("definitely not wasm"), "FailedToExtractRuntimeVersion"},
	} {
		out, _, err := runTryUpgrade(t, n, c.code, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %s, got %v\n%s", c.what, c.want, err, out)
		}
	}

	// A state with a key missing does not have the block's root.
	partial := map[string][]byte{}
	for k, v := range kv {
		partial[k] = v
	}
	for k := range partial {
		if k != ":code" {
			delete(partial, k)
			break
		}
	}
	out, _, err = runTryUpgrade(t, newStateNode(partial, root), withVersion(t, relay.SpecName, relay.SpecVersion+1), 0)
	if err == nil || !strings.Contains(err.Error(), "incomplete or changing state") {
		t.Errorf("incomplete state: %v\n%s", err, out)
	}
}

// TestRuntimeBuildFlags: --check refuses variant flags and a variant needs
// --out (nothing is built for these).
func TestRuntimeBuildFlags(t *testing.T) {
	for _, args := range [][]string{
		{"runtime", "build", "--check", "--tags", "relayv2"},
		{"runtime", "build", "--check", "--out", filepath.Join(t.TempDir(), "x")},
		{"runtime", "build", "--tags", "relayv2"},
		{"runtime", "build", "--no-version-section"},
	} {
		if out, err := runCLI(t, args...); err == nil {
			t.Errorf("%v accepted:\n%s", args, out)
		}
	}
}

// nextTimestamp follows Timestamp.Now by at least a second.
func TestNextTimestamp(t *testing.T) {
	now := uint64(1) << 60 // far in the future
	raw := binary.LittleEndian.AppendUint64(nil, now)
	kv := map[string][]byte{string(append(twox("Timestamp"), twox("Now")...)): raw}
	if got := nextTimestamp(kv); got != now+1000 {
		t.Errorf("nextTimestamp = %d, want %d", got, now+1000)
	}
}

func twox(s string) []byte { h := types.Twox128([]byte(s)); return h[:] }
