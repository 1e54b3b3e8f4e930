package node

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/network"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/rpc"
	hsync "github.com/metamars/mars/host/sync"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// NetworkConfig turns a node into a network peer: libp2p, block announces,
// sync and transaction gossip. Consensus engines (Aura, GRANDPA) live in
// consensus/ and are added by the binary as services over Node.Network.
type NetworkConfig struct {
	ListenAddrs []string // libp2p multiaddrs (default: loopback TCP and QUIC on free ports)
	Bootnodes   []string // multiaddrs ending in /p2p/<peer id> (the chain spec's are added)
	Authority   bool     // a validator (announced in the handshake's roles)
	MDNS        bool
	NoDHT       bool
	MaxPeers    int
	// Sync is "full" (default) or "warp".
	Sync string
	// VerifyJustification checks a GRANDPA justification received with a
	// block during sync; nil imports blocks without finalizing from them.
	VerifyJustification hsync.JustificationVerifier
	// WarpVerifier checks warp-proof fragments (required for Sync "warp").
	WarpVerifier hsync.WarpVerifier
}

// netParts is the running network side of a node.
type netParts struct {
	net     *network.Network
	syncer  *hsync.Syncer
	txs     *network.Topic
	gossipQ chan []byte // transactions to publish, in acceptance order
}

// startNetwork builds the network, the sync server and the syncer.
func (n *Node) startNetwork(ctx context.Context, nc *NetworkConfig) error {
	roles := wire.Roles(1)
	if nc.Authority {
		roles = 4
	}
	mode, err := hsync.ParseMode(nc.Sync)
	if err != nil {
		return err
	}
	boot := append(append([]string{}, n.cfg.Spec.BootNodes...), nc.Bootnodes...)
	nw, err := network.New(ctx, network.Config{
		BasePath: n.cfg.BasePath, ListenAddrs: nc.ListenAddrs, Bootnodes: boot,
		GenesisHash: n.chain.Genesis().Hash, Roles: roles, MDNS: nc.MDNS, NoDHT: nc.NoDHT,
		MaxPeers: nc.MaxPeers, Logger: n.log.With("target", "network"),
	}, hsync.NewServer(n.chain, roles))
	if err != nil {
		return err
	}
	p := &netParts{net: nw, gossipQ: make(chan []byte, 16384)}
	scfg := hsync.Config{
		Chain: n.chain, Network: syncNet{nw}, Mode: mode,
		VerifyJustification: nc.VerifyJustification, WarpVerifier: nc.WarpVerifier,
		Logger: n.log.With("target", "sync"),
	}
	if mode == hsync.ModeWarp {
		if nc.WarpVerifier == nil {
			nw.Close()
			return fmt.Errorf("node: --sync warp needs a warp-proof verifier")
		}
		if scfg.WarpGenesisSet, err = n.genesisAuthoritySet(ctx); err != nil {
			nw.Close()
			return err
		}
	}
	if p.syncer, err = hsync.New(scfg); err != nil {
		nw.Close()
		return err
	}
	if p.txs, err = nw.Join("transactions", n.validateGossipTx); err != nil {
		nw.Close()
		return err
	}
	n.net = p
	n.log.Info("network started", "peer_id", nw.ID(), "addrs", nw.Addrs(), "roles", roles, "sync", nc.Sync)
	n.AddService("sync", p.syncer.Run)
	n.AddService("network-feed", n.feedSync)
	n.AddService("announce", n.announceBlocks)
	n.AddService("tx-gossip", n.receiveTxs)
	n.AddService("tx-publish", n.publishTxs)
	if nc.VerifyJustification != nil {
		n.AddService("set-change-justifications", func(ctx context.Context) error {
			return n.fetchSetChangeJustifications(ctx, nc.VerifyJustification)
		})
	}
	return nil
}

// maxLagScan bounds how many unfinalized blocks are searched for a set
// change.
const maxLagScan = 1024

