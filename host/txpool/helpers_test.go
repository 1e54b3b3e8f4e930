package txpool

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

// fakeChain is a deterministic validator over a tiny text "extrinsic"
// encoding, "key=value;…": id (free text, makes hashes distinct), p
// priority, r required tags and v provided tags (comma separated), l
// longevity (default 64), bad=<kind> (invalid), unk=<kind> (unknown). The
// chain state is the set of tags it already provides: a transaction
// providing one of them is Stale, and required tags the chain provides are
// dropped from requires, as a runtime's nonce check would.
type fakeChain struct {
	mu      sync.Mutex
	onChain map[string]bool
	prio    map[string]uint64 // id → priority overriding p (a runtime re-ranking)
	calls   int
	err     error         // returned by every call when set
	gate    chan struct{} // when set, each call waits for a receive
}

func newFakeChain() *fakeChain {
	return &fakeChain{onChain: map[string]bool{}, prio: map[string]uint64{}}
}

func (c *fakeChain) setPriority(id string, p uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prio[id] = p
}

func (c *fakeChain) provide(tags ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range tags {
		c.onChain[t] = true
	}
}

func (c *fakeChain) callCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

var errFakeRuntime = errors.New("fake runtime trap")

func (c *fakeChain) Validate(ctx context.Context, at types.Hash, source types.TransactionSource, ext []byte) (types.ValidTransaction, *types.TransactionValidityError, error) {
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return types.ValidTransaction{}, nil, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.err != nil {
		return types.ValidTransaction{}, nil, c.err
	}
	f, ok := parseFake(ext)
	if !ok {
		return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidCall}, nil
	}
	if k, ok := f["bad"]; ok {
		n, _ := strconv.Atoi(k)
		return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: uint8(n)}, nil
	}
	if k, ok := f["unk"]; ok {
		n, _ := strconv.Atoi(k)
		return types.ValidTransaction{}, &types.TransactionValidityError{Kind: uint8(n)}, nil
	}
	v := types.ValidTransaction{Longevity: 64, Propagate: true}
	if s, ok := f["p"]; ok {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidCall}, nil
		}
		v.Priority = n
	}
	if n, ok := c.prio[f["id"]]; ok {
		v.Priority = n
	}
	if s, ok := f["l"]; ok {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidCall}, nil
		}
		v.Longevity = n
	}
	for _, tag := range splitTags(f["v"]) {
		if c.onChain[tag] {
			return types.ValidTransaction{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidStale}, nil
		}
		v.Provides = append(v.Provides, []byte(tag))
	}
	for _, tag := range splitTags(f["r"]) {
		if !c.onChain[tag] {
			v.Requires = append(v.Requires, []byte(tag))
		}
	}
	return v, nil, nil
}

func parseFake(ext []byte) (map[string]string, bool) {
	f := map[string]string{}
	for _, kv := range strings.Split(string(ext), ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, false
		}
		f[k] = v
	}
	return f, true
}

func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// fx builds a fake extrinsic: id, priority, required and provided tags.
func fx(id string, prio uint64, requires, provides string) []byte {
	return fmt.Appendf(nil, "id=%s;p=%d;r=%s;v=%s", id, prio, requires, provides)
}

func hashOf(ext []byte) types.Hash { return types.Hash(types.Blake2b256(ext)) }

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type harness struct {
	t     testing.TB
	chain *fakeChain
	clock *fakeClock
	pool  *Pool
}

func newHarness(t testing.TB, cfg Config) *harness {
	h := &harness{t: t, chain: newFakeChain(), clock: &fakeClock{now: time.Unix(1_700_000_000, 0)}}
	if cfg.Now == nil {
		cfg.Now = h.clock.Now
	}
	h.pool = New(h.chain, types.Hash{0xb0}, 0, cfg)
	return h
}

func (h *harness) submit(ext []byte) types.Hash {
	h.t.Helper()
	hash, err := h.pool.Submit(context.Background(), types.SourceExternal, ext)
	if err != nil {
		h.t.Fatalf("submit %s: %v", ext, err)
	}
	checkInvariants(h.t, h.pool)
	return hash
}

func (h *harness) watch(ext []byte) *Watcher {
	h.t.Helper()
	w, err := h.pool.SubmitAndWatch(context.Background(), types.SourceExternal, ext)
	if err != nil {
		h.t.Fatalf("submit %s: %v", ext, err)
	}
	checkInvariants(h.t, h.pool)
	return w
}

