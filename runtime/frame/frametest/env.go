package frametest

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Env drives a frame.Runtime over a Host for tests.
type Env struct {
	T    testing.TB
	RT   *frame.Runtime
	Host *Host
	Ctx  *frame.Context
	// Last is the header of the last finished block (genesis: number 0).
	Last types.Header
	open bool
}

// New returns an Env with empty state; call Genesis, then StartBlock or
// NextBlock.
func New(t testing.TB, rt *frame.Runtime) *Env {
	t.Helper()
	if err := rt.Validate(); err != nil {
		t.Fatalf("frametest: %v", err)
	}
	h := NewHost()
	return &Env{T: t, RT: rt, Host: h, Ctx: rt.NewContext(h)}
}

// Genesis builds the genesis state from JSON and records the genesis
// header (state root of the built state, empty extrinsics root).
func (e *Env) Genesis(config string) *Env {
	e.T.Helper()
	if err := e.RT.BuildGenesis(e.Ctx, []byte(config)); err != nil {
		e.T.Fatalf("frametest: genesis: %v", err)
	}
	e.Last = types.Header{StateRoot: e.Host.StorageRoot(), ExtrinsicsRoot: e.Host.TrieBlake2OrderedRoot(nil, 0)}
	return e
}

// StartBlock initializes the block after Last with the given digest.
func (e *Env) StartBlock(digest ...types.DigestItem) *Env {
	e.T.Helper()
	if e.open {
		e.T.Fatalf("frametest: block already open")
	}
	h := types.Header{ParentHash: e.Last.Hash(), Number: e.Last.Number + 1, Digest: digest}
	if _, err := e.RT.InitializeBlock(e.Ctx, &h); err != nil {
		e.T.Fatalf("frametest: initialize block: %v", err)
	}
	e.open = true
	return e
}

// FinishBlock finalizes the open block, runs every pallet's TryState and
// returns the header.
func (e *Env) FinishBlock() types.Header {
	e.T.Helper()
	if !e.open {
		e.T.Fatalf("frametest: no open block")
	}
	h, err := e.RT.FinalizeBlock(e.Ctx)
	if err != nil {
		e.T.Fatalf("frametest: finalize block: %v", err)
	}
	e.open = false
	e.Last = h
	if e.Host.Depth() != 0 {
		e.T.Fatalf("frametest: %d storage transactions left open", e.Host.Depth())
	}
	if err := e.RT.TryState(e.Ctx); err != nil {
		e.T.Fatalf("frametest: %v", err)
	}
	return h
}

// NextBlock finishes the open block (if any) and starts the next one.
func (e *Env) NextBlock() *Env {
	e.T.Helper()
	if e.open {
		e.FinishBlock()
	}
	return e.StartBlock()
}

// Apply applies a full extrinsic in the open block.
func (e *Env) Apply(xt []byte) types.ApplyExtrinsicResult {
	return e.RT.ApplyExtrinsic(e.Ctx, xt)
}

// Dispatch decodes call (pallet ++ call ++ args) and dispatches it with
// origin o, transactionally, outside any extrinsic.
func (e *Env) Dispatch(o frame.Origin, call []byte) error {
	e.T.Helper()
	c, err := e.RT.DecodeCallBytes(call)
	if err != nil {
		return err
	}
	_, err = c.Dispatch(e.Ctx, o)
	return err
}

// Events returns the current block's event records, after checking that
// they are exactly what System.Events holds in storage.
func (e *Env) Events() []frame.EventRecord {
	e.T.Helper()
	evs := e.Ctx.Events()
	raw, _ := e.Host.StorageGet(frame.Prefix("System", "Events"))
	enc := scale.NewEncoder(256)
	enc.PutLen(len(evs))
	for i := range evs {
		evs[i].EncodeTo(enc)
	}
	if len(evs) == 0 && raw == nil {
		return nil
	}
	if !bytes.Equal(enc.Bytes(), raw) {
		e.T.Fatalf("frametest: event log (%d records) differs from System.Events storage", len(evs))
	}
	return evs
}

