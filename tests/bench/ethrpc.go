package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/metamars/mars/host/rpcclient"
)

// ethRPC is the handful of Ethereum JSON-RPC calls the geth driver needs,
// over host/rpcclient. (go-ethereum's ethclient cannot be built in this
// module: go.sum lacks its rpc package's dependencies.)
type ethRPC struct{ *rpcclient.Client }

func dialEth(ctx context.Context, url string) (*ethRPC, error) {
	c, err := rpcclient.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	return &ethRPC{c}, nil
}

func (c *ethRPC) ChainID(ctx context.Context) (*big.Int, error) {
	var v hexutil.Big
	if err := c.Call(ctx, &v, "eth_chainId"); err != nil {
		return nil, err
	}
	return v.ToInt(), nil
}

func (c *ethRPC) BalanceAt(ctx context.Context, a common.Address) (*big.Int, error) {
	var v hexutil.Big
	if err := c.Call(ctx, &v, "eth_getBalance", a, "latest"); err != nil {
		return nil, err
	}
	return v.ToInt(), nil
}

func (c *ethRPC) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	var v hexutil.Uint64
	err := c.Call(ctx, &v, "eth_getTransactionCount", a, "pending")
	return uint64(v), err
}

func (c *ethRPC) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	raw, err := tx.MarshalBinary()
	if err != nil {
		return err
	}
	var h common.Hash
	return c.Call(ctx, &h, "eth_sendRawTransaction", hexutil.Bytes(raw))
}

// ethBlock is eth_getBlockByNumber's result with transaction hashes.
type ethBlock struct {
	Number       hexutil.Big   `json:"number"`
	Hash         common.Hash   `json:"hash"`
	BaseFee      *hexutil.Big  `json:"baseFeePerGas"`
	Transactions []common.Hash `json:"transactions"`
}

var errNotFound = errors.New("bench: not found")

// BlockByNumber returns a block (nil number: the latest).
func (c *ethRPC) BlockByNumber(ctx context.Context, n *big.Int) (*ethBlock, error) {
	tag := "latest"
	if n != nil {
		tag = hexutil.EncodeBig(n)
	}
	var b *ethBlock
	if err := c.Call(ctx, &b, "eth_getBlockByNumber", tag, false); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, fmt.Errorf("%w: block %s", errNotFound, tag)
	}
	return b, nil
}

// ReceiptStatus returns a mined transaction's receipt status (1 success),
// errNotFound while it is not mined.
func (c *ethRPC) ReceiptStatus(ctx context.Context, h common.Hash) (uint64, error) {
	var r *struct {
		Status hexutil.Uint64 `json:"status"`
	}
	if err := c.Call(ctx, &r, "eth_getTransactionReceipt", h); err != nil {
		return 0, err
	}
	if r == nil {
		return 0, errNotFound
	}
	return uint64(r.Status), nil
}

// SubscribeNewHeads subscribes to eth_subscribe("newHeads") (WebSocket).
func (c *ethRPC) SubscribeNewHeads(ctx context.Context) (*rpcclient.Subscription, error) {
	return c.Subscribe(ctx, "eth_subscribe", "eth_unsubscribe", "newHeads")
}

// headNumber decodes the number of a newHeads notification.
func headNumber(raw []byte) (uint64, error) {
	var h struct {
		Number hexutil.Uint64 `json:"number"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return 0, fmt.Errorf("bench: bad newHeads notification %.100s: %w", raw, err)
	}
	return uint64(h.Number), nil
}
