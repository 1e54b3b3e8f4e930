package network

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/metamars/mars/host/network/wire"
)

func startMDNSNode(t *testing.T) *Network {
	t.Helper()
	n, err := New(context.Background(), Config{GenesisHash: genesisA, Roles: wire.RoleFull, MDNS: true, NoDHT: true, Logger: testLogger()}, newFakeBackend(genesisA, 2))
	if err != nil {
		t.Skipf("no multicast here: %v", err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// TestMDNSRecords: one node's answer to another's query names its
// addresses, and nothing else is taken from it.
func TestMDNSRecords(t *testing.T) {
	a, b := startMDNSNode(t), startMDNSNode(t)
	resp, found := a.lan.handle(b.lan.query())
	if resp == nil || found != nil {
		t.Fatal("no answer to a query for our service")
	}
	if _, found := b.lan.handle(resp); len(found) != 1 || found[0].ID != a.host.ID() || len(found[0].Addrs) != len(a.Addrs()) {
		t.Fatalf("found %+v", found)
	}
	// Our own record yields nothing; other services are not answered.
	if _, found := a.lan.handle(resp); len(found) != 0 {
		t.Fatal("found ourselves")
	}
	other := &lanDiscovery{n: b, service: a.lan.service}
	other.service = mustName(t, "_p2p._udp.local.")
	if r, _ := a.lan.handle(other.query()); r != nil {
		t.Fatal("answered another service")
	}
}

func TestMDNSDiscovery(t *testing.T) {
	if testing.Short() {
		t.Skip("real network")
	}
	if err := multicastLoops(); err != nil {
		t.Skipf("multicast does not loop back on this host (%v): LAN discovery cannot be observed here", err)
	}
	a, b := startMDNSNode(t), startMDNSNode(t)
	eventually(t, "mDNS discovery", func() bool { return hasPeer(a, b.ID()) && hasPeer(b, a.ID()) })
}

func FuzzMDNSPacket(f *testing.F) {
	n, err := New(context.Background(), Config{GenesisHash: genesisA, NoDHT: true}, newFakeBackend(genesisA, 1))
	if err != nil {
		f.Fatal(err)
	}
	defer n.Close()
	l := &lanDiscovery{n: n, service: mustName(f, mdnsService(n.prefix)), instance: mustName(f, "x."+mdnsService(n.prefix))}
	f.Add(l.query())
	f.Add(l.record())
	f.Fuzz(func(t *testing.T, b []byte) {
		_, found := l.handle(b)
		for _, ai := range found {
			if len(ai.Addrs) > mdnsMaxAddrs+1 || ai.ID == n.host.ID() {
				t.Fatalf("bad peer %+v", ai)
			}
		}
	})
}

func mustName(t testing.TB, s string) dnsmessage.Name {
	t.Helper()
	nm, err := dnsmessage.NewName(s)
	if err != nil {
		t.Fatal(err)
	}
	return nm
}

// multicastLoops checks that a datagram sent to the mDNS group comes back
// to another socket of this host, which the discovery test needs.
func multicastLoops() error {
	c1, err := net.ListenMulticastUDP("udp4", nil, mdnsGroup)
	if err != nil {
		return err
	}
	defer c1.Close()
	c2, err := net.ListenMulticastUDP("udp4", nil, mdnsGroup)
	if err != nil {
		return err
	}
	defer c2.Close()
	probe := []byte("mars-multicast-probe")
	if _, err := c1.WriteToUDP(probe, mdnsGroup); err != nil {
		return err
	}
	_ = c2.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 512)
	for {
		n, _, err := c2.ReadFromUDP(buf)
		if err != nil {
			return err
		}
		if bytes.Equal(buf[:n], probe) {
			return nil
		}
	}
}