// fetchSetChangeJustifications repairs the one finality stall a voter
// cannot get out of by itself: it missed the commit that finalized a block
// enacting an authority-set change, so it still votes in the old set while
// everyone else votes (and commits) in the new one, which it cannot check.
// Every few seconds, while finality lags, it looks for the lowest
// unfinalized block carrying a ScheduledChange and asks peers for that
// block's justification (peers store one with every change block), checks
// it and finalizes; the voter then moves to the new set.
func (n *Node) fetchSetChangeJustifications(ctx context.Context, verify hsync.JustificationVerifier) error {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		fin, best := n.chain.Finalized(), n.chain.Best()
		if best.Number <= fin.Number+2 {
			continue
		}
		var target *types.Header
		for num := fin.Number + 1; num <= best.Number && num <= fin.Number+maxLagScan; num++ {
			h, ok := n.chain.HashByNumber(num)
			if !ok {
				break
			}
			hdr, err := n.chain.Header(h)
			if err != nil {
				break
			}
			if hsync.EnactsSetChange(hdr) {
				target = hdr
				break
			}
		}
		if target == nil {
			continue
		}
		n.requestJustification(ctx, target, verify)
	}
}

// requestJustification asks up to three peers for the justification of
// hdr and finalizes with the first that verifies.
func (n *Node) requestJustification(ctx context.Context, hdr *types.Header, verify hsync.JustificationVerifier) {
	h := hdr.Hash()
	asked := 0
	for _, p := range n.net.net.Peers() {
		if p.BestNumber < hdr.Number || asked == 3 {
			continue
		}
		asked++
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		resp, err := n.net.net.RequestBlocks(rctx, p.ID, wire.BlockRequest{Fields: wire.FieldJustification, FromHash: h, ByHash: true, Max: 1})
		cancel()
		if err != nil || len(resp.Blocks) != 1 || !resp.Blocks[0].HasJustification || resp.Blocks[0].Hash != h {
			continue // not finalized there yet, or no answer: not a fault
		}
		j := resp.Blocks[0].Justification
		if err := verify(h, hdr.Number, j); err != nil {
			n.net.net.Report(p.ID, network.RepInvalid, "invalid justification: "+err.Error())
			continue
		}
		if err := n.chain.Finalize(h, j); err != nil {
			n.log.Warn("finalizing a fetched set-change justification", "number", hdr.Number, "err", err)
			return
		}
		n.log.Info("finalized an authority-set change from a peer's justification", "number", hdr.Number, "hash", h, "peer", p.ID)
		return
	}
}

// genesisAuthoritySet reads the GRANDPA set at genesis, where warp proofs
// start.
func (n *Node) genesisAuthoritySet(ctx context.Context) (hsync.AuthoritySet, error) {
	set, err := n.GrandpaSet(ctx, n.chain.Genesis().Hash)
	if err != nil {
		return set, fmt.Errorf("node: genesis GRANDPA authorities: %w", err)
	}
	return set, nil
}

// GrandpaSet reads the GRANDPA authority set and its id in the state of
// block at (GrandpaApi_grandpa_authorities and _current_set_id).
func (n *Node) GrandpaSet(ctx context.Context, at types.Hash) (hsync.AuthoritySet, error) {
	out, err := n.chain.Call(ctx, at, "GrandpaApi_grandpa_authorities", nil)
	if err != nil {
		return hsync.AuthoritySet{}, err
	}
	d := scale.NewDecoder(out)
	cnt := d.Len(40)
	set := hsync.AuthoritySet{Authorities: make([]hsync.Authority, 0, cnt)}
	for i := 0; i < cnt && d.Err() == nil; i++ {
		set.Authorities = append(set.Authorities, hsync.Authority{ID: d.Fixed32(), Weight: d.U64()})
	}
	if err := d.Finish(); err != nil {
		return set, fmt.Errorf("GrandpaApi_grandpa_authorities: %w", err)
	}
	if out, err = n.chain.Call(ctx, at, "GrandpaApi_current_set_id", nil); err != nil {
		return set, err
	}
	d = scale.NewDecoder(out)
	set.ID = d.U64()
	if err := d.Finish(); err != nil {
		return set, fmt.Errorf("GrandpaApi_current_set_id: %w", err)
	}
	return set, nil
}

