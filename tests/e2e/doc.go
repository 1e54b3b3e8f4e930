// Package e2e runs the real marsd binary and checks what a user of a dev
// node sees (issue "Dev node").
//
// TestMain builds ./cmd/marsd once into a temporary folder. Each test starts
// its own `marsd dev` process(es) on 127.0.0.1 with --rpc-port 0 and a
// t.TempDir() base path (or none, for the temporary-path case), waits for the
// `msg="node running" ... rpc=ws://...` log line with a deadline, talks
// JSON-RPC over HTTP (net/http) and WebSocket (github.com/coder/websocket),
// signs transactions with host/keystore and host/txbuilder, and stops the
// process itself: SIGINT where a clean stop is under test, SIGKILL in
// t.Cleanup and in the crash scenario.
//
// Nothing waits on a fixed sleep: every wait polls with a short interval up
// to a deadline, and every test runs under its own context deadline. A
// node's stderr is kept and printed when its test fails.
//
// Scenarios:
//   - TestDevTemporaryBasePath: a fresh `marsd dev` authors blocks within
//     15 s, and its temporary folder is removed on SIGINT.
//   - TestTransferWatched: //Alice → //Bob 1 MSCA with
//     author_submitAndWatchExtrinsic: ready → inBlock → finalized, exact
//     balance and nonce changes, a Balances.Transfer event in the block.
//   - TestRestartContinues: SIGINT and restart on the same --base-path keep
//     the chain (best number, hashes, balances) and authoring resumes.
//   - TestKill9Recovery: SIGKILL while authoring with transfers in flight;
//     the restarted node serves a fully committed best block and goes on.
//   - TestBadInput: malformed and invalid submissions, oversized requests,
//     unknown methods and a subscription flood get clear errors, pipelined
//     subscriptions all deliver, and the node keeps authoring.
//
// Run: go test ./tests/e2e/ -count=1 -v (about a minute). Set
// MARSD_E2E_BIN to use a prebuilt binary instead of building one.
package e2e
