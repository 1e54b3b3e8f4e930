package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults, as Substrate's (sc-rpc-server / sc-cli) where it has one.
const (
	DefaultAddr               = "127.0.0.1:9944"
	DefaultMaxRequestSize     = 15 << 20
	DefaultMaxResponseSize    = 15 << 20
	DefaultMaxConnections     = 100
	DefaultMaxSubsPerConn     = 1024
	DefaultMaxBatchSize       = 256
	DefaultMessageBuffer      = 64
	DefaultMaxConcurrentCalls = 16
)

// MethodPolicy says whether unsafe methods may be called (Substrate's
// --rpc-methods).
type MethodPolicy uint8

// Policies. Auto denies unsafe methods when the listener is not on a
// loopback address (an external interface).
const (
	PolicyAuto MethodPolicy = iota
	PolicySafe
	PolicyUnsafe
)

// Config sets a Server's limits; zero fields take the defaults above.
type Config struct {
	MaxRequestSize     int64 // bytes of one HTTP body or WebSocket message
	MaxResponseSize    int64 // bytes of one response; larger ones become -32008
	MaxConnections     int   // WebSocket connections plus in-flight HTTP requests
	MaxSubsPerConn     int   // subscriptions one WebSocket connection may hold
	MaxBatchSize       int   // entries of one batch; a negative value disables batches
	MessageBuffer      int   // outgoing messages buffered per connection; a subscription that overflows it is dropped
	MaxConcurrentCalls int   // calls of one WebSocket connection executed at once
	// AllowedOrigins lists the origins browsers may call from: exact
	// ("https://polkadot.js.org"), patterns ("http://localhost:*", matched
	// with path.Match) or "*" for any. nil means CORS off: requests
	// carrying another site's Origin header are refused with 403.
	AllowedOrigins []string
	Methods        MethodPolicy
	Logger         *slog.Logger
}

func (c *Config) setDefaults() {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if c.MaxRequestSize <= 0 {
		c.MaxRequestSize = DefaultMaxRequestSize
	}
	if c.MaxResponseSize <= 0 {
		c.MaxResponseSize = DefaultMaxResponseSize
	}
	def(&c.MaxConnections, DefaultMaxConnections)
	def(&c.MaxSubsPerConn, DefaultMaxSubsPerConn)
	def(&c.MaxBatchSize, DefaultMaxBatchSize)
	def(&c.MessageBuffer, DefaultMessageBuffer)
	def(&c.MaxConcurrentCalls, DefaultMaxConcurrentCalls)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Server is a JSON-RPC 2.0 server answering HTTP POST and WebSocket on one
// port. Register methods, then Serve.
type Server struct {
	cfg  Config
	reg  registry
	log  *slog.Logger
	http *http.Server

	conns      atomic.Int64 // open WebSocket connections + in-flight HTTP requests
	denyUnsafe atomic.Bool
	closing    chan struct{} // closed by Shutdown
	forceClose chan struct{} // closed when Shutdown's context expires
	closeOnce  sync.Once
	forceOnce  sync.Once
	wsWG       sync.WaitGroup
	served     atomic.Bool
}

// NewServer returns a server with rpc_methods registered.
func NewServer(cfg Config) *Server {
	cfg.setDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger, closing: make(chan struct{}), forceClose: make(chan struct{})}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	if err := s.Register("rpc_methods", s.rpcMethods); err != nil {
		panic(err) // invariant: the registry starts empty
	}
	return s
}

// ListenAndServe listens on addr (DefaultAddr when empty) and serves until
// Shutdown.
func (s *Server) ListenAndServe(addr string) error {
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve answers on ln until Shutdown, then returns ErrServerClosed. With
// PolicyAuto, unsafe methods are denied unless ln is on a loopback address.
func (s *Server) Serve(ln net.Listener) error {
	if !s.served.CompareAndSwap(false, true) {
		ln.Close()
		return errors.New("rpc: Serve called twice")
	}
	switch s.cfg.Methods {
	case PolicySafe:
		s.denyUnsafe.Store(true)
	case PolicyUnsafe:
		s.denyUnsafe.Store(false)
	default:
		s.denyUnsafe.Store(!isLoopback(ln.Addr()))
	}
	err := s.http.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return ErrServerClosed
	}
	return err
}

