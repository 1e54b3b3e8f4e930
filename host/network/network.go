package network

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/metrics"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

// Config configures a Network.
type Config struct {
	BasePath    string   // node key lives under BasePath/network; empty: a fresh key each start
	ListenAddrs []string // multiaddrs; default /ip4/127.0.0.1/tcp/0 and /ip4/127.0.0.1/udp/0/quic-v1
	Bootnodes   []string // multiaddrs ending in /p2p/<peer id>
	GenesisHash types.Hash
	Roles       wire.Roles
	MDNS        bool
	NoDHT       bool
	MaxPeers    int // default 50
	Logger      *slog.Logger
}

// validateQueue is how many received gossip messages wait for validation
// before pubsub drops new ones (see gossip.go).
const validateQueue = 16384

// DefaultListenAddrs are used when Config.ListenAddrs is empty.
var DefaultListenAddrs = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}

// Network is a running libp2p node speaking MSC's protocols.
type Network struct {
	cfg       Config
	log       *slog.Logger
	host      host.Host
	eng       *engine
	rep       *reputation
	bw        *byteCounter
	kad       *dht.IpfsDHT // nil when NoDHT
	ps        *pubsub.PubSub
	lan       *lanDiscovery // nil unless MDNS
	bootnodes []peer.AddrInfo
	prefix    string // /mars/<genesis hex>

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	topics map[string]*Topic // guarded by mu
	closed bool              // guarded by mu
}

// New starts a node: it loads or creates the node key, listens, and
// starts discovery (bootnodes, Kademlia, mDNS if asked). ctx bounds the
// start-up only; the node runs until Close.
func New(ctx context.Context, cfg Config, b Backend) (*Network, error) {
	if b == nil {
		return nil, errors.New("network: nil Backend")
	}
	quietLibp2p()
	if cfg.MaxPeers <= 0 {
		cfg.MaxPeers = 50
	}
	if len(cfg.ListenAddrs) == 0 {
		cfg.ListenAddrs = DefaultListenAddrs
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "network")
	key, err := loadOrCreateKey(cfg.BasePath)
	if err != nil {
		return nil, err
	}
	listen := make([]ma.Multiaddr, 0, len(cfg.ListenAddrs))
	for _, s := range cfg.ListenAddrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("network: listen address %q: %w", s, err)
		}
		listen = append(listen, a)
	}
	boots := make([]peer.AddrInfo, 0, len(cfg.Bootnodes))
	for _, s := range cfg.Bootnodes {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, fmt.Errorf("network: bootnode %q: %w", s, err)
		}
		boots = append(boots, *ai)
	}
	rep := newReputation(time.Now, defaultBanDuration)
	rm, err := newResourceManager(cfg.MaxPeers)
	if err != nil {
		return nil, err
	}
	cm, err := connmgr.NewConnManager(cfg.MaxPeers*3/4, cfg.MaxPeers, connmgr.WithGracePeriod(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("network: connection manager: %w", err)
	}
	bw := &byteCounter{BandwidthCounter: metrics.NewBandwidthCounter()}
	h, err := libp2p.New(
		libp2p.Identity(key),
		// Listen only once our handlers are registered (below), so that
		// no early peer finds our protocols missing.
		libp2p.NoListenAddrs,
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		libp2p.ConnectionManager(cm),
		libp2p.ResourceManager(rm),
		libp2p.ConnectionGater(gater{rep}),
		libp2p.BandwidthReporter(bw),
		libp2p.Ping(true),
		libp2p.DisableRelay(),
		libp2p.UserAgent("marsd"),
	)
	if err != nil {
		_ = rm.Close()
		_ = cm.Close()
		return nil, fmt.Errorf("network: starting libp2p: %w", err)
	}
	nctx, cancel := context.WithCancel(context.Background())
	n := &Network{
		cfg: cfg, log: log, host: h, rep: rep, bw: bw, bootnodes: boots,
		prefix: "/mars/" + cfg.GenesisHash.Hex()[2:],
		ctx:    nctx, cancel: cancel,
		topics: make(map[string]*Topic),
	}
	n.eng = newEngine(p2pTransport{h}, b, cfg.GenesisHash, log, rep)
	n.eng.roles = cfg.Roles
	n.eng.onReady = func(p string) {
		// Peers of our chain outrank DHT-only connections when the
		// connection manager trims.
		if id, err := peer.Decode(p); err == nil {
			h.ConnManager().TagPeer(id, "mars-peer", 100)
		}
	}
	h.Network().Notify(n.notifiee())
	if err := h.Network().Listen(listen...); err != nil {
		n.cancel()
		n.eng.close()
		_ = h.Close()
		return nil, fmt.Errorf("network: listening on %v: %w", cfg.ListenAddrs, err)
	}
	if err := n.startServices(ctx); err != nil {
		_ = n.Close()
		return nil, err
	}
	// Peers that connected before the notifiee was registered.
	for _, p := range h.Network().Peers() {
		n.eng.connected(p.String())
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.discover()
	}()
	log.Info("network started", "peer_id", h.ID().String(), "addrs", n.Addrs())
	return n, nil
}

