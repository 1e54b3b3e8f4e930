package chain

import (
	"context"
	"fmt"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/runtime/types"
)

// Call runs a runtime API at block h over a throwaway overlay: whatever the
// call writes is discarded. It is how RPC's state_call, the transaction pool
// and consensus query the runtime.
func (c *Chain) Call(ctx context.Context, h types.Hash, method string, input []byte) ([]byte, error) {
	s, err := c.Session(ctx, h)
	if err != nil {
		return nil, err
	}
	defer s.Close(ctx)
	return s.Call(ctx, method, input)
}

// Session is a runtime instance at one block for several read-only calls
// (e.g. validating a batch of transactions). Close it when done.
type Session struct {
	inst *executor.Instance
}

// Session opens a runtime session at block h.
func (c *Chain) Session(ctx context.Context, h types.Hash) (*Session, error) {
	root, err := c.StateRoot(h)
	if err != nil {
		return nil, err
	}
	inst, err := c.instance(ctx, c.state.NewOverlay(root))
	if err != nil {
		return nil, err
	}
	return &Session{inst: inst}, nil
}

// Call runs one runtime API.
func (s *Session) Call(ctx context.Context, method string, input []byte) ([]byte, error) {
	out, err := s.inst.Call(ctx, method, input)
	if err != nil {
		return nil, fmt.Errorf("chain: runtime call %s: %w", method, err)
	}
	return out, nil
}

// Close releases the session.
func (s *Session) Close(ctx context.Context) { s.inst.Close(ctx) }
