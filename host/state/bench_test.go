package state

import (
	"encoding/binary"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/pebbledb"
	"github.com/metamars/mars/host/trie"
	"golang.org/x/crypto/blake2b"
)

// accountKey spreads keys like a FRAME map with a blake2_128_concat hasher.
func accountKey(i uint64) []byte {
	id := binary.LittleEndian.AppendUint64(nil, i)
	h := blake2b.Sum256(id)
	k := append([]byte("System.Account.."), h[:16]...)
	return append(k, id...)
}

func benchCommit(b *testing.B, kv db.Database) {
	s, err := New(kv, Config{Archive: true})
	if err != nil {
		b.Fatal(err)
	}
	// Base state: 100k accounts.
	const base = 100_000
	o := s.NewOverlay(trie.EmptyRoot)
	for i := range uint64(base) {
		_ = o.Set(accountKey(i), make([]byte, 80))
	}
	u, err := o.Commit(trie.V1)
	if err != nil {
		b.Fatal(err)
	}
	must(b, u.Write())
	root := u.Root()
	b.ReportAllocs()
	n := uint64(0)
	for b.Loop() {
		o := s.NewOverlay(root)
		for j := range uint64(10_000) {
			n++
			v := binary.LittleEndian.AppendUint64(make([]byte, 72), n)
			_ = o.Set(accountKey((n*7919+j)%(base+base/10)), v) // ~9% new keys
		}
		u, err := o.Commit(trie.V1)
		if err != nil {
			b.Fatal(err)
		}
		must(b, u.Write())
		root = u.Root()
	}
}

