package network

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/runtime/types"
)

// fakeBackend serves a linear chain of n blocks and a small sorted state.
type fakeBackend struct {
	genesis types.Hash
	roles   wire.Roles

	mu       sync.Mutex
	headers  []types.Header // headers[i].Number == i
	state    []wire.KV
	stateBig bool // answer state requests with far more than asked
	blocks   int  // answer block requests with this many blocks when > 0
	served   int
}

func newFakeBackend(genesis types.Hash, n int) *fakeBackend {
	b := &fakeBackend{genesis: genesis, roles: wire.RoleFull}
	var parent types.Hash
	for i := 0; i < n; i++ {
		h := types.Header{ParentHash: parent, Number: uint32(i), StateRoot: genesis}
		b.headers = append(b.headers, h)
		parent = h.Hash()
	}
	for i := 0; i < 10; i++ {
		b.state = append(b.state, wire.KV{Key: []byte{byte(i)}, Value: []byte(fmt.Sprint(i))})
	}
	return b
}

func (b *fakeBackend) Status() wire.Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	best := b.headers[len(b.headers)-1]
	return wire.Status{Roles: b.roles, BestNumber: best.Number, BestHash: best.Hash(), GenesisHash: b.genesis}
}

var errUnknownBlock = errors.New("fake: unknown block")

func (b *fakeBackend) Blocks(req wire.BlockRequest) (wire.BlockResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.served++
	if b.blocks > 0 {
		out := make([]wire.BlockData, b.blocks)
		for i := range out {
			out[i] = wire.BlockData{Hash: types.Hash{byte(i)}}
		}
		return wire.BlockResponse{Blocks: out}, nil
	}
	if req.ByHash || int(req.FromNumber) >= len(b.headers) {
		return wire.BlockResponse{}, errUnknownBlock
	}
	var out []wire.BlockData
	for i := int(req.FromNumber); i < len(b.headers) && len(out) < int(req.Max); i++ {
		h := b.headers[i]
		bd := wire.BlockData{Hash: h.Hash()}
		if req.Fields&wire.FieldHeader != 0 {
			bd.Header = &h
		}
		if req.Fields&wire.FieldBody != 0 {
			bd.Body, bd.HasBody = [][]byte{{0x04, byte(i)}}, true
		}
		out = append(out, bd)
	}
	return wire.BlockResponse{Blocks: out}, nil
}

func (b *fakeBackend) State(req wire.StateRequest) (wire.StateResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stateBig {
		// 16 entries of 1 MiB: far above MaxStateResponse.
		var kvs []wire.KV
		for i := 0; i < 16; i++ {
			kvs = append(kvs, wire.KV{Key: []byte{byte(i)}, Value: make([]byte, 1<<20)})
		}
		return wire.StateResponse{Entries: kvs, Complete: true}, nil
	}
	var out []wire.KV
	size := 0
	for _, kv := range b.state {
		if len(req.Start) > 0 && string(kv.Key) <= string(req.Start) {
			continue
		}
		if size > 0 && size+len(kv.Key)+len(kv.Value) > int(req.MaxBytes) {
			return wire.StateResponse{Entries: out}, nil
		}
		out = append(out, kv)
		size += len(kv.Key) + len(kv.Value)
	}
	return wire.StateResponse{Entries: out, Complete: true}, nil
}

func (b *fakeBackend) Warp(req wire.WarpRequest) (wire.WarpResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	last := b.headers[len(b.headers)-1]
	return wire.WarpResponse{Fragments: []wire.WarpFragment{{Header: last, Justification: []byte("just")}}, IsFinished: true}, nil
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