// External reports whether unsafe methods are being denied.
func (s *Server) External() bool { return s.denyUnsafe.Load() }

func isLoopback(a net.Addr) bool {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.IsLoopback()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// Shutdown stops accepting, lets in-flight HTTP calls finish, closes every
// WebSocket connection (status 1001) and waits for them. When ctx expires
// first, the remaining connections are dropped without a close handshake
// and ctx's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closeOnce.Do(func() { close(s.closing) })
	err := s.http.Shutdown(ctx)
	done := make(chan struct{})
	go func() { s.wsWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
		s.forceOnce.Do(func() { close(s.forceClose) })
		<-done // quick now: every connection was closed outright
	}
	return err
}

func (s *Server) acquire() bool {
	for {
		n := s.conns.Load()
		if n >= int64(s.cfg.MaxConnections) {
			return false
		}
		if s.conns.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (s *Server) release() { s.conns.Add(-1) }

// originAllowed applies the CORS policy: requests without Origin (curl,
// Node) and same-origin ones always pass.
func (s *Server) originAllowed(r *http.Request) (origin string, ok bool) {
	origin = r.Header.Get("Origin")
	if origin == "" {
		return "", true
	}
	lower := strings.ToLower(origin)
	for _, o := range s.cfg.AllowedOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return origin, true
		}
		if ok, _ := path.Match(strings.ToLower(o), lower); ok {
			return origin, true
		}
	}
	u, err := url.Parse(origin)
	if err == nil && strings.EqualFold(u.Host, r.Host) {
		return "", true
	}
	return origin, false
}

// ServeHTTP routes WebSocket upgrades and JSON-RPC POSTs.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	origin, ok := s.originAllowed(r)
	if !ok {
		http.Error(w, "Origin of the request is not allowed", http.StatusForbidden)
		return
	}
	if origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Vary", "Origin")
		h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
	}
	if isUpgrade(r) {
		if !s.acquire() {
			http.Error(w, "Too many connections. Please try again later.", http.StatusTooManyRequests)
			return
		}
		s.wsWG.Add(1)
		defer s.wsWG.Done()
		defer s.release()
		s.serveWS(w, r)
		return
	}
	switch r.Method {
	case http.MethodOptions:
		w.WriteHeader(http.StatusOK)
		return
	case http.MethodGet:
		if r.URL.Path == "/health" {
			s.serveHealth(w, r)
			return
		}
		fallthrough
	default:
		if r.Method != http.MethodPost {
			http.Error(w, "Used HTTP Method is not allowed. POST is required", http.StatusMethodNotAllowed)
			return
		}
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		http.Error(w, "Supplied content type is not allowed. Content-Type: application/json is required", http.StatusUnsupportedMediaType)
		return
	}
	if !s.acquire() {
		http.Error(w, "Too many connections. Please try again later.", http.StatusTooManyRequests)
		return
	}
	defer s.release()
	if r.ContentLength > s.cfg.MaxRequestSize {
		s.writeTooBig(w)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestSize))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeTooBig(w)
		}
		return
	}
	resp, _ := s.handle(r.Context(), &session{srv: s, deny: s.denyUnsafe.Load()}, body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(resp)
}

func (s *Server) writeTooBig(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	w.Write(errorResponse(nullID, &Error{Code: CodeOversizedRequest, Message: "Request is too big"}))
}

// serveHealth answers GET /health with system_health's result, when a
// system_health method is registered.
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	m := s.reg.lookup("system_health")
	if m == nil || m.kind != kindCall {
		http.NotFound(w, r)
		return
	}
	res, err := m.call(r.Context(), Params{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b, err := json.Marshal(res)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

func isUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