// BenchmarkCommit10kPebbleDisk: a block changing 10,000 keys of a
// 100,000-key state, from overlay writes to a synced pebble batch on disk.
func BenchmarkCommit10kPebbleDisk(b *testing.B) {
	p, err := pebbledb.OpenPebble(b.TempDir(), pebbledb.PebbleOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	benchCommit(b, p)
}

// BenchmarkCommit10kMemory is the same on the in-memory backend.
func BenchmarkCommit10kMemory(b *testing.B) { benchCommit(b, db.NewMemory()) }

// BenchmarkOverlayGet10k reads 10,000 random keys of a 100,000-key state on
// pebble through a fresh overlay (cold trie: nodes decoded as reached).
func BenchmarkOverlayGet10k(b *testing.B) {
	p, err := pebbledb.OpenPebble(b.TempDir(), pebbledb.PebbleOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	s, _ := New(p, Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	for i := range uint64(100_000) {
		_ = o.Set(accountKey(i), make([]byte, 80))
	}
	u, err := o.Commit(trie.V1)
	if err != nil {
		b.Fatal(err)
	}
	must(b, u.Write())
	n := uint64(0)
	for b.Loop() {
		o := s.NewOverlay(u.Root())
		for range 10_000 {
			n++
			if _, ok, err := o.Get(accountKey((n * 7919) % 100_000)); !ok || err != nil {
				b.Fatal("missing key", err)
			}
		}
	}
}

// BenchmarkOverlayHotReads reads the same 1,000 keys of a 100,000-key state
// on pebble from a fresh overlay each time: the hot keys every block touches.
func BenchmarkOverlayHotReads(b *testing.B) {
	p, err := pebbledb.OpenPebble(b.TempDir(), pebbledb.PebbleOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	s, _ := New(p, Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	for i := range uint64(100_000) {
		_ = o.Set(accountKey(i), make([]byte, 80))
	}
	u, err := o.Commit(trie.V1)
	if err != nil {
		b.Fatal(err)
	}
	must(b, u.Write())
	for b.Loop() {
		o := s.NewOverlay(u.Root())
		for i := range uint64(1000) {
			if _, ok, err := o.Get(accountKey(i * 97)); !ok || err != nil {
				b.Fatal("missing key", err)
			}
		}
	}
}

// blockBench is a synthetic block of transfers shaped like the runtime's
// (measured on a 1,000-transfer block through WASM: 17 sets, 5 appends, 2
// reads and 2 nested transactions per transfer, the whole block inside two
// more; per-extrinsic data written, then deleted at finalize; a root at the
// end), over a base state of accounts.
type blockBench struct {
	s        *State
	root     [32]byte
	accounts uint64
	block    uint64
	counters [][]byte
	xdata    [][]byte
}

const benchTransfers = 1000

func newBlockBench(b testing.TB, kv db.Database, accounts uint64) *blockBench {
	s, err := New(kv, Config{Archive: true})
	if err != nil {
		b.Fatal(err)
	}
	o := s.NewOverlay(trie.EmptyRoot)
	for i := range accounts {
		must(b, o.Set(accountKey(i), make([]byte, 80)))
	}
	for i := range byte(20) {
		must(b, o.Set([]byte("System.Counter.."+string('a'+rune(i))), []byte{i}))
	}
	u, err := o.Commit(trie.V1)
	if err != nil {
		b.Fatal(err)
	}
	must(b, u.Write())
	return &blockBench{s: s, root: u.Root(), accounts: accounts}
}

// execute runs one block's storage calls on a new overlay and returns it
// after the final Root, all transactions committed.
func (bb *blockBench) execute(b testing.TB) *Overlay {
	bb.block++
	o := bb.s.NewOverlay(bb.root)
	if bb.counters == nil {
		for i := range 20 {
			bb.counters = append(bb.counters, []byte("System.Counter.."+string('a'+rune(i))))
		}
		for i := range benchTransfers {
			bb.xdata = append(bb.xdata, binary.BigEndian.AppendUint32([]byte("System.ExtrinsicData"), uint32(i)))
		}
	}
	var failed error
	check := func(err error) { // not must: t.Helper would dominate the profile
		if err != nil && failed == nil {
			failed = err
		}
	}
	events := []byte("System.Events")
	v, item, xv := make([]byte, 80), make([]byte, 40), make([]byte, 146)
	o.StartTransaction()
	o.StartTransaction()
	for i := range benchTransfers {
		from := accountKey((bb.block*7919 + uint64(i)) % bb.accounts)
		to := accountKey((bb.block*7919 + uint64(i) + 1) % bb.accounts)
		check(o.Set(bb.xdata[i], xv))
		o.StartTransaction()
		for j := range 4 {
			check(o.Set(bb.counters[j], []byte{byte(i), byte(j)}))
		}
		_, _, err := o.Get(from)
		check(err)
		binary.LittleEndian.PutUint64(v, bb.block<<20|uint64(i))
		check(o.Set(from, v))
		o.StartTransaction()
		_, _, err = o.Get(to)
		check(err)
		check(o.Set(to, v))
		check(o.Set(from, v))
		for j := range 5 {
			check(o.Set(bb.counters[4+j%3], []byte{byte(j)}))
			check(o.Append(events, item))
		}
		check(o.CommitTransaction())
		for j := range 5 {
			check(o.Set(bb.counters[8+j], []byte{byte(i)}))
		}
		check(o.CommitTransaction())
	}
	for i := range benchTransfers {
		check(o.Delete(bb.xdata[i]))
	}
	_, err := o.Root(1)
	check(err)
	check(o.CommitTransaction())
	check(o.CommitTransaction())
	if failed != nil {
		b.Fatal(failed)
	}
	return o
}

// BenchmarkOverlayBlock times the storage calls of a 1,000-transfer block
// (17,000 sets, 5,000 appends, 2,000 reads, 2,002 transactions, one root)
// over a 100,000-account state, without the commit.
func BenchmarkOverlayBlock(b *testing.B) {
	bb := newBlockBench(b, db.NewMemory(), 100_000)
	b.ReportAllocs()
	for b.Loop() {
		bb.execute(b)
	}
}

// BenchmarkOverlaySetInTransactions times one Set as a block does them:
// a few thousand keys, written repeatedly inside nested transactions.
func BenchmarkOverlaySetInTransactions(b *testing.B) {
	s, _ := New(db.NewMemory(), Config{})
	o := s.NewOverlay(trie.EmptyRoot)
	keys := make([][]byte, 2000)
	for i := range keys {
		keys[i] = accountKey(uint64(i))
	}
	v := make([]byte, 80)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// A block: 17,000 sets in one outer transaction, 17 per inner one.
		if i%17 == 0 {
			if i > 0 {
				if err := o.CommitTransaction(); err != nil {
					b.Fatal(err)
				}
			}
			if i%17_000 == 0 {
				if i > 0 {
					if err := o.CommitTransaction(); err != nil {
						b.Fatal(err)
					}
				}
				o.StartTransaction()
			}
			o.StartTransaction()
		}
		if err := o.Set(keys[i%len(keys)], v); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCommitBlockPebbleDisk times what follows a 1,000-transfer block's
// execution: Commit (root, new nodes, reference counts) plus the block's
// header and body, written in one synced pebble batch on disk, over a
// 100,000-account state that grows one block per iteration.
func BenchmarkCommitBlockPebbleDisk(b *testing.B) {
	p, err := pebbledb.OpenPebble(b.TempDir(), pebbledb.PebbleOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	bb := newBlockBench(b, p, 100_000)
	body := make([]byte, 150_000)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		o := bb.execute(b)
		b.StartTimer()
		u, err := o.Commit(trie.V1)
		if err != nil {
			b.Fatal(err)
		}
		h := binary.BigEndian.AppendUint64(nil, bb.block)
		must(b, u.Put(db.HeaderKey([32]byte(append(h, make([]byte, 24)...))), make([]byte, 200)))
		must(b, u.Put(db.BodyKey([32]byte(append(h, make([]byte, 24)...))), body))
		must(b, u.Write())
		bb.root = u.Root()
	}
}