func (h *harness) submitErr(ext []byte) error {
	h.t.Helper()
	_, err := h.pool.Submit(context.Background(), types.SourceExternal, ext)
	checkInvariants(h.t, h.pool)
	return err
}

// readyIDs drains a ReadyIterator and returns the ids in order.
func (h *harness) readyIDs() []string {
	var ids []string
	it := h.pool.Ready()
	for {
		tx, ok := it.Next()
		if !ok {
			return ids
		}
		f, _ := parseFake(tx.Ext)
		ids = append(ids, f["id"])
	}
}

// drain returns the statuses queued on w without waiting, and whether the
// channel is closed.
func drain(w *Watcher) ([]string, bool) {
	var out []string
	for {
		select {
		case s, ok := <-w.Updates():
			if !ok {
				return out, true
			}
			out = append(out, s.Kind.String())
		default:
			return out, false
		}
	}
}

func expectStatuses(t testing.TB, w *Watcher, want string, closed bool) {
	t.Helper()
	got, isClosed := drain(w)
	if strings.Join(got, " ") != want || isClosed != closed {
		t.Fatalf("statuses %q closed=%v, want %q closed=%v", strings.Join(got, " "), isClosed, want, closed)
	}
}

// checkInvariants verifies the pool's internal indexes against each other.
func checkInvariants(t testing.TB, p *Pool) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	var rc, rb, fc, fb int
	senders := map[string]int{}
	for h, tx := range p.mu.txs {
		if tx.hash != h {
			t.Fatalf("tx keyed by wrong hash")
		}
		if tx.ready {
			rc, rb = rc+1, rb+len(tx.ext)
			for _, tag := range tx.valid.Requires {
				if q := p.mu.providers[string(tag)]; q != nil && !q.ready && !p.prunedLocked(tag) {
					t.Fatalf("ready %s requires %q from future %s", tx.ext, tag, q.ext)
				}
			}
		} else {
			fc, fb = fc+1, fb+len(tx.ext)
			all := true
			for _, tag := range tx.valid.Requires {
				all = all && p.satisfiedLocked(tag)
			}
			if all {
				t.Fatalf("future %s has all requirements met", tx.ext)
			}
		}
		for _, tag := range tx.valid.Provides {
			if p.mu.providers[string(tag)] != tx {
				t.Fatalf("tag %q of %s not indexed", tag, tx.ext)
			}
		}
		for _, tag := range tx.valid.Requires {
			if !containsTx(p.mu.waiting[string(tag)], tx) {
				t.Fatalf("requirement %q of %s not indexed", tag, tx.ext)
			}
		}
		if tx.hasSender {
			senders[tx.sender]++
		}
	}
	for tag, q := range p.mu.providers {
		if p.mu.txs[q.hash] != q {
			t.Fatalf("provider of %q not pooled", tag)
		}
	}
	for tag, ws := range p.mu.waiting {
		for _, w := range ws {
			if p.mu.txs[w.hash] != w {
				t.Fatalf("waiter on %q not pooled", tag)
			}
		}
	}
	if rc != p.mu.readyCount || rb != p.mu.readyBytes || fc != p.mu.futureCount || fb != p.mu.futureBytes {
		t.Fatalf("counters %d/%d %d/%d, recount %d/%d %d/%d", p.mu.readyCount, p.mu.readyBytes,
			p.mu.futureCount, p.mu.futureBytes, rc, rb, fc, fb)
	}
	if len(senders) != len(p.mu.senders) {
		t.Fatalf("sender counts %v, recount %v", p.mu.senders, senders)
	}
	for s, n := range senders {
		if p.mu.senders[s] != n {
			t.Fatalf("sender %q count %d, recount %d", s, p.mu.senders[s], n)
		}
	}
	for _, q := range []*txQueue{&p.mu.readyQ, &p.mu.futureQ} {
		for i, tx := range q.txs {
			if tx.qidx != i || p.mu.txs[tx.hash] != tx || tx.ready != (q == &p.mu.readyQ) {
				t.Fatalf("queue entry %d (%s) misplaced", i, tx.ext)
			}
			if i > 0 && q.less(tx, q.txs[(i-1)/2]) {
				t.Fatalf("queue heap order broken at %d", i)
			}
		}
	}
	if len(p.mu.readyQ.txs) != rc || len(p.mu.futureQ.txs) != fc {
		t.Fatalf("queues hold %d/%d, want %d/%d", len(p.mu.readyQ.txs), len(p.mu.futureQ.txs), rc, fc)
	}
	if len(p.mu.touchedList) != 0 || len(p.mu.touched) != 0 {
		t.Fatalf("touched set not flushed")
	}
}
