package frame

import (
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Context is what a call, hook or extension runs with: the host (storage,
// hashing, crypto; Context embeds it, so a *Context is a Store) and the
// runtime it belongs to (pallet indices, System, limits). The block number,
// extrinsic index and event phase live in System storage, because each
// runtime API call (initialize, apply, finalize) is a separate WASM call;
// Context reads them from there.
type Context struct {
	abi.Host
	rt     *Runtime
	events []EventRecord
	// batchVerify: extrinsic signatures go to the host's signature batch
	// (only while executing a block, see executeBlock).
	batchVerify bool
}

// NewContext returns a context for one entry-point call.
func (r *Runtime) NewContext(h abi.Host) *Context { return &Context{Host: h, rt: r} }

// Runtime returns the runtime the context belongs to.
func (c *Context) Runtime() *Runtime { return c.rt }

// BlockNumber is the number of the block being built or executed.
func (c *Context) BlockNumber() types.BlockNumber { return c.rt.system.BlockNumber(c) }

// Deposit records an event of the named pallet in System.Events with the
// current phase. ev encodes its variant index ++ fields; the runtime
// prefixes the pallet's index. Like FRAME, nothing is recorded at genesis
// (block 0).
func (c *Context) Deposit(pallet string, ev scale.Encodable) {
	c.DepositWithTopics(pallet, ev, nil)
}

// DepositWithTopics is Deposit with topics (System.EventTopics).
func (c *Context) DepositWithTopics(pallet string, ev scale.Encodable, topics []types.Hash) {
	idx, ok := c.rt.PalletIndex(pallet)
	if !ok {
		return // not part of this runtime: nothing to record
	}
	e := scale.NewEncoder(64)
	e.PutU8(idx)
	ev.EncodeTo(e)
	if rec, ok := c.rt.system.DepositEvent(c, e.Bytes(), topics); ok {
		c.events = append(c.events, rec)
	}
}

// Events returns the events deposited through this Context since the last
// InitializeBlock, minus those of rolled-back transactions: the same
// records System.Events holds. In WASM each entry point gets a new Context,
// so this is for native tests (frametest cross-checks it with storage).
func (c *Context) Events() []EventRecord { return c.events }

// Transactional runs fn in a storage transaction: on error every write
// (and event) of fn is rolled back; on success they are kept.
func (c *Context) Transactional(fn func() error) error {
	saved := c.begin()
	if err := fn(); err != nil {
		c.rollback(saved)
		return err
	}
	c.CommitTransaction()
	return nil
}

func (c *Context) begin() []EventRecord {
	c.StartTransaction()
	return c.events
}

func (c *Context) rollback(saved []EventRecord) {
	c.RollbackTransaction()
	c.events = saved
}

// Phase is frame_system::Phase, the part of the block an event happened in.
type Phase struct {
	Kind  PhaseKind
	Index uint32 // extrinsic index for PhaseApplyExtrinsic
}

// PhaseKind is the Phase variant.
type PhaseKind uint8

const (
	PhaseApplyExtrinsic PhaseKind = 0
	PhaseFinalization   PhaseKind = 1
	PhaseInitialization PhaseKind = 2
)

// EncodeTo writes the variant (++ u32 index for ApplyExtrinsic).
func (p Phase) EncodeTo(e *scale.Encoder) {
	e.PutU8(uint8(p.Kind))
	if p.Kind == PhaseApplyExtrinsic {
		e.PutU32(p.Index)
	}
}

// DecodeFrom reads a Phase.
func (p *Phase) DecodeFrom(d *scale.Decoder) {
	p.Kind = PhaseKind(d.U8())
	p.Index = 0
	switch p.Kind {
	case PhaseApplyExtrinsic:
		p.Index = d.U32()
	case PhaseFinalization, PhaseInitialization:
	default:
		d.Fail(scale.ErrOverflow)
	}
}

// EventRecord is frame_system::EventRecord: phase ++ event ++ topics. Event
// is the encoded RuntimeEvent (pallet index ++ variant ++ fields).
type EventRecord struct {
	Phase  Phase
	Event  []byte
	Topics []types.Hash
}

// EncodeTo writes phase ++ event bytes (raw: they are self-delimiting) ++
// Vec<H256> topics.
func (r *EventRecord) EncodeTo(e *scale.Encoder) {
	r.Phase.EncodeTo(e)
	e.PutRaw(r.Event)
	e.PutLen(len(r.Topics))
	for _, t := range r.Topics {
		e.PutRaw(t[:])
	}
}
