package frame

import (
	"runtime"

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
	// writes counts storage changes made through this Context (sets,
	// clears, appends, rollbacks): WritesSince lets a caller that read a
	// value know it is still current without reading it again.
	writes uint64
	// b128 memoizes blake2_128 of the last few 32-byte inputs (account
	// IDs: System.Account keys are hashed about 15 times per transfer for
	// two or three accounts). Hashing is pure, so this never goes stale.
	b128     [b128Slots]b128Entry
	b128Next uint8
	// ev memoizes what System.DepositEvent reads (System.Number,
	// System.ExecutionPhase, System.EventCount) between deposits. Any
	// write through this Context to one of those keys, a prefix clear or
	// a rollback drops it, so it never disagrees with storage.
	ev EventState
}

// EventState is System's event bookkeeping: the block number, the phase
// and the number of events recorded so far (see Context.EventState).
type EventState struct {
	Number types.BlockNumber
	Phase  Phase
	Count  uint32
	valid  bool
}

// Keys of the storage items EventState mirrors.
var (
	systemPrefix      = func() [16]byte { return types.Twox128([]byte("System")) }()
	keyNumber         = Prefix("System", "Number")
	keyExecutionPhase = Prefix("System", "ExecutionPhase")
	keyEventCount     = Prefix("System", "EventCount")
)

// EventState returns the memoized event bookkeeping, if still valid.
func (c *Context) EventState() (EventState, bool) { return c.ev, c.ev.valid }

// SetEventState memoizes the event bookkeeping just read or written; the
// caller must have it equal to storage.
func (c *Context) SetEventState(s EventState) { s.valid = true; c.ev = s }

// touched drops the event memo when key is one it mirrors.
func (c *Context) touched(key []byte) {
	if !c.ev.valid || len(key) != 32 || [16]byte(key[:16]) != systemPrefix {
		return
	}
	if string(key) == string(keyNumber) || string(key) == string(keyExecutionPhase) || string(key) == string(keyEventCount) {
		c.ev.valid = false
	}
}

const b128Slots = 4

type b128Entry struct {
	in  [32]byte
	out [16]byte
	ok  bool
}

// Blake2_128 is the host's blake2_128, memoized for 32-byte inputs.
func (c *Context) Blake2_128(data []byte) [16]byte {
	if len(data) != 32 {
		return c.Host.Blake2_128(data)
	}
	in := [32]byte(data)
	for i := range c.b128 {
		if e := &c.b128[i]; e.ok && e.in == in {
			return e.out
		}
	}
	out := c.Host.Blake2_128(data)
	c.b128[c.b128Next] = b128Entry{in: in, out: out, ok: true}
	c.b128Next = (c.b128Next + 1) % b128Slots
	return out
}

// WriteMark returns a mark of the storage changes made through this
// Context so far; WritesSince(mark) reports whether any happened since.
func (c *Context) WriteMark() uint64 { return c.writes }

// WritesSince reports whether storage changed through this Context since
// mark was taken.
func (c *Context) WritesSince(mark uint64) bool { return c.writes != mark }

// The storage writes below go to the host; Context counts them (WriteMark)
// and keeps its event memo in step.
func (c *Context) StorageSet(key, value []byte) {
	c.writes++
	c.touched(key)
	c.Host.StorageSet(key, value)
}
func (c *Context) StorageClear(key []byte) {
	c.writes++
	c.touched(key)
	c.Host.StorageClear(key)
}
func (c *Context) StorageAppend(key, value []byte) {
	c.writes++
	c.touched(key)
	c.Host.StorageAppend(key, value)
}
func (c *Context) StorageClearPrefix(prefix []byte, limit uint32) (uint32, bool) {
	c.writes++
	c.ev.valid = false
	return c.Host.StorageClearPrefix(prefix, limit)
}
func (c *Context) RollbackTransaction() {
	c.writes++
	c.ev.valid = false
	c.Host.RollbackTransaction()
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
	e := scale.AcquireEncoder()
	e.PutU8(idx)
	ev.EncodeTo(e)
	event := e.Bytes()
	if keepEvents {
		// The record keeps the event bytes: copy them out of the pooled buffer.
		event = append(make([]byte, 0, len(event)), event...)
	}
	if rec, ok := c.rt.system.DepositEvent(c, event, topics); ok && keepEvents {
		c.events = append(c.events, rec)
	}
	scale.ReleaseEncoder(e)
}

// keepEvents says whether Context keeps the records it deposits (Events).
// In WASM nothing reads them (each entry point gets a new Context and the
// events are in storage), so the runtime does not pay for keeping them.
const keepEvents = runtime.GOOS != "wasip1"

// Events returns the events deposited through this Context since the last
// InitializeBlock, minus those of rolled-back transactions: the same
// records System.Events holds. In WASM each entry point gets a new Context,
// so this is for native tests (frametest cross-checks it with storage);
// under wasip1 it is always empty (keepEvents).
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
