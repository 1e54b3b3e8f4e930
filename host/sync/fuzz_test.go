package sync

import (
	"bytes"
	stdsync "sync"
	"testing"

	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/runtime/types"
)

var fuzzServers struct {
	once      stdsync.Once
	real, mem *Server
}

// FuzzServer feeds arbitrary request bytes to the three handlers, as the
// network would after decoding them: a handler never panics and never
// answers more than its bound, with blocks and state entries in order.
func FuzzServer(f *testing.F) {
	fuzzServers.once.Do(func() {
		c := newChainNoCleanup(f)
		extend(f, c, 6)
		h, _ := c.HashByNumber(4)
		if err := c.Finalize(h, []byte("j4")); err != nil {
			f.Fatal(err)
		}
		change := frnk.Change{Authorities: []frnk.Authority{{ID: [32]byte{1}, Weight: 1}}}.Encode()
		m := newMemChain(12, func(i int) [][]byte { return [][]byte{{0x04, byte(i)}} }, func(i int) []types.DigestItem {
			if i%3 == 0 {
				return []types.DigestItem{change}
			}
			return nil
		})
		for i := uint32(0); i <= 12; i += 3 {
			m.justs[i] = []byte{byte(i)}
		}
		m.fin = 10
		fuzzServers.real, fuzzServers.mem = NewServer(c, wire.RoleFull), NewServer(m, wire.RoleFull)
	})
	g := fuzzServers.real.Status().GenesisHash
	f.Add(byte(0), wire.Encode(wire.BlockRequest{Fields: 19, FromNumber: 1, Max: 3}))
	f.Add(byte(1), wire.Encode(wire.BlockRequest{Fields: 1, ByHash: true, FromHash: g, Descending: true}))
	f.Add(byte(2), wire.Encode(wire.StateRequest{Block: g, Start: []byte(":code"), MaxBytes: 10}))
	f.Add(byte(4), wire.Encode(wire.WarpRequest{Begin: g}))
	f.Add(byte(5), wire.Encode(wire.WarpRequest{Begin: fuzzServers.mem.Status().GenesisHash}))
	f.Fuzz(func(t *testing.T, kind byte, in []byte) {
		srv := fuzzServers.real
		if kind&1 == 1 {
			srv = fuzzServers.mem
		}
		switch kind % 6 / 2 {
		case 0:
			req, err := wire.DecodeBlockRequest(in)
			if err != nil {
				return
			}
			resp, err := srv.Blocks(req)
			if err != nil {
				return
			}
			if len(resp.Blocks) > wire.MaxBlocksPerRequest || len(wire.Encode(resp)) > wire.MaxBlockResponse {
				t.Fatalf("oversized: %d blocks", len(resp.Blocks))
			}
			for i, bd := range resp.Blocks {
				if bd.Header != nil && bd.Header.Hash() != bd.Hash {
					t.Fatalf("block %d: hash mismatch", i)
				}
			}
		case 1:
			req, err := wire.DecodeStateRequest(in)
			if err != nil {
				return
			}
			resp, err := srv.State(req)
			if err != nil {
				return
			}
			if len(wire.Encode(resp)) > wire.MaxStateResponse {
				t.Fatal("oversized state response")
			}
			prev := req.Start
			for i, kv := range resp.Entries {
				if (i > 0 || len(req.Start) > 0) && bytes.Compare(kv.Key, prev) <= 0 {
					t.Fatalf("entry %d out of order", i)
				}
				prev = kv.Key
			}
		case 2:
			req, err := wire.DecodeWarpRequest(in)
			if err != nil {
				return
			}
			resp, err := srv.Warp(req)
			if err != nil {
				return
			}
			if len(wire.Encode(resp)) > wire.MaxWarpResponse {
				t.Fatal("oversized warp response")
			}
			for i := 1; i < len(resp.Fragments); i++ {
				if resp.Fragments[i].Header.Number <= resp.Fragments[i-1].Header.Number {
					t.Fatal("fragments out of order")
				}
			}
		}
	})
}

// FuzzVerifyBlocks checks that the response checks never panic and accept
// only linked, numbered, hash-consistent blocks.
func FuzzVerifyBlocks(f *testing.F) {
	m := newMemChain(4, func(i int) [][]byte { return [][]byte{{0x04, byte(i)}} }, func(int) []types.DigestItem { return nil })
	resp, _ := NewServer(m, wire.RoleFull).Blocks(wire.BlockRequest{Fields: 3, FromNumber: 1, Max: 4})
	f.Add(wire.Encode(resp), uint32(1))
	f.Fuzz(func(t *testing.T, in []byte, start uint32) {
		resp, err := wire.DecodeBlockResponse(in)
		if err != nil {
			return
		}
		got, err := verifyBlocks(resp, start, 8)
		if err != nil {
			return
		}
		for i, b := range got {
			if b.block.Header.Number != start+uint32(i) || b.block.Header.Hash() != b.hash {
				t.Fatalf("accepted block %d: #%d", i, b.block.Header.Number)
			}
			if i > 0 && b.block.Header.ParentHash != got[i-1].hash {
				t.Fatal("accepted unlinked blocks")
			}
		}
	})
}