// startServices starts gossipsub, the DHT and mDNS.
func (n *Network) startServices(ctx context.Context) error {
	ps, err := pubsub.NewGossipSub(n.ctx, n.host,
		pubsub.WithPeerScore(n.peerScoreParams(), peerScoreThresholds()),
		pubsub.WithMaxMessageSize(maxGossipMessage+64<<10), // room for the signed envelope
		pubsub.WithPeerExchange(false),
		// Our own messages (votes, transactions) go to every topic peer at
		// once rather than through the mesh: lower latency for what the node
		// originates; relaying still follows the mesh.
		pubsub.WithFloodPublish(true),
		pubsub.WithValidateQueueSize(validateQueue),
		pubsub.WithMessageSignaturePolicy(pubsub.StrictSign),
	)
	if err != nil {
		return fmt.Errorf("network: gossipsub: %w", err)
	}
	n.ps = ps
	if !n.cfg.NoDHT {
		kad, err := dht.New(n.host,
			dht.Mode(dht.ModeServer),
			dht.ProtocolPrefix(protocol.ID(n.prefix)),
			dht.DisableProviders(),
			dht.DisableValues(),
			dht.BootstrapPeers(n.bootnodes...),
			dht.RoutingTableRefreshPeriod(time.Minute),
		)
		if err != nil {
			return fmt.Errorf("network: kademlia: %w", err)
		}
		n.kad = kad
		if err := kad.Bootstrap(ctx); err != nil {
			return fmt.Errorf("network: kademlia bootstrap: %w", err)
		}
	}
	if n.cfg.MDNS {
		lan, err := startLANDiscovery(n)
		if err != nil {
			return fmt.Errorf("network: mdns: %w", err)
		}
		n.lan = lan
	}
	return nil
}

// Close stops the node and waits for its goroutines.
func (n *Network) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	n.mu.Unlock()
	n.cancel()
	var errs []error
	if n.lan != nil {
		errs = append(errs, n.lan.close())
	}
	if n.kad != nil {
		errs = append(errs, n.kad.Close())
	}
	n.eng.close()
	errs = append(errs, n.host.Close())
	n.wg.Wait()
	return errors.Join(errs...)
}

// ID returns our peer ID.
func (n *Network) ID() string { return n.host.ID().String() }

// Addrs returns our listen addresses with /p2p/<id>, ready for --bootnodes.
func (n *Network) Addrs() []string {
	ais, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: n.host.ID(), Addrs: n.host.Addrs()})
	if err != nil {
		return nil
	}
	out := make([]string, len(ais))
	for i, a := range ais {
		out[i] = a.String()
	}
	return out
}

// Peers lists the peers with a completed handshake.
func (n *Network) Peers() []PeerInfo { return n.eng.peerInfos() }

// AnnounceBlock sends h to every peer with a completed handshake.
func (n *Network) AnnounceBlock(h types.Header, isBest bool) { n.eng.announceBlock(h, isBest) }

// Announces delivers the announcements peers send. It is bounded: when the
// consumer lags, announcements are dropped and counted (State's
// "announcesDropped").
func (n *Network) Announces() <-chan Announce { return n.eng.announces }

