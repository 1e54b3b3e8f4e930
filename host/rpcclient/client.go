// Package rpcclient is a small JSON-RPC 2.0 client for a node's RPC port
// (host/rpc, or any Substrate node): plain calls over HTTP POST or over a
// WebSocket, and subscriptions over a WebSocket.
//
// Dial picks the transport from the URL scheme: http:// and https:// make
// an HTTP client (calls only: Subscribe answers ErrNoSubscriptions),
// ws:// and wss:// keep one WebSocket open, on which calls may run
// concurrently and subscriptions receive their notifications
// ({"method":m,"params":{"subscription":id,"result":r}}).
//
// A JSON-RPC error response comes back as *Error, carrying the server's
// code, message and data (e.g. 1010 "Invalid Transaction" with
// sp-runtime's reason in data), so callers can errors.As on it.
//
// Notifications that arrive before the call that created their
// subscription has returned its id are kept and delivered once the
// subscription is registered, so none is lost whatever the server's
// ordering.
package rpcclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/coder/websocket"
)

// MaxMessageSize bounds one response or notification (runtime metadata and
// blocks with a runtime upgrade are several MiB).
const MaxMessageSize = 64 << 20

// Errors of the client itself (server errors are *Error).
var (
	ErrClosed          = errors.New("rpcclient: connection closed")
	ErrNoSubscriptions = errors.New("rpcclient: subscriptions need a WebSocket (ws:// or wss://) URL")
	ErrBadURL          = errors.New("rpcclient: bad URL")
)

// Error is a JSON-RPC error object returned by the server.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *Error) Error() string {
	if d := e.DataString(); d != "" {
		return fmt.Sprintf("rpc error %d: %s: %s", e.Code, e.Message, d)
	}
	return fmt.Sprintf("rpc error %d: %s", e.Code, e.Message)
}

// DataString returns the error's data as text: a JSON string unquoted,
// anything else as its JSON, "" when there is none.
func (e *Error) DataString() string {
	if len(e.Data) == 0 || string(e.Data) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(e.Data, &s) == nil {
		return s
	}
	return string(e.Data)
}

type request struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// message is any incoming frame: a response (id) or a notification (method).
type message struct {
	ID     *json.RawMessage `json:"id"`
	Result json.RawMessage  `json:"result"`
	Error  *Error           `json:"error"`
	Method string           `json:"method"`
	Params *struct {
		Subscription json.RawMessage `json:"subscription"`
		Result       json.RawMessage `json:"result"`
		Error        *Error          `json:"error"`
	} `json:"params"`
}

// Client is a JSON-RPC connection. It is safe for concurrent use.
type Client struct {
	url  string
	http *http.Client // HTTP transport; nil for WebSocket
	ws   *websocket.Conn

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan *message     // guarded by mu
	subs    map[string]*Subscription     // guarded by mu
	early   map[string][]json.RawMessage // guarded by mu: notifications before their sub was registered
	closed  bool                         // guarded by mu
	readErr error                        // guarded by mu
	done    chan struct{}
}

// Dial connects to url (http, https, ws or wss).
func Dial(ctx context.Context, rawURL string) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrBadURL, rawURL, err)
	}
	c := &Client{url: rawURL, pending: map[uint64]chan *message{}, subs: map[string]*Subscription{},
		early: map[string][]json.RawMessage{}, done: make(chan struct{})}
	switch u.Scheme {
	case "http", "https":
		c.http = &http.Client{}
		return c, nil
	case "ws", "wss":
		ws, _, err := websocket.Dial(ctx, rawURL, nil)
		if err != nil {
			return nil, fmt.Errorf("rpcclient: connecting to %s: %w", rawURL, err)
		}
		ws.SetReadLimit(MaxMessageSize)
		c.ws = ws
		go c.readLoop()
		return c, nil
	}
	return nil, fmt.Errorf("%w: %q: scheme must be http, https, ws or wss", ErrBadURL, rawURL)
}

// URL is the endpoint the client talks to.
func (c *Client) URL() string { return c.url }

// IsWebSocket reports whether the client holds a WebSocket (and so can
// subscribe).
func (c *Client) IsWebSocket() bool { return c.ws != nil }

// Close closes the connection; pending calls and subscriptions end with
// ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	if c.ws == nil {
		return nil
	}
	err := c.ws.Close(websocket.StatusNormalClosure, "")
	<-c.done
	return err
}

func (c *Client) newRequest(method string, params []any) (uint64, []byte, error) {
	if params == nil {
		params = []any{}
	}
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	b, err := json.Marshal(request{JSONRPC: "2.0", ID: id, Method: method, Params: params})
	if err != nil {
		return 0, nil, fmt.Errorf("rpcclient: %s: encoding params: %w", method, err)
	}
	return id, b, nil
}