// feedSync tells the syncer about peers (polled: the network keeps each
// peer's status from its handshake and announces) and forwards announces.
func (n *Node) feedSync(ctx context.Context) error {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	ann := n.net.net.Announces()
	for {
		select {
		case <-ctx.Done():
			return nil
		case a, ok := <-ann:
			if !ok {
				return nil
			}
			n.net.syncer.Announce(hsync.PeerID(a.Peer), a.Msg)
		case <-t.C:
			peers := map[hsync.PeerID]wire.Status{}
			for _, p := range n.net.net.Peers() {
				peers[hsync.PeerID(p.ID)] = wire.Status{Roles: p.Roles, BestNumber: p.BestNumber, BestHash: p.BestHash, GenesisHash: n.chain.Genesis().Hash}
			}
			n.net.syncer.SetPeers(peers)
		}
	}
}

// announceBlocks announces every block that becomes our best, so peers
// fetch it at once (the steady-state path between validators).
func (n *Node) announceBlocks(ctx context.Context) error {
	events, unsub := n.chain.Subscribe()
	defer unsub()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events, unsub = n.chain.Subscribe()
				defer unsub()
				continue
			}
			if ev.Kind == chain.EventImported && ev.NewBest && ev.Header != nil {
				n.net.net.AnnounceBlock(*ev.Header, true)
			}
		}
	}
}

// broadcastTx queues a transaction this node accepted from a client for
// gossip. One goroutine publishes them in the order they were accepted:
// a sender's transactions arrive at peers nonce after nonce, instead of
// scrambled into "future" ones that can fill a peer's future queue while
// the ones they wait for are dropped.
func (n *Node) broadcastTx(ext []byte) {
	if n.net == nil {
		return
	}
	select {
	case n.net.gossipQ <- ext:
	default:
		n.log.Debug("transaction gossip queue full: not gossiping a transaction")
	}
}

// publishTxs drains the gossip queue in order.
func (n *Node) publishTxs(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ext := <-n.net.gossipQ:
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			if err := n.net.txs.Publish(pctx, ext); err != nil {
				n.log.Debug("transaction gossip", "err", err)
			}
			cancel()
		}
	}
}

// maxGossipTx bounds a gossiped transaction (the block length limit is
// larger, but no single transfer-like extrinsic comes near).
const maxGossipTx = 1 << 20

// validateGossipTx decides whether a gossiped transaction spreads: it must
// be a well-formed extrinsic the runtime accepts into our pool. Known or
// merely stale ones are ignored (the sender is not at fault); malformed
// ones and those the runtime calls invalid are rejected, which penalises
// the peer that relayed them.
func (n *Node) validateGossipTx(from string, data []byte) network.Verdict {
	if len(data) > maxGossipTx || checkFormat(data) != nil {
		return network.Reject
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := n.pool.Submit(ctx, types.SourceExternal, data); err != nil {
		// Whatever the runtime says of a well-formed transaction is
		// judged on OUR state: a peer a block ahead or behind, on another
		// fork or across a runtime upgrade (signatures commit to the spec
		// version) honestly relays transactions we refuse. Only malformed
		// bytes are the sender's fault.
		return network.Ignore
	}
	return network.Accept
}

// receiveTxs drains the accepted gossip (validation already pooled them).
func (n *Node) receiveTxs(ctx context.Context) error {
	msgs := n.net.txs.Messages()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-msgs:
			if !ok {
				return nil
			}
		}
	}
}

// Network is the node's network (nil for a dev node).
func (n *Node) Network() *network.Network {
	if n.net == nil {
		return nil
	}
	return n.net.net
}

// RPC is the node's RPC server, for methods registered by the binary
// (grandpa_*). Register before Run.
func (n *Node) RPC() *rpc.Server { return n.rpc }

// syncNet adapts the network to the syncer's interface.
type syncNet struct{ n *network.Network }

func (s syncNet) RequestBlocks(ctx context.Context, p hsync.PeerID, req wire.BlockRequest) (wire.BlockResponse, error) {
	return s.n.RequestBlocks(ctx, string(p), req)
}

func (s syncNet) RequestState(ctx context.Context, p hsync.PeerID, req wire.StateRequest) (wire.StateResponse, error) {
	return s.n.RequestState(ctx, string(p), req)
}

func (s syncNet) RequestWarp(ctx context.Context, p hsync.PeerID, req wire.WarpRequest) (wire.WarpResponse, error) {
	return s.n.RequestWarp(ctx, string(p), req)
}

func (s syncNet) Report(p hsync.PeerID, delta int, reason string) {
	s.n.Report(string(p), delta, reason)
}

