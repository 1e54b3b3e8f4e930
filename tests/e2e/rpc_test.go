package e2e

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/metamars/mars/runtime/types"
)

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *rpcError) Error() string {
	return fmt.Sprintf("rpc error %d: %s (data %s)", e.Code, e.Message, e.Data)
}

// DataString is the error's data as text (a JSON string unquoted).
func (e *rpcError) DataString() string {
	var s string
	if json.Unmarshal(e.Data, &s) == nil {
		return s
	}
	return string(e.Data)
}

type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *rpcError       `json:"error"`
	Method  string          `json:"method"`
	Params  *struct {
		Subscription string          `json:"subscription"`
		Result       json.RawMessage `json:"result"`
	} `json:"params"`
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

var reqID atomic.Int64

// call makes one JSON-RPC call over HTTP. A JSON-RPC error comes back as
// *rpcError; transport trouble as another error.
func (n *node) call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": reqID.Add(1), "method": method, "params": params})
	if err != nil {
		return nil, err
	}
	return n.post(ctx, body)
}

func (n *node) post(ctx context.Context, body []byte) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.rpcHTTP, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var r rpcResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("HTTP %d, body %.200q: %w", resp.StatusCode, raw, err)
	}
	if r.Error != nil {
		return nil, r.Error
	}
	return r.Result, nil
}

// callInto is call decoding the result into v.
func (n *node) callInto(ctx context.Context, v any, method string, params ...any) error {
	raw, err := n.call(ctx, method, params...)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: decoding %s: %w", method, raw, err)
	}
	return nil
}

// header is chain_getHeader's answer.
type header struct {
	ParentHash     string `json:"parentHash"`
	Number         string `json:"number"`
	StateRoot      string `json:"stateRoot"`
	ExtrinsicsRoot string `json:"extrinsicsRoot"`
}

func (h header) num() uint64 {
	v, err := strconv.ParseUint(strings.TrimPrefix(h.Number, "0x"), 16, 64)
	if err != nil {
		return ^uint64(0)
	}
	return v
}

// getHeader returns the header at hash ("" = best).
func (n *node) getHeader(ctx context.Context, hash string) (header, error) {
	var h header
	var err error
	if hash == "" {
		err = n.callInto(ctx, &h, "chain_getHeader")
	} else {
		err = n.callInto(ctx, &h, "chain_getHeader", hash)
	}
	if err == nil && h.Number == "" {
		err = fmt.Errorf("chain_getHeader(%s): %w", hash, errNull)
	}
	return h, err
}

// best returns the best block's number and hash.
func (n *node) best(ctx context.Context) (uint64, string, error) {
	// chain_getBlockHash without a number is the best hash; then read its
	// header so number and hash belong to one block.
	var hash string
	if err := n.callInto(ctx, &hash, "chain_getBlockHash"); err != nil {
		return 0, "", err
	}
	h, err := n.getHeader(ctx, hash)
	if err != nil {
		return 0, "", err
	}
	return h.num(), hash, nil
}

func (n *node) blockHash(ctx context.Context, num uint64) (string, error) {
	var hash *string
	if err := n.callInto(ctx, &hash, "chain_getBlockHash", num); err != nil {
		return "", err
	}
	if hash == nil {
		return "", fmt.Errorf("chain_getBlockHash(%d): %w", num, errNull)
	}
	return *hash, nil
}

// waitBlock polls until the best block number is at least num.
func (n *node) waitBlock(ctx context.Context, num uint64, max time.Duration) (uint64, error) {
	var got uint64
	err := poll(ctx, max, 50*time.Millisecond, fmt.Sprintf("%s: waiting for block #%d", n.name, num), func(ctx context.Context) (bool, error) {
		b, _, err := n.best(ctx)
		got = b
		return err == nil && b >= num, err
	})
	return got, err
}

// block is chain_getBlock's answer.
type block struct {
	Block struct {
		Header     header   `json:"header"`
		Extrinsics []string `json:"extrinsics"`
	} `json:"block"`
}

// storage returns state_getStorage(key, at) ("" = best); nil for none.
func (n *node) storage(ctx context.Context, key []byte, at string) ([]byte, error) {
	var v *string
	var err error
	if at == "" {
		err = n.callInto(ctx, &v, "state_getStorage", hexOf(key))
	} else {
		err = n.callInto(ctx, &v, "state_getStorage", hexOf(key), at)
	}
	if err != nil || v == nil {
		return nil, err
	}
	return unhex(*v)
}

func hexOf(b []byte) string { return "0x" + hex.EncodeToString(b) }

