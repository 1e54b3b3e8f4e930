package abi

import (
	"runtime"
	"unsafe"

	"github.com/metamars/mars/runtime/scale"
)

// Pointer discipline. Go's GC does not move heap objects, and a goroutine
// stack can only move when the stack grows, which cannot happen while a
// host function runs (the host never calls back into the module). So the
// address of a live slice stays valid for the duration of one import call;
// runtime.KeepAlive after the call keeps the slice alive until the host has
// finished reading or writing it.

// addr returns the linear-memory address of b's first element (0 if empty).
func addr(b []byte) uint32 {
	if len(b) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

func ps(b []byte) int64 { return PtrSize(addr(b), uint32(len(b))) }

func p32(b []byte) int32 { return int32(addr(b)) }

// ReadInput allocates n bytes and fills them with the entry point's input
// (ext_input_read_version_1). n is the entry point's only argument.
func ReadInput(n int32) []byte {
	if n <= 0 {
		return nil
	}
	buf := make([]byte, n)
	extInputRead(ps(buf))
	runtime.KeepAlive(buf)
	return buf
}

// lastOutput keeps the buffer of the latest Return reachable. The host reads
// it after the entry point has returned, that is after Go code stopped
// referencing it; without this root the GC could free and reuse it (for
// instance in a later call's allocation) before the host copied it out.
var lastOutput []byte

// Return hands out to the host as the entry point's result: it returns
// ptr | len<<32 and keeps out alive until the next Return.
func Return(out []byte) int64 {
	lastOutput = out
	return ps(out)
}

// wasmHost implements Host over the RFC-0145 imports.
type wasmHost struct {
	// scratch is a reusable first-try buffer for reads; results are copied
	// out of it, so callers own what they get.
	scratch [256]byte
}

var theHost wasmHost

// WasmHost returns the Host of a runtime running under wasm.
func WasmHost() Host { return &theHost }

func (h *wasmHost) StorageGet(key []byte) ([]byte, bool) {
	buf := h.scratch[:]
	n := extStorageRead(ps(key), ps(buf), 0, 1)
	runtime.KeepAlive(key)
	if n < 0 {
		return nil, false
	}
	if int(n) <= len(buf) {
		return append([]byte(nil), buf[:n]...), true
	}
	// Too big for the scratch buffer: keep the prefix we already have and
	// read the rest at its offset into a buffer of the exact size.
	v := make([]byte, n)
	copy(v, buf)
	rest := v[len(buf):]
	m := extStorageRead(ps(key), ps(rest), int32(len(buf)), 0)
	runtime.KeepAlive(key)
	runtime.KeepAlive(v)
	if m != n {
		// The value cannot change between two reads of one call.
		panic("abi: storage value changed during read")
	}
	return v, true
}

func (h *wasmHost) StorageSet(key, value []byte) {
	extStorageSet(ps(key), ps(value))
	runtime.KeepAlive(key)
	runtime.KeepAlive(value)
}

func (h *wasmHost) StorageClear(key []byte) {
	extStorageClear(ps(key))
	runtime.KeepAlive(key)
}

func (h *wasmHost) StorageExists(key []byte) bool {
	r := extStorageExists(ps(key))
	runtime.KeepAlive(key)
	return r != 0
}

func (h *wasmHost) StorageAppend(key, value []byte) {
	extStorageAppend(ps(key), ps(value))
	runtime.KeepAlive(key)
	runtime.KeepAlive(value)
}

func (h *wasmHost) StorageClearPrefix(prefix []byte, limit uint32) (uint32, bool) {
	maybeLimit := NoneI64
	if limit != 0 {
		maybeLimit = int64(limit)
	}
	var counters [12]byte
	// No cursor buffer: the Host API does not continue a clear, so only the
	// cursor's length (0 = everything removed) matters.
	cursorLen := extStorageClearPrefix(ps(prefix), maybeLimit, -1 /* NonePtrSize */, 0, p32(counters[:]))
	runtime.KeepAlive(prefix)
	runtime.KeepAlive(&counters)
	unique := uint32(counters[4]) | uint32(counters[5])<<8 | uint32(counters[6])<<16 | uint32(counters[7])<<24
	return unique, cursorLen == 0
}

func (h *wasmHost) StorageNextKey(key []byte) ([]byte, bool) {
	buf := h.scratch[:]
	n := extStorageNextKey(ps(key), ps(buf))
	if n == 0 {
		runtime.KeepAlive(key)
		return nil, false
	}
	if int(uint32(n)) <= len(buf) {
		runtime.KeepAlive(key)
		return append([]byte(nil), buf[:n]...), true
	}
	out := make([]byte, uint32(n))
	m := extStorageNextKey(ps(key), ps(out))
	runtime.KeepAlive(key)
	runtime.KeepAlive(out)
	if m != n {
		panic("abi: next key changed during read")
	}
	return out, true
}

func (h *wasmHost) StorageRoot() (root [32]byte) {
	extStorageRoot(ps(root[:]))
	return root
}

func (h *wasmHost) StartTransaction()    { extStorageStartTransaction() }
func (h *wasmHost) RollbackTransaction() { extStorageRollbackTransaction() }
func (h *wasmHost) CommitTransaction()   { extStorageCommitTransaction() }

func (h *wasmHost) Blake2_128(data []byte) (out [16]byte) {
	extHashingBlake2_128(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Blake2_256(data []byte) (out [32]byte) {
	extHashingBlake2_256(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Twox64(data []byte) (out [8]byte) {
	extHashingTwox64(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Twox128(data []byte) (out [16]byte) {
	extHashingTwox128(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Twox256(data []byte) (out [32]byte) {
	extHashingTwox256(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Keccak256(data []byte) (out [32]byte) {
	extHashingKeccak256(ps(data), p32(out[:]))
	runtime.KeepAlive(data)
	return out
}

func (h *wasmHost) Ed25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	r := extEd25519Verify(p32(sig[:]), ps(msg), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(pub)
	return r == 1
}

func (h *wasmHost) Sr25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	r := extSr25519Verify(p32(sig[:]), ps(msg), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(pub)
	return r == 1
}

func (h *wasmHost) Sr25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return generate(extSr25519Generate, keyType, seed)
}

func (h *wasmHost) Ed25519Generate(keyType [4]byte, seed []byte) [32]byte {
	return generate(extEd25519Generate, keyType, seed)
}

// generate passes the seed as a SCALE Option<Vec<u8>>.
func generate(f func(int32, int64, int32), keyType [4]byte, seed []byte) [32]byte {
	var opt []byte
	if seed == nil {
		opt = []byte{0}
	} else {
		e := scale.NewEncoder(len(seed) + 6)
		e.PutOption(true)
		e.PutBytes(seed)
		opt = e.Bytes()
	}
	var out [32]byte
	f(p32(keyType[:]), ps(opt), p32(out[:]))
	runtime.KeepAlive(&keyType)
	runtime.KeepAlive(opt)
	return out
}

func (h *wasmHost) StartBatchVerify()       { extStartBatchVerify() }
func (h *wasmHost) FinishBatchVerify() bool { return extFinishBatchVerify() == 1 }

func (h *wasmHost) Sr25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	r := extSr25519BatchVerify(p32(sig[:]), ps(msg), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(pub)
	return r == 1
}

func (h *wasmHost) Ed25519BatchVerify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	r := extEd25519BatchVerify(p32(sig[:]), ps(msg), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(pub)
	return r == 1
}

func (h *wasmHost) EcdsaVerify(sig *[65]byte, msg []byte, pub *[33]byte) bool {
	r := extEcdsaVerify(p32(sig[:]), ps(msg), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(pub)
	return r == 1
}

func (h *wasmHost) Secp256k1Recover(sig *[65]byte, msg *[32]byte) (pub [64]byte, ok bool) {
	r := extSecp256k1Recover(p32(sig[:]), p32(msg[:]), p32(pub[:]))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	if r != 0 {
		return [64]byte{}, false
	}
	return pub, true
}

func (h *wasmHost) TrieBlake2Root(kvs [][2][]byte, version uint8) (root [32]byte) {
	in := EncodeKVs(kvs)
	extTrieBlake2Root(ps(in), int32(version), p32(root[:]))
	runtime.KeepAlive(in)
	return root
}

func (h *wasmHost) TrieBlake2OrderedRoot(values [][]byte, version uint8) (root [32]byte) {
	in := EncodeValues(values)
	extTrieBlake2OrderedRoot(ps(in), int32(version), p32(root[:]))
	runtime.KeepAlive(in)
	return root
}

func (h *wasmHost) TrieBlake2VerifyProof(root *[32]byte, proof [][]byte, key, value []byte, version uint8) bool {
	in := EncodeValues(proof)
	r := extTrieBlake2VerifyProof(p32(root[:]), ps(in), ps(key), ps(value), int32(version))
	runtime.KeepAlive(root)
	runtime.KeepAlive(in)
	runtime.KeepAlive(key)
	runtime.KeepAlive(value)
	return r == 1
}

func (h *wasmHost) Log(level uint8, target, msg string) {
	t, m := []byte(target), []byte(msg)
	extLoggingLog(int32(level), ps(t), ps(m))
	runtime.KeepAlive(t)
	runtime.KeepAlive(m)
}

func (h *wasmHost) MaxLogLevel() uint8 { return uint8(extLoggingMaxLevel()) }

func (h *wasmHost) RuntimeVersionOf(code []byte) ([]byte, bool) {
	buf := h.scratch[:]
	n := extMiscRuntimeVersion(ps(code), ps(buf))
	if n < 0 {
		runtime.KeepAlive(code)
		return nil, false
	}
	if int(n) <= len(buf) {
		runtime.KeepAlive(code)
		return append([]byte(nil), buf[:n]...), true
	}
	out := make([]byte, n)
	m := extMiscRuntimeVersion(ps(code), ps(out))
	runtime.KeepAlive(code)
	runtime.KeepAlive(out)
	if m != n {
		return nil, false
	}
	return out, true
}
