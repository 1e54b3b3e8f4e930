package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// session is where a message came from: one HTTP request, or a WebSocket
// connection (ws set) that can hold subscriptions.
type session struct {
	srv  *Server
	deny bool // unsafe methods refused
	ws   *wsConn
}

type request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

var nullID = json.RawMessage("null")

type denyKey struct{}

// UnsafeDenied reports whether the call whose context this is came through
// a server that refuses unsafe methods. A safe method with an expensive
// variant (Substrate's "with_extensions" methods) checks it.
func UnsafeDenied(ctx context.Context) bool {
	deny, ok := ctx.Value(denyKey{}).(bool)
	return !ok || deny
}

// handle answers one message, a request or a batch. resp is nil when
// nothing is to be sent (only notifications). activate must be called
// after resp is queued: it releases the notifications of subscriptions
// started by the message, which must not overtake the response carrying
// their id.
func (s *Server) handle(ctx context.Context, sess *session, body []byte) (resp []byte, activate func()) {
	activate = func() {}
	body = trimSpace(body)
	if !json.Valid(body) {
		return errorResponse(nullID, errParse), activate
	}
	if body[0] != '[' {
		r, sink := s.handleOne(ctx, sess, body)
		if sink != nil {
			activate = sink.activate
		}
		return r, activate
	}
	if s.cfg.MaxBatchSize < 0 {
		return errorResponse(nullID, &Error{Code: -32005, Message: "Batched requests are not supported by this server"}), activate
	}
	var batch []json.RawMessage
	if err := json.Unmarshal(body, &batch); err != nil {
		return errorResponse(nullID, errParse), activate
	}
	if len(batch) == 0 {
		return errorResponse(nullID, errInvalidRequest), activate
	}
	if len(batch) > s.cfg.MaxBatchSize {
		return errorResponse(nullID, &Error{Code: CodeTooBigBatch, Message: "The batch request was too large",
			Data: fmt.Sprintf("Exceeded max limit of %d", s.cfg.MaxBatchSize)}), activate
	}
	out := make([]byte, 0, 64*len(batch))
	out = append(out, '[')
	var sinks []*Sink
	for _, raw := range batch {
		r, sink := s.handleOne(ctx, sess, raw)
		if sink != nil {
			sinks = append(sinks, sink)
		}
		if r == nil {
			continue
		}
		if int64(len(out)+len(r)) > s.cfg.MaxResponseSize {
			for _, sk := range sinks {
				sk.Close()
			}
			return errorResponse(nullID, &Error{Code: -32011, Message: "The batch response was too large",
				Data: fmt.Sprintf("Exceeded max limit of %d", s.cfg.MaxResponseSize)}), func() {}
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, r...)
	}
	if len(sinks) > 0 {
		activate = func() {
			for _, sk := range sinks {
				sk.activate()
			}
		}
	}
	if len(out) == 1 {
		return nil, activate
	}
	return append(out, ']'), activate
}

// validID accepts the id kinds JSON-RPC 2.0 allows: string, number, null.
func validID(id json.RawMessage) bool {
	id = trimSpace(id)
	if len(id) == 0 {
		return false
	}
	switch id[0] {
	case '"', 'n':
		return true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return true
	}
	return false
}

// parseRequest reads a request object with exact (case-sensitive) member
// names, which encoding/json's struct decoding would not give.
func parseRequest(raw json.RawMessage) (req request, ok bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return req, false
	}
	req.ID, req.Params = fields["id"], fields["params"]
	if json.Unmarshal(fields["jsonrpc"], &req.JSONRPC) != nil || json.Unmarshal(fields["method"], &req.Method) != nil {
		return req, false
	}
	return req, true
}