// Call invokes method with params and decodes its result into result
// (which may be nil to ignore it, or *json.RawMessage to keep it raw).
func (c *Client) Call(ctx context.Context, result any, method string, params ...any) error {
	raw, err := c.call(ctx, method, params)
	if err != nil {
		return err
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(raw, result); err != nil {
		return fmt.Errorf("rpcclient: %s: decoding result %.200s: %w", method, raw, err)
	}
	return nil
}

func (c *Client) call(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	id, body, err := c.newRequest(method, params)
	if err != nil {
		return nil, err
	}
	var m *message
	if c.ws == nil {
		m, err = c.postHTTP(ctx, body)
	} else {
		m, err = c.roundTripWS(ctx, id, body)
	}
	if err != nil {
		return nil, fmt.Errorf("rpcclient: %s: %w", method, err)
	}
	if m.Error != nil {
		return nil, m.Error
	}
	if m.Result == nil {
		return json.RawMessage("null"), nil
	}
	return m.Result, nil
}

func (c *Client) postHTTP(ctx context.Context, body []byte) (*message, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxMessageSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxMessageSize {
		return nil, fmt.Errorf("response larger than %d bytes", MaxMessageSize)
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %s: %.200s", resp.Status, strings.TrimSpace(string(data)))
		}
		return nil, fmt.Errorf("bad response %.200q: %w", data, err)
	}
	if m.Error == nil && m.Result == nil && resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	return &m, nil
}

func (c *Client) roundTripWS(ctx context.Context, id uint64, body []byte) (*message, error) {
	ch := make(chan *message, 1)
	c.mu.Lock()
	if c.closed || c.readErr != nil {
		err := c.connErrLocked()
		c.mu.Unlock()
		return nil, err
	}
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	if err := c.ws.Write(ctx, websocket.MessageText, body); err != nil {
		return nil, err
	}
	select {
	case m := <-ch:
		return m, nil
	case <-c.done:
		c.mu.Lock()
		defer c.mu.Unlock()
		return nil, c.connErrLocked()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *Client) connErrLocked() error {
	if c.readErr != nil && !c.closed {
		return fmt.Errorf("%w: %w", ErrClosed, c.readErr)
	}
	return ErrClosed
}

func (c *Client) readLoop() {
	defer close(c.done)
	ctx := context.Background()
	for {
		_, data, err := c.ws.Read(ctx)
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			subs := c.subs
			c.subs = map[string]*Subscription{}
			c.mu.Unlock()
			for _, s := range subs {
				s.end(ErrClosed)
			}
			return
		}
		var m message
		if json.Unmarshal(data, &m) != nil {
			continue // not JSON-RPC: ignore
		}
		switch {
		case m.ID != nil && m.Method == "":
			id, err := strconv.ParseUint(string(*m.ID), 10, 64)
			if err != nil {
				continue
			}
			c.mu.Lock()
			ch := c.pending[id]
			c.mu.Unlock()
			if ch != nil {
				ch <- &m
			}
		case m.Method != "" && m.Params != nil:
			c.notify(subID(m.Params.Subscription), m.Params.Result)
		}
	}
}

// subID normalises a subscription id (a JSON string or number) to text.
func subID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// maxEarly bounds the notifications kept for a subscription id not yet
// known (they are dropped beyond it).
const maxEarly = 256

// maxEarlyIDs bounds how many unknown subscription ids are remembered
// (notifications for a subscription just unsubscribed land there too).
const maxEarlyIDs = 64

func (c *Client) notify(id string, result json.RawMessage) {
	c.mu.Lock()
	s := c.subs[id]
	if s == nil {
		if q, ok := c.early[id]; (ok || len(c.early) < maxEarlyIDs) && len(q) < maxEarly {
			c.early[id] = append(q, result)
		}
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	s.push(result)
}

// Subscription receives one subscription's notifications.
type Subscription struct {
	c      *Client
	id     string
	unsub  string
	mu     sync.Mutex
	queue  []json.RawMessage // guarded by mu
	err    error             // guarded by mu: set when the subscription ended
	wake   chan struct{}
	closed bool // guarded by mu
}

// ID is the server's subscription id.
func (s *Subscription) ID() string { return s.id }

func (s *Subscription) push(r json.RawMessage) {
	s.mu.Lock()
	s.queue = append(s.queue, r)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Subscription) end(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Next waits for the next notification and returns its result. After the
// connection is closed it returns the queued notifications, then ErrClosed.
func (s *Subscription) Next(ctx context.Context) (json.RawMessage, error) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			r := s.queue[0]
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return r, nil
		}
		err := s.err
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Unsubscribe ends the subscription with the server's unsubscribe method
// (its result is ignored: the server may already have ended it).
func (s *Subscription) Unsubscribe(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.c.mu.Lock()
	delete(s.c.subs, s.id)
	s.c.mu.Unlock()
	s.end(ErrClosed)
	if s.unsub == "" {
		return nil
	}
	var ignored json.RawMessage
	err := s.c.Call(ctx, &ignored, s.unsub, s.id)
	var rpcErr *Error
	if errors.As(err, &rpcErr) {
		return nil // already gone on the server
	}
	return err
}

// Subscribe calls method with params; its result is the subscription id,
// whose notifications Next returns. unsubscribe names the method that ends
// it (e.g. "author_unwatchExtrinsic").
func (c *Client) Subscribe(ctx context.Context, method, unsubscribe string, params ...any) (*Subscription, error) {
	if c.ws == nil {
		return nil, ErrNoSubscriptions
	}
	raw, err := c.call(ctx, method, params)
	if err != nil {
		return nil, err
	}
	id := subID(raw)
	if id == "" || id == "null" {
		return nil, fmt.Errorf("rpcclient: %s: no subscription id in %s", method, raw)
	}
	s := &Subscription{c: c, id: id, unsub: unsubscribe, wake: make(chan struct{}, 1)}
	c.mu.Lock()
	s.queue = append(s.queue, c.early[id]...)
	delete(c.early, id)
	if c.readErr != nil || c.closed {
		s.err = ErrClosed
	} else {
		c.subs[id] = s
	}
	c.mu.Unlock()
	return s, nil
}
