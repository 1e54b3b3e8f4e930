package types

import (
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

func BenchmarkHeaderEncode(b *testing.B) {
	h := appendixHeader()
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Bytes()
	}
}

func BenchmarkHeaderDecode(b *testing.B) {
	in := appendixHeaderBytes(b)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var h Header
		if err := scale.Decode(in, &h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeaderHash(b *testing.B) {
	h := appendixHeader()
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Hash()
	}
}

func BenchmarkDecodeExtrinsic(b *testing.B) {
	in := observedTransfer(b)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeExtrinsic(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSS58(b *testing.B) {
	id := account(b, alicePub)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseSS58(id.SS58(42)); err != nil {
			b.Fatal(err)
		}
	}
}
