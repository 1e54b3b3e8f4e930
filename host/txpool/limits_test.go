package txpool

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestReadyCountLimitEvictsLowestThenOldest(t *testing.T) {
	h := newHarness(t, Config{ReadyCount: 3})
	w1 := h.watch(fx("p1-old", 1, "", "a"))
	w2 := h.watch(fx("p1-new", 1, "", "b"))
	h.submit(fx("p5", 5, "", "c"))
	h.submit(fx("p7", 7, "", "d"))
	expectStatuses(t, w1, "ready dropped", true)
	expectStatuses(t, w2, "ready", false)
	// Lower than everything: dropped immediately. Equal to the lowest:
	// the older one goes, as in Substrate.
	if err := h.submitErr(fx("p0", 0, "", "e")); !errors.Is(err, ErrPoolFull) {
		t.Fatalf("lowest: %v", err)
	}
	h.submit(fx("p1-newest", 1, "", "f"))
	expectStatuses(t, w2, "dropped", true)
	if got := strings.Join(h.readyIDs(), " "); got != "p7 p5 p1-newest" {
		t.Fatalf("order %q", got)
	}
}

func TestReadyEvictionDemotesDependants(t *testing.T) {
	h := newHarness(t, Config{ReadyCount: 2})
	h.submit(fx("a", 1, "", "a"))
	wb := h.watch(fx("b", 3, "a", "b"))
	h.submit(fx("c", 2, "", "c")) // a is the lowest: evicted, b waits for a again
	expectStatuses(t, wb, "ready future", false)
	if s := h.pool.Stats(); s.Ready != 1 || s.Future != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestFutureLimitEvictsOldest(t *testing.T) {
	h := newHarness(t, Config{FutureCount: 2})
	w := h.watch(fx("f1", 9, "x", "f1"))
	h.submit(fx("f2", 1, "x", "f2"))
	h.submit(fx("f3", 1, "x", "f3"))
	expectStatuses(t, w, "future dropped", true)
	if s := h.pool.Stats(); s.Future != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestByteLimits(t *testing.T) {
	one := len(fx("r0", 1, "", "r0"))
	h := newHarness(t, Config{ReadyBytes: 2 * one, FutureBytes: one + 1})
	for i := range 3 {
		id := "r" + strconv.Itoa(i)
		if i < 2 {
			h.submit(fx(id, uint64(9-i), "", id))
		} else if err := h.submitErr(fx(id, 1, "", id)); !errors.Is(err, ErrPoolFull) {
			t.Fatalf("third ready: %v", err)
		}
	}
	h.submit(fx("f0", 1, "x", "f0"))
	h.submit(fx("f1", 1, "x", "f1"))
	if s := h.pool.Stats(); s.ReadyBytes != 2*one || s.FutureBytes != one+1 || s.Future != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestPerSenderLimit(t *testing.T) {
	sender := func(ext []byte) (string, bool) {
		f, ok := parseFake(ext)
		s, has := f["s"]
		return s, ok && has
	}
	h := newHarness(t, Config{Sender: sender, MaxPerSender: 2})
	h.submit([]byte("s=alice;p=1;v=a0"))
	h.submit([]byte("s=alice;p=1;r=a0;v=a1"))
	if err := h.submitErr([]byte("s=alice;p=1;r=a1;v=a2")); !errors.Is(err, ErrSenderLimit) {
		t.Fatalf("third: %v", err)
	}
	h.submit([]byte("s=alice;p=5;r=a0;v=a1")) // replacing one of hers is fine
	h.submit([]byte("s=bob;p=1;v=b0"))
	h.submit([]byte("p=1;v=u0")) // unsigned: no sender, no limit
	h.pool.Prune([32]byte{1}, 1, [][]byte{[]byte("s=alice;p=1;v=a0")})
	h.submit([]byte("s=alice;p=1;r=a1;v=a2")) // room again after inclusion
}
