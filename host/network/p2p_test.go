package network

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

// startNode starts a real libp2p node on loopback.
func startNode(t testing.TB, genesis types.Hash, b Backend, bootnodes ...string) *Network {
	t.Helper()
	n, err := New(context.Background(), Config{
		GenesisHash: genesis, Roles: wire.RoleFull, Bootnodes: bootnodes, Logger: testLogger(),
	}, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// addrWith returns n's first address containing part (a transport).
func addrWith(t testing.TB, n *Network, part string) string {
	t.Helper()
	for _, a := range n.Addrs() {
		if strings.Contains(a, part) {
			return a
		}
	}
	t.Fatalf("no %s address in %v", part, n.Addrs())
	return ""
}

func hasPeer(n *Network, id string) bool {
	for _, p := range n.Peers() {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestLibp2pThreeNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("real network")
	}
	ba := newFakeBackend(genesisA, 20)
	a, err := New(context.Background(), Config{GenesisHash: genesisA, Roles: wire.RoleAuthority, Logger: testLogger()}, ba)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b := startNode(t, genesisA, newFakeBackend(genesisA, 1), addrWith(t, a, "/tcp/"))
	c := startNode(t, genesisA, newFakeBackend(genesisA, 1), addrWith(t, a, "/quic-v1/"))

	// Bootnode A introduces B and C; they find each other through the DHT.
	eventually(t, "A's handshakes", func() bool { return hasPeer(a, b.ID()) && hasPeer(a, c.ID()) })
	eventually(t, "B and C discover each other", func() bool { return hasPeer(b, c.ID()) && hasPeer(c, b.ID()) })
	if p := b.Peers(); p[0].Addr == "" {
		t.Fatalf("no address for peer: %+v", p)
	}
	// A is an authority by its Config, whatever its Backend says.
	for _, p := range b.Peers() {
		if p.ID == a.ID() && !p.Roles.IsAuthority() {
			t.Fatalf("A's roles %d", p.Roles)
		}
	}

	// Announce from A reaches B, and B's view of A's best block follows.
	h := types.Header{Number: 77, StateRoot: types.Hash{1}}
	a.AnnounceBlock(h, true)
	for got := range b.Announces() {
		if got.Peer == a.ID() && got.Msg.Header.Number == 77 {
			break
		}
	}
	eventually(t, "B's status of A", func() bool {
		for _, p := range b.Peers() {
			if p.ID == a.ID() {
				return p.BestNumber == 77 && p.BestHash == h.Hash()
			}
		}
		return false
	})

	// B requests blocks from A.
	resp, err := b.RequestBlocks(context.Background(), a.ID(), wire.BlockRequest{Fields: wire.FieldHeader, FromNumber: 3, Max: 4})
	if err != nil || len(resp.Blocks) != 4 || resp.Blocks[0].Header.Number != 3 || resp.Blocks[3].Hash != ba.headers[6].Hash() {
		t.Fatalf("blocks: %+v, %v", resp, err)
	}

	// Gossip: everyone rejects "bad". C sends it and is penalised by
	// the peers it sent it to; a good message reaches everyone.
	validate := func(_ string, d []byte) Verdict {
		switch {
		case bytes.Equal(d, []byte("bad")):
			return Reject
		case bytes.Equal(d, []byte("stale")):
			return Ignore
		}
		return Accept
	}
	ta, err := a.Join("transactions", validate)
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := b.Join("transactions", validate)
	tc, _ := c.Join("transactions", validate)
	if _, err := a.Join("transactions", validate); err == nil {
		t.Fatal("joined twice")
	}
	eventually(t, "topic peers", func() bool {
		return len(ta.t.ListPeers()) == 2 && len(tb.t.ListPeers()) == 2 && len(tc.t.ListPeers()) == 2
	})
	if err := tc.Publish(context.Background(), []byte("bad")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "C penalised", func() bool {
		return a.rep.score(c.ID()) <= RepRejected/2 && b.rep.score(c.ID()) <= RepRejected/2
	})
	if err := ta.Publish(context.Background(), []byte("good")); err != nil {
		t.Fatal(err)
	}
	for _, tp := range []*Topic{tb, tc} {
		select {
		case m := <-tp.Messages():
			if string(m.Data) != "good" {
				t.Fatalf("delivered %q", m.Data)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("good message not delivered")
		}
	}
	if len(ta.Messages()) != 0 {
		t.Fatal("own message delivered to self")
	}
	// Ignore drops a message without blame: A gets C's next message, not
	// the stale one, and C's score at A does not move.
	before := a.rep.score(c.ID())
	if err := tc.Publish(context.Background(), []byte("stale")); err != nil {
		t.Fatal(err)
	}
	if err := tc.Publish(context.Background(), []byte("good2")); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-ta.Messages():
		if string(m.Data) != "good2" || (m.From != c.ID() && m.From != b.ID()) { // direct, or relayed by B
			t.Fatalf("A got %q from %s", m.Data, m.From)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("good2 not delivered")
	}
	if after := a.rep.score(c.ID()); after < before {
		t.Fatalf("ignored message cost C %d", before-after)
	}
	if a.BytesSent() == 0 || a.BytesReceived() == 0 {
		t.Fatal("no traffic counted")
	}
	st := a.State()
	if st["peerId"] != a.ID() || len(st["connectedPeers"].(map[string]any)) != 2 {
		t.Fatalf("state: %+v", st)
	}

	// Report works over libp2p: a ban disconnects and keeps the peer out.
	a.Report(c.ID(), RepInvalid, "test")
	eventually(t, "C dropped by A", func() bool { return !hasPeer(a, c.ID()) && !hasPeer(c, a.ID()) })
	if _, err := a.RequestBlocks(context.Background(), c.ID(), wire.BlockRequest{}); !errors.Is(err, ErrBanned) {
		t.Fatalf("request to banned peer: %v", err)
	}
	if hasPeer(a, c.ID()) {
		t.Fatal("banned peer came back")
	}
}

func TestLibp2pOtherChainAndTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("real network")
	}
	a := startNode(t, genesisA, newFakeBackend(genesisA, 3))
	d := startNode(t, genesisB, newFakeBackend(genesisB, 3), a.Addrs()[0])
	eventually(t, "other chain dropped", func() bool {
		return a.host.Network().Connectedness(d.host.ID()) != 1 && // network.Connected
			(a.rep.score(d.ID()) < 0 || d.rep.score(a.ID()) < 0)
	})
	if len(a.Peers()) != 0 || len(d.Peers()) != 0 {
		t.Fatal("other-chain peer listed")
	}

	// A peer that accepts a request and never answers times out.
	b := startNode(t, genesisA, newFakeBackend(genesisA, 3), a.Addrs()[0])
	eventually(t, "handshake", func() bool { return hasPeer(a, b.ID()) })
	b.host.SetStreamHandler(protocolID(b.eng.protos.state), func(s streamCloser) {
		<-b.ctx.Done()
		_ = s.Reset()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := a.RequestState(ctx, b.ID(), wire.StateRequest{}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("silent peer: %v", err)
	}
	if s := a.rep.score(b.ID()); s != RepTimeout {
		t.Fatalf("score after timeout = %d", s)
	}
}

func TestNodeKeyPersists(t *testing.T) {
	dir := t.TempDir()
	k1, err := loadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, nodeKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	k2, err := loadOrCreateKey(dir)
	if err != nil || !k1.Equals(k2) {
		t.Fatalf("key changed: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, nodeKeyFile), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrCreateKey(dir); err == nil {
		t.Fatal("short key accepted")
	}
	// And the peer ID of a Network with a BasePath is stable.
	dir2 := t.TempDir()
	n1, err := New(context.Background(), Config{BasePath: dir2, GenesisHash: genesisA, NoDHT: true}, newFakeBackend(genesisA, 1))
	if err != nil {
		t.Fatal(err)
	}
	id := n1.ID()
	_ = n1.Close()
	n2, err := New(context.Background(), Config{BasePath: dir2, GenesisHash: genesisA, NoDHT: true}, newFakeBackend(genesisA, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if n2.ID() != id {
		t.Fatalf("peer ID changed: %s → %s", id, n2.ID())
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Bootnodes: []string{"/ip4/127.0.0.1/tcp/1"}}, // no /p2p
		{ListenAddrs: []string{"not a multiaddr"}},
	} {
		if n, err := New(context.Background(), cfg, newFakeBackend(genesisA, 1)); err == nil {
			_ = n.Close()
			t.Fatalf("%+v accepted", cfg)
		}
	}
}

type streamCloser = network.Stream

func protocolID(s string) protocol.ID { return protocol.ID(s) }
