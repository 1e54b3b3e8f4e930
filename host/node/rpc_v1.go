package node

import (
	"sync"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/rpc"
)

// SubscribeEvents implements rpc.ChainEvents: imports and finalizations in
// the chain's order, for chainHead_v1_follow.
func (r *rpcChain) SubscribeEvents(fn func(rpc.ChainEvent)) func() {
	events, unsub := r.c.Subscribe()
	done := make(chan struct{})
	var once sync.Once
	go func() {
		for {
			select {
			case <-done:
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				if ev.Header == nil {
					continue
				}
				switch ev.Kind {
				case chain.EventImported:
					fn(rpc.ChainEvent{Header: *ev.Header, NewBest: ev.NewBest})
				case chain.EventFinalized:
					fn(rpc.ChainEvent{Header: *ev.Header, Finalized: true})
				}
			}
		}
	}()
	return func() {
		once.Do(func() {
			close(done)
			unsub()
		})
	}
}

var _ rpc.ChainEvents = (*rpcChain)(nil)
