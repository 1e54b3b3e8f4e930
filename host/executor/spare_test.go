package executor

import (
	"context"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/scale"
)

// spareOf reports whether code's module holds a spare instance.
func spareOf(e *Executor, code []byte) bool {
	m, err := e.module(context.Background(), code)
	if err != nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spare != nil
}

// TestSpareInstance: after the first instance of a runtime, the next one is
// made in the background; the instance NewInstance then hands out is fresh
// (no state from other instances) and runs over the storage it was given.
func TestSpareInstance(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	s1, s2 := newMemStorage(), newMemStorage()
	_ = s1.Set([]byte("k"), []byte("one"))
	_ = s2.Set([]byte("k"), []byte("two"))
	first := newTestInstance(t, e, s1)
	for want := uint32(1); want <= 2; want++ {
		out, err := first.Call(ctx, "count", nil)
		if err != nil || scale.NewDecoder(out).U32() != want {
			t.Fatalf("count = %x, %v; want %d", out, err, want)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for !spareOf(e, testrtCode) {
		if time.Now().After(deadline) {
			t.Fatal("no spare instance after 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	m, err := e.module(ctx, testrtCode)
	if err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	spare := m.spare
	m.mu.Unlock()
	second := newTestInstance(t, e, s2)
	if second != spare {
		t.Fatal("the spare was not handed out")
	}
	out, err := second.Call(ctx, "count", nil)
	if err != nil || scale.NewDecoder(out).U32() != 1 {
		t.Fatalf("spare instance is not fresh: count = %x, %v", out, err)
	}
	if out, err := second.Call(ctx, "get_key", nil); err != nil || string(out) != "two" {
		t.Fatalf("spare instance reads %q, %v; want its own storage's \"two\"", out, err)
	}
	if out, err := first.Call(ctx, "get_key", nil); err != nil || string(out) != "one" {
		t.Fatalf("first instance reads %q, %v", out, err)
	}
}

// TestCloseWithRefillInFlight: closing the executor while a spare is being
// made waits for it and releases everything.
func TestCloseWithRefillInFlight(t *testing.T) {
	e, err := New(context.Background(), Config{Logger: quietLogger(), CacheDir: testCacheDir})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := e.NewInstance(context.Background(), testrtCode, newMemStorage())
	if err != nil {
		t.Fatal(err)
	}
	_ = inst.Close(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Close(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close hangs with a refill in flight")
	}
	if _, err := e.NewInstance(context.Background(), testrtCode, newMemStorage()); err == nil {
		t.Fatal("NewInstance after Close succeeded")
	}
}
