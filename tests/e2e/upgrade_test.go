package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// upgradeBlobs are the runtimes the upgrade test submits, built once per
// test binary by `marsd runtime build` from this source tree.
type upgradeBlobs struct {
	dir  string
	v2   string // tag relayv2: spec_version+1 and the Balances v1→v2 migration
	trap string // tag relaytrap, no version section: every entry point traps
}

var (
	blobsOnce sync.Once
	blobs     upgradeBlobs
	blobsErr  error
)

// buildUpgradeBlobs builds the v2 and trap runtimes into a folder shared by
// the package's tests: next to the marsd binary TestMain built (removed when
// the test binary exits), or a temporary folder when MARSD_E2E_BIN is set.
func buildUpgradeBlobs(t *testing.T) upgradeBlobs {
	t.Helper()
	blobsOnce.Do(func() {
		dir := filepath.Dir(marsdBin)
		if os.Getenv("MARSD_E2E_BIN") != "" {
			if dir, blobsErr = os.MkdirTemp("", "marsd-e2e-blobs-"); blobsErr != nil {
				return
			}
		}
		blobs = upgradeBlobs{dir: dir, v2: filepath.Join(dir, "relay-v2.wasm.zst"), trap: filepath.Join(dir, "relay-trap.wasm.zst")}
		for _, b := range []struct {
			out  string
			args []string
		}{
			{blobs.v2, []string{"--tags", "relayv2"}},
			{blobs.trap, []string{"--tags", "relaytrap", "--no-version-section"}},
		} {
			start := time.Now()
			args := append([]string{"runtime", "build", "--out", b.out}, b.args...)
			out, err := exec.Command(marsdBin, args...).CombinedOutput()
			if err != nil {
				blobsErr = fmt.Errorf("marsd %s: %v\n%s", strings.Join(args, " "), err, out)
				return
			}
			t.Logf("built %s in %s: %s", filepath.Base(b.out), time.Since(start).Round(time.Millisecond), bytes.TrimSpace(out))
		}
	})
	if blobsErr != nil {
		t.Fatal(blobsErr)
	}
	return blobs
}

// marsdCLI runs the marsd binary; it returns the combined output and the
// exit error.
func marsdCLI(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, marsdBin, args...).CombinedOutput()
	return string(out), err
}

// Keys the v2 migration touches (runtime/relay/v2.go).
var (
	balancesVersionKey  = frame.Prefix("Balances", ":__STORAGE_VERSION__:")
	migrationMarkerKey  = frame.Prefix("Balances", "MigratedToV2At")
	lastRuntimeUpgrade  = frame.Prefix("System", "LastRuntimeUpgrade")
	reSetCodeBlock      = regexp.MustCompile(`(?m)^block:\s+(0x[0-9a-f]{64})`)
	reTryUpgradeAtBlock = regexp.MustCompile(`(?m)^block:\s+#(\d+) (0x[0-9a-f]{64})`)
)

// specVersionAt is state_getRuntimeVersion(at).specVersion ("" = best).
func (n *node) specVersionAt(ctx context.Context, at string) (uint32, error) {
	var v struct {
		SpecName    string `json:"specName"`
		SpecVersion uint32 `json:"specVersion"`
	}
	var err error
	if at == "" {
		err = n.callInto(ctx, &v, "state_getRuntimeVersion")
	} else {
		err = n.callInto(ctx, &v, "state_getRuntimeVersion", at)
	}
	return v.SpecVersion, err
}

