// Package sync brings a node's chain up to its peers' and keeps it there.
//
// It has two halves. Server answers the block, state and warp-proof
// requests of other nodes from a host/chain.Chain (the network calls it).
// Syncer is the client: given peers (their handshake Status), block
// announcements and a way to send requests, it downloads, verifies and
// imports blocks, and for --sync warp first downloads GRANDPA finality
// proofs of every authority-set change and the state of the latest
// finalized block.
//
// Why a package of its own: sync is where the node trusts peers least and
// where it has the most requests in flight, so its rules live in one place:
// every response is checked before anything is imported (blocks linked by
// parent hash, numbers consecutive, hashes equal to the headers', bodies
// equal to the extrinsics roots, state chunks in key order and hashing to the
// header's state root), blocks are imported strictly in order through
// chain.Import (which executes them), and every peer that sends garbage, a
// block that fails import, nothing for a range it announced, or no answer at
// all, is backed off from and the work re-requested from another peer. The
// network charges transport failures (undecodable responses, timeouts) to
// the peer's reputation itself; the Syncer reports what only it can see
// (inconsistent or invalid blocks, unserved announcements, bad
// justifications, warp proofs or state).
//
// Full sync works on a "line": the block our chain and the syncing peers
// share (found per peer by probing their header at our best number, then by
// binary search over numbers), from which consecutive ranges of up to 128
// blocks are requested by number from several peers at once, and imported in
// order as each next range arrives. A range whose first block does not link
// to what was imported before it came from a peer on another fork: that peer
// leaves the line (its ancestor is searched again) and the range goes to
// another one. A peer whose best forked from our chain below our best and is
// longer is followed from the fork point once no peer extends our own chain.
//
// An announced block whose parent we have is fetched by hash and imported at
// once, outside the line (one whose parent is being fetched that way waits
// for it): that is the steady state of a validator network, one request and
// one import per block.
//
// The package depends on the network, the chain and GRANDPA only through the
// interfaces of expected.go, which the node wires: host/ may not import
// consensus/, so justifications and warp fragments are verified by functions
// the node supplies. The only GRANDPA knowledge here is how to spot a
// ScheduledChange digest (internal/frnk), which the warp-proof server needs.
package sync
