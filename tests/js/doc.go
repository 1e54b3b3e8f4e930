// Package js runs the @polkadot/api conformance suite (api.test.mjs, run
// with `node --test`) against a fresh `marsd dev` node: the proof that the
// node and runtime work unchanged with the JavaScript tooling wallets use.
//
// js_test.go builds marsd, starts `marsd dev --rpc-port 0`, installs the
// pinned npm packages with `npm ci` when node_modules is missing, runs
// node with MSC_WS=ws://127.0.0.1:PORT and streams its output into the
// test log. node and npm must be on PATH (the test fails otherwise).
//
//	go test ./tests/js -v -count=1
//	MSC_MARSD_BIN=/path/to/marsd go test ./tests/js -v   # skip the go build
//	MSC_WS=ws://127.0.0.1:9944 node --test               # in tests/js, against a running node
//
// The npm dependencies are pinned exactly in package.json and
// package-lock.json: @polkadot/api 16.5.6, @polkadot/keyring 14.0.3,
// @polkadot/util-crypto 14.0.3 (see ../../shared/PROTOCOL.md §6).
package js
