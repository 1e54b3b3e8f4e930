//go:build relayv2

package relay

import (
	"strconv"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/types"
)

// v2 of the relay runtime, from the same source with the build tag relayv2
// (`marsd runtime build --tags relayv2 --out FILE`): spec_version
// SpecVersion+1 and one storage migration, so that a forkless upgrade
// v1 → v2 has an effect one can see over RPC.
//
// Everything v2 changes is in this file, applied by its init (which runs
// after theRuntime = New()): there is deliberately no `!relayv2`
// counterpart, because the Go linker lists every compiled file of a package
// in the binary's file table, so any extra file (even one holding a single
// constant) would change the default blob's bytes.
//
// The migration (balancesV2.OnRuntimeUpgrade) bumps Balances' storage
// version 1 → 2 (twox128("Balances") ++ twox128(":__STORAGE_VERSION__:"),
// u16 LE) and records the block that ran it under MigrationKey (u32 LE).
// It runs once: the executive calls OnRuntimeUpgrade only in the first
// block whose System.LastRuntimeUpgrade differs from this version, and the
// migration itself does nothing unless the stored storage version is below
// 2 (a chain started from a v2 genesis already has 2).
const SpecVersionV2 = SpecVersion + 1

// MigrationKey is where the v2 migration records the number of the block
// that ran it: twox128("Balances") ++ twox128("MigratedToV2At").
var MigrationKey = frame.Prefix(balances.PalletName, "MigratedToV2At")

// migrationWeight is what the migration declares: 1 read and 2 writes at
// Substrate's RocksDbWeight (25 µs per read, 100 µs per write).
var migrationWeight = types.Weight{RefTime: 1*25_000_000 + 2*100_000_000}

func init() { theRuntime = withV2Migrations(theRuntime) }

// balancesV2 is the Balances pallet with its v2 storage version and the
// migration to it; every other hook and description is Balances' own.
type balancesV2 struct{ *balances.Pallet }

// StorageVersion is the in-code storage version (genesis writes it).
func (balancesV2) StorageVersion() uint16 { return 2 }

// OnRuntimeUpgrade migrates Balances storage v1 → v2.
func (b balancesV2) OnRuntimeUpgrade(ctx *frame.Context) types.Weight {
	onChain := frame.GetStorageVersion(ctx, balances.PalletName)
	if onChain >= 2 {
		ctx.Log(abi.LogInfo, "runtime::migration", "Balances: storage version already 2, nothing to migrate")
		return types.Weight{RefTime: 25_000_000}
	}
	n := ctx.BlockNumber()
	frame.SetStorageVersion(ctx, balances.PalletName, 2)
	ctx.StorageSet(MigrationKey, []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)})
	ctx.Log(abi.LogInfo, "runtime::migration", "Balances: migrated storage version 1 -> 2 in block "+
		strconv.FormatUint(uint64(n), 10)+", weight ref_time "+strconv.FormatUint(migrationWeight.RefTime, 10))
	return migrationWeight
}

// withV2Migrations recomposes the runtime New built with the v2 Balances
// (same pallets, same indices, same limits and payment): the frame runtime
// finds OnRuntimeUpgrade on registered pallets, and its configuration is
// fixed at construction, so v2 registers the same pallet objects again.
func withV2Migrations(old *Runtime) *Runtime {
	v := Version()
	v.SpecVersion = SpecVersionV2
	rt := frame.NewRuntime(frame.Config{Version: v, Limits: *old.Limits()})
	r := *old
	r.Runtime = rt
	for _, ip := range old.Pallets() {
		p := ip.Pallet
		if ip.Index == IndexBalances {
			p = balancesV2{Pallet: old.Balances}
		}
		rt.Register(ip.Index, p)
	}
	rt.SetPayment(old.TransactionPayment)
	return &r
}
