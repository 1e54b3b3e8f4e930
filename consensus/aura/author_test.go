package aura

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// The relay runtime is read from its blob file (consensus/ may not import
// runtime/blobs) and compiled once per test binary. MARS_RELAY_BLOB names
// another blob (e.g. one built with `marsd runtime build --out`) to test
// against a runtime not committed yet.
var (
	relayOnce   sync.Once
	relayExec   *executor.Executor
	relayCode   []byte
	relayErr    error
	genesisMu   sync.Mutex
	genesisByID = map[string][]trie.Pair{}
)

// relayChainParts returns the shared executor and the genesis of preset.
func relayChainParts(t testing.TB, preset string) (*executor.Executor, []trie.Pair) {
	t.Helper()
	relayOnce.Do(func() {
		path := filepath.Join("..", "..", "runtime", "blobs", "relay.wasm.zst")
		if p := os.Getenv("MARS_RELAY_BLOB"); p != "" {
			path = p
		}
		if relayCode, relayErr = os.ReadFile(path); relayErr != nil {
			return
		}
		relayExec, relayErr = executor.New(context.Background(), executor.Config{CacheDir: filepath.Join(os.TempDir(), "marsd-test-wasm-cache"), Logger: quiet})
	})
	if relayErr != nil {
		t.Fatal(relayErr)
	}
	genesisMu.Lock()
	defer genesisMu.Unlock()
	gen, ok := genesisByID[preset]
	if !ok {
		var err error
		if gen, err = chain.GenesisFromPreset(context.Background(), relayExec, relayCode, preset); err != nil {
			t.Fatal(err)
		}
		genesisByID[preset] = gen
	}
	return relayExec, gen
}

// openChain opens a fresh in-memory relay chain from the development preset.
func openChain(t testing.TB, v chain.Verifier) *chain.Chain {
	return openPresetChain(t, "development", v)
}

