package frame

import (
	"encoding/binary"
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
	// encs and decs are free lists of encoders and decoders (see
	// AcquireEncoder).
	encs []*scale.Encoder
	decs []*scale.Decoder
	// reads caches the values read and written through this Context, by
	// key, so that reading a key again (an account in the fee, the nonce
	// and the transfer; TotalIssuance; the block's weight and fee
	// multiplier) is not another host call and copy, and writing it again
	// is not another host write (see readCache).
	reads readCache
	// cacheReads turns the cache on, for reads and as a write-back cache
	// (ExecuteBlock: one Context for the whole block; a Context per
	// BlockBuilder_apply_extrinsic call would only pay for filling it).
	// Only beginWriteBack and endWriteBack change it.
	cacheReads bool
	// mapKeys memoizes full keys of account-keyed maps (see keyMemo).
	mapKeys keyMemo
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

// touched drops the event memo when key is one it mirrors (callers check
// c.ev.valid and the length first: a call less for most writes). It compares
// 64-bit words (a memequal call per comparison is dear in WASM).
func (c *Context) touched(key []byte) {
	if len(key) != 32 || le64(key[0:]) != systemWords[0] || le64(key[8:]) != systemWords[1] {
		return
	}
	a, b := le64(key[16:]), le64(key[24:])
	for _, w := range evItemWords {
		if a == w[0] && b == w[1] {
			c.ev.valid = false
			return
		}
	}
}

// le64 reads 8 little-endian bytes (inlined: no call).
func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }

// systemWords and evItemWords are systemPrefix and the item halves of the
// keys EventState mirrors, as words for touched.
var (
	systemWords = [2]uint64{le64(systemPrefix[0:]), le64(systemPrefix[8:])}
	evItemWords = [3][2]uint64{
		{le64(keyNumber[16:]), le64(keyNumber[24:])},
		{le64(keyExecutionPhase[16:]), le64(keyExecutionPhase[24:])},
		{le64(keyEventCount[16:]), le64(keyEventCount[24:])},
	}
)

const b128Slots = 4

type b128Entry struct {
	in  [4]uint64 // the input as little-endian words
	out [16]byte
	ok  bool
}

// Blake2_128 is the host's blake2_128, memoized for 32-byte inputs.
func (c *Context) Blake2_128(data []byte) [16]byte {
	if len(data) != 32 {
		return c.Host.Blake2_128(data)
	}
	w0, w1, w2, w3 := le64(data[0:]), le64(data[8:]), le64(data[16:]), le64(data[24:])
	for i := range c.b128 {
		if e := &c.b128[i]; e.ok && e.in[0] == w0 && e.in[1] == w1 && e.in[2] == w2 && e.in[3] == w3 {
			return e.out
		}
	}
	out := c.Host.Blake2_128(data)
	c.b128[c.b128Next] = b128Entry{in: [4]uint64{w0, w1, w2, w3}, out: out, ok: true}
	c.b128Next = (c.b128Next + 1) % b128Slots
	return out
}

// WriteMark returns a mark of the storage changes made through this
// Context so far; WritesSince(mark) reports whether any happened since.
func (c *Context) WriteMark() uint64 { return c.writes }

// WritesSince reports whether storage changed through this Context since
// mark was taken.
func (c *Context) WritesSince(mark uint64) bool { return c.writes != mark }

// The storage writes below go to the host, or, while a block executes
// (writeBack), into the cache as dirty entries that reach the host when
// something needs them there (see readCache); Context counts them
// (WriteMark) and keeps its event memo in step.
func (c *Context) StorageSet(key, value []byte) {
	c.writes++
	if c.ev.valid && len(key) == 32 {
		c.touched(key)
	}
	if c.cacheReads {
		c.reads.write(key, value, true)
		return
	}
	c.Host.StorageSet(key, value)
}
func (c *Context) StorageClear(key []byte) {
	c.writes++
	if c.ev.valid && len(key) == 32 {
		c.touched(key)
	}
	if c.cacheReads {
		c.reads.write(key, nil, false)
		return
	}
	c.Host.StorageClear(key)
}

// StorageAppend goes to the host, whose append costs the item's size, not
// the Vec's: a pending write of the key goes first, and the cached value is
// dropped.
func (c *Context) StorageAppend(key, value []byte) {
	c.writes++
	if c.ev.valid && len(key) == 32 {
		c.touched(key)
	}
	if e := c.reads.find(key); e != nil && !e.gone {
		c.reads.flushEntry(c.Host, e)
		c.reads.drop(e)
	}
	c.Host.StorageAppend(key, value)
}

// StorageClearPrefix hands the pending writes to the host, which deletes
// the keys (cached or not); the cached ones under prefix are dropped.
func (c *Context) StorageClearPrefix(prefix []byte, limit uint32) (uint32, bool) {
	c.writes++
	c.ev.valid = false
	c.reads.flush(c.Host)
	removed, all := c.Host.StorageClearPrefix(prefix, limit)
	for i := range c.reads.entries {
		if e := &c.reads.entries[i]; !e.gone && len(e.key) >= len(prefix) && keyEqual(e.key[:len(prefix)], prefix) {
			c.reads.drop(e)
		}
	}
	return removed, all
}

// StorageNextKey and StorageRoot see the host's state: the pending writes
// go there first.
func (c *Context) StorageNextKey(key []byte) ([]byte, bool) {
	c.reads.flush(c.Host)
	return c.Host.StorageNextKey(key)
}
func (c *Context) StorageRoot() [32]byte {
	c.reads.flush(c.Host)
	return c.Host.StorageRoot()
}

