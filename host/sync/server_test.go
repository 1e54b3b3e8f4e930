package sync

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/network/wire"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

func TestServerBlocks(t *testing.T) {
	src := sourceChain(t)
	srv := NewServer(src, wire.RoleFull)
	all := wire.FieldHeader | wire.FieldBody | wire.FieldJustification
	h100, _ := src.HashByNumber(100)
	cases := []struct {
		name    string
		req     wire.BlockRequest
		numbers []uint32 // first, last
		n       int
		err     error
	}{
		{"max 0 means the cap", wire.BlockRequest{Fields: all, FromNumber: 1}, []uint32{1, 128}, 128, nil},
		{"max above the cap", wire.BlockRequest{Fields: all, FromNumber: 1, Max: 1000}, []uint32{1, 128}, 128, nil},
		{"to the best block", wire.BlockRequest{Fields: all, FromNumber: sourceBlocks - 2, Max: 10}, []uint32{sourceBlocks - 2, sourceBlocks}, 3, nil},
		{"descending by hash", wire.BlockRequest{Fields: wire.FieldHeader, ByHash: true, FromHash: h100, Descending: true, Max: 10}, []uint32{100, 91}, 10, nil},
		{"descending to genesis", wire.BlockRequest{Fields: wire.FieldHeader, FromNumber: 3, Descending: true, Max: 10}, []uint32{3, 0}, 4, nil},
		{"unknown hash", wire.BlockRequest{Fields: all, ByHash: true, FromHash: types.Hash{1}, Max: 10}, nil, 0, nil},
		{"beyond the best", wire.BlockRequest{Fields: all, FromNumber: sourceBlocks + 1, Max: 10}, nil, 0, nil},
		{"no fields", wire.BlockRequest{Fields: 4, FromNumber: 1, Max: 10}, nil, 0, ErrBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := srv.Blocks(tc.req)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if len(resp.Blocks) != tc.n {
				t.Fatalf("%d blocks, want %d", len(resp.Blocks), tc.n)
			}
			if tc.n == 0 {
				return
			}
			first, last := resp.Blocks[0].Header, resp.Blocks[tc.n-1].Header
			if first.Number != tc.numbers[0] || last.Number != tc.numbers[1] {
				t.Fatalf("blocks #%d..#%d, want #%d..#%d", first.Number, last.Number, tc.numbers[0], tc.numbers[1])
			}
			for i, bd := range resp.Blocks {
				if bd.Hash != bd.Header.Hash() {
					t.Fatalf("block %d: hash mismatch", i)
				}
				if wantBody := tc.req.Fields&wire.FieldBody != 0; bd.HasBody != wantBody {
					t.Fatalf("block %d: body present %v", i, bd.HasBody)
				}
			}
			if _, err := verifyBlocks(resp, first.Number, tc.n); tc.req.Fields == all && err != nil {
				t.Fatalf("served blocks do not verify: %v", err)
			}
		})
	}
}

// memChain is a ServerChain in memory with arbitrary bodies and
// justifications (no execution): for the byte limits.
type memChain struct {
	hdrs   []types.Header
	hashes []types.Hash
	bodies [][][]byte
	justs  map[uint32][]byte
	fin    uint32
}

func newMemChain(n int, body func(i int) [][]byte, digest func(i int) []types.DigestItem) *memChain {
	m := &memChain{justs: map[uint32][]byte{}}
	var parent types.Hash
	for i := 0; i <= n; i++ {
		b := body(i)
		root, _ := trie.OrderedRoot(b, trie.V0)
		h := types.Header{ParentHash: parent, Number: uint32(i), ExtrinsicsRoot: root, Digest: digest(i)}
		parent = h.Hash()
		m.hdrs, m.hashes, m.bodies = append(m.hdrs, h), append(m.hashes, parent), append(m.bodies, b)
	}
	m.fin = uint32(n)
	return m
}

func (m *memChain) ref(n uint32) chain.BlockRef { return chain.BlockRef{Hash: m.hashes[n], Number: n} }
func (m *memChain) Genesis() chain.BlockRef     { return m.ref(0) }
func (m *memChain) Best() chain.BlockRef        { return m.ref(uint32(len(m.hdrs) - 1)) }
func (m *memChain) Finalized() chain.BlockRef   { return m.ref(m.fin) }
func (m *memChain) HashByNumber(n uint32) (types.Hash, bool) {
	if int(n) >= len(m.hashes) {
		return types.Hash{}, false
	}
	return m.hashes[n], true
}
func (m *memChain) find(h types.Hash) int {
	for i, x := range m.hashes {
		if x == h {
			return i
		}
	}
	return -1
}
func (m *memChain) Header(h types.Hash) (*types.Header, error) {
	if i := m.find(h); i >= 0 {
		hdr := m.hdrs[i]
		return &hdr, nil
	}
	return nil, chain.ErrUnknownBlock
}
func (m *memChain) Body(h types.Hash) ([][]byte, error) {
	if i := m.find(h); i >= 0 {
		return m.bodies[i], nil
	}
	return nil, chain.ErrUnknownBlock
}
func (m *memChain) Justification(h types.Hash) ([]byte, bool) {
	if i := m.find(h); i >= 0 {
		j, ok := m.justs[uint32(i)]
		return j, ok
	}
	return nil, false
}
func (m *memChain) StateRoot(types.Hash) (types.Hash, error) {
	return types.Hash{}, chain.ErrPrunedState
}
func (m *memChain) State() *state.State { return nil }

