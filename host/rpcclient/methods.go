package rpcclient

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/metamars/mars/runtime/types"
)

// Bytes is binary data in its JSON-RPC form, "0x"-prefixed hex.
type Bytes []byte

// MarshalJSON writes "0x<hex>".
func (b Bytes) MarshalJSON() ([]byte, error) {
	return json.Marshal("0x" + hex.EncodeToString(b))
}

// UnmarshalJSON reads "0x<hex>".
func (b *Bytes) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := DecodeHex(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// DecodeHex decodes "0x"-prefixed (or bare) hex.
func DecodeHex(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, fmt.Errorf("rpcclient: bad hex %.40q: %w", s, err)
	}
	return b, nil
}

// Header is a block header as the node serialises it (PROTOCOL.md §6).
type Header struct {
	ParentHash     types.Hash `json:"parentHash"`
	Number         string     `json:"number"` // minimal hex, "0x1a"
	StateRoot      types.Hash `json:"stateRoot"`
	ExtrinsicsRoot types.Hash `json:"extrinsicsRoot"`
	Digest         struct {
		Logs []Bytes `json:"logs"`
	} `json:"digest"`
}

// BlockNumber parses Number.
func (h *Header) BlockNumber() (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(h.Number, "0x"), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("rpcclient: header number %q: %w", h.Number, err)
	}
	return n, nil
}

// SignedBlock is chain_getBlock's result.
type SignedBlock struct {
	Block struct {
		Header     Header  `json:"header"`
		Extrinsics []Bytes `json:"extrinsics"`
	} `json:"block"`
}

// RuntimeVersion is state_getRuntimeVersion's result (the fields a client
// needs to sign).
type RuntimeVersion struct {
	SpecName           string `json:"specName"`
	ImplName           string `json:"implName"`
	SpecVersion        uint32 `json:"specVersion"`
	TransactionVersion uint32 `json:"transactionVersion"`
}

// at returns the optional block-hash parameter list.
func at(hash *types.Hash) []any {
	if hash == nil {
		return nil
	}
	return []any{*hash}
}

// BlockHash returns the hash of block number n on the best chain.
func (c *Client) BlockHash(ctx context.Context, n uint64) (types.Hash, error) {
	var h *types.Hash
	if err := c.Call(ctx, &h, "chain_getBlockHash", n); err != nil {
		return types.Hash{}, err
	}
	if h == nil {
		return types.Hash{}, fmt.Errorf("rpcclient: chain_getBlockHash: no block %d", n)
	}
	return *h, nil
}

// FinalizedHead returns the hash of the last finalized block.
func (c *Client) FinalizedHead(ctx context.Context) (types.Hash, error) {
	var h types.Hash
	err := c.Call(ctx, &h, "chain_getFinalizedHead")
	return h, err
}

// Header returns a block's header (the best block's when hash is nil).
func (c *Client) Header(ctx context.Context, hash *types.Hash) (*Header, error) {
	var h *Header
	if err := c.Call(ctx, &h, "chain_getHeader", at(hash)...); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, fmt.Errorf("rpcclient: chain_getHeader: unknown block %v", hash)
	}
	return h, nil
}

// Block returns a block (the best block when hash is nil).
func (c *Client) Block(ctx context.Context, hash *types.Hash) (*SignedBlock, error) {
	var b *SignedBlock
	if err := c.Call(ctx, &b, "chain_getBlock", at(hash)...); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("rpcclient: chain_getBlock: unknown block %v", hash)
	}
	return b, nil
}

// RuntimeVersion returns the runtime version at a block (nil: best).
func (c *Client) RuntimeVersion(ctx context.Context, hash *types.Hash) (*RuntimeVersion, error) {
	var v RuntimeVersion
	if err := c.Call(ctx, &v, "state_getRuntimeVersion", at(hash)...); err != nil {
		return nil, err
	}
	return &v, nil
}

// Storage returns the value under key at a block (nil: best); found is
// false when there is none.
func (c *Client) Storage(ctx context.Context, key []byte, hash *types.Hash) (value []byte, found bool, err error) {
	var v *Bytes
	if err := c.Call(ctx, &v, "state_getStorage", append([]any{Bytes(key)}, at(hash)...)...); err != nil {
		return nil, false, err
	}
	if v == nil {
		return nil, false, nil
	}
	return *v, true, nil
}

// Metadata returns the opaque runtime metadata at a block (nil: best).
func (c *Client) Metadata(ctx context.Context, hash *types.Hash) ([]byte, error) {
	var v Bytes
	err := c.Call(ctx, &v, "state_getMetadata", at(hash)...)
	return v, err
}

// AccountNextIndex returns the next nonce of an account (SS58 address),
// counting its transactions in the node's pool.
func (c *Client) AccountNextIndex(ctx context.Context, address string) (uint32, error) {
	var n uint32
	err := c.Call(ctx, &n, "system_accountNextIndex", address)
	return n, err
}

// SubmitExtrinsic submits an encoded extrinsic and returns its hash.
func (c *Client) SubmitExtrinsic(ctx context.Context, ext []byte) (types.Hash, error) {
	var h types.Hash
	err := c.Call(ctx, &h, "author_submitExtrinsic", Bytes(ext))
	return h, err
}

// TxStatus is one author_extrinsicUpdate notification: Kind is "future",
// "ready", "broadcast", "inBlock", "retracted", "finalityTimeout",
// "finalized", "usurped", "dropped" or "invalid"; Hash is the block (or
// usurping transaction) of the statuses that carry one.
type TxStatus struct {
	Kind  string
	Hash  types.Hash
	Peers []string
}

// Final reports whether no status follows this one.
func (s TxStatus) Final() bool {
	switch s.Kind {
	case "finalized", "finalityTimeout", "usurped", "dropped", "invalid":
		return true
	}
	return false
}

func (s TxStatus) String() string {
	switch s.Kind {
	case "future", "ready", "dropped", "invalid":
		return s.Kind
	case "broadcast":
		return fmt.Sprintf("broadcast to %d peers", len(s.Peers))
	}
	return s.Kind + " " + s.Hash.Hex()
}

// UnmarshalJSON reads "ready" or {"inBlock":"0x…"} or {"broadcast":[…]}.
func (s *TxStatus) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		*s = TxStatus{Kind: name}
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || len(obj) != 1 {
		return fmt.Errorf("rpcclient: bad transaction status %.100s", b)
	}
	for k, v := range obj {
		*s = TxStatus{Kind: k}
		if k == "broadcast" {
			return json.Unmarshal(v, &s.Peers)
		}
		return json.Unmarshal(v, &s.Hash)
	}
	return nil
}

// TxWatch follows one submitted extrinsic.
type TxWatch struct{ *Subscription }

// Next waits for the next status.
func (w TxWatch) Next(ctx context.Context) (TxStatus, error) {
	raw, err := w.Subscription.Next(ctx)
	if err != nil {
		return TxStatus{}, err
	}
	var st TxStatus
	err = json.Unmarshal(raw, &st)
	return st, err
}

// SubmitAndWatch submits an encoded extrinsic with
// author_submitAndWatchExtrinsic (WebSocket only) and returns the watch of
// its author_extrinsicUpdate statuses.
func (c *Client) SubmitAndWatch(ctx context.Context, ext []byte) (TxWatch, error) {
	s, err := c.Subscribe(ctx, "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", Bytes(ext))
	if err != nil {
		return TxWatch{}, err
	}
	return TxWatch{s}, nil
}