func unhex(s string) ([]byte, error) {
	return hex.DecodeString(strings.TrimPrefix(s, "0x"))
}

func hashOf(s string) types.Hash {
	h, err := types.HashFromHex(s)
	if err != nil {
		panic(err)
	}
	return h
}

// wsClient is a JSON-RPC client over one WebSocket connection.
type wsClient struct {
	c       *websocket.Conn
	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	pending map[int64]chan rpcResponse
	subs    map[string]chan json.RawMessage
	early   map[string][]json.RawMessage // notifications before their sub is known
	done    chan struct{}
	readErr error
}

func (n *node) dialWS(ctx context.Context) (*wsClient, error) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dctx, n.rpcWS, nil)
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(64 << 20)
	wctx, wcancel := context.WithCancel(context.Background())
	w := &wsClient{c: c, ctx: wctx, cancel: wcancel, pending: map[int64]chan rpcResponse{},
		subs: map[string]chan json.RawMessage{}, early: map[string][]json.RawMessage{}, done: make(chan struct{})}
	go w.readLoop()
	n.t.Cleanup(w.close)
	return w, nil
}

func (w *wsClient) close() {
	w.cancel()
	_ = w.c.CloseNow()
	<-w.done
}

func (w *wsClient) readLoop() {
	defer close(w.done)
	for {
		_, data, err := w.c.Read(w.ctx)
		if err != nil {
			w.mu.Lock()
			w.readErr = err
			for id, ch := range w.pending {
				close(ch)
				delete(w.pending, id)
			}
			for _, ch := range w.subs {
				close(ch)
			}
			w.subs = map[string]chan json.RawMessage{}
			w.mu.Unlock()
			return
		}
		var r rpcResponse
		if err := json.Unmarshal(data, &r); err != nil {
			continue
		}
		w.mu.Lock()
		if r.Method != "" && r.Params != nil {
			if ch, ok := w.subs[r.Params.Subscription]; ok {
				select {
				case ch <- r.Params.Result:
				default: // a test that does not read its subscription loses notifications
				}
			} else {
				w.early[r.Params.Subscription] = append(w.early[r.Params.Subscription], r.Params.Result)
			}
		} else if id, err := strconv.ParseInt(string(r.ID), 10, 64); err == nil {
			if ch, ok := w.pending[id]; ok {
				ch <- r
				delete(w.pending, id)
			}
		}
		w.mu.Unlock()
	}
}

// send writes a request and returns the channel its response arrives on.
func (w *wsClient) send(ctx context.Context, method string, params ...any) (int64, chan rpcResponse, error) {
	if params == nil {
		params = []any{}
	}
	id := reqID.Add(1)
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return 0, nil, err
	}
	ch := make(chan rpcResponse, 1)
	w.mu.Lock()
	if w.readErr != nil {
		w.mu.Unlock()
		return 0, nil, w.readErr
	}
	w.pending[id] = ch
	w.mu.Unlock()
	if err := w.c.Write(ctx, websocket.MessageText, body); err != nil {
		w.mu.Lock()
		delete(w.pending, id)
		w.mu.Unlock()
		return 0, nil, err
	}
	return id, ch, nil
}

func (w *wsClient) await(ctx context.Context, ch chan rpcResponse) (rpcResponse, error) {
	select {
	case r, ok := <-ch:
		if !ok {
			return r, fmt.Errorf("connection closed: %v", w.readErr)
		}
		if r.Error != nil {
			return r, r.Error
		}
		return r, nil
	case <-ctx.Done():
		return rpcResponse{}, ctx.Err()
	}
}

// call is a request/response over the socket.
func (w *wsClient) call(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	_, ch, err := w.send(ctx, method, params...)
	if err != nil {
		return nil, err
	}
	r, err := w.await(ctx, ch)
	return r.Result, err
}

// subscribe calls a subscription method and returns its id and
// notification channel (buffered; overflow is dropped).
func (w *wsClient) subscribe(ctx context.Context, method string, params ...any) (string, chan json.RawMessage, error) {
	raw, err := w.call(ctx, method, params...)
	if err != nil {
		return "", nil, err
	}
	var id string
	if err := json.Unmarshal(raw, &id); err != nil {
		return "", nil, fmt.Errorf("%s: subscription id %s: %w", method, raw, err)
	}
	ch := make(chan json.RawMessage, 256)
	w.mu.Lock()
	for _, n := range w.early[id] {
		ch <- n
	}
	delete(w.early, id)
	w.subs[id] = ch
	w.mu.Unlock()
	return id, ch, nil
}
