package network

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	golog "github.com/ipfs/go-log/v2"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/gologshim"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/multiformats/go-multistream"
)

// p2pTransport is the transport over a libp2p host.
type p2pTransport struct{ h host.Host }

func (t p2pTransport) handle(proto string, h func(peer string, s stream)) {
	t.h.SetStreamHandler(protocol.ID(proto), func(s network.Stream) {
		h(s.Conn().RemotePeer().String(), s)
	})
}

func (t p2pTransport) open(ctx context.Context, p, proto string) (stream, error) {
	id, err := peer.Decode(p)
	if err != nil {
		return nil, fmt.Errorf("network: peer id %q: %w", p, err)
	}
	s, err := t.h.NewStream(ctx, id, protocol.ID(proto))
	if errors.Is(err, multistream.ErrNotSupported[protocol.ID]{}) {
		return nil, fmt.Errorf("%w: %w", errNotSupported, err)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (t p2pTransport) disconnect(p string) {
	if id, err := peer.Decode(p); err == nil {
		_ = t.h.Network().ClosePeer(id)
	}
}

func (t p2pTransport) remoteAddr(p string) string {
	id, err := peer.Decode(p)
	if err != nil {
		return ""
	}
	for _, c := range t.h.Network().ConnsToPeer(id) {
		return c.RemoteMultiaddr().String()
	}
	return ""
}

// notifiee forwards libp2p connection events to the engine.
func (n *Network) notifiee() network.Notifiee {
	return &network.NotifyBundle{
		ConnectedF: func(_ network.Network, c network.Conn) {
			// Called synchronously by the swarm: never block here.
			go n.eng.connected(c.RemotePeer().String())
		},
		DisconnectedF: func(nw network.Network, c network.Conn) {
			p := c.RemotePeer()
			if nw.Connectedness(p) != network.Connected {
				n.eng.disconnected(p.String())
			}
		},
	}
}

// gater refuses banned peers at every stage where their ID is known.
type gater struct{ rep *reputation }

func (g gater) InterceptPeerDial(p peer.ID) bool                 { return !g.rep.banned(p.String()) }
func (g gater) InterceptAddrDial(p peer.ID, _ ma.Multiaddr) bool { return !g.rep.banned(p.String()) }
func (g gater) InterceptAccept(network.ConnMultiaddrs) bool      { return true }
func (g gater) InterceptSecured(_ network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	return !g.rep.banned(p.String())
}
func (g gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// nodeKeyFile is where the node key lives under BasePath, as Substrate's.
const nodeKeyFile = "network/secret_ed25519"

// loadOrCreateKey reads the 32-byte ed25519 seed at
// <basePath>/network/secret_ed25519, creating it (mode 0600) if missing, so
// that the peer ID survives restarts. An empty basePath gives a fresh key.
func loadOrCreateKey(basePath string) (crypto.PrivKey, error) {
	if basePath == "" {
		sk, _, err := crypto.GenerateEd25519Key(rand.Reader)
		return sk, err
	}
	path := filepath.Join(basePath, nodeKeyFile)
	seed, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, fmt.Errorf("network: node key: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("network: node key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("network: node key: %w", err)
		}
		_, werr := f.Write(seed)
		if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
			return nil, fmt.Errorf("network: writing node key: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("network: node key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("network: node key %s: %d bytes, want %d", path, len(seed), ed25519.SeedSize)
	}
	return crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
}

// newResourceManager bounds connections and streams: libp2p's scaled
// defaults, with connection counts tied to MaxPeers (room for dialing and
// DHT churn above the connection manager's high-water mark).
func newResourceManager(maxPeers int) (network.ResourceManager, error) {
	conns := rcmgr.LimitVal(2*maxPeers + 16)
	limits := rcmgr.PartialLimitConfig{
		System: rcmgr.ResourceLimits{
			Conns: conns, ConnsInbound: conns, ConnsOutbound: conns,
			Streams: rcmgr.LimitVal(64 * maxPeers),
		},
		PeerDefault: rcmgr.ResourceLimits{
			Conns: 8, ConnsInbound: 4, ConnsOutbound: 4,
			Streams: 256, StreamsInbound: 128, StreamsOutbound: 128,
		},
	}.Build(rcmgr.DefaultLimits.AutoScale())
	rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits))
	if err != nil {
		return nil, fmt.Errorf("network: resource manager: %w", err)
	}
	return rm, nil
}

var quietOnce sync.Once

// quietLibp2p silences libp2p's own logging unless GOLOG_LOG_LEVEL asks for
// it: the node logs what matters through its slog.Logger.
func quietLibp2p() {
	quietOnce.Do(func() {
		if os.Getenv("GOLOG_LOG_LEVEL") != "" {
			return
		}
		gologshim.SetDefaultHandler(slog.DiscardHandler)
		golog.SetAllLoggers(golog.LevelFatal)
		if os.Getenv("QUIC_GO_DISABLE_RECEIVE_BUFFER_WARNING") == "" {
			_ = os.Setenv("QUIC_GO_DISABLE_RECEIVE_BUFFER_WARNING", "true")
		}
	})
}

func init() { quietLibp2p() }
