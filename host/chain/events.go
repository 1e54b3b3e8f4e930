package chain

import (
	"sync"

	"github.com/metamars/mars/runtime/types"
)

// Event is what the chain tells its subscribers, in the order it happened.
type Event struct {
	// Kind is EventImported or EventFinalized.
	Kind   EventKind
	Block  BlockRef
	Header *types.Header
	// NewBest is set on an import that moved the best block.
	NewBest bool
	// Retracted are the blocks that left the best chain in a reorg (newest
	// first); Enacted those that joined it (oldest first, ending with Block).
	Retracted, Enacted []BlockRef
	// Extrinsics of an imported block (with their length prefixes).
	Extrinsics [][]byte
	// RetractedExtrinsics are the extrinsics of the Retracted blocks, read
	// before those blocks may be pruned: the transaction pool takes them
	// back, or a reorg would lose users' transactions.
	RetractedExtrinsics [][]byte
}

// EventKind says what happened to a block.
type EventKind uint8

const (
	EventImported EventKind = iota + 1
	EventFinalized
)

// subscriberBuffer bounds how far a subscriber may lag before it is dropped:
// a stuck RPC client must never stall block import.
const subscriberBuffer = 1024

type broker struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Event // guarded by mu
}

func newBroker() *broker { return &broker{subs: map[int]chan Event{}} }

func (b *broker) subscribe() (<-chan Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.next
	b.next++
	ch := make(chan Event, subscriberBuffer)
	b.subs[id] = ch
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if c, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(c)
		}
	}
}

func (b *broker) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, ch := range b.subs {
		select {
		case ch <- ev:
		default:
			// The subscriber fell too far behind: close its channel so it
			// knows it missed events, rather than block the chain.
			delete(b.subs, id)
			close(ch)
		}
	}
}

// Subscribe returns a channel of chain events and a function that ends the
// subscription. A subscriber that falls more than 1024 events behind has its
// channel closed.
func (c *Chain) Subscribe() (<-chan Event, func()) { return c.events.subscribe() }

// extrinsicsOf returns the extrinsics of blocks (bodies that cannot be read
// are skipped: their transactions are only lost to the pool).
func (c *Chain) extrinsicsOf(blocks []BlockRef) [][]byte {
	var out [][]byte
	for _, b := range blocks {
		body, err := c.Body(b.Hash)
		if err != nil {
			c.log.Debug("retracted block without a body", "number", b.Number, "hash", b.Hash, "err", err)
			continue
		}
		out = append(out, body...)
	}
	return out
}
