package chain

import (
	"context"
	"fmt"
	"sync"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/runtime/types"
)

// Call runs a runtime API at block h; whatever the call writes is
// discarded. It is how RPC's state_call, the transaction pool and
// consensus query the runtime.
//
// Instantiating a Go runtime costs several milliseconds, far more than a
// typical query, so calls at the same block share one instance (the pool
// validates every transaction at the best block): each call runs inside an
// overlay transaction that is rolled back afterwards, so no call sees
// another's writes. A few recent blocks keep their instance.
func (c *Chain) Call(ctx context.Context, h types.Hash, method string, input []byte) ([]byte, error) {
	s, err := c.sessions.get(ctx, c, h)
	if err != nil {
		return nil, err
	}
	out, err := s.call(ctx, method, input)
	if err != nil {
		c.sessions.drop(h, s)
		return nil, fmt.Errorf("chain: runtime call %s: %w", method, err)
	}
	return out, nil
}

// session is one runtime instance at one block for read-only calls.
type session struct {
	mu   sync.Mutex
	ov   *state.Overlay     // guarded by mu
	inst *executor.Instance // guarded by mu
}

func (s *session) call(ctx context.Context, method string, input []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst == nil {
		return nil, executor.ErrInstanceClosed
	}
	s.ov.StartTransaction()
	out, err := s.inst.Call(ctx, method, input)
	if rerr := s.ov.RollbackTransaction(); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		s.closeLocked(ctx)
	}
	return out, err
}

func (s *session) close(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked(ctx)
}

func (s *session) closeLocked(ctx context.Context) {
	if s.inst != nil {
		s.inst.Close(ctx)
		s.inst = nil
	}
}

// sessionCacheSize bounds how many blocks keep a query instance: a Go
// runtime instance holds tens of MiB of memory.
const sessionCacheSize = 3

// sessionCache keeps the query sessions of the most recently used blocks.
type sessionCache struct {
	mu    sync.Mutex
	order []types.Hash               // guarded by mu; most recent last
	byH   map[types.Hash]*session    // guarded by mu
	wait  map[types.Hash]*sync.Mutex // guarded by mu; serialises creation per block
}

func (sc *sessionCache) get(ctx context.Context, c *Chain, h types.Hash) (*session, error) {
	sc.mu.Lock()
	if sc.byH == nil {
		sc.byH, sc.wait = map[types.Hash]*session{}, map[types.Hash]*sync.Mutex{}
	}
	if s, ok := sc.byH[h]; ok {
		sc.touchLocked(h)
		sc.mu.Unlock()
		return s, nil
	}
	w, ok := sc.wait[h]
	if !ok {
		w = &sync.Mutex{}
		sc.wait[h] = w
	}
	sc.mu.Unlock()

	// One creator per block; others wait and then find it cached.
	w.Lock()
	defer w.Unlock()
	sc.mu.Lock()
	if s, ok := sc.byH[h]; ok {
		sc.mu.Unlock()
		return s, nil
	}
	sc.mu.Unlock()
	root, err := c.StateRoot(h)
	if err != nil {
		return nil, err
	}
	ov := c.state.NewOverlay(root)
	inst, err := c.instance(ctx, ov)
	if err != nil {
		return nil, err
	}
	s := &session{ov: ov, inst: inst}
	sc.mu.Lock()
	sc.byH[h] = s
	sc.touchLocked(h)
	delete(sc.wait, h)
	var evicted []*session
	for len(sc.order) > sessionCacheSize {
		old := sc.order[0]
		sc.order = sc.order[1:]
		evicted = append(evicted, sc.byH[old])
		delete(sc.byH, old)
	}
	sc.mu.Unlock()
	for _, e := range evicted {
		e.close(ctx)
	}
	return s, nil
}

func (sc *sessionCache) touchLocked(h types.Hash) {
	for i, x := range sc.order {
		if x == h {
			sc.order = append(sc.order[:i], sc.order[i+1:]...)
			break
		}
	}
	sc.order = append(sc.order, h)
}

// drop forgets a session whose instance failed.
func (sc *sessionCache) drop(h types.Hash, s *session) {
	sc.mu.Lock()
	if sc.byH[h] == s {
		delete(sc.byH, h)
		for i, x := range sc.order {
			if x == h {
				sc.order = append(sc.order[:i], sc.order[i+1:]...)
				break
			}
		}
	}
	sc.mu.Unlock()
	s.close(context.Background())
}
