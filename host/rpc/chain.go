package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/metamars/mars/runtime/types"
)

type chainAPI struct {
	chain Chain
}

func (c *chainAPI) register(s *Server) error {
	return regList{
		func() error { return s.Register("chain_getBlockHash", c.getBlockHash, Aliases("chain_getHead")) },
		func() error { return s.Register("chain_getHeader", c.getHeader) },
		func() error { return s.Register("chain_getBlock", c.getBlock) },
		func() error {
			return s.Register("chain_getFinalizedHead", c.getFinalizedHead, Aliases("chain_getFinalisedHead"))
		},
		func() error {
			return s.RegisterSubscription("chain_subscribeNewHeads", "chain_unsubscribeNewHeads", "chain_newHead",
				c.subscribeHeads(HeadsBest),
				Aliases("subscribe_newHead", "chain_subscribeNewHead"),
				UnsubscribeAliases("unsubscribe_newHead", "chain_unsubscribeNewHead"))
		},
		func() error {
			return s.RegisterSubscription("chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads", "chain_finalizedHead",
				c.subscribeHeads(HeadsFinalized),
				Aliases("chain_subscribeFinalisedHeads"), UnsubscribeAliases("chain_unsubscribeFinalisedHeads"))
		},
		func() error {
			return s.RegisterSubscription("chain_subscribeAllHeads", "chain_unsubscribeAllHeads", "chain_allHead",
				c.subscribeHeads(HeadsAll))
		},
	}.run()
}

// getBlockHash takes nothing (best), a number, a hex number, or a list of
// them, and answers a hash or null (or a list of them).
func (c *chainAPI) getBlockHash(_ context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	if !p.Present(0) {
		return c.chain.BestHash(), nil
	}
	raw := trimSpace(p.Raw(0))
	if raw[0] != '[' {
		return c.hashOf(raw)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, invalidParams("param 0: %v", err)
	}
	out := make([]any, len(list))
	for i, r := range list {
		h, err := c.hashOf(r)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func (c *chainAPI) hashOf(raw []byte) (any, error) {
	n, err := parseNumberOrHex(raw)
	if err != nil {
		return nil, invalidParams("%v", err)
	}
	if n > math.MaxUint32 {
		return nil, NewError(CodeChainOther, fmt.Sprintf("`%d` > u32::MAX, the max block number is u32.", n), nil)
	}
	h, ok := c.chain.CanonicalHash(types.BlockNumber(n))
	if !ok {
		return nil, nil
	}
	return h, nil
}

func (c *chainAPI) at(p Params, i int) (types.Hash, error) {
	if err := p.Max(i + 1); err != nil {
		return types.Hash{}, err
	}
	h, ok, err := p.OptHash(i)
	if err != nil {
		return h, err
	}
	if !ok {
		h = c.chain.BestHash()
	}
	return h, nil
}

func (c *chainAPI) getHeader(_ context.Context, p Params) (any, error) {
	h, err := c.at(p, 0)
	if err != nil {
		return nil, err
	}
	hdr, ok, err := c.chain.Header(h)
	if err != nil {
		return nil, chainError(err)
	}
	if !ok {
		return nil, nil
	}
	return toHeaderJSON(&hdr), nil
}

func (c *chainAPI) getBlock(_ context.Context, p Params) (any, error) {
	h, err := c.at(p, 0)
	if err != nil {
		return nil, err
	}
	hdr, ok, err := c.chain.Header(h)
	if err != nil {
		return nil, chainError(err)
	}
	if !ok {
		return nil, nil
	}
	exts, ok, err := c.chain.Body(h)
	if err != nil {
		return nil, chainError(err)
	}
	if !ok {
		return nil, nil
	}
	var b blockJSON
	b.Block.Header = toHeaderJSON(&hdr)
	b.Block.Extrinsics = make([]Bytes, len(exts))
	for i, x := range exts {
		b.Block.Extrinsics[i] = x
	}
	b.Justifications = json.RawMessage("null")
	return b, nil
}

func (c *chainAPI) getFinalizedHead(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	return c.chain.FinalizedHash(), nil
}

// subscribeHeads sends the current best (or finalized) header first, as
// Substrate does, then each newer one. Heads reported while the first is
// being read are held back so that none is missed or sent out of order.
func (c *chainAPI) subscribeHeads(kind HeadKind) SubHandler {
	return func(_ context.Context, p Params, sink *Sink) error {
		if err := p.Max(0); err != nil {
			return err
		}
		var (
			mu      sync.Mutex
			started bool
			early   []types.Header
		)
		cancel := c.chain.SubscribeHeads(kind, func(h types.Header) {
			mu.Lock()
			defer mu.Unlock()
			if !started {
				if len(early) < 64 {
					early = append(early, h)
				}
				return
			}
			sink.Send(toHeaderJSON(&h))
		})
		go func() { <-sink.Done(); cancel() }()
		// The backend is read without mu held: the node may be inside the
		// callback above, waiting for mu, while holding its own locks.
		var first *types.Header
		if kind != HeadsAll {
			h := c.chain.BestHash()
			if kind == HeadsFinalized {
				h = c.chain.FinalizedHash()
			}
			hdr, ok, err := c.chain.Header(h)
			if err != nil {
				return chainError(err)
			}
			if !ok {
				return chainError(fmt.Errorf("%w: %s", ErrUnknownBlock, h))
			}
			first = &hdr
		}
		mu.Lock()
		defer mu.Unlock()
		if first != nil {
			sink.Send(toHeaderJSON(first))
			firstHash := first.Hash()
			kept := early[:0]
			for _, h := range early { // drop what the first header already covers
				if h.Number >= first.Number && h.Hash() != firstHash {
					kept = append(kept, h)
				}
			}
			early = kept
		}
		started = true
		for i := range early {
			sink.Send(toHeaderJSON(&early[i]))
		}
		early = nil
		return nil
	}
}
