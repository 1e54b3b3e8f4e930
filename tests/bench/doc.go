// Package bench measures the dev-node throughput figures of issue "Dev
// node": MSC's `marsd dev` against go-ethereum's `geth --dev`, on the same
// machine in the same run, with the same load shape.
//
// For each node the driver
//
//   - starts it on loopback with a temporary data folder (marsd is built
//     with `go build` from this module; geth is installed once with
//     `go install github.com/ethereum/go-ethereum/cmd/geth@v1.16.7` into
//     os.UserCacheDir()/marsd-bench/geth-v1.16.7 and reused afterwards);
//   - funds K fresh sender accounts from the dev accounts (MSC: //Alice …
//     //Ferdie, one batch each; geth: the --dev developer account) and
//     waits until the funding is final;
//   - pre-signs M transfers a sender, each to a distinct fresh receiver
//     (MSC: Balances.transfer_keep_alive of 1 MSCA; geth: EIP-1559 value
//     transfers of 0.001 ETH), each sender with its own nonce sequence;
//   - reads the node's VmRSS (idle), then lets K goroutines, one WebSocket
//     connection each, submit their M transfers back to back (MSC:
//     author_submitAndWatchExtrinsic; geth: eth_sendRawTransaction) while
//     VmRSS is sampled every 100 ms;
//   - waits until every transfer is final (MSC: the "finalized" status;
//     geth: the block holding it announced by eth_subscribe newHeads) and
//     reports sustained tx/s = transfers final ÷ (last final − first
//     submit), the submit → in-block latency (median and p99, nearest
//     rank; MSC: the "inBlock" status, geth: the newHeads notification of
//     the block holding it), the blocks used, RSS idle, the largest VmRSS
//     sampled under load and VmHWM;
//   - checks every receiver's balance, then stops the node (SIGINT, then
//     SIGKILL after 20 s) and removes its folder.
//
// The MSC driver also follows chain_subscribeFinalizedHeads and reads each
// finalized block: the wait ends 3 s after every transfer is on chain, and
// a transfer whose watch subscription the node dropped (host/rpc drops a
// subscription when a connection's 64-message outgoing buffer overflows,
// which a block finalizing many watched transfers of one connection can
// do) takes its times from that block instead; the table's notes say how
// many. Every wait is bounded: 30 s without a new transfer on chain, or
// Config.LoadTimeout, ends it, and the missing transfers count as failed.
//
// The transfers-per-block line shows what bounds a block: geth --dev is
// gas-bound (about 550 transfers in its 11.5 M gas dev blocks), while MSC's
// count is what its author applies within its building budget (half the
// block time, consensus/manual), so it varies with the machine's load.
//
// Both nodes author a block every second (marsd --block-time 1s, geth
// --dev.period 1), so with small loads the figures are bounded by the block
// interval rather than by execution speed: the ratio says how the two
// nodes compare under the same small load, not their peak capacity.
//
// The geth driver speaks JSON-RPC through host/rpcclient and signs with
// go-ethereum's core/types and crypto: go-ethereum's ethclient cannot be
// built in this module as long as go.sum lacks its rpc package's
// dependencies (gorilla/websocket, deckarep/golang-set, shirou/gopsutil).
//
// # Running it
//
// The comparison is a tool, not a unit test: it runs only with MARS_BENCH=1.
// From the repository root:
//
//	MARS_BENCH=1 go test ./tests/bench/ -run TestDevThroughput -v -timeout 40m
//
// MARS_BENCH_SENDERS (K, default 8) and MARS_BENCH_TXS (M, default 100) set
// the load; MARS_BENCH_ONLY=msc or =geth runs one side. The same is
// available as a command:
//
//	go run ./tests/bench/cmd/devbench -senders 8 -txs 100
//
// The first run compiles geth (a few minutes on two cores); later runs reuse
// the cached binary. Without MARS_BENCH, `go test ./tests/bench/` runs only
// the unit tests of the helpers (percentiles, /proc status parsing, the
// figures and the table) and takes well under a second.
package bench
