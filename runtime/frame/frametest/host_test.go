package frametest

import "testing"

func TestNestedRollback(t *testing.T) {
	h := NewHost()
	h.StorageSet([]byte("a"), []byte{1})
	h.StartTransaction()
	h.StartTransaction()
	h.StorageSet([]byte("b"), []byte{2})
	h.StorageSet([]byte("a"), []byte{3})
	h.RollbackTransaction()
	h.StorageSet([]byte("c"), []byte{4})
	h.StartTransaction()
	h.StorageClear([]byte("a"))
	h.CommitTransaction()
	h.RollbackTransaction()
	if len(h.Keys()) != 1 {
		t.Fatalf("keys %q", h.Keys())
	}
	if v, _ := h.StorageGet([]byte("a")); len(v) != 1 || v[0] != 1 {
		t.Fatalf("a = %v", v)
	}
}

func TestAppendClearPrefixNextKey(t *testing.T) {
	h := NewHost()
	h.StorageAppend([]byte("v"), []byte{7})
	h.StorageAppend([]byte("v"), []byte{8})
	if v, _ := h.StorageGet([]byte("v")); string(v) != "\x08\x07\x08" {
		t.Fatalf("append %x", v)
	}
	for _, k := range []string{"p1", "p2", "p3", "q"} {
		h.StorageSet([]byte(k), []byte{1})
	}
	if n, all := h.StorageClearPrefix([]byte("p"), 2); n != 2 || all {
		t.Fatalf("limited clear %d %v", n, all)
	}
	if k, ok := h.StorageNextKey([]byte("p")); !ok || string(k) != "p3" {
		t.Fatalf("next %q", k)
	}
	if n, all := h.StorageClearPrefix([]byte("p"), 0); n != 1 || !all {
		t.Fatalf("clear %d %v", n, all)
	}
}
