package txpool

import (
	"strings"
	"testing"
)

func TestReadyIteratorReportInvalidSkipsDependants(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 10, "", "a"))
	h.submit(fx("b", 9, "a", "b"))
	h.submit(fx("c", 8, "b", "c"))
	h.submit(fx("x", 5, "", "x"))
	h.submit(fx("y", 20, "a,x", "y")) // depends on a and x
	it := h.pool.Ready()
	var got []string
	for {
		tx, ok := it.Next()
		if !ok {
			break
		}
		f, _ := parseFake(tx.Ext)
		got = append(got, f["id"])
		if f["id"] == "b" {
			it.ReportInvalid(tx.Hash) // c must not follow
		}
	}
	if s := strings.Join(got, " "); s != "a b x y" {
		t.Fatalf("order %q", s)
	}
	// Reporting before the transaction is yielded skips it too.
	it = h.pool.Ready()
	it.ReportInvalid(hashOf(fx("a", 10, "", "a")))
	var rest []string
	for tx, ok := it.Next(); ok; tx, ok = it.Next() {
		f, _ := parseFake(tx.Ext)
		rest = append(rest, f["id"])
	}
	if s := strings.Join(rest, " "); s != "x" {
		t.Fatalf("after invalid root %q", s)
	}
	it.ReportInvalid([32]byte{9}) // unknown: ignored
}

func TestReadyIteratorIsASnapshot(t *testing.T) {
	h := newHarness(t, Config{})
	h.submit(fx("a", 1, "", "a"))
	it := h.pool.Ready()
	h.submit(fx("b", 2, "", "b"))
	h.pool.RemoveInvalid(hashOf(fx("a", 1, "", "a")))
	tx, ok := it.Next()
	if f, _ := parseFake(tx.Ext); !ok || f["id"] != "a" {
		t.Fatalf("snapshot lost: %v %s", ok, tx.Ext)
	}
	if _, ok := it.Next(); ok {
		t.Fatal("snapshot grew")
	}
}

func TestReadyIteratorNonceChains(t *testing.T) {
	h := newHarness(t, Config{})
	// Two senders, interleaved, tips rising with the nonce for alice.
	h.submit(fx("a0", 1, "", "a0"))
	h.submit(fx("a1", 50, "a0", "a1"))
	h.submit(fx("b0", 10, "", "b0"))
	h.submit(fx("b1", 10, "b0", "b1"))
	h.submit(fx("a2", 100, "a1", "a2"))
	if s := strings.Join(h.readyIDs(), " "); s != "b0 b1 a0 a1 a2" {
		t.Fatalf("order %q", s)
	}
}