// rpcNetSystem is rpcSystem plus the network methods (system_peers, …).
type rpcNetSystem struct{ rpcSystem }

func (s *rpcNetSystem) nw() *network.Network { return s.n.net.net }

func (s *rpcNetSystem) Health() rpc.Health {
	return rpc.Health{Peers: len(s.nw().Peers()), IsSyncing: s.n.MajorSyncing(), ShouldHavePeers: true}
}

func (s *rpcNetSystem) LocalPeerID() string       { return s.nw().ID() }
func (s *rpcNetSystem) ListenAddresses() []string { return s.nw().Addrs() }

func (s *rpcNetSystem) NodeRoles() []string {
	if s.n.cfg.Network.Authority {
		return []string{"Authority"}
	}
	return []string{"Full"}
}

func (s *rpcNetSystem) SyncState() rpc.SyncState {
	start, cur, high := s.n.net.syncer.Status()
	if best := s.n.chain.Best().Number; best > cur {
		cur = best
	}
	if high < cur {
		high = cur
	}
	return rpc.SyncState{StartingBlock: start, CurrentBlock: cur, HighestBlock: high}
}

func (s *rpcNetSystem) Peers() []rpc.PeerInfo {
	var out []rpc.PeerInfo
	for _, p := range s.nw().Peers() {
		role := "FULL"
		if p.Roles&4 != 0 {
			role = "AUTHORITY"
		}
		out = append(out, rpc.PeerInfo{PeerID: p.ID, Roles: role, BestHash: p.BestHash, BestNumber: p.BestNumber})
	}
	return out
}

func (s *rpcNetSystem) ReservedPeers() []string { return []string{} }

func (s *rpcNetSystem) AddReservedPeer(addr string) error {
	return &rpc.Error{Code: 2002, Message: "reserved peers are not supported; pass --bootnodes"}
}

func (s *rpcNetSystem) RemoveReservedPeer(peerID string) error {
	return &rpc.Error{Code: 2002, Message: "reserved peers are not supported"}
}

// registerNetworkRPC adds system_networkState (unsafe, as in Substrate).
func (n *Node) registerNetworkRPC() error {
	return n.rpc.Register("system_networkState", func(_ context.Context, p rpc.Params) (any, error) {
		if err := p.Max(0); err != nil {
			return nil, err
		}
		return n.net.net.State(), nil
	}, rpc.Unsafe())
}

// AuxStore keeps consensus engines' own records (e.g. the GRANDPA voter's
// last round and votes) in the node's database, under db.PrefixAux.
type AuxStore struct{ kv db.Database }

func auxKey(k []byte) []byte { return append([]byte{db.PrefixAux}, k...) }

// Get returns the value under key (db.ErrNotFound if none).
func (a AuxStore) Get(key []byte) ([]byte, error) { return a.kv.Get(auxKey(key)) }

// Put stores value under key, durably.
func (a AuxStore) Put(key, value []byte) error { return a.kv.Put(auxKey(key), value) }

// Aux returns the node's auxiliary store.
func (n *Node) Aux() AuxStore { return AuxStore{n.kv} }

// SubmitLocal puts a transaction made by this node (e.g. an equivocation
// report) into the pool. It is not gossiped: such transactions are valid
// only from a local source (Substrate's propagate: false), so peers would
// refuse them; each validator reports what it saw itself.
func (n *Node) SubmitLocal(ctx context.Context, ext []byte) error {
	_, err := n.pool.Submit(ctx, types.SourceLocal, ext)
	return err
}

// MajorSyncing reports whether the node is far behind its peers (more than
// a few blocks), when a validator should not author on a stale head.
// "Its peers" is the median of the best blocks peers claim, as Substrate's
// median_seen: one peer claiming a huge best block (which nobody checks
// before it is served) must not stop every validator it talks to from
// authoring.
func (n *Node) MajorSyncing() bool {
	if n.net == nil {
		return false
	}
	return n.medianPeerBest() > n.chain.Best().Number+5
}

func (n *Node) medianPeerBest() uint32 {
	peers := n.net.net.Peers()
	if len(peers) == 0 {
		return 0
	}
	bests := make([]uint32, len(peers))
	for i, p := range peers {
		bests[i] = p.BestNumber
	}
	slices.Sort(bests)
	return bests[len(bests)/2]
}
