package rpc

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/coder/websocket"
)

// wsConn is one WebSocket connection: a reader that runs calls
// concurrently (bounded), one writer fed by out, and the subscriptions.
type wsConn struct {
	srv *Server
	ctx context.Context
	out chan []byte // never closed; the writer stops on ctx

	mu   sync.Mutex
	subs map[string]*Sink // guarded by mu
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true}) // origin checked in ServeHTTP
	if err != nil {
		return
	}
	c.SetReadLimit(s.cfg.MaxRequestSize)
	ctx, cancel := context.WithCancel(context.Background())
	wc := &wsConn{srv: s, ctx: ctx, out: make(chan []byte, s.cfg.MessageBuffer), subs: make(map[string]*Sink)}
	sess := &session{srv: s, deny: s.denyUnsafe.Load(), ws: wc}

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // writer
		defer wg.Done()
		for {
			select {
			case msg := <-wc.out:
				if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
					cancel()
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { // shutdown watcher
		defer wg.Done()
		select {
		case <-s.closing:
			closed := make(chan struct{})
			go func() { // the close handshake needs the peer's answer
				c.Close(websocket.StatusGoingAway, "server shutting down")
				close(closed)
			}()
			select {
			case <-closed:
			case <-s.forceClose:
				// Shutdown's context expired: cancelling the context of the
				// pending Read makes the library drop the TCP connection,
				// which also ends the close handshake.
				cancel()
				<-closed
			}
			cancel()
		case <-ctx.Done():
		}
	}()

	sem := make(chan struct{}, s.cfg.MaxConcurrentCalls)
	var calls sync.WaitGroup
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		calls.Add(1)
		go func() {
			defer calls.Done()
			defer func() { <-sem }()
			resp, activate := s.handle(ctx, sess, data)
			if resp != nil {
				select {
				case wc.out <- resp:
				case <-ctx.Done():
				}
			}
			activate()
		}()
	}
	cancel()
	calls.Wait()
	wc.closeAll()
	wg.Wait()
	c.CloseNow()
}

// newSink reserves a subscription slot.
func (wc *wsConn) newSink(m *method) (*Sink, *Error) {
	wc.mu.Lock()
	defer wc.mu.Unlock()
	if wc.ctx.Err() != nil {
		return nil, &Error{Code: CodeInternalError, Message: "connection closed"}
	}
	if len(wc.subs) >= wc.srv.cfg.MaxSubsPerConn {
		return nil, &Error{Code: CodeTooManySubscriptions, Message: tooManySubscriptionsMessage,
			Data: fmt.Sprintf("Exceeded max limit of %d", wc.srv.cfg.MaxSubsPerConn)}
	}
	var id string
	for id == "" || wc.subs[id] != nil {
		id = randomID()
	}
	sk := &Sink{id: id, m: m, conn: wc, done: make(chan struct{}), queue: make(chan []byte, sinkBuffer)}
	wc.subs[id] = sk
	return sk, nil
}

func (wc *wsConn) unsubscribe(id string, m *method) bool {
	wc.mu.Lock()
	sk := wc.subs[id]
	wc.mu.Unlock()
	if sk == nil || sk.m != m {
		return false
	}
	sk.Close()
	return true
}

func (wc *wsConn) remove(sk *Sink) {
	wc.mu.Lock()
	if wc.subs[sk.id] == sk {
		delete(wc.subs, sk.id)
	}
	wc.mu.Unlock()
}

func (wc *wsConn) closeAll() {
	wc.mu.Lock()
	all := make([]*Sink, 0, len(wc.subs))
	for _, sk := range wc.subs {
		all = append(all, sk)
	}
	wc.mu.Unlock()
	for _, sk := range all {
		sk.Close()
	}
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomID is a 16-character alphanumeric id, like Substrate's
// RandomStringIdProvider.
func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b[:])
}

