package db_test

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/db/dbtest"
)

func TestMemorySuite(t *testing.T) {
	dbtest.Run(t, func(t *testing.T) db.Database { return db.NewMemory() })
}

func TestKeys(t *testing.T) {
	if !bytes.Equal(db.CanonicalKey(0x01020304), []byte{'n', 1, 2, 3, 4}) {
		t.Fatal("canonical key not big-endian")
	}
	if bytes.Compare(db.CanonicalKey(255), db.CanonicalKey(256)) >= 0 {
		t.Fatal("canonical keys not ordered by number")
	}
	if db.PrefixUpperBound([]byte{0xff, 0xff}) != nil || !bytes.Equal(db.PrefixUpperBound([]byte{1, 0xff}), []byte{2}) {
		t.Fatal("db.PrefixUpperBound")
	}
}
