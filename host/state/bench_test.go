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