// EncodeEvent returns pallet index ++ ev, as recorded in System.Events.
func (e *Env) EncodeEvent(pallet string, ev scale.Encodable) []byte {
	e.T.Helper()
	idx, ok := e.RT.PalletIndex(pallet)
	if !ok {
		e.T.Fatalf("frametest: no pallet %q", pallet)
	}
	enc := scale.NewEncoder(64)
	enc.PutU8(idx)
	ev.EncodeTo(enc)
	return enc.Bytes()
}

// RequireLastEvent fails unless the last event of the block is ev of
// pallet.
func (e *Env) RequireLastEvent(t testing.TB, pallet string, ev scale.Encodable) {
	t.Helper()
	want := e.EncodeEvent(pallet, ev)
	evs := e.Events()
	if len(evs) == 0 {
		t.Fatalf("no events; want %x", want)
	}
	if got := evs[len(evs)-1].Event; !bytes.Equal(got, want) {
		t.Fatalf("last event %x, want %x", got, want)
	}
}

// RequireEvent fails unless ev of pallet is among the block's events.
func (e *Env) RequireEvent(t testing.TB, pallet string, ev scale.Encodable) {
	t.Helper()
	want := e.EncodeEvent(pallet, ev)
	for _, r := range e.Events() {
		if bytes.Equal(r.Event, want) {
			return
		}
	}
	t.Fatalf("event %x not deposited", want)
}

// RequireNoop is FRAME's assert_noop!: fn must return an error and leave
// storage byte-for-byte unchanged.
func (e *Env) RequireNoop(t testing.TB, fn func() error) error {
	t.Helper()
	before := e.Host.Snapshot()
	err := fn()
	if err == nil {
		t.Fatalf("RequireNoop: no error")
	}
	if diff := diffState(before, e.Host.Snapshot()); diff != "" {
		t.Fatalf("RequireNoop: %v, but storage changed: %s", err, diff)
	}
	return err
}

func diffState(a, b map[string]string) string {
	for k, v := range a {
		if w, ok := b[k]; !ok {
			return fmt.Sprintf("removed %x", k)
		} else if w != v {
			return fmt.Sprintf("changed %x", k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			return fmt.Sprintf("added %x", k)
		}
	}
	return ""
}

// Key is an ed25519 test key; its AccountID is the public key.
type Key struct {
	Priv    ed25519.PrivateKey
	Account types.AccountID
}

// NewKey derives a deterministic ed25519 key from a seed phrase
// (blake2_256(seed) as the 32-byte ed25519 seed).
func NewKey(seed string) Key {
	s := types.Blake2b256([]byte(seed))
	priv := ed25519.NewKeyFromSeed(s[:])
	var k Key
	k.Priv = priv
	copy(k.Account[:], priv.Public().(ed25519.PublicKey))
	return k
}

// Sign returns a signed extrinsic of call by k with extra, signing
// call ++ extra ++ implicit as computed by rt on the Env's current state
// (so sign before StartBlock of the block that includes it, or within it:
// the era's birth block must be known).
func (e *Env) Sign(k Key, extra frame.Extra, call []byte) []byte {
	e.T.Helper()
	imp, err := e.RT.Implicit(e.Ctx, &extra)
	if err != nil {
		e.T.Fatalf("frametest: implicit: %v", err)
	}
	return SignWith(k, extra, imp, call)
}

// SignWith signs with an explicit implicit (for tampering tests).
func SignWith(k Key, extra frame.Extra, implicit, call []byte) []byte {
	ex := scale.Encode(&extra)
	payload := types.SigningPayload(call, ex, implicit)
	sig := ed25519.Sign(k.Priv, payload)
	return types.EncodeSignedExtrinsic(types.NewAddress(k.Account),
		types.MultiSignature{Kind: types.SigEd25519, Sig: sig}, ex, call)
}
