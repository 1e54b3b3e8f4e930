package scale

import "sync"

// Encoder and decoder pools: inside WASM an allocation costs several times
// what it costs natively (Go's wasm GC is single-threaded and the runtime
// runs with a high GC percent), and storage reads and writes encode or
// decode a value each. Pooled buffers are always reset before reuse, so a
// pool never changes a result; buffers over 4 KiB are dropped, not kept.

var encoderPool = sync.Pool{New: func() any { return &Encoder{buf: make([]byte, 0, 128)} }}

// AcquireEncoder returns an empty Encoder from a pool. The caller must not
// keep its Bytes after ReleaseEncoder.
func AcquireEncoder() *Encoder { return encoderPool.Get().(*Encoder) }

// ReleaseEncoder returns e to the pool.
func ReleaseEncoder(e *Encoder) {
	if cap(e.buf) > 4096 {
		return
	}
	e.buf = e.buf[:0]
	encoderPool.Put(e)
}

var decoderPool = sync.Pool{New: func() any { return new(Decoder) }}

// AcquireDecoder returns a pooled Decoder reading from b.
func AcquireDecoder(b []byte) *Decoder {
	d := decoderPool.Get().(*Decoder)
	d.b = b
	return d
}

// ReleaseDecoder returns d to the pool.
func ReleaseDecoder(d *Decoder) {
	*d = Decoder{}
	decoderPool.Put(d)
}
