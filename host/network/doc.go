// Package network is MSC's peer-to-peer layer: libp2p hosts that find each
// other, agree they are on the same chain, tell each other about blocks,
// serve blocks, state and warp proofs on request, and gossip transactions
// and GRANDPA votes.
//
// Why it looks the way it does (docs/adr/0006-network-protocols.md has the
// per-protocol reasoning):
//
//   - The protocol code (engine.go, reqresp.go) runs over a small transport
//     interface (transport.go): open a stream, handle a protocol, drop a
//     peer, with connection events flowing back. The node uses libp2p
//     (p2p.go); unit tests use an in-memory transport, so handshakes,
//     garbage, oversized frames and timeouts are tested without sockets.
//   - Every protocol name carries the genesis hash
//     (/mars/<genesis hex>/block-announces/1, /sync/2, /state/2,
//     /sync/warp, the Kademlia prefix, the gossip topics), so nodes of
//     different chains never mistake each other.
//   - Everything a peer sends is bounded before it is read (uvarint length
//     prefixes checked against per-message limits from package wire) and
//     decoded by fuzzed decoders. Bad data costs the sender reputation
//     (reputation.go); at BanThreshold it is disconnected and refused by the
//     connection gater for a while. Gossipsub's own peer score is fed by the
//     same reputation.
//   - The node key is a 32-byte ed25519 seed at
//     <BasePath>/network/secret_ed25519 (mode 0600), as Substrate keeps it,
//     so the peer ID (and bootnode addresses) survive restarts.
//
// Transports are TCP and QUIC, secured by Noise, multiplexed by yamux;
// identify and ping run on every connection; the connection manager and
// resource manager bound connections and streams. Discovery is bootnodes,
// Kademlia (server mode, also on loopback) and, when asked, multicast DNS.
//
// Importing this package silences libp2p's own logging unless
// GOLOG_LOG_LEVEL is set: the node reports what matters through the
// slog.Logger of its Config.
package network
