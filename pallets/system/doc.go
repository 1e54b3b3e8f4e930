// Package system is frame_system for MSC runtimes: accounts with their
// nonce and reference counts (System.Account, holding the balances'
// AccountData as Substrate relay chains do), the per-block bookkeeping the
// executive needs (number, parent hash, digest, block hashes, events and
// topics, extrinsic data, block weight and length), runtime upgrades
// (set_code with spec name/version checks, or authorize_upgrade then
// apply_authorized_upgrade, which anyone may submit as a bare extrinsic;
// LastRuntimeUpgrade), and the root-only storage calls.
//
// *Pallet implements frame.System; register it at index 0. Other pallets
// reach it only through interfaces they declare (see
// /work/coord/frame-api.md for the account methods balances uses).
package system