// StartTransaction, CommitTransaction and RollbackTransaction open and
// close the host's transaction and, while the cache writes back, its
// journal (the host rolls back what was flushed, the journal the rest).
func (c *Context) StartTransaction() {
	if c.cacheReads {
		c.reads.begin()
	}
	c.Host.StartTransaction()
}
func (c *Context) CommitTransaction() {
	if c.cacheReads && c.reads.inTx() {
		c.reads.commit()
	}
	c.Host.CommitTransaction()
}
func (c *Context) RollbackTransaction() {
	c.writes++
	c.ev.valid = false
	if c.cacheReads && c.reads.inTx() {
		c.reads.rollback()
	}
	c.Host.RollbackTransaction()
}

// beginWriteBack makes the cache serve reads and hold writes until
// endWriteBack, which hands the writes to the host and empties it. Open
// transactions are not journalled: the host's alone covers them, since
// nothing was held back when they began.
func (c *Context) beginWriteBack() (was bool) {
	was = c.cacheReads
	c.cacheReads = true
	return was
}

func (c *Context) endWriteBack(was bool) {
	c.reads.flush(c.Host)
	c.reads.reset()
	c.cacheReads = was
}

// StorageGet is the host's StorageGet through the read cache; the caller
// owns the slice it gets.
func (c *Context) StorageGet(key []byte) ([]byte, bool) {
	if !c.cacheReads {
		return c.Host.StorageGet(key)
	}
	v, ok := c.storageShared(key)
	if !ok || v == nil {
		return nil, ok
	}
	return append(make([]byte, 0, len(v)), v...), true
}

// StorageExists is the host's StorageExists, answered from the read cache
// when the key is in it.
func (c *Context) StorageExists(key []byte) bool {
	if e := c.reads.get(key); e != nil {
		return e.ok
	}
	return c.Host.StorageExists(key)
}

// storageShared is StorageGet returning the cache's own buffer: the caller
// must not keep or change it past the next storage call.
func (c *Context) storageShared(key []byte) ([]byte, bool) {
	if !c.cacheReads {
		return c.Host.StorageGet(key)
	}
	if e := c.reads.get(key); e != nil {
		if !e.ok {
			return nil, false
		}
		return e.val, true
	}
	v, ok := c.Host.StorageGet(key)
	c.reads.put(key, v, ok)
	return v, ok
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
	e := c.AcquireEncoder()
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
	c.ReleaseEncoder(e)
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

// AcquireEncoder returns an empty Encoder from this Context's free list
// (scale's sync.Pool costs a pin, atomics and several calls per use inside
// WASM; a Context is used by one goroutine, so a plain slice will do).
// Hand it back with ReleaseEncoder; nested acquisitions are fine.
func (c *Context) AcquireEncoder() *scale.Encoder {
	if n := len(c.encs); n > 0 {
		e := c.encs[n-1]
		c.encs = c.encs[:n-1]
		return e
	}
	return scale.AcquireEncoder()
}

// ReleaseEncoder returns e (from AcquireEncoder) to the free list.
func (c *Context) ReleaseEncoder(e *scale.Encoder) {
	if cap(e.Bytes()) > 4096 {
		return
	}
	e.Reset()
	c.encs = append(c.encs, e)
}

// acquireDecoder is AcquireEncoder's counterpart for decoders.
func (c *Context) acquireDecoder(b []byte) *scale.Decoder {
	var d *scale.Decoder
	if n := len(c.decs); n > 0 {
		d = c.decs[n-1]
		c.decs = c.decs[:n-1]
	} else {
		return scale.AcquireDecoder(b)
	}
	*d = *scale.NewDecoder(b)
	return d
}

func (c *Context) releaseDecoder(d *scale.Decoder) {
	*d = scale.Decoder{}
	c.decs = append(c.decs, d)
}

// releaseScratch hands the free lists' encoders and decoders back to
// scale's pools, for the next entry point's Context (a block being built
// is one BlockBuilder_apply_extrinsic call, and Context, per extrinsic).
func (c *Context) releaseScratch() {
	for i, e := range c.encs {
		scale.ReleaseEncoder(e)
		c.encs[i] = nil
	}
	for i, d := range c.decs {
		scale.ReleaseDecoder(d)
		c.decs[i] = nil
	}
	c.encs, c.decs = c.encs[:0], c.decs[:0]
}

// acquireEncoder and the others below use st's free lists when st is a
// *Context, scale's pools otherwise. (Hot callers that hold a *Context
// call its methods directly: those are inlined, these are not.)
func acquireEncoder(st Store) *scale.Encoder {
	if c, ok := st.(*Context); ok {
		return c.AcquireEncoder()
	}
	return scale.AcquireEncoder()
}

func releaseEncoder(st Store, e *scale.Encoder) {
	if c, ok := st.(*Context); ok {
		c.ReleaseEncoder(e)
		return
	}
	scale.ReleaseEncoder(e)
}

func acquireDecoder(st Store, b []byte) *scale.Decoder {
	if c, ok := st.(*Context); ok {
		return c.acquireDecoder(b)
	}
	return scale.AcquireDecoder(b)
}

func releaseDecoder(st Store, d *scale.Decoder) {
	if c, ok := st.(*Context); ok {
		c.releaseDecoder(d)
		return
	}
	scale.ReleaseDecoder(d)
}
