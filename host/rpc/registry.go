package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Handler answers one method call. Its result is encoded with
// encoding/json (return json.RawMessage for pre-encoded results); an error
// of type *Error is sent as is, any other as an internal error.
type Handler func(ctx context.Context, p Params) (any, error)

// SubHandler starts a subscription. It validates p, may send initial
// notifications, and arranges for later ones (sink.Send never blocks). It
// must release whatever it holds once sink.Done() is closed: on
// unsubscribe, when the connection goes away, or when the client was too
// slow and the subscription was dropped. Returning an error refuses the
// subscription; no id is handed out then.
type SubHandler func(ctx context.Context, p Params, sink *Sink) error

// MethodOption adjusts a registration.
type MethodOption func(*method)

// Unsafe marks a method as unsafe: it is refused with -32601 "RPC call is
// unsafe to be called externally" when the server denies unsafe methods.
func Unsafe() MethodOption { return func(m *method) { m.unsafe = true } }

// Aliases registers further names for the same method (for a
// subscription: further names of its subscribe method).
func Aliases(names ...string) MethodOption {
	return func(m *method) { m.aliases = append(m.aliases, names...) }
}

// UnsubscribeAliases registers further names of a subscription's
// unsubscribe method.
func UnsubscribeAliases(names ...string) MethodOption {
	return func(m *method) { m.unsubAliases = append(m.unsubAliases, names...) }
}

type methodKind uint8

const (
	kindCall methodKind = iota
	kindSubscribe
	kindUnsubscribe
)

type method struct {
	name         string
	kind         methodKind
	unsafe       bool
	call         Handler
	sub          SubHandler
	notification string  // kindSubscribe
	pair         *method // subscribe <-> unsubscribe
	aliases      []string
	unsubAliases []string
}

// registry maps names (and aliases) to methods. Registration happens
// before serving but is guarded anyway so a late Register is not a race.
type registry struct {
	mu      sync.RWMutex
	methods map[string]*method // guarded by mu
}

func (r *registry) lookup(name string) *method {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.methods[name]
}

func validName(name string) bool {
	return name != "" && len(name) <= 256 && !strings.ContainsAny(name, " \t\r\n\"")
}

func (r *registry) add(ms ...named) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.methods == nil {
		r.methods = make(map[string]*method)
	}
	seen := make(map[string]bool)
	for _, e := range ms {
		if !validName(e.name) {
			return fmt.Errorf("%w: %q", ErrBadMethodName, e.name)
		}
		if _, dup := r.methods[e.name]; dup || seen[e.name] {
			return fmt.Errorf("%w: %s", ErrDuplicate, e.name)
		}
		seen[e.name] = true
	}
	for _, e := range ms {
		r.methods[e.name] = e.m
	}
	return nil
}

type named struct {
	name string
	m    *method
}

// Register adds a method under name and any Aliases.
func (s *Server) Register(name string, h Handler, opts ...MethodOption) error {
	m := &method{name: name, kind: kindCall, call: h}
	for _, o := range opts {
		o(m)
	}
	all := []named{{name, m}}
	for _, a := range m.aliases {
		all = append(all, named{a, m})
	}
	return s.reg.add(all...)
}

// RegisterSubscription adds a subscription: subscribe (and its Aliases)
// starts it and answers with a string id, notifications are sent as
// {"jsonrpc":"2.0","method":notification,"params":{"subscription":id,"result":r}},
// unsubscribe (and its UnsubscribeAliases) ends it and answers true, or
// false for an id this connection does not hold.
func (s *Server) RegisterSubscription(subscribe, unsubscribe, notification string, h SubHandler, opts ...MethodOption) error {
	if !validName(notification) {
		return fmt.Errorf("%w: %q", ErrBadMethodName, notification)
	}
	sub := &method{name: subscribe, kind: kindSubscribe, sub: h, notification: notification}
	for _, o := range opts {
		o(sub)
	}
	unsub := &method{name: unsubscribe, kind: kindUnsubscribe, unsafe: sub.unsafe, pair: sub}
	sub.pair = unsub
	all := []named{{subscribe, sub}, {unsubscribe, unsub}}
	for _, a := range sub.aliases {
		all = append(all, named{a, sub})
	}
	for _, a := range sub.unsubAliases {
		all = append(all, named{a, unsub})
	}
	return s.reg.add(all...)
}

// methodNames lists every registered name, aliases included, sorted.
func (r *registry) methodNames() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.methods))
	for n := range r.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// rpcMethods answers rpc_methods: {"version":1,"methods":[…]}.
func (s *Server) rpcMethods(context.Context, Params) (any, error) {
	return struct {
		Version int      `json:"version"`
		Methods []string `json:"methods"`
	}{1, s.reg.methodNames()}, nil
}

// Params are a call's positional parameters. Absent and null params are
// the empty list; object (by-name) params are refused with -32602.
type Params struct {
	raw []json.RawMessage
}

func parseParams(raw json.RawMessage) (Params, *Error) {
	t := trimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return Params{}, nil
	}
	if t[0] != '[' {
		return Params{}, invalidParams("params must be an array")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(t, &list); err != nil {
		return Params{}, invalidParams("%v", err)
	}
	return Params{raw: list}, nil
}

// Len is the number of parameters given.
func (p Params) Len() int { return len(p.raw) }

// Max fails with -32602 when more than n parameters were given.
func (p Params) Max(n int) error {
	if len(p.raw) > n {
		return invalidParams("too many params: %d, at most %d", len(p.raw), n)
	}
	return nil
}

// Raw returns parameter i, nil when absent.
func (p Params) Raw(i int) json.RawMessage {
	if i < 0 || i >= len(p.raw) {
		return nil
	}
	return p.raw[i]
}

// Present reports whether parameter i is given and not null.
func (p Params) Present(i int) bool {
	r := trimSpace(p.Raw(i))
	return len(r) > 0 && string(r) != "null"
}

// Decode unmarshals parameter i into v; a missing or null parameter fails.
func (p Params) Decode(i int, v any) error {
	if !p.Present(i) {
		return invalidParams("missing param %d", i)
	}
	if err := json.Unmarshal(p.raw[i], v); err != nil {
		return invalidParams("param %d: %v", i, err)
	}
	return nil
}

// String returns parameter i as a string.
func (p Params) String(i int) (string, error) {
	var s string
	err := p.Decode(i, &s)
	return s, err
}

// Bytes returns parameter i, a "0x"-prefixed hex string, decoded.
func (p Params) Bytes(i int) ([]byte, error) {
	s, err := p.String(i)
	if err != nil {
		return nil, err
	}
	b, err := decodeHex(s)
	if err != nil {
		return nil, invalidParams("param %d: %v", i, err)
	}
	return b, nil
}

// OptBytes is Bytes for an optional parameter: ok is false when absent or null.
func (p Params) OptBytes(i int) (b []byte, ok bool, err error) {
	if !p.Present(i) {
		return nil, false, nil
	}
	b, err = p.Bytes(i)
	return b, err == nil, err
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
