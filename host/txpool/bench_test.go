package txpool

import (
	"context"
	"fmt"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

// constValidator returns precomputed validities so that the benchmark
// measures the pool, not the fake validator's parsing.
type constValidator map[types.Hash]types.ValidTransaction

func (v constValidator) Validate(_ context.Context, _ types.Hash, _ types.TransactionSource, ext []byte) (types.ValidTransaction, *types.TransactionValidityError, error) {
	return v[hashOf(ext)], nil, nil
}

// BenchmarkSubmitAndIterate submits 10k transactions from 1k senders (10
// nonces each, arriving in nonce order per sender, senders interleaved,
// priorities spread) and drains a ReadyIterator over them: one block
// author's view of a full pool.
func BenchmarkSubmitAndIterate(b *testing.B) {
	exts, v := senderChains(1000, 10)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p := New(v, types.Hash{}, 0, Config{ReadyCount: 16384})
		for _, ext := range exts {
			if _, err := p.Submit(ctx, types.SourceExternal, ext); err != nil {
				b.Fatal(err)
			}
		}
		if n := drainReady(p); n != len(exts) {
			b.Fatalf("iterated %d of %d", n, len(exts))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(exts)), "ns/tx")
}

// BenchmarkReadyIterate is the block author's part alone: snapshot and
// drain the ready queue of 10k transactions from 1k senders.
func BenchmarkReadyIterate(b *testing.B) {
	exts, v := senderChains(1000, 10)
	p := New(v, types.Hash{}, 0, Config{ReadyCount: 16384})
	for _, ext := range exts {
		if _, err := p.Submit(context.Background(), types.SourceExternal, ext); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if n := drainReady(p); n != len(exts) {
			b.Fatalf("iterated %d of %d", n, len(exts))
		}
	}
}

// senderChains builds senders × nonces transactions, each nonce requiring
// the previous one, in nonce order per sender with senders interleaved and
// priorities spread.
func senderChains(senders, nonces int) ([][]byte, constValidator) {
	exts := make([][]byte, 0, senders*nonces)
	v := constValidator{}
	for n := range nonces {
		for s := range senders {
			ext := fmt.Appendf(nil, "sender-%04d-nonce-%02d-padding-to-look-like-an-extrinsic-of-about-128-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", s, n)
			vt := types.ValidTransaction{Priority: uint64((s * 7919) % 1000), Longevity: 64, Propagate: true,
				Provides: [][]byte{fmt.Appendf(nil, "%04d%02d", s, n)}}
			if n > 0 {
				vt.Requires = [][]byte{fmt.Appendf(nil, "%04d%02d", s, n-1)}
			}
			v[hashOf(ext)] = vt
			exts = append(exts, ext)
		}
	}
	return exts, v
}

func drainReady(p *Pool) int {
	it := p.Ready()
	n := 0
	for _, ok := it.Next(); ok; _, ok = it.Next() {
		n++
	}
	return n
}

// BenchmarkSubmitFullPool measures one submission into a full ready queue
// (the default 8192), which evicts the lowest-priority transaction: the
// worst case of Submit, a linear scan for the victim.
func BenchmarkSubmitFullPool(b *testing.B) {
	v := constValidator{}
	mk := func(i int) []byte {
		ext := fmt.Appendf(nil, "tx-%08d", i)
		v[hashOf(ext)] = types.ValidTransaction{Priority: uint64(i), Longevity: 64, Provides: [][]byte{ext}}
		return ext
	}
	const full = 8192
	exts := make([][]byte, 0, full+b.N)
	for i := range full + b.N {
		exts = append(exts, mk(i))
	}
	p := New(v, types.Hash{}, 0, Config{})
	ctx := context.Background()
	for _, ext := range exts[:full] {
		if _, err := p.Submit(ctx, types.SourceExternal, ext); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := p.Submit(ctx, types.SourceExternal, exts[full+i]); err != nil {
			b.Fatal(err)
		}
	}
	if s := p.Stats(); s.Ready != full {
		b.Fatalf("ready %d", s.Ready)
	}
}
