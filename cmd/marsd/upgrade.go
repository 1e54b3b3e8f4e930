package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// keysPageSize is state_getKeysPaged's page (the node's maximum).
const keysPageSize = 1000

func newRuntimeTryUpgradeCmd() *cobra.Command {
	var rpcURL, at, cacheDir string
	cmd := &cobra.Command{
		Use:   "try-upgrade --rpc URL BLOB",
		Short: "Dry-run a runtime upgrade on a live chain's state, writing nothing to the node",
		Long: `Fetches the whole state of the best block (or --at HASH) over RPC
(state_getKeysPaged pages of 1000 + state_queryStorageAt), rebuilds it in memory
and checks its root against the block's, then does what the chain would do after
Sudo.sudo(System.set_code(BLOB)) in that block:

  * the set_code checks: BLOB's version readable, same spec name, higher spec version;
  * :code := BLOB, then block best+1 with the new code: Core_initialize_block (the
    executive runs on_runtime_upgrade, System.LastRuntimeUpgrade differing), the
    timestamp inherent, BlockBuilder_finalize_block;
  * a second, importing execution of that block (Core_execute_block) on a fresh copy.

It reports the old and new versions, whether the migrations ran (LastRuntimeUpgrade,
pallet storage versions, the runtime's log), their weight (the block's mandatory
weight under the new code minus the same block's under the old), the new state
root and the time taken. A failed check, a trap, a refused or failed inherent or a
block that does not re-execute exits non-zero. The node is only read from.`,
		Example: `  marsd runtime try-upgrade --rpc ws://127.0.0.1:9944 relay-v2.wasm.zst`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var atHash *types.Hash
			if at != "" {
				h, err := types.HashFromHex(at)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				atHash = &h
			}
			_, err = tryUpgrade(cmd.Context(), cmd.OutOrStdout(), tryUpgradeOptions{rpcURL: rpcURL, at: atHash, cacheDir: cacheDir}, code)
			return err
		},
	}
	cmd.Flags().StringVar(&rpcURL, "rpc", "ws://127.0.0.1:9944", "node RPC endpoint (ws:// or http://)")
	cmd.Flags().StringVar(&at, "at", "", "block hash whose state to upgrade (default: the best block)")
	cmd.Flags().StringVar(&cacheDir, "wasm-cache", "", "folder for compiled runtimes, so that repeated dry runs do not recompile (default: none)")
	return cmd
}

// tryUpgradeReport is what a dry run found.
type tryUpgradeReport struct {
	Block          types.Hash
	Number         uint32
	Keys           int
	OldVersion     types.RuntimeVersion
	NewVersion     types.RuntimeVersion
	MigrationsRan  bool
	StorageChanges []string // pallet storage versions that changed ("Balances 1 -> 2")
	MigrationLog   []string // the runtime's log lines during initialize_block
	MigrationRef   uint64   // extra mandatory ref_time of the upgrade block (ps)
	NewStateRoot   types.Hash
	Fetch          time.Duration
	Compile        time.Duration // the new runtime's (cold) compilation
	CompileOld     time.Duration
	Initialize     time.Duration
	BuildTime      time.Duration // initialize + inherents + finalize
	Reexecute      time.Duration
	Total          time.Duration
}

// logSink collects the runtime's log lines (slog text) of the dry run.
type logSink struct {
	mu    sync.Mutex
	lines []string
	buf   bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for {
		i := bytes.IndexByte(l.buf.Bytes(), '\n')
		if i < 0 {
			break
		}
		l.lines = append(l.lines, string(l.buf.Next(i + 1)[:i]))
	}
	return len(p), nil
}

// mark returns how many lines there are; since returns the lines after a mark.
func (l *logSink) mark() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.lines) }
func (l *logSink) since(m int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines[m:]...)
}

// tryUpgradeOptions says where and how to dry-run.
type tryUpgradeOptions struct {
	rpcURL   string
	at       *types.Hash // nil: the best block
	cacheDir string      // executor compilation cache ("" = none)
	pageSize int         // keys per state_getKeysPaged call (0 = keysPageSize)
}