// openPresetChain opens a fresh in-memory relay chain from a genesis preset.
func openPresetChain(t testing.TB, preset string, v chain.Verifier) *chain.Chain {
	t.Helper()
	ex, gen := relayChainParts(t, preset)
	kv := db.NewMemory()
	t.Cleanup(func() { kv.Close() })
	st, err := state.New(kv, state.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := chain.Config{DB: kv, State: st, Executor: ex, Logger: quiet}
	if v != nil {
		cfg.Verifier = v
	}
	c, err := chain.Open(context.Background(), cfg, gen)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// listPool offers a fixed list of transactions.
type listPool struct {
	txs     []Tx
	refused []types.Hash
}

func (p *listPool) Ready() []Tx { return p.txs }
func (p *listPool) Refused(h []types.Hash, _ []error) {
	p.refused = append(p.refused, h...)
}

// remark signs System.remark(msg) by kp with the given nonce.
func remark(t testing.TB, c *chain.Chain, kp keystore.KeyPair, nonce uint32, msg string) Tx {
	t.Helper()
	g := c.Genesis().Hash
	out, err := c.Call(context.Background(), g, "Core_version", nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := types.DecodeRuntimeVersion(out)
	if err != nil {
		t.Fatal(err)
	}
	e := scale.NewEncoder(8 + len(msg))
	e.PutU8(0) // System
	e.PutU8(0) // remark
	e.PutBytes([]byte(msg))
	ext := txbuilder.Sign(e.Bytes(), kp, txbuilder.Params{Nonce: nonce, Era: types.ImmortalEra,
		GenesisHash: g, BirthHash: g, SpecVersion: v.SpecVersion, TxVersion: v.TransactionVersion})
	return Tx{Hash: types.Blake2b256(ext), Ext: ext}
}

// authorSetup is an author on chain a holding Alice's aura key, and a peer
// chain b that imports a's blocks through a Verifier.
type authorSetup struct {
	a, b      *chain.Chain
	author    *Author
	clock     time.Time
	auths     [][32]byte
	announced []types.Header
	reports   [][]byte
	verifier  *Verifier
}

const slotDur = time.Second

// base is a slot far beyond genesis (timestamp 0) in 2026.
var base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newAuthorSetup(t testing.TB, auths [][32]byte, pool Pool, equivocate bool) *authorSetup {
	t.Helper()
	s := &authorSetup{clock: base, auths: auths}
	authFn := func(types.Hash) ([][32]byte, error) { return s.auths, nil }
	ks := keystore.NewInMemory()
	if _, err := ks.Insert(keystore.KeyTypeAura, "//Alice", keystore.Sr25519); err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(VerifierConfig{SlotDuration: slotDur, Authorities: authFn, Now: func() time.Time { return s.clock },
		Report: func(p []byte) { s.reports = append(s.reports, p) }, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s.verifier = v
	s.a = openChain(t, nil)
	s.b = openChain(t, v)
	s.author, err = NewAuthor(s.a, AuthorConfig{SlotDuration: slotDur, Authorities: authFn, Keystore: ks, Pool: pool,
		Now: func() time.Time { return s.clock }, Announce: func(h types.Header) { s.announced = append(s.announced, h) },
		Equivocate: equivocate, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// step moves the clock to the start of slot offset (from base) and steps.
func (s *authorSetup) step(t *testing.T, offset uint64) []*types.Block {
	t.Helper()
	s.clock = base.Add(time.Duration(offset) * slotDur)
	blks, err := s.author.Step(context.Background(), s.clock)
	if err != nil {
		t.Fatal(err)
	}
	return blks
}

// relay imports blks into the peer chain b through its Verifier.
func (s *authorSetup) relay(t *testing.T, blks []*types.Block) {
	t.Helper()
	for _, blk := range blks {
		if _, _, err := s.b.Import(context.Background(), blk); err != nil {
			t.Fatalf("peer import of #%d: %v", blk.Header.Number, err)
		}
	}
}

func TestAuthorAuthorsItsSlots(t *testing.T) {
	alice := dev(t, "Alice")
	s := newAuthorSetup(t, [][32]byte{alice.Public()}, nil, false)
	baseSlot := CurrentSlot(base, slotDur)
	for i := uint64(0); i < 3; i++ {
		blks := s.step(t, i)
		if len(blks) != 1 {
			t.Fatalf("slot %d: %d blocks", i, len(blks))
		}
		h := blks[0].Header
		if h.Number != uint32(i+1) {
			t.Fatalf("slot %d: block #%d", i, h.Number)
		}
		unsealed, sig, err := SplitSeal(&h)
		if err != nil {
			t.Fatal(err)
		}
		slot, err := FindSlot(&unsealed)
		if err != nil || slot != baseSlot+i {
			t.Fatalf("slot %d, want %d (%v)", slot, baseSlot+i, err)
		}
		pre := PreHash(&unsealed)
		if !keystore.Verify(keystore.Sr25519, alice.Public(), pre[:], sig[:]) {
			t.Fatal("seal is not Alice's signature")
		}
		if got := timestampOf(t, blks[0]); got != slot*uint64(slotDur/time.Millisecond) {
			t.Fatalf("timestamp %d for slot %d", got, slot)
		}
		s.relay(t, blks)
		// Once per slot: a second step in the same slot does nothing.
		if again := s.step(t, i); again != nil {
			t.Fatalf("slot %d authored twice", i)
		}
	}
	if s.a.Best() != s.b.Best() || s.a.Best().Number != 3 || len(s.announced) != 3 {
		t.Fatalf("author best %v, peer best %v, %d announced", s.a.Best(), s.b.Best(), len(s.announced))
	}
	// A skipped slot is fine (slots need not be consecutive).
	blks := s.step(t, 7)
	s.relay(t, blks)
	if s.b.Best().Number != 4 {
		t.Fatalf("peer best %v", s.b.Best())
	}
	// A block from a slot ahead of the peer's clock is refused as future.
	blks = s.step(t, 10)
	s.clock = base.Add(8 * slotDur)
	if _, _, err := s.b.Import(context.Background(), blks[0]); !errors.Is(err, ErrFutureBlock) {
		t.Fatalf("future block: %v", err)
	}
	s.clock = base.Add(10 * slotDur)
	s.relay(t, blks)
}

// timestampOf reads the timestamp inherent (Timestamp.set, the first
// extrinsic: unsigned, pallet 1, call 0, Compact<u64>).
func timestampOf(t *testing.T, blk *types.Block) uint64 {
	t.Helper()
	d := scale.NewDecoder(blk.Extrinsics[0])
	d.Compact()              // length
	if v := d.U8(); v != 4 { // unsigned v4
		t.Fatalf("first extrinsic version byte %d", v)
	}
	d.U8()
	d.U8()
	ts := d.Compact()
	if err := d.Finish(); err != nil {
		t.Fatalf("timestamp inherent: %v", err)
	}
	return ts
}

func TestAuthorOnlyOwnSlots(t *testing.T) {
	alice, bob := dev(t, "Alice"), dev(t, "Bob")
	s := newAuthorSetup(t, [][32]byte{alice.Public(), bob.Public()}, nil, false)
	baseSlot := CurrentSlot(base, slotDur)
	authored := 0
	for i := uint64(0); i < 6; i++ {
		blks := s.step(t, i)
		mine := (baseSlot+i)%2 == 0
		if mine != (len(blks) == 1) {
			t.Fatalf("slot %d (mine %v): %d blocks", baseSlot+i, mine, len(blks))
		}
		authored += len(blks)
		s.relay(t, blks)
	}
	if authored != 3 || s.b.Best().Number != 3 {
		t.Fatalf("authored %d, peer best %v", authored, s.b.Best())
	}
	// Syncing: the slot is skipped even though it is ours.
	syncing := true
	s.author.cfg.Syncing = func() bool { return syncing }
	if blks := s.step(t, 6); blks != nil || (baseSlot+6)%2 != 0 {
		t.Fatal("authored while syncing")
	}
	syncing = false
	if blks := s.step(t, 8); len(blks) != 1 {
		t.Fatal("did not author after syncing")
	}
	// Not an authority at all: nothing.
	s.auths = [][32]byte{bob.Public()}
	if blks := s.step(t, 10); blks != nil {
		t.Fatal("authored without the slot's key")
	}
}

// TestAuthorSkipsWhenBestIsCurrent: a best block already at the current slot
// (e.g. imported from a peer) is not built upon in that slot.
func TestAuthorSkipsWhenBestIsCurrent(t *testing.T) {
	alice := dev(t, "Alice")
	s := newAuthorSetup(t, [][32]byte{alice.Public()}, nil, false)
	blks := s.step(t, 5)
	// A second author on the same chain (a restarted node) reaches slot 5.
	other, err := NewAuthor(s.a, s.author.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := other.Step(context.Background(), base.Add(5*slotDur)); err != nil || got != nil {
		t.Fatalf("built on a block of the current slot: %v %v", got, err)
	}
	if s.a.Best().Hash != blks[0].Hash() {
		t.Fatal("best moved")
	}
}

func TestAuthorPool(t *testing.T) {
	alice := dev(t, "Alice")
	pool := &listPool{}
	s := newAuthorSetup(t, [][32]byte{alice.Public()}, pool, false)
	good := remark(t, s.a, alice, 0, "hello")
	dup := remark(t, s.a, alice, 0, "same nonce")
	pool.txs = []Tx{good, dup}
	blks := s.step(t, 0)
	if len(blks[0].Extrinsics) != 2 || string(blks[0].Extrinsics[1]) != string(good.Ext) {
		t.Fatalf("block has %d extrinsics", len(blks[0].Extrinsics))
	}
	if !slices.Equal(pool.refused, []types.Hash{dup.Hash}) {
		t.Fatalf("refused %v", pool.refused)
	}
	s.relay(t, blks)
	// A clock past the build budget leaves the pool out.
	pool.txs = []Tx{remark(t, s.a, alice, 1, "late")}
	s.clock = base.Add(slotDur + slotDur*3/4)
	blks, err := s.author.Step(context.Background(), s.clock)
	if err != nil || len(blks) != 1 || len(blks[0].Extrinsics) != 1 {
		t.Fatalf("late slot: %v, %d blocks", err, len(blks))
	}
	s.relay(t, blks)
}

// TestAuthorEquivocates: the test-only Equivocate option seals two valid,
// different blocks for one slot; a peer imports both and reports the
// equivocation once, with a proof that checks.
func TestAuthorEquivocates(t *testing.T) {
	alice := dev(t, "Alice")
	pool := &listPool{}
	s := newAuthorSetup(t, [][32]byte{alice.Public()}, pool, true)
	pool.txs = []Tx{remark(t, s.a, alice, 0, "in the first block only")}
	blks := s.step(t, 0)
	if len(blks) != 2 || blks[0].Hash() == blks[1].Hash() || len(s.announced) != 2 {
		t.Fatalf("%d blocks, %d announced", len(blks), len(s.announced))
	}
	if blks[0].Header.ParentHash != blks[1].Header.ParentHash {
		t.Fatal("twins on different parents")
	}
	s.relay(t, blks)
	if len(s.reports) != 1 {
		t.Fatalf("%d reports", len(s.reports))
	}
	p, err := DecodeEquivocationProof(s.reports[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	if p.Offender != alice.Public() || p.First.Hash() != blks[0].Hash() || p.Second.Hash() != blks[1].Hash() ||
		p.Slot != CurrentSlot(base, slotDur) {
		t.Fatalf("proof %+v", p)
	}
	// Next slot: the chain goes on on the first twin (first seen wins), and
	// the next pair is reported once more.
	pool.txs = nil
	blks = s.step(t, 1)
	if blks[0].Header.ParentHash != s.b.Best().Hash {
		t.Fatal("not built on the best block")
	}
	s.relay(t, blks)
	if len(s.reports) != 2 {
		t.Fatalf("%d reports", len(s.reports))
	}
}

// TestRuntimeAPIsAbsent: until the relay runtime serves AuraApi, the helpers
// fail cleanly (rather than inventing a set).
func TestRuntimeAPIs(t *testing.T) {
	c := openChain(t, nil)
	g := c.Genesis().Hash
	auths, err := RuntimeAuthorities(c)(g)
	if err != nil {
		if !hasAuraAPI(t, c) {
			t.Skipf("relay runtime has no AuraApi yet: %v", err)
		}
		t.Fatal(err)
	}
	if len(auths) == 0 {
		t.Fatal("empty authority set at genesis")
	}
	d, err := RuntimeSlotDuration(context.Background(), c, g)
	if err != nil || d <= 0 {
		t.Fatalf("slot duration %v: %v", d, err)
	}
}

// hasAuraAPI reports whether Core_version lists the AuraApi.
func hasAuraAPI(t *testing.T, c *chain.Chain) bool {
	out, err := c.Call(context.Background(), c.Genesis().Hash, "Core_version", nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := types.DecodeRuntimeVersion(out)
	if err != nil {
		t.Fatal(err)
	}
	_, ok := v.APIVersion(types.APIID("AuraApi"))
	return ok
}

// TestAuthorRun runs the slot loop on the wall clock until two blocks are
// imported (driven by chain events, bounded by a deadline).
func TestAuthorRun(t *testing.T) {
	alice := dev(t, "Alice")
	s := newAuthorSetup(t, [][32]byte{alice.Public()}, nil, false)
	s.author.cfg.Now = time.Now
	s.author.cfg.Announce = nil
	events, unsub := s.a.Subscribe()
	defer unsub()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.author.Run(ctx) }()
	timeout := time.After(20 * time.Second)
	for n := 0; n < 2; {
		select {
		case ev := <-events:
			if ev.Kind == chain.EventImported {
				n++
			}
		case <-timeout:
			t.Fatal("no blocks within 20 s")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.a.Best().Number < 2 {
		t.Fatalf("best %v", s.a.Best())
	}
}

// TestRuntimeAuraChain runs Aura against the relay runtime's own AuraApi:
// slot duration and authorities from the runtime (through the cache), the
// runtime's pallet_aura checking each block's slot and timestamp, and an
// equivocation turned into the runtime's report extrinsic, which the pool
// validation accepts and a block includes.
func TestRuntimeAuraChain(t *testing.T) {
	ctx := context.Background()
	var s struct {
		clock   time.Time
		reports [][]byte
	}
	s.clock = base
	a := openChain(t, nil)
	if !hasAuraAPI(t, a) {
		t.Skip("relay runtime has no AuraApi yet")
	}
	g := a.Genesis().Hash
	dur, err := RuntimeSlotDuration(ctx, a, g)
	if err != nil {
		t.Fatal(err)
	}
	auths, err := RuntimeAuthorities(a)(g)
	if err != nil || len(auths) == 0 {
		t.Fatalf("authorities %x: %v", auths, err)
	}
	ks := keystore.NewInMemory()
	for _, d := range keystore.DevAccounts() {
		if slices.Contains(auths, d.Public()) {
			if _, err := ks.Insert(keystore.KeyTypeAura, "//"+d.Name, keystore.Sr25519); err != nil {
				t.Fatal(err)
			}
		}
	}
	if keys, _ := ks.Keys(keystore.KeyTypeAura); len(keys) != len(auths) {
		t.Fatalf("the development authorities are not all dev accounts: %x", auths)
	}
	now := func() time.Time { return s.clock }
	var b *chain.Chain
	submitted := make(chan []byte, 4)
	report := Reporter(&lateCaller{&b}, func() types.Hash { return b.Best().Hash },
		func(ext []byte) error { submitted <- ext; return nil }, quiet)
	// The node's wiring: the verifier exists before its chain is opened, so
	// it reaches the chain through closures.
	v, err := NewVerifier(VerifierConfig{Now: now, Logger: quiet,
		SlotDurationFunc: func() (time.Duration, error) { return RuntimeSlotDuration(ctx, b, b.Genesis().Hash) },
		Authorities: CachedAuthorities(func(at types.Hash) ([][32]byte, error) { return RuntimeAuthorities(b)(at) },
			func(h types.Hash) (*types.Header, error) { return b.Header(h) }, 0),
		Report: func(p []byte) {
			s.reports = append(s.reports, p)
			report(p)
		}})
	if err != nil {
		t.Fatal(err)
	}
	b = openChain(t, v)
	pool := &listPool{}
	author, err := NewAuthor(a, AuthorConfig{SlotDuration: dur, Authorities: CachedAuthorities(RuntimeAuthorities(a), a.Header, 0),
		Keystore: ks, Pool: pool, Now: now, Equivocate: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	step := func(i int) []*types.Block {
		s.clock = base.Add(time.Duration(i) * dur)
		blks, err := author.Step(ctx, s.clock)
		if err != nil {
			t.Fatal(err)
		}
		for _, blk := range blks {
			if _, _, err := b.Import(ctx, blk); err != nil {
				t.Fatalf("peer import of #%d: %v", blk.Header.Number, err)
			}
		}
		return blks
	}
	if blks := step(0); len(blks) != 2 || len(s.reports) != 1 {
		t.Fatalf("%d blocks, %d reports", len(blks), len(s.reports))
	}
	ext, ok, err := ReportExtrinsic(ctx, b, b.Best().Hash, s.reports[0])
	if err != nil || !ok {
		t.Fatalf("report extrinsic: ok %v, %v", ok, err)
	}
	select {
	case got := <-submitted:
		if string(got) != string(ext) {
			t.Fatal("Reporter submitted another extrinsic than ReportExtrinsic builds")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Reporter submitted nothing")
	}
	// The pool would accept it as a local transaction ...
	bh := b.Best().Hash
	in := append(append([]byte{byte(types.SourceLocal)}, ext...), bh[:]...)
	out, err := b.Call(ctx, bh, "TaggedTransactionQueue_validate_transaction", in)
	if err != nil {
		t.Fatal(err)
	}
	var res types.TransactionValidity
	if err := scale.Decode(out, &res); err != nil || res.Err != nil {
		t.Fatalf("report refused by validate_transaction: %v %+v", err, res.Err)
	}
	// ... and the next block includes it.
	pool.txs = []Tx{{Hash: types.Blake2b256(ext), Ext: ext}}
	blks := step(1)
	if len(blks[0].Extrinsics) != 2 || len(pool.refused) != 0 {
		t.Fatalf("%d extrinsics, refused %d", len(blks[0].Extrinsics), len(pool.refused))
	}
	// A block whose timestamp is outside its slot is refused by the runtime
	// itself (pallet_aura), whatever its seal.
	slot := CurrentSlot(base, dur) + 5
	bld, err := a.NewBuilder(ctx, a.Best().Hash, []types.DigestItem{PreDigest(slot)})
	if err != nil {
		t.Fatal(err)
	}
	defer bld.Discard(ctx)
	data := chain.InherentData{}
	data.SetTimestamp((slot + 1) * uint64(dur/time.Millisecond))
	err = bld.Inherents(ctx, data)
	if err == nil {
		t.Fatal("runtime accepted a timestamp outside the block's slot")
	}
	t.Logf("%d authorities; refused as expected: %v", len(auths), err)
}

// BenchmarkAuthorStep: one slot authored (inherents only: build, seal,
// import) and verified by a peer.
func BenchmarkAuthorStep(b *testing.B) {
	alice := dev(b, "Alice")
	s := newAuthorSetup(b, [][32]byte{alice.Public()}, nil, false)
	ctx := context.Background()
	var verify time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.clock = base.Add(time.Duration(i) * slotDur)
		blks, err := s.author.Step(ctx, s.clock)
		if err != nil || len(blks) != 1 {
			b.Fatal(len(blks), err)
		}
		parent, err := s.a.Header(blks[0].Header.ParentHash)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := s.verifier.Verify(parent, &blks[0].Header); err != nil {
			b.Fatal(err)
		}
		verify += time.Since(start)
	}
	b.ReportMetric(float64(verify.Microseconds())/float64(b.N), "µs-verify/op")
}

// lateCaller calls a chain opened after it was made.
type lateCaller struct{ c **chain.Chain }

func (l *lateCaller) Call(ctx context.Context, at types.Hash, method string, input []byte) ([]byte, error) {
	return (*l.c).Call(ctx, at, method, input)
}