// handleOne answers one request; sink is the subscription it started.
func (s *Server) handleOne(ctx context.Context, sess *session, raw json.RawMessage) (resp []byte, sink *Sink) {
	req, ok := parseRequest(raw)
	notification := req.ID == nil
	id := req.ID
	if notification || !validID(id) {
		id = nullID
	}
	if !ok || (!notification && !validID(req.ID)) {
		return errorResponse(id, errInvalidRequest), nil
	}
	if req.JSONRPC != "2.0" || req.Method == "" {
		if notification {
			return nil, nil
		}
		return errorResponse(id, errInvalidRequest), nil
	}
	result, sink, rerr := s.call(ctx, sess, &req)
	if notification {
		if sink != nil { // a subscription nobody can learn the id of
			sink.Close()
		}
		return nil, nil
	}
	if rerr != nil {
		return errorResponse(id, rerr), nil
	}
	resp = resultResponse(id, result)
	if int64(len(resp)) > s.cfg.MaxResponseSize {
		if sink != nil {
			sink.Close()
		}
		return errorResponse(id, &Error{Code: CodeOversizedResponse, Message: "Response is too big",
			Data: fmt.Sprintf("Exceeded max limit of %d", s.cfg.MaxResponseSize)}), nil
	}
	return resp, sink
}

// call runs a method and returns its encoded result.
func (s *Server) call(ctx context.Context, sess *session, req *request) (result []byte, sink *Sink, rerr *Error) {
	m := s.reg.lookup(req.Method)
	if m == nil {
		return nil, nil, errMethodNotFound
	}
	if m.unsafe && sess.deny {
		return nil, nil, errUnsafe
	}
	p, perr := parseParams(req.Params)
	if perr != nil {
		return nil, nil, perr
	}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("rpc: handler panic", "method", req.Method, "panic", r)
			if sink != nil {
				sink.Close()
			}
			result, sink, rerr = nil, nil, &Error{Code: CodeInternalError, Message: "Internal error"}
		}
	}()
	ctx = context.WithValue(ctx, denyKey{}, sess.deny)
	switch m.kind {
	case kindSubscribe:
		return s.subscribe(ctx, sess, m, p)
	case kindUnsubscribe:
		return s.unsubscribe(sess, m, p)
	}
	v, err := m.call(ctx, p)
	if err != nil {
		return nil, nil, toError(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		s.log.Error("rpc: encoding result", "method", req.Method, "err", err)
		return nil, nil, &Error{Code: CodeInternalError, Message: "Internal error"}
	}
	return b, nil, nil
}

func (s *Server) subscribe(ctx context.Context, sess *session, m *method, p Params) ([]byte, *Sink, *Error) {
	if sess.ws == nil {
		return nil, nil, &Error{Code: CodeMethodNotFound, Message: "Method not found", Data: "subscriptions need a WebSocket connection"}
	}
	sink, rerr := sess.ws.newSink(m)
	if rerr != nil {
		return nil, nil, rerr
	}
	if err := m.sub(ctx, p, sink); err != nil {
		sink.Close()
		return nil, nil, toError(err)
	}
	return strconv.AppendQuote(nil, sink.id), sink, nil
}

func (s *Server) unsubscribe(sess *session, m *method, p Params) ([]byte, *Sink, *Error) {
	if sess.ws == nil {
		return nil, nil, &Error{Code: CodeMethodNotFound, Message: "Method not found", Data: "subscriptions need a WebSocket connection"}
	}
	if err := p.Max(1); err != nil {
		return nil, nil, toError(err)
	}
	var id string
	raw := trimSpace(p.Raw(0))
	if len(raw) > 0 && raw[0] != '"' { // jsonrpsee also accepts numeric ids
		if _, err := parseNumberOrHex(raw); err != nil {
			return nil, nil, invalidParams("invalid subscription id")
		}
		id = string(raw)
	} else {
		var err error
		if id, err = p.String(0); err != nil {
			return nil, nil, toError(err)
		}
	}
	if sess.ws.unsubscribe(id, m.pair) {
		return []byte("true"), nil, nil
	}
	return []byte("false"), nil, nil
}

func resultResponse(id json.RawMessage, result []byte) []byte {
	out := make([]byte, 0, len(result)+len(id)+32)
	out = append(out, `{"jsonrpc":"2.0","id":`...)
	out = append(out, id...)
	out = append(out, `,"result":`...)
	out = append(out, result...)
	return append(out, '}')
}

func errorResponse(id json.RawMessage, e *Error) []byte {
	b, err := json.Marshal(e)
	if err != nil { // Data that cannot be encoded: drop it
		b, _ = json.Marshal(&Error{Code: e.Code, Message: e.Message})
	}
	out := make([]byte, 0, len(b)+len(id)+32)
	out = append(out, `{"jsonrpc":"2.0","id":`...)
	out = append(out, id...)
	out = append(out, `,"error":`...)
	out = append(out, b...)
	return append(out, '}')
}
