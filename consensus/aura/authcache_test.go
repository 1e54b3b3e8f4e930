package aura

import (
	"errors"
	"slices"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func authoritiesChangeLog(set ...[32]byte) types.DigestItem {
	e := scale.NewEncoder(64)
	e.PutU8(logAuthoritiesChange)
	e.PutLen(len(set))
	for _, k := range set {
		e.PutRaw(k[:])
	}
	return types.DigestItem{Kind: types.DigestConsensus, Engine: Engine, Data: e.Bytes()}
}

func TestCachedAuthorities(t *testing.T) {
	alice, bob, charlie := [32]byte{'a'}, [32]byte{'b'}, [32]byte{'c'}
	headers := map[types.Hash]*types.Header{}
	add := func(parent *types.Header, digest ...types.DigestItem) *types.Header {
		h := &types.Header{Number: 0, Digest: digest}
		if parent != nil {
			h.ParentHash, h.Number = parent.Hash(), parent.Number+1
		}
		headers[h.Hash()] = h
		return h
	}
	g := add(nil)
	b1 := add(g, PreDigest(1))
	b2 := add(b1, PreDigest(2), authoritiesChangeLog(bob, charlie))
	b3 := add(b2, PreDigest(3))
	b4 := add(b3, PreDigest(4), types.DigestItem{Kind: types.DigestRuntimeEnvironmentUpdated})
	b5 := add(b4, PreDigest(5))
	bad := add(b5, PreDigest(6), types.DigestItem{Kind: types.DigestConsensus, Engine: Engine, Data: []byte{2, 0, 0, 0, 0}})
	orphan := &types.Header{ParentHash: types.Hash{9}, Number: 7}
	headers[orphan.Hash()] = orphan

	state := map[types.Hash][][32]byte{g.Hash(): {alice}, b4.Hash(): {charlie}, bad.Hash(): {bob}, orphan.Hash(): {alice, bob}}
	var calls []types.Hash
	boom := errors.New("pruned")
	base := func(at types.Hash) ([][32]byte, error) {
		calls = append(calls, at)
		set, ok := state[at]
		if !ok {
			return nil, boom
		}
		return set, nil
	}
	hdr := func(h types.Hash) (*types.Header, error) {
		if x, ok := headers[h]; ok {
			return x, nil
		}
		return nil, errors.New("unknown")
	}
	get := CachedAuthorities(base, hdr, 4)
	for _, tc := range []struct {
		at   *types.Header
		want [][32]byte
	}{
		{g, [][32]byte{alice}}, {b1, [][32]byte{alice}}, {b2, [][32]byte{bob, charlie}}, {b3, [][32]byte{bob, charlie}},
		{b4, [][32]byte{charlie}}, {b5, [][32]byte{charlie}}, {bad, [][32]byte{bob}}, {orphan, [][32]byte{alice, bob}},
		{b5, [][32]byte{charlie}},
	} {
		got, err := get(tc.at.Hash())
		if err != nil || !slices.Equal(got, tc.want) {
			t.Fatalf("#%d: %x %v, want %x", tc.at.Number, got, err, tc.want)
		}
	}
	// The runtime was asked at genesis, at the code change, at the bad log
	// and at the orphan only.
	if !slices.Equal(calls, []types.Hash{g.Hash(), b4.Hash(), bad.Hash(), orphan.Hash()}) {
		t.Fatalf("base called at %d blocks", len(calls))
	}
	// Evicted (size 4): b1 is gone, its parent too, so base is asked, and
	// its error is returned, not cached.
	delete(state, g.Hash())
	calls = nil
	if _, err := get(b1.Hash()); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	state[b1.Hash()] = [][32]byte{alice}
	if got, err := get(b1.Hash()); err != nil || !slices.Equal(got, [][32]byte{alice}) || len(calls) != 2 {
		t.Fatalf("%x %v, %d calls", got, err, len(calls))
	}
}

func FuzzDecodeAuthoritiesChange(f *testing.F) {
	f.Add(authoritiesChangeLog([32]byte{1}, [32]byte{2}).Data)
	f.Add([]byte{1, 0xfe, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		set, ok := decodeAuthoritiesChange(b)
		if ok && (len(set) == 0 || len(b) != 1+scale.CompactLen(uint64(len(set)))+32*len(set)) {
			t.Fatalf("%d keys from %d bytes", len(set), len(b))
		}
	})
}
