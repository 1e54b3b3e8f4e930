package pebbledb

import (
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/dbtest"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSuiteInMemoryFS(t *testing.T) {
	dbtest.Run(t, func(t *testing.T) db.Database {
		p, err := NewPebbleMemory()
		must(t, err)
		return p
	})
}

func TestSuiteOnDisk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T) db.Database {
		p, err := OpenPebble(t.TempDir(), PebbleOptions{})
		must(t, err)
		return p
	})
}

func TestPebbleReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	p, err := OpenPebble(dir, PebbleOptions{})
	must(t, err)
	b := p.NewBatch()
	must(t, b.Put(db.HeaderKey([32]byte{1}), []byte("header")))
	must(t, b.Put(db.CanonicalKey(7), []byte{1}))
	must(t, b.Write())
	// A batch never written must leave nothing behind after a reopen.
	lost := p.NewBatch()
	must(t, lost.Put([]byte("lost"), []byte("x")))
	must(t, p.Close())
	p, err = OpenPebble(dir, PebbleOptions{})
	must(t, err)
	defer p.Close()
	if v, err := p.Get(db.HeaderKey([32]byte{1})); err != nil || string(v) != "header" {
		t.Fatalf("after reopen: %q %v", v, err)
	}
	if ok, _ := p.Has([]byte("lost")); ok {
		t.Fatal("unwritten batch persisted")
	}
}