// TestForklessUpgrade upgrades a dev chain from the relay runtime v1 to v2
// with Sudo.sudo(System.set_code): a dry run first (marsd runtime
// try-upgrade, which must write nothing), then the upgrade, its migration's
// effect, balances and transfers across it, the runtime-version
// subscription; then set_code's refusals, each leaving the chain running
// under v2; finally a restart on the same base path that re-reads the
// blocks before and after the upgrade and continues under v2.
func TestForklessUpgrade(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two runtimes and runs a node for a minute")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	bl := buildUpgradeBlobs(t)
	base := t.TempDir()
	opts := nodeOpts{basePath: base, blockTime: 250 * time.Millisecond}
	n := startNode(ctx, t, "upgrade", opts)
	if _, err := n.waitBlock(ctx, 3, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	genesis := mustHash(t, n, 0)
	v1Code, err := n.storage(ctx, []byte(":code"), genesis)
	if err != nil || len(v1Code) == 0 {
		t.Fatalf(":code at genesis: %d bytes, %v", len(v1Code), err)
	}
	v1File := filepath.Join(t.TempDir(), "relay-v1.wasm.zst")
	if err := os.WriteFile(v1File, v1Code, 0o644); err != nil {
		t.Fatal(err)
	}

	w, err := n.dialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, versions, err := w.subscribe(ctx, "state_subscribeRuntimeVersion")
	if err != nil {
		t.Fatal(err)
	}
	if v := nextSpecVersion(t, ctx, versions); v != relay.SpecVersion {
		t.Fatalf("first runtime version notification: spec_version %d, want %d", v, relay.SpecVersion)
	}

	// 1. The dry run: succeeds, reports the migration, writes nothing.
	pinned, err := n.blockHash(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := marsdCLI(ctx, "runtime", "try-upgrade", "--rpc", n.rpcWS, "--at", pinned, bl.v2)
	tryTook := time.Since(start)
	if err != nil {
		t.Fatalf("try-upgrade: %v\n%s", err, out)
	}
	t.Logf("try-upgrade on the dev chain's state took %s:\n%s", tryTook.Round(time.Millisecond), out)
	for _, want := range []string{"old runtime: mars-relay v1", "new runtime: mars-relay v2", "migrations:  ran",
		"Balances 1 -> 2", "Balances: migrated storage version 1 -> 2", "result:      ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("try-upgrade output lacks %q", want)
		}
	}
	if m := reTryUpgradeAtBlock.FindStringSubmatch(out); m == nil || m[1] != "2" || m[2] != pinned {
		t.Errorf("try-upgrade did not run at --at %s: %v", pinned, m)
	}
	for _, at := range []string{pinned, ""} {
		code, err := n.storage(ctx, []byte(":code"), at)
		if err != nil || !bytes.Equal(code, v1Code) {
			t.Errorf(":code at %q after the dry run changed (%d bytes, %v)", at, len(code), err)
		}
		if v, err := n.storage(ctx, migrationMarkerKey, at); err != nil || v != nil {
			t.Errorf("migration marker at %q after the dry run: %x, %v", at, v, err)
		}
		if v, err := n.storage(ctx, balancesVersionKey, at); err != nil || !bytes.Equal(v, []byte{1, 0}) {
			t.Errorf("Balances storage version at %q after the dry run: %x, %v", at, v, err)
		}
	}
	if v, err := n.specVersionAt(ctx, ""); err != nil || v != 1 {
		t.Errorf("spec_version after the dry run: %d, %v", v, err)
	}
	// A dry run of a runtime set_code would refuse fails.
	if out, err := marsdCLI(ctx, "runtime", "try-upgrade", "--rpc", n.rpcWS, v1File); err == nil || !strings.Contains(out, "SpecVersionNeedsToIncrease") {
		t.Errorf("try-upgrade of v1 on v1: %v\n%s", err, out)
	}
	if out, err := marsdCLI(ctx, "runtime", "try-upgrade", "--rpc", n.rpcWS, bl.trap); err == nil || !strings.Contains(out, "FailedToExtractRuntimeVersion") {
		t.Errorf("try-upgrade of the trapping runtime: %v\n%s", err, out)
	}

	// 2. The upgrade.
	alice, bob := pair(t, "//Alice"), pair(t, "//Bob")
	aliceID, bobID := accountID(alice), accountID(bob)
	aliceBefore, err := n.account(ctx, aliceID, "")
	if err != nil {
		t.Fatal(err)
	}
	bobBefore, err := n.account(ctx, bobID, "")
	if err != nil {
		t.Fatal(err)
	}
	out, err = marsdCLI(ctx, "tx", "sudo", "set-code", "--rpc", n.rpcWS, "--from", "//Alice", "--wait", "in-block", bl.v2)
	if err != nil {
		t.Fatalf("set-code v2: %v\n%s", err, out)
	}
	if !strings.Contains(out, "sudo:      inner call succeeded") {
		t.Fatalf("set-code v2: inner call did not succeed:\n%s", out)
	}
	m := reSetCodeBlock.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("set-code output names no block:\n%s", out)
	}
	enact := m[1]
	eh, err := n.getHeader(ctx, enact)
	if err != nil {
		t.Fatal(err)
	}
	e := eh.num()
	t.Logf("set_code enacted in block #%d %s", e, enact)
	if _, err := n.waitBlock(ctx, e+3, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	before, after := mustHash(t, n, e-1), mustHash(t, n, e+1)
	for _, c := range []struct {
		at   string
		what string
		want uint32
	}{{before, "the block before the upgrade", 1}, {after, "the first block under v2", 2}, {"", "the best block", 2}} {
		if v, err := n.specVersionAt(ctx, c.at); err != nil || v != c.want {
			t.Errorf("state_getRuntimeVersion at %s (%s): %d, %v; want %d", c.what, c.at, v, err, c.want)
		}
	}
	if v, err := n.specVersionAt(ctx, enact); err == nil {
		t.Logf("state_getRuntimeVersion at the enactment block #%d itself (its post-state holds v2's :code): %d", e, v)
	}
	// The migration ran in #e+1, once.
	marker, err := n.storage(ctx, migrationMarkerKey, "")
	if err != nil || len(marker) != 4 || uint64(binary.LittleEndian.Uint32(marker)) != e+1 {
		t.Errorf("migration marker at best: %x, %v; want block #%d", marker, err, e+1)
	}
	if v, err := n.storage(ctx, migrationMarkerKey, enact); err != nil || v != nil {
		t.Errorf("migration marker already in the enactment block: %x, %v", v, err)
	}
	if v, err := n.storage(ctx, balancesVersionKey, ""); err != nil || !bytes.Equal(v, []byte{2, 0}) {
		t.Errorf("Balances storage version after the upgrade: %x, %v; want 0200", v, err)
	}
	if v, err := n.storage(ctx, lastRuntimeUpgrade, ""); err != nil || !bytes.HasPrefix(v, []byte{2 << 2}) {
		t.Errorf("System.LastRuntimeUpgrade after the upgrade: %x, %v", v, err)
	}
	if lines := n.log.grep(regexp.MustCompile(`Balances: migrated storage version 1 -> 2`)); len(lines) != 1 {
		t.Errorf("the node logged the migration %d times, want once: %q", len(lines), lines)
	}
	// Balances and nonces across the upgrade: Bob's untouched, Alice paid
	// the set_code transaction's fee and used one nonce.
	aliceAfter, err := n.account(ctx, aliceID, "")
	if err != nil {
		t.Fatal(err)
	}
	bobAfter, err := n.account(ctx, bobID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bobAfter.raw, bobBefore.raw) {
		t.Errorf("Bob's account changed across the upgrade: %+v → %+v", bobBefore, bobAfter)
	}
	fee := bigSub(aliceBefore.Free, aliceAfter.Free)
	if aliceAfter.Nonce != aliceBefore.Nonce+1 || fee.Sign() < 0 || fee.Cmp(msca(1)) > 0 {
		t.Errorf("Alice across the upgrade: nonce %d → %d, free %s → %s", aliceBefore.Nonce, aliceAfter.Nonce, aliceBefore.Free, aliceAfter.Free)
	}
	// A transfer signed for spec_version 2 goes through.
	ci := chainInfo{genesis: hashOf(genesis), specVersion: 2, txVersion: 1}
	sts, err := watch(ctx, w, signImmortal(ci, alice, transferCall(callTransferKeepAlive, bobID, msca(7)), aliceAfter.Nonce), 20*time.Second)
	if err != nil || sts[len(sts)-1].kind != "finalized" {
		t.Fatalf("transfer after the upgrade: %s, %v", statusKinds(sts), err)
	}
	bobNow, err := n.account(ctx, bobID, "")
	if err != nil {
		t.Fatal(err)
	}
	if d := bigSub(bobNow.Free, bobAfter.Free); d.Cmp(msca(7)) != 0 {
		t.Errorf("Bob received %s after the upgrade, want 7 MSCA", d)
	}
	// The subscriber saw v2.
	if v := nextSpecVersion(t, ctx, versions); v != 2 {
		t.Errorf("state_subscribeRuntimeVersion's next notification: spec_version %d, want 2", v)
	}

	// Figures: the enactment block and the first block under v2.
	upgradeFigures(t, n, e)

	// 3. Refusals: the chain goes on under v2 and Sudid names the error.
	other := filepath.Join(bl.dir, "relay-othername.wasm.zst")
	writeRenamed(t, bl.v2, other, "mars-other", 3)
	junk := filepath.Join(bl.dir, "not-wasm.bin")
	if err := os.WriteFile(junk, []byte("this is not a wasm runtime, just some bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknownImport := filepath.Join(bl.dir, "unknown-import.wasm")
	if err := os.WriteFile(unknownImport, unknownImportModule(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, file, want string }{
		{"the same v2 blob again", bl.v2, "SpecVersionNeedsToIncrease"},
		{"the v1 blob (lower version)", v1File, "SpecVersionNeedsToIncrease"},
		{"a runtime with another spec name", other, "InvalidSpecName"},
		{"bytes that are not wasm", junk, "FailedToExtractRuntimeVersion"},
		{"a runtime whose Core_version traps", bl.trap, "FailedToExtractRuntimeVersion"},
		{"a module importing an unknown host function", unknownImport, "FailedToExtractRuntimeVersion"},
	} {
		b0, _, err := n.best(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, err := marsdCLI(ctx, "tx", "sudo", "set-code", "--rpc", n.rpcWS, "--from", "//Alice", "--wait", "in-block", c.file)
		if err == nil || !strings.Contains(out, "sudo:      inner call failed: System."+c.want) {
			t.Errorf("set-code %s: want the inner call to fail with %s; exit %v:\n%s", c.what, c.want, err, out)
			continue
		}
		if _, err := n.waitBlock(ctx, b0+3, 20*time.Second); err != nil {
			t.Errorf("after set-code %s the chain stalls: %v", c.what, err)
		}
		if v, err := n.specVersionAt(ctx, ""); err != nil || v != 2 {
			t.Errorf("after set-code %s: spec_version %d, %v", c.what, v, err)
		}
		t.Logf("refused %s: %s", c.what, c.want)
	}
	if code, err := n.storage(ctx, []byte(":code"), ""); err != nil || !bytes.Equal(code, mustRead(t, bl.v2)) {
		t.Errorf(":code after the refusals is not v2 (%d bytes, %v)", len(code), err)
	}
	for _, l := range n.log.grep(regexp.MustCompile(`level=ERROR`)) {
		t.Errorf("error in the node's log: %s", l)
	}

	// 4. Restart on the same base path: the blocks before and after the
	// upgrade are read back, and the chain continues under v2.
	w.close()
	if err := n.stop(syscall.SIGINT, 15*time.Second); err != nil {
		t.Fatalf("SIGINT: %v", err)
	}
	sm, err := n.waitLog(ctx, reStopped, 0, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	stopped := atoi(t, sm[1])
	n2 := startNode(ctx, t, "upgrade-restarted", opts)
	if _, err := n2.waitBlock(ctx, stopped+3, 20*time.Second); err != nil {
		t.Fatalf("restarted node does not author past #%d: %v", stopped, err)
	}
	for _, num := range []uint64{1, e - 1, e, e + 1, stopped, stopped + 1} {
		h, err := n2.blockHash(ctx, num)
		if err != nil {
			t.Fatalf("block #%d after the restart: %v", num, err)
		}
		var b block
		if err := n2.callInto(ctx, &b, "chain_getBlock", h); err != nil || b.Block.Header.num() != num {
			t.Errorf("chain_getBlock #%d after the restart: %v (%+v)", num, err, b.Block.Header)
		}
	}
	if h := mustHash(t, n2, e); h != enact {
		t.Errorf("enactment block #%d after the restart is %s, was %s", e, h, enact)
	}
	for _, c := range []struct {
		at   string
		want uint32
	}{{mustHash(t, n2, e-1), 1}, {mustHash(t, n2, e+1), 2}, {"", 2}} {
		if v, err := n2.specVersionAt(ctx, c.at); err != nil || v != c.want {
			t.Errorf("after the restart, spec_version at %q: %d, %v; want %d", c.at, v, err, c.want)
		}
	}
	if lines := n2.log.grep(regexp.MustCompile(`Balances: migrated storage version`)); len(lines) != 0 {
		t.Errorf("the migration ran again after the restart: %q", lines)
	}
	for _, l := range n2.log.grep(regexp.MustCompile(`level=ERROR`)) {
		t.Errorf("error in the restarted node's log: %s", l)
	}
}

// nextSpecVersion waits for the next state_runtimeVersion notification.
func nextSpecVersion(t *testing.T, ctx context.Context, ch chan json.RawMessage) uint32 {
	t.Helper()
	select {
	case raw, ok := <-ch:
		if !ok {
			t.Fatal("runtime version subscription closed")
		}
		var v struct {
			SpecVersion uint32 `json:"specVersion"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("runtime version notification %s: %v", raw, err)
		}
		return v.SpecVersion
	case <-time.After(20 * time.Second):
		t.Fatal("no runtime version notification within 20 s")
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	return 0
}

var (
	reLogTime = regexp.MustCompile(`^time=(\S+)`)
	reTook    = regexp.MustCompile(`\btook=(\S+)`)
)

// upgradeFigures logs how long the upgrade took the node: the time between
// the "authored block" lines of the enactment block #e and of #e+1 (the
// first under v2, which runs the migration), and each block's build time.
func upgradeFigures(t *testing.T, n *node, e uint64) {
	at := func(num uint64) (time.Time, string) {
		for _, l := range n.log.grep(reAuthor) {
			if m := reAuthor.FindStringSubmatch(l); m != nil && m[1] == itoa(num) {
				tm, _ := time.Parse(time.RFC3339Nano, reLogTime.FindStringSubmatch(l)[1])
				took := ""
				if m := reTook.FindStringSubmatch(l); m != nil {
					took = m[1]
				}
				return tm, took
			}
		}
		return time.Time{}, ""
	}
	_, tookP := at(e - 1)
	te, tookE := at(e)
	tn, tookN := at(e + 1)
	tn2, tookN2 := at(e + 2)
	if te.IsZero() || tn.IsZero() {
		t.Logf("figures: no authored-block lines for #%d/#%d", e, e+1)
		return
	}
	t.Logf("FIGURE upgrade: #%d (v1, before) took %s; #%d (enacts set_code) took %s; #%d (first under v2, migration) took %s, authored %s after #%d; #%d took %s (%s after #%d)",
		e-1, tookP, e, tookE, e+1, tookN, tn.Sub(te).Round(time.Millisecond), e, e+2, tookN2, tn2.Sub(tn).Round(time.Millisecond), e+1)
	for _, l := range n.log.grep(regexp.MustCompile(`compiling it ahead|ahead-of-time`)) {
		t.Logf("FIGURE node log: %s", l)
	}
}

// writeRenamed writes a copy of the blob in whose runtime_version custom
// section the spec name and version are replaced: a runtime that claims to
// be another chain's (set_code reads the section without running the code).
func writeRenamed(t *testing.T, in, out, specName string, specVersion uint32) {
	t.Helper()
	raw := decompressBlob(t, mustRead(t, in))
	var patched []byte
	found := false
	err := walkSections(raw, func(id byte, body []byte) []byte {
		if id != 0 {
			return nil
		}
		nlen, k := binary.Uvarint(body)
		if k <= 0 || uint64(len(body)-k) < nlen || string(body[k:k+int(nlen)]) != "runtime_version" {
			return nil
		}
		v, err := types.DecodeRuntimeVersion(body[k+int(nlen):])
		if err != nil {
			t.Fatalf("runtime_version section: %v", err)
		}
		v.SpecName, v.SpecVersion = specName, specVersion
		found = true
		return customSection("runtime_version", scale.Encode(&v))
	}, &patched)
	if err != nil || !found {
		t.Fatalf("patching %s: found %v, %v", in, found, err)
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	prefix := []byte{0x52, 0xBC, 0x53, 0x76, 0x46, 0xDB, 0x8E, 0x05}
	if err := os.WriteFile(out, enc.EncodeAll(patched, prefix), 0o644); err != nil {
		t.Fatal(err)
	}
}

func decompressBlob(t *testing.T, b []byte) []byte {
	t.Helper()
	prefix := []byte{0x52, 0xBC, 0x53, 0x76, 0x46, 0xDB, 0x8E, 0x05}
	if !bytes.HasPrefix(b, prefix) {
		return b
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	raw, err := dec.DecodeAll(b[len(prefix):], nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// walkSections copies a wasm module section by section into *out; f may
// return a replacement for a whole section (id, size and body) or nil.
func walkSections(wasm []byte, f func(id byte, body []byte) []byte, out *[]byte) error {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return fmt.Errorf("not a wasm module")
	}
	*out = append((*out)[:0], wasm[:8]...)
	for p := 8; p < len(wasm); {
		id := wasm[p]
		size, n := binary.Uvarint(wasm[p+1:])
		if n <= 0 || p+1+n+int(size) > len(wasm) {
			return fmt.Errorf("bad section at %d", p)
		}
		body := wasm[p+1+n : p+1+n+int(size)]
		if r := f(id, body); r != nil {
			*out = append(*out, r...)
		} else {
			*out = append(*out, wasm[p:p+1+n+int(size)]...)
		}
		p += 1 + n + int(size)
	}
	return nil
}

// customSection encodes a custom section (id 0).
func customSection(name string, payload []byte) []byte {
	body := binary.AppendUvarint(nil, uint64(len(name)))
	body = append(append(body, name...), payload...)
	return append(binary.AppendUvarint([]byte{0}, uint64(len(body))), body...)
}

// unknownImportModule is a minimal wasm module that imports a host
// function no node provides (env.ext_mars_nonexistent_version_1) and claims,
// in its runtime_version section, to be mars-relay v100: the version is
// readable without running it, so only the import check can refuse it.
func unknownImportModule() []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, 1, 4, 1, 0x60, 0, 0) // type section: one func () -> ()
	imp := []byte{1}                   // one import
	imp = append(imp, 3)
	imp = append(imp, "env"...)
	name := "ext_mars_nonexistent_version_1"
	imp = append(imp, byte(len(name)))
	imp = append(imp, name...)
	imp = append(imp, 0, 0) // func, type 0
	m = append(m, 2, byte(len(imp)))
	m = append(m, imp...)
	v := relay.Version()
	v.SpecVersion = 100
	return append(m, customSection("runtime_version", scale.Encode(&v))...)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUpgradeWithoutChecksAheadOfTime enacts v2 with
// Sudo.sudo(System.set_code_without_checks): no version check compiles the
// new runtime inside the enactment block, so the node's ahead-of-time
// compilation (started when it imports that block) is what the first block
// under v2 waits for. It logs the figures and checks that the upgrade and
// its migration happen all the same.
func TestUpgradeWithoutChecksAheadOfTime(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a runtime and runs a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bl := buildUpgradeBlobs(t)
	n := startNode(ctx, t, "upgrade-no-checks", nodeOpts{})
	if _, err := n.waitBlock(ctx, 2, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	ci, err := n.chainInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := n.dialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code := mustRead(t, bl.v2)
	e := scale.NewEncoder(len(code) + 8)
	e.PutU8(relay.IndexSudo)
	e.PutU8(0) // Sudo.sudo
	e.PutU8(relay.IndexSystem)
	e.PutU8(3) // System.set_code_without_checks
	e.PutBytes(code)
	sts, err := watch(ctx, w, signImmortal(ci, pair(t, "//Alice"), e.Bytes(), 0), 60*time.Second)
	if err != nil {
		t.Fatalf("sudo(set_code_without_checks): %s, %v", statusKinds(sts), err)
	}
	var enact string
	for _, s := range sts {
		if s.kind == "inBlock" {
			enact = s.hash
		}
	}
	if enact == "" {
		t.Fatalf("never in a block: %s", statusKinds(sts))
	}
	eh, err := n.getHeader(ctx, enact)
	if err != nil {
		t.Fatal(err)
	}
	num := eh.num()
	if _, err := n.waitBlock(ctx, num+2, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if v, err := n.specVersionAt(ctx, mustHash(t, n, num+1)); err != nil || v != 2 {
		t.Errorf("spec_version at #%d: %d, %v; want 2", num+1, v, err)
	}
	marker, err := n.storage(ctx, migrationMarkerKey, "")
	if err != nil || len(marker) != 4 || uint64(binary.LittleEndian.Uint32(marker)) != num+1 {
		t.Errorf("migration marker: %x, %v; want block #%d", marker, err, num+1)
	}
	upgradeFigures(t, n, num)
}