// RequestBlocks asks peer for blocks. Without a deadline in ctx the
// request times out after 20 s. A malformed or mismatched response is an
// error and costs the peer its reputation.
func (n *Network) RequestBlocks(ctx context.Context, peer string, req wire.BlockRequest) (wire.BlockResponse, error) {
	return n.eng.requestBlocks(ctx, peer, req)
}

// RequestState asks peer for a run of state entries.
func (n *Network) RequestState(ctx context.Context, peer string, req wire.StateRequest) (wire.StateResponse, error) {
	return n.eng.requestState(ctx, peer, req)
}

// RequestWarp asks peer for warp-sync fragments.
func (n *Network) RequestWarp(ctx context.Context, peer string, req wire.WarpRequest) (wire.WarpResponse, error) {
	return n.eng.requestWarp(ctx, peer, req)
}

// Report changes peer's reputation by delta (negative is bad, see the Rep*
// constants); at BanThreshold or below the peer is disconnected and refused
// for a while.
func (n *Network) Report(peer string, delta int, reason string) { n.eng.report(peer, delta, reason) }

// BytesSent is the total of stream payload bytes sent to peers (all
// protocols; transport framing and encryption overhead excluded).
func (n *Network) BytesSent() uint64 { return n.bw.out.Load() }

// BytesReceived is the total of stream payload bytes received from peers.
func (n *Network) BytesReceived() uint64 { return n.bw.in.Load() }

// byteCounter keeps exact totals next to libp2p's bandwidth counter (whose
// totals are sampled once a second).
type byteCounter struct {
	*metrics.BandwidthCounter
	in, out atomic.Uint64
}

func (c *byteCounter) LogSentMessage(n int64) {
	c.out.Add(uint64(n))
	c.BandwidthCounter.LogSentMessage(n)
}

func (c *byteCounter) LogRecvMessage(n int64) {
	c.in.Add(uint64(n))
	c.BandwidthCounter.LogRecvMessage(n)
}

// State describes the node for system_networkState.
func (n *Network) State() map[string]any {
	listen := make([]string, 0)
	for _, a := range n.host.Network().ListenAddresses() {
		listen = append(listen, a.String())
	}
	external := make([]string, 0)
	for _, a := range n.host.Addrs() {
		external = append(external, a.String())
	}
	connected := make(map[string]any)
	for _, p := range n.Peers() {
		connected[p.ID] = map[string]any{
			"roles": rolesString(p.Roles), "bestHash": p.BestHash.Hex(), "bestNumber": p.BestNumber,
			"address": p.Addr, "reputation": p.Score,
		}
	}
	notConnected := make([]string, 0)
	for _, p := range n.host.Network().Peers() {
		if _, ok := connected[p.String()]; !ok {
			notConnected = append(notConnected, p.String())
		}
	}
	banned := n.rep.bannedPeers()
	if banned == nil {
		banned = []string{}
	}
	st := map[string]any{
		"peerId":             n.ID(),
		"listenedAddresses":  listen,
		"externalAddresses":  external,
		"connectedPeers":     connected,
		"otherConnections":   notConnected,
		"bannedPeers":        banned,
		"peerset":            map[string]any{"maxPeers": n.cfg.MaxPeers},
		"announcesDropped":   n.eng.announcesDropped.Load(),
		"announcesSendDrops": n.eng.sendDropped.Load(),
		"bytesSent":          n.BytesSent(),
		"bytesReceived":      n.BytesReceived(),
	}
	gossipDrops := make(map[string]uint64)
	n.mu.Lock()
	for name, t := range n.topics {
		gossipDrops[name] = t.dropped.Load()
	}
	n.mu.Unlock()
	st["gossipDropped"] = gossipDrops
	if n.kad != nil {
		st["kademliaRoutingTableSize"] = n.kad.RoutingTable().Size()
	}
	return st
}

func rolesString(r wire.Roles) string {
	switch {
	case r.IsAuthority():
		return "AUTHORITY"
	case r&wire.RoleLight != 0:
		return "LIGHT"
	default:
		return "FULL"
	}
}
