package network

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Discovery timing: fast at first so a new node finds the network within a
// few seconds, then slower to spare the peers.
const (
	discoverFirst = 250 * time.Millisecond
	discoverMax   = 30 * time.Second
	dialTimeout   = 10 * time.Second
)

// spawn runs f as a tracked goroutine unless the network is closed.
func (n *Network) spawn(f func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		f()
	}()
}

// dial connects to ai unless it is us, banned, or already connected.
func (n *Network) dial(ai peer.AddrInfo) {
	if ai.ID == n.host.ID() || n.rep.banned(ai.ID.String()) || n.host.Network().Connectedness(ai.ID) == network.Connected {
		return
	}
	ctx, cancel := context.WithTimeout(n.ctx, dialTimeout)
	defer cancel()
	if err := n.host.Connect(ctx, ai); err != nil {
		n.log.Debug("dial failed", "peer", ai.ID.String(), "err", err)
	}
}

// discover keeps the node connected: it redials bootnodes that dropped,
// and while below MaxPeers it walks the DHT toward our own ID and dials
// the peers the routing table learns of.
func (n *Network) discover() {
	wait := discoverFirst
	for {
		for _, b := range n.bootnodes {
			n.dial(b)
		}
		if n.kad != nil && len(n.host.Network().Peers()) < n.cfg.MaxPeers {
			ctx, cancel := context.WithTimeout(n.ctx, dialTimeout)
			found, _ := n.kad.GetClosestPeers(ctx, string(n.host.ID()))
			cancel()
			cands := append(found, n.kad.RoutingTable().ListPeers()...)
			for _, id := range cands {
				if len(n.host.Network().Peers()) >= n.cfg.MaxPeers {
					break
				}
				n.dial(n.host.Peerstore().PeerInfo(id))
			}
		}
		select {
		case <-n.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, discoverMax)
	}
}