// tryUpgrade runs the dry run and prints its report to w.
func tryUpgrade(ctx context.Context, w io.Writer, o tryUpgradeOptions, code []byte) (*tryUpgradeReport, error) {
	start := time.Now()
	rep := &tryUpgradeReport{}
	at := o.at
	if o.pageSize <= 0 {
		o.pageSize = keysPageSize
	}
	c, err := rpcclient.Dial(ctx, o.rpcURL)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if at == nil {
		var h types.Hash
		if err := c.Call(ctx, &h, "chain_getBlockHash"); err != nil {
			return nil, fmt.Errorf("best block hash: %w", err)
		}
		at = &h
	}
	hdr, err := c.Header(ctx, at)
	if err != nil {
		return nil, err
	}
	num, err := hdr.BlockNumber()
	if err != nil {
		return nil, err
	}
	rep.Block, rep.Number = *at, uint32(num)
	fmt.Fprintf(w, "block:       #%d %s (state root %s)\n", num, *at, hdr.StateRoot)

	// 1. The state, page by page, into an in-memory trie.
	t0 := time.Now()
	kv, err := fetchState(ctx, c, *at, o.pageSize)
	if err != nil {
		return nil, err
	}
	rep.Keys, rep.Fetch = len(kv), time.Since(t0)
	oldCode := kv[string(chain.CodeKey)]
	if oldCode == nil {
		return nil, errors.New("the state has no :code")
	}
	logs := &logSink{}
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	ex, err := executor.New(ctx, executor.Config{CacheDir: o.cacheDir, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{ReplaceAttr: noTime}))})
	if err != nil {
		return nil, err
	}
	defer ex.Close(ctx)
	t0 = time.Now()
	oldRaw, err := ex.RuntimeVersion(ctx, oldCode)
	if err != nil {
		return nil, fmt.Errorf("the chain's runtime: %w", err)
	}
	rep.CompileOld = time.Since(t0)
	if rep.OldVersion, err = types.DecodeRuntimeVersion(oldRaw); err != nil {
		return nil, err
	}
	oldSV := trie.Version(rep.OldVersion.StateVersion())
	st, err := state.New(db.NewMemory(), state.Config{Archive: true})
	if err != nil {
		return nil, err
	}
	root, err := commitState(st, trie.EmptyRoot, oldSV, func(ov *state.Overlay) error {
		for k, v := range kv {
			if err := ov.Set([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if types.Hash(root) != hdr.StateRoot {
		return rep, fmt.Errorf("the fetched state (%d keys) has root %s, the block says %s: incomplete or changing state", len(kv), types.Hash(root), hdr.StateRoot)
	}
	fmt.Fprintf(w, "state:       %d keys fetched in %s; root matches the block's\n", len(kv), rep.Fetch.Round(time.Millisecond))
	fmt.Fprintf(w, "old runtime: %s, compiled in %s\n", versionText(rep.OldVersion), rep.CompileOld.Round(time.Millisecond))

	// 2. What System.set_code checks (pallets/system can_set_code).
	t0 = time.Now()
	if err := ex.Prepare(ctx, code); err != nil {
		return rep, fmt.Errorf("new runtime: FailedToExtractRuntimeVersion: cannot compile: %w", err)
	}
	rep.Compile = time.Since(t0)
	newRaw, err := ex.RuntimeVersion(ctx, code)
	if err != nil {
		return rep, fmt.Errorf("new runtime: FailedToExtractRuntimeVersion: %w", err)
	}
	if rep.NewVersion, err = types.DecodeRuntimeVersion(newRaw); err != nil {
		return rep, fmt.Errorf("new runtime: FailedToExtractRuntimeVersion: %w", err)
	}
	fmt.Fprintf(w, "new runtime: %s, %d bytes, blake2_256 %s, compiled in %s\n", versionText(rep.NewVersion),
		len(code), types.Hash(types.Blake2b256(code)), rep.Compile.Round(time.Millisecond))
	if rep.NewVersion.SpecName != rep.OldVersion.SpecName {
		return rep, fmt.Errorf("set_code would fail: InvalidSpecName (%q, the chain runs %q)", rep.NewVersion.SpecName, rep.OldVersion.SpecName)
	}
	if rep.NewVersion.SpecVersion <= rep.OldVersion.SpecVersion {
		return rep, fmt.Errorf("set_code would fail: SpecVersionNeedsToIncrease (%d, the chain runs %d)", rep.NewVersion.SpecVersion, rep.OldVersion.SpecVersion)
	}
	fmt.Fprintln(w, "set_code:    checks pass (same spec name, higher spec version)")

	// 3. The parent state as set_code leaves it: :code replaced.
	parent, err := commitState(st, root, oldSV, func(ov *state.Overlay) error { return ov.Set(chain.CodeKey, code) })
	if err != nil {
		return rep, err
	}
	header := types.Header{ParentHash: *at, Number: uint32(num) + 1}
	data := chain.InherentData{}
	data.SetTimestamp(nextTimestamp(kv))

	// The same block under the old code, for the weight the upgrade adds.
	oldWeight, err := initWeight(ctx, ex, oldCode, st.NewOverlay(root), header)
	if err != nil {
		return rep, fmt.Errorf("initialize_block under the old runtime: %w", err)
	}

	// 4. Block best+1 under the new code.
	tb := time.Now()
	ov := st.NewOverlay(parent)
	inst, err := ex.NewInstance(ctx, code, ov)
	if err != nil {
		return rep, fmt.Errorf("instantiating the new runtime: %w", err)
	}
	defer inst.Close(ctx)
	lastKey := frame.Prefix("System", "LastRuntimeUpgrade")
	lastBefore, _, _ := ov.Get(lastKey)
	versionsBefore := palletStorageVersions(ov)
	mark := logs.mark()
	ti := time.Now()
	if _, err := inst.Call(ctx, "Core_initialize_block", header.Bytes()); err != nil {
		printLog(w, logs.since(mark))
		return rep, fmt.Errorf("Core_initialize_block under the new runtime (on_runtime_upgrade): %w", err)
	}
	rep.Initialize = time.Since(ti)
	rep.MigrationLog = logs.since(mark)
	lastAfter, _, _ := ov.Get(lastKey)
	rep.MigrationsRan = !bytes.Equal(lastBefore, lastAfter)
	versionsAfter := palletStorageVersions(ov)
	for _, name := range palletNames() {
		if b, a := versionsBefore[name], versionsAfter[name]; b != a {
			rep.StorageChanges = append(rep.StorageChanges, fmt.Sprintf("%s %d -> %d", name, b, a))
		}
	}
	if cw, err := readBlockWeight(ov); err == nil {
		rep.MigrationRef = cw[2].RefTime - min(cw[2].RefTime, oldWeight[2].RefTime)
	}
	out, err := inst.Call(ctx, "BlockBuilder_inherent_extrinsics", scale.Encode(data))
	if err != nil {
		return rep, fmt.Errorf("BlockBuilder_inherent_extrinsics: %w", err)
	}
	xts, err := chain.DecodeBody(out)
	if err != nil {
		return rep, fmt.Errorf("inherent_extrinsics output: %w", err)
	}
	for i, x := range xts {
		out, err := inst.Call(ctx, "BlockBuilder_apply_extrinsic", x)
		if err != nil {
			return rep, fmt.Errorf("applying inherent %d: %w", i, err)
		}
		var res types.ApplyExtrinsicResult
		if err := scale.Decode(out, &res); err != nil {
			return rep, fmt.Errorf("apply_extrinsic output: %w", err)
		}
		if res.Invalid != nil {
			return rep, fmt.Errorf("inherent %d refused: %s", i, res.Invalid.Error())
		}
		if res.DispatchErr != nil {
			return rep, fmt.Errorf("inherent %d failed: %+v", i, *res.DispatchErr)
		}
	}
	out, err = inst.Call(ctx, "BlockBuilder_finalize_block", nil)
	if err != nil {
		return rep, fmt.Errorf("BlockBuilder_finalize_block: %w", err)
	}
	final, err := types.DecodeHeader(out)
	if err != nil {
		return rep, fmt.Errorf("finalize_block output: %w", err)
	}
	rep.BuildTime = time.Since(tb)
	rep.NewStateRoot = final.StateRoot
	events, _, _ := ov.Get(frame.Prefix("System", "Events"))

	// 5. An importing node's execution of the same block.
	tr := time.Now()
	inst2, err := ex.NewInstance(ctx, code, st.NewOverlay(parent))
	if err != nil {
		return rep, err
	}
	defer inst2.Close(ctx)
	blk := types.Block{Header: final, Extrinsics: xts}
	if _, err := inst2.Call(ctx, "Core_execute_block", scale.Encode(&blk)); err != nil {
		return rep, fmt.Errorf("re-executing block #%d under the new runtime: %w", final.Number, err)
	}
	rep.Reexecute = time.Since(tr)
	rep.Total = time.Since(start)

	fmt.Fprintf(w, "block #%d:   built on the new runtime in %s (initialize_block %s, %d inherent(s)); re-executed in %s\n",
		final.Number, rep.BuildTime.Round(time.Millisecond), rep.Initialize.Round(10*time.Microsecond), len(xts), rep.Reexecute.Round(time.Millisecond))
	if rep.MigrationsRan {
		fmt.Fprintf(w, "migrations:  ran (System.LastRuntimeUpgrade %s -> %s)\n", lastUpgradeText(lastBefore), lastUpgradeText(lastAfter))
	} else {
		fmt.Fprintln(w, "migrations:  did not run (System.LastRuntimeUpgrade unchanged)")
	}
	if len(rep.StorageChanges) > 0 {
		fmt.Fprintf(w, "storage versions: %s\n", strings.Join(rep.StorageChanges, ", "))
	} else {
		fmt.Fprintln(w, "storage versions: unchanged")
	}
	fmt.Fprintf(w, "weight:      upgrade adds ref_time %d ps (%s) to the block's mandatory weight\n",
		rep.MigrationRef, time.Duration(rep.MigrationRef/1000))
	fmt.Fprintf(w, "events:      %d bytes of System.Events after finalize\n", len(events))
	printLog(w, rep.MigrationLog)
	fmt.Fprintf(w, "state root:  %s (block #%d)\n", rep.NewStateRoot, final.Number)
	fmt.Fprintln(w, "try-state:   not run (the runtime exposes no TryRuntime API)")
	fmt.Fprintf(w, "time:        %s total (fetch %s, compile old %s + new %s, block %s, re-execution %s)\n", rep.Total.Round(time.Millisecond),
		rep.Fetch.Round(time.Millisecond), rep.CompileOld.Round(time.Millisecond), rep.Compile.Round(time.Millisecond),
		rep.BuildTime.Round(time.Millisecond), rep.Reexecute.Round(time.Millisecond))
	fmt.Fprintln(w, "result:      ok: the upgrade applies and the next block builds and imports; nothing was written to the node")
	return rep, nil
}

// fetchState reads every key and value of the state at block at.
func fetchState(ctx context.Context, c *rpcclient.Client, at types.Hash, pageSize int) (map[string][]byte, error) {
	kv := map[string][]byte{}
	var startKey *rpcclient.Bytes
	for {
		var keys []rpcclient.Bytes
		if err := c.Call(ctx, &keys, "state_getKeysPaged", rpcclient.Bytes{}, pageSize, startKey, at); err != nil {
			return nil, fmt.Errorf("state_getKeysPaged: %w", err)
		}
		if startKey != nil && len(keys) > 0 && bytes.Equal(keys[0], *startKey) {
			keys = keys[1:] // a server that pages inclusively
		}
		if len(keys) == 0 {
			return kv, nil
		}
		var sets []struct {
			Changes [][]*rpcclient.Bytes `json:"changes"`
		}
		if err := c.Call(ctx, &sets, "state_queryStorageAt", keys, at); err != nil {
			return nil, fmt.Errorf("state_queryStorageAt: %w", err)
		}
		got := 0
		for _, s := range sets {
			for _, ch := range s.Changes {
				if len(ch) != 2 || ch[0] == nil {
					return nil, errors.New("state_queryStorageAt: malformed change")
				}
				if ch[1] != nil {
					kv[string(*ch[0])] = *ch[1]
					got++
				}
			}
		}
		if got != len(keys) {
			return nil, fmt.Errorf("state_queryStorageAt returned %d values for %d keys", got, len(keys))
		}
		last := keys[len(keys)-1]
		startKey = &last
		if len(keys) < pageSize-1 {
			return kv, nil
		}
	}
}

// commitState applies f on an overlay over root and writes it: the new root.
func commitState(st *state.State, root [32]byte, v trie.Version, f func(*state.Overlay) error) ([32]byte, error) {
	ov := st.NewOverlay(root)
	if err := f(ov); err != nil {
		return root, err
	}
	u, err := ov.Commit(v)
	if err != nil {
		return root, err
	}
	r := u.Root()
	return r, u.Write()
}

// initWeight runs Core_initialize_block of code over ov and returns
// System.BlockWeight afterwards.
func initWeight(ctx context.Context, ex *executor.Executor, code []byte, ov *state.Overlay, h types.Header) (frame.ConsumedWeight, error) {
	inst, err := ex.NewInstance(ctx, code, ov)
	if err != nil {
		return frame.ConsumedWeight{}, err
	}
	defer inst.Close(ctx)
	if _, err := inst.Call(ctx, "Core_initialize_block", h.Bytes()); err != nil {
		return frame.ConsumedWeight{}, err
	}
	return readBlockWeight(ov)
}

func readBlockWeight(ov *state.Overlay) (frame.ConsumedWeight, error) {
	var w frame.ConsumedWeight
	raw, ok, err := ov.Get(frame.Prefix("System", "BlockWeight"))
	if err != nil || !ok {
		return w, errors.Join(err, errors.New("no System.BlockWeight"))
	}
	return w, scale.Decode(raw, &w)
}

// nextTimestamp is the timestamp inherent for the dry-run block: now, but
// at least a second after Timestamp.Now (the runtime wants MinimumPeriod).
func nextTimestamp(kv map[string][]byte) uint64 {
	ms := uint64(time.Now().UnixMilli())
	if raw := kv[string(frame.Prefix("Timestamp", "Now"))]; len(raw) == 8 {
		var prev uint64
		for i := 7; i >= 0; i-- {
			prev = prev<<8 | uint64(raw[i])
		}
		ms = max(ms, prev+1000)
	}
	return ms
}

// palletNames are the relay runtime's pallets (storage version keys are
// recognised by them).
func palletNames() []string {
	var names []string
	for _, ip := range relay.Default().Pallets() {
		names = append(names, ip.Pallet.Name())
	}
	return names
}

func palletStorageVersions(ov *state.Overlay) map[string]uint16 {
	out := map[string]uint16{}
	for _, name := range palletNames() {
		raw, ok, err := ov.Get(frame.Prefix(name, ":__STORAGE_VERSION__:"))
		if err == nil && ok && len(raw) == 2 {
			out[name] = uint16(raw[0]) | uint16(raw[1])<<8
		}
	}
	return out
}

// lastUpgradeText renders System.LastRuntimeUpgrade (Compact<u32> ++ String).
func lastUpgradeText(raw []byte) string {
	if raw == nil {
		return "none"
	}
	d := scale.NewDecoder(raw)
	v := d.CompactU32()
	name := string(d.Bytes())
	if d.Err() != nil {
		return "0x" + hex.EncodeToString(raw)
	}
	return fmt.Sprintf("%s v%d", name, v)
}

func versionText(v types.RuntimeVersion) string {
	return fmt.Sprintf("%s v%d (impl %s v%d, transaction_version %d)", v.SpecName, v.SpecVersion, v.ImplName, v.ImplVersion, v.TransactionVersion)
}

func printLog(w io.Writer, lines []string) {
	if len(lines) == 0 {
		fmt.Fprintln(w, "runtime log: (nothing during initialize_block)")
		return
	}
	fmt.Fprintln(w, "runtime log during initialize_block:")
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}