// bigExtrinsic is one extrinsic of about n bytes with its length prefix.
func bigExtrinsic(n int) []byte {
	x := make([]byte, 0, n+4)
	x = append(x, 0x02, 0x00, 0x40, 0x00) // Compact(n) for n = 1 MiB, four-byte mode
	return append(x, bytes.Repeat([]byte{7}, n)...)
}

func TestServerBlocksByteLimit(t *testing.T) {
	m := newMemChain(40, func(i int) [][]byte { return [][]byte{bigExtrinsic(1 << 20)} }, func(int) []types.DigestItem { return nil })
	srv := NewServer(m, wire.RoleFull)
	resp, err := srv.Blocks(wire.BlockRequest{Fields: wire.FieldHeader | wire.FieldBody, FromNumber: 1, Max: 40})
	if err != nil {
		t.Fatal(err)
	}
	enc := wire.Encode(resp)
	if len(enc) > wire.MaxBlockResponse || len(resp.Blocks) < 14 || len(resp.Blocks) >= 40 {
		t.Fatalf("%d blocks in %d bytes", len(resp.Blocks), len(enc))
	}
	if _, err := wire.DecodeBlockResponse(enc); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyBlocks(resp, 1, 40); err != nil {
		t.Fatal(err)
	}
}

func TestServerState(t *testing.T) {
	src := sourceChain(t)
	srv := NewServer(src, wire.RoleFull)
	g := src.Genesis().Hash
	if _, err := srv.State(wire.StateRequest{Block: types.Hash{9}}); !errors.Is(err, ErrUnknownBlock) {
		t.Fatalf("unknown block: %v", err)
	}
	// Tiny chunks: one entry each, at least one per request.
	one, err := srv.State(wire.StateRequest{Block: g, MaxBytes: 1})
	if err != nil || len(one.Entries) != 1 || one.Complete {
		t.Fatalf("MaxBytes 1: %d entries, complete %v, %v", len(one.Entries), one.Complete, err)
	}
	next, err := srv.State(wire.StateRequest{Block: g, Start: one.Entries[0].Key, MaxBytes: 1})
	if err != nil || len(next.Entries) != 1 || bytes.Compare(next.Entries[0].Key, one.Entries[0].Key) <= 0 {
		t.Fatal("Start is not exclusive")
	}
	// Chunks of 64 KiB reassemble into the state of the header's root.
	var pairs []trie.Pair
	var start []byte
	for rounds := 0; ; rounds++ {
		resp, err := srv.State(wire.StateRequest{Block: g, Start: start, MaxBytes: 64 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(wire.Encode(resp)) > wire.MaxStateResponse {
			t.Fatal("oversized state response")
		}
		for _, kv := range resp.Entries {
			pairs = append(pairs, trie.Pair{Key: kv.Key, Value: kv.Value})
			start = kv.Key
		}
		if resp.Complete {
			t.Logf("%d keys in %d requests", len(pairs), rounds+1)
			break
		}
	}
	hdr, _ := src.Header(g)
	root, err := trie.RootOfPairs(pairs, trie.V1)
	if err != nil || root != [32]byte(hdr.StateRoot) {
		t.Fatalf("reassembled state root %x, header %s", root, hdr.StateRoot)
	}
}

func TestServerWarpLimits(t *testing.T) {
	auths := frnk.Change{Authorities: []frnk.Authority{{ID: [32]byte{1}, Weight: 1}}}
	isChange := func(i int) bool { return i > 0 && i <= 20 }
	m := newMemChain(25, func(int) [][]byte { return nil }, func(i int) []types.DigestItem {
		if isChange(i) {
			return []types.DigestItem{auths.Encode()}
		}
		return nil
	})
	for i := 1; i <= 20; i++ {
		m.justs[uint32(i)] = bytes.Repeat([]byte{byte(i)}, 1<<20)
	}
	m.justs[24] = []byte("final")
	srv := NewServer(m, wire.RoleFull)

	if _, err := srv.Warp(wire.WarpRequest{Begin: types.Hash{3}}); !errors.Is(err, ErrUnknownBlock) {
		t.Fatalf("unknown begin: %v", err)
	}
	m.fin = 23
	if _, err := srv.Warp(wire.WarpRequest{Begin: m.hashes[24]}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("unfinalized begin: %v", err)
	}
	m.fin = 25
	var got []uint32
	begin := m.hashes[0]
	for rounds := 0; ; rounds++ {
		if rounds > 10 {
			t.Fatal("warp proof never finishes")
		}
		resp, err := srv.Warp(wire.WarpRequest{Begin: begin})
		if err != nil {
			t.Fatal(err)
		}
		if len(wire.Encode(resp)) > wire.MaxWarpResponse {
			t.Fatal("oversized warp response")
		}
		for _, f := range resp.Fragments {
			got = append(got, f.Header.Number)
			begin = f.Header.Hash()
		}
		if resp.IsFinished {
			break
		}
		if len(resp.Fragments) == 0 {
			t.Fatal("unfinished empty response")
		}
	}
	want := ""
	for i := 1; i <= 20; i++ {
		want += fmt.Sprint(i, " ")
	}
	want += "24 "
	if s := fmt.Sprint(got); s != "["+want[:len(want)-1]+"]" {
		t.Fatalf("fragments %s", s)
	}
	// A set change without a justification cannot be proved.
	delete(m.justs, 7)
	if _, err := NewServer(m, wire.RoleFull).Warp(wire.WarpRequest{Begin: m.hashes[0]}); !errors.Is(err, ErrNoProof) {
		t.Fatalf("missing justification: %v", err)
	}
}
