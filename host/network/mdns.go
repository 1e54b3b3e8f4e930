package network

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"golang.org/x/net/dns/dnsmessage"
)

// LAN discovery over multicast DNS, after libp2p's mDNS spec: a PTR query
// for the service, answered with the instance's PTR and a TXT record of
// "dnsaddr=<multiaddr>/p2p/<id>" strings. The service name carries the
// genesis hash (libp2p's is _p2p._udp.local), so that nodes of other
// chains on the LAN are not even dialled. Written here rather than taken
// from go-libp2p's p2p/discovery/mdns because that package needs a module
// (zeroconf) the repository does not pin.

var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

const (
	mdnsTTL       = 120 // seconds
	mdnsMaxAddrs  = 16  // addresses taken from one peer's record
	mdnsFirst     = 250 * time.Millisecond
	mdnsInterval  = 60 * time.Second
	mdnsMaxPacket = 9000
)

type lanDiscovery struct {
	n        *Network
	conn     *net.UDPConn
	service  dnsmessage.Name
	instance dnsmessage.Name
	done     chan struct{}
	wg       sync.WaitGroup
}

// mdnsService is the DNS-SD service name of a chain.
func mdnsService(prefix string) string {
	// prefix is /mars/<64 hex>: 12 hex digits keep the label short.
	g := strings.TrimPrefix(prefix, "/mars/")
	if len(g) > 12 {
		g = g[:12]
	}
	return "_mars-" + g + "._udp.local."
}

func startLANDiscovery(n *Network) (*lanDiscovery, error) {
	conn, err := net.ListenMulticastUDP("udp4", nil, mdnsGroup)
	if err != nil {
		return nil, err
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	svc := mdnsService(n.prefix)
	l := &lanDiscovery{
		n: n, conn: conn,
		service:  dnsmessage.MustNewName(svc),
		instance: dnsmessage.MustNewName(hex.EncodeToString(rnd[:]) + "." + svc),
		done:     make(chan struct{}),
	}
	l.wg.Add(2)
	go func() { defer l.wg.Done(); l.readLoop() }()
	go func() { defer l.wg.Done(); l.queryLoop() }()
	return l, nil
}

func (l *lanDiscovery) close() error {
	close(l.done)
	err := l.conn.Close()
	l.wg.Wait()
	return err
}

func (l *lanDiscovery) queryLoop() {
	wait := mdnsFirst
	for {
		l.send(l.query())
		select {
		case <-l.done:
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, mdnsInterval)
	}
}

func (l *lanDiscovery) readLoop() {
	buf := make([]byte, mdnsMaxPacket)
	for {
		n, _, err := l.conn.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		resp, found := l.handle(buf[:n])
		if resp != nil {
			l.send(resp)
		}
		for _, ai := range found {
			l.n.spawn(func() { l.n.dial(ai) })
		}
	}
}

func (l *lanDiscovery) send(b []byte) {
	if b != nil {
		_, _ = l.conn.WriteToUDP(b, mdnsGroup)
	}
}

// query builds a PTR question for our service.
func (l *lanDiscovery) query() []byte {
	m := dnsmessage.Message{Questions: []dnsmessage.Question{{Name: l.service, Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET}}}
	b, _ := m.Pack()
	return b
}

// handle reads one packet: a query for our service gets our record back;
// a response yields the peers it describes. Malformed packets are ignored.
func (l *lanDiscovery) handle(b []byte) (resp []byte, found []peer.AddrInfo) {
	var m dnsmessage.Message
	if err := m.Unpack(b); err != nil {
		return nil, nil
	}
	if !m.Header.Response {
		for _, q := range m.Questions {
			if (q.Type == dnsmessage.TypePTR || q.Type == dnsmessage.TypeALL) && strings.EqualFold(q.Name.String(), l.service.String()) {
				return l.record(), nil
			}
		}
		return nil, nil
	}
	return nil, l.peersIn(append(m.Answers, m.Additionals...))
}

// peersIn collects the dnsaddr TXT entries of instances of our service.
func (l *lanDiscovery) peersIn(rrs []dnsmessage.Resource) []peer.AddrInfo {
	suffix := "." + strings.ToLower(l.service.String())
	byID := make(map[peer.ID]*peer.AddrInfo)
	var order []peer.ID
	for _, rr := range rrs {
		txt, ok := rr.Body.(*dnsmessage.TXTResource)
		if !ok || !strings.HasSuffix(strings.ToLower(rr.Header.Name.String()), suffix) {
			continue
		}
		for _, s := range txt.TXT {
			a, ok := strings.CutPrefix(s, "dnsaddr=")
			if !ok {
				continue
			}
			addr, err := ma.NewMultiaddr(a)
			if err != nil {
				continue
			}
			ai, err := peer.AddrInfoFromP2pAddr(addr)
			if err != nil || ai.ID == l.n.host.ID() {
				continue
			}
			cur := byID[ai.ID]
			if cur == nil {
				cur = &peer.AddrInfo{ID: ai.ID}
				byID[ai.ID] = cur
				order = append(order, ai.ID)
			}
			if len(cur.Addrs) < mdnsMaxAddrs {
				cur.Addrs = append(cur.Addrs, ai.Addrs...)
			}
		}
	}
	out := make([]peer.AddrInfo, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out
}

// record builds our answer: PTR service → instance, TXT instance → addrs.
func (l *lanDiscovery) record() []byte {
	var txt []string
	for _, a := range l.n.Addrs() {
		if len(txt) == mdnsMaxAddrs {
			break
		}
		if s := "dnsaddr=" + a; len(s) <= 255 {
			txt = append(txt, s)
		}
	}
	if len(txt) == 0 {
		return nil
	}
	m := dnsmessage.Message{
		Header: dnsmessage.Header{Response: true, Authoritative: true},
		Answers: []dnsmessage.Resource{{
			Header: dnsmessage.ResourceHeader{Name: l.service, Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET, TTL: mdnsTTL},
			Body:   &dnsmessage.PTRResource{PTR: l.instance},
		}},
		Additionals: []dnsmessage.Resource{{
			Header: dnsmessage.ResourceHeader{Name: l.instance, Type: dnsmessage.TypeTXT, Class: dnsmessage.ClassINET, TTL: mdnsTTL},
			Body:   &dnsmessage.TXTResource{TXT: txt},
		}},
	}
	b, err := m.Pack()
	if err != nil {
		return nil
	}
	return b
}
