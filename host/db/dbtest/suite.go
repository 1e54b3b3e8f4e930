// Package dbtest is the conformance suite every db.Database backend must
// pass (the go-ethereum ethdb/dbtest idea): one set of semantics, checked
// the same way on each implementation.
package dbtest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/metamars/mars/host/db"
)

// Run runs the whole suite; open must return a new, empty database.
func Run(t *testing.T, open func(t *testing.T) db.Database) {
	for _, c := range suite {
		t.Run(c.name, func(t *testing.T) {
			d := open(t)
			defer d.Close()
			c.run(t, d)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func collect(t *testing.T, it db.Iterator) []string {
	t.Helper()
	defer it.Release()
	var out []string
	for it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	must(t, it.Error())
	return out
}

var suite = []struct {
	name string
	run  func(t *testing.T, d db.Database)
}{
	{"PutGetHasDelete", func(t *testing.T, d db.Database) {
		if _, err := d.Get([]byte("k")); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("get missing: %v", err)
		}
		if ok, err := d.Has([]byte("k")); ok || err != nil {
			t.Fatalf("has missing: %v %v", ok, err)
		}
		must(t, d.Put([]byte("k"), []byte("v1")))
		must(t, d.Put([]byte("k"), []byte("v2")))
		v, err := d.Get([]byte("k"))
		if err != nil || string(v) != "v2" {
			t.Fatalf("get = %q %v", v, err)
		}
		v[0] = 'X' // the caller owns the copy
		if v, _ := d.Get([]byte("k")); string(v) != "v2" {
			t.Fatalf("mutating a returned value changed the store: %q", v)
		}
		must(t, d.Put([]byte("empty"), nil))
		if v, err := d.Get([]byte("empty")); err != nil || len(v) != 0 {
			t.Fatalf("empty value: %q %v", v, err)
		}
		if ok, _ := d.Has([]byte("empty")); !ok {
			t.Fatal("empty value not present")
		}
		must(t, d.Delete([]byte("k")))
		must(t, d.Delete([]byte("never-there")))
		if _, err := d.Get([]byte("k")); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("get deleted: %v", err)
		}
	}},
	{"CallerBuffersAreCopied", func(t *testing.T, d db.Database) {
		k, v := []byte("key"), []byte("val")
		must(t, d.Put(k, v))
		k[0], v[0] = 'X', 'X'
		if got, err := d.Get([]byte("key")); err != nil || string(got) != "val" {
			t.Fatalf("got %q %v", got, err)
		}
	}},
	{"BatchAtomicAndReusable", func(t *testing.T, d db.Database) {
		must(t, d.Put([]byte("gone"), []byte("x")))
		b := d.NewBatch()
		must(t, b.Put([]byte("a"), []byte("1")))
		must(t, b.Put([]byte("b"), []byte("2")))
		must(t, b.Delete([]byte("gone")))
		must(t, b.Put([]byte("a"), []byte("3"))) // later write wins
		if b.Len() != 4 || b.ValueSize() == 0 {
			t.Fatalf("len %d size %d", b.Len(), b.ValueSize())
		}
		if ok, _ := d.Has([]byte("a")); ok {
			t.Fatal("batch visible before Write")
		}
		must(t, b.Write())
		if got := collect(t, d.NewIterator(nil, nil)); fmt.Sprint(got) != "[a=3 b=2]" {
			t.Fatalf("after batch: %v", got)
		}
		b.Reset()
		if b.Len() != 0 {
			t.Fatal("reset batch not empty")
		}
		must(t, b.Put([]byte("c"), []byte("4")))
		must(t, b.Write())
		if ok, _ := d.Has([]byte("c")); !ok {
			t.Fatal("reused batch not written")
		}
	}},
	{"BatchCopiesArguments", func(t *testing.T, d db.Database) {
		b := d.NewBatch()
		k, v := []byte("k1"), []byte("v1")
		must(t, b.Put(k, v))
		k[1], v[1] = '2', '2'
		must(t, b.Put(k, v))
		k[1] = '1'
		must(t, b.Delete(append(k[:1:1], '3')))
		k[0], v[0] = 'X', 'X'
		must(t, b.Write())
		if got := collect(t, d.NewIterator(nil, nil)); fmt.Sprint(got) != "[k1=v1 k2=v2]" {
			t.Fatalf("after reusing buffers: %v", got)
		}
	}},
	{"BatchNotWrittenLeavesNothing", func(t *testing.T, d db.Database) {
		b := d.NewBatch()
		for i := range 100 {
			must(t, b.Put([]byte{byte(i)}, []byte("x")))
		}
		b.Reset()
		must(t, b.Write())
		if got := collect(t, d.NewIterator(nil, nil)); len(got) != 0 {
			t.Fatalf("discarded batch left %v", got)
		}
	}},
	{"IteratorOrderAndBounds", func(t *testing.T, d db.Database) {
		for _, k := range []string{"b", "a", "ab", "c", "ba", "", "\xff", "\xff\xff"} {
			must(t, d.Put([]byte(k), []byte(k)))
		}
		cases := []struct {
			lo, hi []byte
			want   string
		}{
			{nil, nil, "[= a=a ab=ab b=b ba=ba c=c \xff=\xff \xff\xff=\xff\xff]"},
			{[]byte("a"), []byte("b"), "[a=a ab=ab]"},
			{[]byte("aa"), nil, "[ab=ab b=b ba=ba c=c \xff=\xff \xff\xff=\xff\xff]"},
			{nil, []byte("a"), "[=]"},
			{[]byte("b"), db.PrefixUpperBound([]byte("b")), "[b=b ba=ba]"},
			{[]byte("\xff"), db.PrefixUpperBound([]byte("\xff")), "[\xff=\xff \xff\xff=\xff\xff]"},
			{[]byte("d"), []byte("e"), "[]"},
		}
		for _, c := range cases {
			if got := fmt.Sprint(collect(t, d.NewIterator(c.lo, c.hi))); got != c.want {
				t.Errorf("[%q,%q): %q, want %q", c.lo, c.hi, got, c.want)
			}
		}
	}},
	{"IteratorIsAConsistentView", func(t *testing.T, d db.Database) {
		must(t, d.Put([]byte("a"), []byte("1")))
		must(t, d.Put([]byte("b"), []byte("2")))
		it := d.NewIterator(nil, nil)
		defer it.Release()
		must(t, d.Put([]byte("c"), []byte("3")))
		must(t, d.Delete([]byte("b")))
		var keys []string
		for it.Next() {
			keys = append(keys, string(it.Key()))
		}
		if fmt.Sprint(keys) != "[a b]" {
			t.Fatalf("iterator saw later writes: %v", keys)
		}
	}},
	{"Snapshot", func(t *testing.T, d db.Database) {
		must(t, d.Put([]byte("a"), []byte("1")))
		s, err := d.NewSnapshot()
		must(t, err)
		must(t, d.Put([]byte("a"), []byte("2")))
		must(t, d.Put([]byte("b"), []byte("3")))
		if v, err := s.Get([]byte("a")); err != nil || string(v) != "1" {
			t.Fatalf("snapshot get: %q %v", v, err)
		}
		if ok, _ := s.Has([]byte("b")); ok {
			t.Fatal("snapshot sees a later key")
		}
		if got := fmt.Sprint(collect(t, s.NewIterator(nil, nil))); got != "[a=1]" {
			t.Fatalf("snapshot iterator: %v", got)
		}
		s.Release()
		if v, _ := d.Get([]byte("a")); string(v) != "2" {
			t.Fatalf("db after snapshot: %q", v)
		}
	}},
	{"ManyKeys", func(t *testing.T, d db.Database) {
		b := d.NewBatch()
		for i := range 5000 {
			must(t, b.Put([]byte(fmt.Sprintf("key-%06d", i)), bytes.Repeat([]byte{byte(i)}, i%50)))
		}
		must(t, b.Write())
		n := 0
		it := d.NewIterator([]byte("key-001000"), []byte("key-002000"))
		for it.Next() {
			if want := fmt.Sprintf("key-%06d", 1000+n); string(it.Key()) != want {
				t.Fatalf("key %q, want %q", it.Key(), want)
			}
			n++
		}
		it.Release()
		if n != 1000 {
			t.Fatalf("iterated %d", n)
		}
	}},
	{"Closed", func(t *testing.T, d db.Database) {
		must(t, d.Close())
		if _, err := d.Get([]byte("a")); !errors.Is(err, db.ErrClosed) {
			t.Fatalf("get after close: %v", err)
		}
		if err := d.Put([]byte("a"), nil); !errors.Is(err, db.ErrClosed) {
			t.Fatalf("put after close: %v", err)
		}
		it := d.NewIterator(nil, nil)
		if it.Next() || !errors.Is(it.Error(), db.ErrClosed) {
			t.Fatalf("iterator after close: %v", it.Error())
		}
		if err := d.NewBatch().Write(); !errors.Is(err, db.ErrClosed) {
			t.Fatalf("batch after close: %v", err)
		}
	}},
}
