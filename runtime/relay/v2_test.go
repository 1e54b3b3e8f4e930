//go:build relayv2

package relay

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
)

// These tests run only in the v2 build: go test -tags relayv2 -run TestV2
// ./runtime/relay/ (the v1 tests assert v1's version and fail in that build,
// as they should). tests/e2e exercises the WASM v2 against a live v1 chain.

// TestV2Composition: v2 is v1's pallets at v1's indices, with its version
// raised and its metadata complete.
func TestV2Composition(t *testing.T) {
	v1, v2 := New(), Default()
	if got := v2.Version().SpecVersion; got != SpecVersion+1 || v2.Version().SpecName != SpecName {
		t.Fatalf("v2 version %s v%d", v2.Version().SpecName, got)
	}
	a, b := v1.Pallets(), v2.Pallets()
	if len(a) != len(b) {
		t.Fatalf("%d pallets in v1, %d in v2", len(a), len(b))
	}
	for i := range a {
		if a[i].Index != b[i].Index || a[i].Pallet.Name() != b[i].Pallet.Name() {
			t.Errorf("pallet %d: v1 %s@%d, v2 %s@%d", i, a[i].Pallet.Name(), a[i].Index, b[i].Pallet.Name(), b[i].Index)
		}
	}
	if _, missing := v2.Metadata(); len(missing) > 0 {
		t.Errorf("v2 metadata misses %v", missing)
	}
	if err := v2.Validate(); err != nil {
		t.Error(err)
	}
}

// TestV2Migration: on a chain whose storage is v1's (Balances storage
// version 1, LastRuntimeUpgrade v1) the first v2 block migrates Balances to
// storage version 2 and records its number; later blocks, and a new
// LastRuntimeUpgrade mismatch with the storage already at 2, do nothing.
func TestV2Migration(t *testing.T) {
	rt := Default()
	cfg, ok := Preset(PresetDevelopment)
	if !ok {
		t.Fatal("no development preset")
	}
	env := frametest.New(t, rt.Runtime).Genesis(string(cfg))
	if v := frame.GetStorageVersion(env.Ctx, balances.PalletName); v != 2 {
		t.Fatalf("v2 genesis writes Balances storage version %d, want 2", v)
	}
	// Make it look like a chain that ran v1.
	frame.SetStorageVersion(env.Ctx, balances.PalletName, 1)
	rt.System.SetLastRuntimeUpgrade(env.Ctx, SpecVersion, SpecName)

	env.StartBlock()
	if v := frame.GetStorageVersion(env.Ctx, balances.PalletName); v != 2 {
		t.Fatalf("after the upgrade block's initialization Balances storage version %d", v)
	}
	if m, ok := env.Host.StorageGet(MigrationKey); !ok || !bytes.Equal(m, []byte{1, 0, 0, 0}) {
		t.Fatalf("migration marker %x %v, want block 1", m, ok)
	}
	if sv, name, ok := rt.System.LastRuntimeUpgrade(env.Ctx); !ok || sv != SpecVersionV2 || name != SpecName {
		t.Fatalf("LastRuntimeUpgrade %s v%d %v", name, sv, ok)
	}
	now := uint64(0)
	finish := func() {
		now += 1000
		for _, xt := range rt.InherentExtrinsics(env.Ctx, timestamp.InherentData(now)) {
			if r := env.Apply(xt); r.Invalid != nil || r.DispatchErr != nil {
				t.Fatalf("inherent: %+v %+v", r.Invalid, r.DispatchErr)
			}
		}
		env.FinishBlock()
	}
	finish()
	env.StartBlock()
	finish()
	if m, _ := env.Host.StorageGet(MigrationKey); !bytes.Equal(m, []byte{1, 0, 0, 0}) {
		t.Fatalf("migration ran again: marker %x", m)
	}
	// Another version change with the storage already migrated: no-op.
	rt.System.SetLastRuntimeUpgrade(env.Ctx, SpecVersion, SpecName)
	env.StartBlock()
	finish()
	if m, _ := env.Host.StorageGet(MigrationKey); !bytes.Equal(m, []byte{1, 0, 0, 0}) {
		t.Fatalf("migration re-ran on migrated storage: marker %x", m)
	}
}