// sinkBuffer is how many notifications one subscription may have waiting:
// a client that lets one subscription fall this far behind loses that
// subscription (not the others, and not the node's time).
const sinkBuffer = 512

// Sink delivers one subscription's notifications. Send never blocks: each
// subscription has its own bounded queue, drained into the connection by
// its own pump once the response carrying the id is queued; when that queue
// is full the subscription is dropped (Done is closed) rather than stall
// the caller, who is usually the node. Buffering per subscription (as
// Substrate does) means a burst of responses on the connection cannot make
// a subscription lose its first notification.
type Sink struct {
	id    string
	m     *method
	conn  *wsConn
	done  chan struct{}
	once  sync.Once
	queue chan []byte

	activated sync.Once
}

// ID is the subscription id given to the client.
func (sk *Sink) ID() string { return sk.id }

// Done is closed when the subscription ends, for whatever reason.
func (sk *Sink) Done() <-chan struct{} { return sk.done }

// Close ends the subscription from the server side (e.g. after a final
// transaction status). It is idempotent. Notifications already queued are
// still delivered (a transaction's final status is sent, then closed).
func (sk *Sink) Close() {
	sk.once.Do(func() {
		close(sk.done)
		sk.conn.remove(sk)
	})
}

func (sk *Sink) closed() bool {
	select {
	case <-sk.done:
		return true
	default:
		return false
	}
}

// Send encodes v as the result of a notification and queues it. It
// reports false when the subscription is over or was just dropped.
func (sk *Sink) Send(v any) bool {
	if sk.closed() {
		return false
	}
	msg, ok := sk.encode(v)
	if !ok {
		return false
	}
	select {
	case sk.queue <- msg:
		return true
	default:
		sk.conn.srv.log.Warn("rpc: subscription dropped: client too slow", "method", sk.m.notification, "id", sk.id)
		sk.Close()
		return false
	}
}

// encode builds the notification message carrying v.
func (sk *Sink) encode(v any) ([]byte, bool) {
	res, err := json.Marshal(v)
	if err != nil {
		sk.conn.srv.log.Error("rpc: encoding notification", "method", sk.m.notification, "err", err)
		return nil, false
	}
	msg := make([]byte, 0, len(res)+len(sk.m.notification)+80)
	msg = append(msg, `{"jsonrpc":"2.0","method":`...)
	msg = strconv.AppendQuote(msg, sk.m.notification)
	msg = append(msg, `,"params":{"subscription":`...)
	msg = strconv.AppendQuote(msg, sk.id)
	msg = append(msg, `,"result":`...)
	msg = append(msg, res...)
	msg = append(msg, `}}`...)
	return msg, true
}

// sendWait is Send for a worker of the server's own that streams a long
// result (archive_v1_storage): when the queue is full it waits for room
// rather than drop the subscription, so a slow client slows the worker
// down instead of losing its answer. It reports false once the
// subscription is over. Never use it from the node's callbacks.
func (sk *Sink) sendWait(v any) bool {
	if sk.closed() {
		return false
	}
	msg, ok := sk.encode(v)
	if !ok {
		return false
	}
	select {
	case sk.queue <- msg:
		return true
	case <-sk.done:
		return false
	}
}

// activate starts delivering: called once the response with the id is
// queued on the connection, so no notification overtakes it.
func (sk *Sink) activate() {
	sk.activated.Do(func() { go sk.pump() })
}

// pump moves the subscription's notifications to the connection until the
// subscription ends (then it flushes what is queued) or the connection does.
func (sk *Sink) pump() {
	for {
		select {
		case msg := <-sk.queue:
			select {
			case sk.conn.out <- msg:
			case <-sk.conn.ctx.Done():
				return
			}
		case <-sk.done:
			for {
				select {
				case msg := <-sk.queue:
					select {
					case sk.conn.out <- msg:
					case <-sk.conn.ctx.Done():
						return
					}
				default:
					return
				}
			}
		case <-sk.conn.ctx.Done():
			return
		}
	}
}
