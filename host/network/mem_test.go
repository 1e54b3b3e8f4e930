package network

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// memNet is the in-memory transport of the unit tests: nodes, links
// between them, and streams as buffered pipes with deadlines.
type memNet struct {
	mu    sync.Mutex
	nodes map[string]*memNode
	links map[[2]string][]*memStream // guarded by mu; key sorted
}

func newMemNet() *memNet {
	return &memNet{nodes: make(map[string]*memNode), links: make(map[[2]string][]*memStream)}
}

func linkKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// memNode is one node's view of the memNet: a transport.
type memNode struct {
	net *memNet
	id  string
	eng *engine // nil for raw test peers

	mu       sync.Mutex
	handlers map[string]func(string, stream) // guarded by mu
}

func (m *memNet) node(id string) *memNode {
	n := &memNode{net: m, id: id, handlers: make(map[string]func(string, stream))}
	m.mu.Lock()
	m.nodes[id] = n
	m.mu.Unlock()
	return n
}

// connect links a and b and tells both engines.
func (m *memNet) connect(a, b string) {
	m.mu.Lock()
	k := linkKey(a, b)
	if _, ok := m.links[k]; !ok {
		m.links[k] = nil
	}
	na, nb := m.nodes[a], m.nodes[b]
	m.mu.Unlock()
	if na.eng != nil {
		na.eng.connected(b)
	}
	if nb.eng != nil {
		nb.eng.connected(a)
	}
}

func (m *memNet) linked(a, b string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.links[linkKey(a, b)]
	return ok
}

func (n *memNode) handle(proto string, h func(string, stream)) {
	n.mu.Lock()
	n.handlers[proto] = h
	n.mu.Unlock()
}

var errNoLink = errors.New("memnet: not connected")

func (n *memNode) open(ctx context.Context, peer, proto string) (stream, error) {
	m := n.net
	m.mu.Lock()
	k := linkKey(n.id, peer)
	streams, ok := m.links[k]
	remote := m.nodes[peer]
	m.mu.Unlock()
	if !ok || remote == nil {
		return nil, errNoLink
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	remote.mu.Lock()
	h := remote.handlers[proto]
	remote.mu.Unlock()
	if h == nil {
		return nil, fmt.Errorf("memnet: %s does not speak %s: %w", peer, proto, errNotSupported)
	}
	a2b, b2a := newHalf(), newHalf()
	local := &memStream{in: b2a, out: a2b}
	far := &memStream{in: a2b, out: b2a}
	m.mu.Lock()
	if streams, ok = m.links[k]; !ok { // cut while we were opening
		m.mu.Unlock()
		return nil, errNoLink
	}
	m.links[k] = append(streams, local, far)
	m.mu.Unlock()
	go h(n.id, far)
	return local, nil
}

// disconnect cuts the link, resets its streams and tells both engines.
func (n *memNode) disconnect(peer string) {
	m := n.net
	m.mu.Lock()
	k := linkKey(n.id, peer)
	streams, ok := m.links[k]
	delete(m.links, k)
	other := m.nodes[peer]
	m.mu.Unlock()
	if !ok {
		return
	}
	for _, s := range streams {
		_ = s.Reset()
	}
	if n.eng != nil {
		n.eng.disconnected(peer)
	}
	if other != nil && other.eng != nil {
		other.eng.disconnected(n.id)
	}
}

func (n *memNode) remoteAddr(peer string) string { return "/memory/" + peer }

// half is one direction of a stream.
type half struct {
	mu      sync.Mutex
	buf     []byte
	eof     bool          // writer closed
	reset   bool          // aborted
	changed chan struct{} // closed and replaced on every change
}

func newHalf() *half { return &half{changed: make(chan struct{})} }

func (h *half) signalLocked() {
	close(h.changed)
	h.changed = make(chan struct{})
}

var errStreamReset = errors.New("memnet: stream reset")

type memStream struct {
	in, out  *half
	mu       sync.Mutex
	deadline time.Time // guarded by mu
}

func (s *memStream) Read(p []byte) (int, error) {
	for {
		s.in.mu.Lock()
		switch {
		case s.in.reset:
			s.in.mu.Unlock()
			return 0, errStreamReset
		case len(s.in.buf) > 0:
			n := copy(p, s.in.buf)
			s.in.buf = s.in.buf[n:]
			s.in.mu.Unlock()
			return n, nil
		case s.in.eof:
			s.in.mu.Unlock()
			return 0, io.EOF
		}
		ch := s.in.changed
		s.in.mu.Unlock()
		s.mu.Lock()
		dl := s.deadline
		s.mu.Unlock()
		var timeout <-chan time.Time
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
			return 0, os.ErrDeadlineExceeded
		}
	}
}

func (s *memStream) Write(p []byte) (int, error) {
	s.out.mu.Lock()
	defer s.out.mu.Unlock()
	if s.out.reset {
		return 0, errStreamReset
	}
	if s.out.eof {
		return 0, errors.New("memnet: write after close")
	}
	s.out.buf = append(s.out.buf, p...)
	s.out.signalLocked()
	return len(p), nil
}

func (s *memStream) CloseWrite() error {
	s.out.mu.Lock()
	defer s.out.mu.Unlock()
	if !s.out.eof {
		s.out.eof = true
		s.out.signalLocked()
	}
	return nil
}

func (s *memStream) Close() error { return s.CloseWrite() }

func (s *memStream) Reset() error {
	for _, h := range []*half{s.in, s.out} {
		h.mu.Lock()
		if !h.reset {
			h.reset = true
			h.signalLocked()
		}
		h.mu.Unlock()
	}
	return nil
}

func (s *memStream) SetDeadline(t time.Time) error {
	s.mu.Lock()
	s.deadline = t
	s.mu.Unlock()
	return nil
}

// testLogger logs to the test output when -v and NETWORK_TEST_LOG are set.
func testLogger() *slog.Logger {
	if os.Getenv("NETWORK_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// newMemEngine adds a node with an engine for genesis to m.
func newMemEngine(m *memNet, id string, genesis types.Hash, b Backend) (*memNode, *engine) {
	n := m.node(id)
	e := newEngine(n, b, genesis, testLogger(), newReputation(time.Now, time.Minute))
	n.eng = e
	return n, e
}
