package trie

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"
)

func loadKusama3783(b *testing.B) []Pair {
	pairs, err := LoadStatePairs(openConformance(b, "kusama-3783-state.json"))
	if err != nil {
		b.Fatal(err)
	}
	return pairs
}

// BenchmarkKusama3783Build inserts the 3,703 pairs of Kusama #3783 into an
// empty trie and hashes it (V0).
func BenchmarkKusama3783Build(b *testing.B) {
	pairs := loadKusama3783(b)
	b.ReportAllocs()
	for b.Loop() {
		tr := New()
		for _, p := range pairs {
			_ = tr.Put(p.Key, p.Value)
		}
		if _, err := tr.Hash(V0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKusama3783Rehash1000 changes the values of 1,000 keys of the
// hashed Kusama #3783 trie and re-hashes it: the incremental path.
func BenchmarkKusama3783Rehash1000(b *testing.B) {
	pairs := loadKusama3783(b)
	base := New()
	for _, p := range pairs {
		_ = base.Put(p.Key, p.Value)
	}
	if _, err := base.Hash(V0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		tr := base.Copy()
		for j := 0; j < 1000; j++ {
			p := pairs[(j*37)%len(pairs)]
			i++
			v := binary.LittleEndian.AppendUint64(nil, i)
			_ = tr.Put(p.Key, v)
		}
		if _, err := tr.Hash(V0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKusama3783HashOnly1000 times only the re-hash after 1,000 changes.
func BenchmarkKusama3783HashOnly1000(b *testing.B) {
	pairs := loadKusama3783(b)
	base := New()
	for _, p := range pairs {
		_ = base.Put(p.Key, p.Value)
	}
	_, _ = base.Hash(V0)
	i := uint64(0)
	for b.Loop() {
		b.StopTimer()
		tr := base.Copy()
		for j := 0; j < 1000; j++ {
			i++
			_ = tr.Put(pairs[(j*37)%len(pairs)].Key, binary.LittleEndian.AppendUint64(nil, i))
		}
		b.StartTimer()
		if _, err := tr.Hash(V0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLarge shows the incremental root where k << n: a 200,000-key
// trie built and hashed, versus 1,000 changed keys re-hashed.
func BenchmarkLarge(b *testing.B) {
	key := func(i uint64) []byte {
		h := blake2(binary.LittleEndian.AppendUint64(nil, i))
		return h[:24]
	}
	const n = 200_000
	b.Run("build200k", func(b *testing.B) {
		for b.Loop() {
			tr := New()
			for i := range uint64(n) {
				_ = tr.Put(key(i), make([]byte, 40))
			}
			_, _ = tr.Hash(V1)
		}
	})
	b.Run("change1000", func(b *testing.B) {
		base := New()
		for i := range uint64(n) {
			_ = base.Put(key(i), make([]byte, 40))
		}
		_, _ = base.Hash(V1)
		c := uint64(0)
		for b.Loop() {
			tr := base.Copy()
			for j := range uint64(1000) {
				c++
				_ = tr.Put(key(j*197), binary.LittleEndian.AppendUint64(make([]byte, 32), c))
			}
			_, _ = tr.Hash(V1)
		}
	})
}

// BenchmarkKusama3783Speedup interleaves a full build+hash of Kusama #3783
// with a k-key change+re-hash of the hashed trie (so both see the same
// machine load) and reports their times and ratio. 1,000 keys are 27% of
// this 3,703-key state, so most branch nodes lie on a changed path.
func BenchmarkKusama3783Speedup(b *testing.B) {
	pairs := loadKusama3783(b)
	for _, k := range []int{1000, 100} {
		b.Run(fmt.Sprintf("change%d", k), func(b *testing.B) {
			var build, rehash time.Duration
			c := uint64(0)
			for b.Loop() {
				start := time.Now()
				tr := New()
				for _, p := range pairs {
					_ = tr.Put(p.Key, p.Value)
				}
				if _, err := tr.Hash(V0); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				for j := 0; j < k; j++ {
					c++
					_ = tr.Put(pairs[(j*37)%len(pairs)].Key, binary.LittleEndian.AppendUint64(nil, c))
				}
				if _, err := tr.Hash(V0); err != nil {
					b.Fatal(err)
				}
				build += mid.Sub(start)
				rehash += time.Since(mid)
			}
			b.ReportMetric(float64(build.Microseconds())/float64(b.N), "build-µs")
			b.ReportMetric(float64(rehash.Microseconds())/float64(b.N), "rehash-µs")
			b.ReportMetric(float64(build)/float64(rehash), "speedup")
		})
	}
}
