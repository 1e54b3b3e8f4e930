//go:build linux

package executor

import (
	"runtime"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
)

// mmapAllocator backs each instance's linear memory with one anonymous
// mapping of its maximum size, reserved without committing (MAP_NORESERVE):
// pages cost memory only once touched, and growing is changing a slice's
// length. wazero's default grows the memory with append, which copies the
// whole memory on every memory.grow; Go's wasm runtime grows its heap in
// small steps, so that copying was several percent of a block's import.
type mmapAllocator struct{}

func newMemoryAllocator() experimental.MemoryAllocator { return mmapAllocator{} }

func (mmapAllocator) Allocate(capacity, max uint64) experimental.LinearMemory {
	if max == 0 || max > 1<<32 || uint64(int(max)) != max {
		return &sliceMemory{max: max}
	}
	buf, err := syscall.Mmap(-1, 0, int(max), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE)
	if err != nil {
		return &sliceMemory{max: max}
	}
	s := &mmapState{buf: buf}
	m := &mmapMemory{state: s}
	// The mapping goes when nothing references the memory any more, not at
	// Free: wazero may free a module's memory (Runtime.Close at shutdown)
	// while a call still runs in it, and compiled code touching an unmapped
	// page would crash the process. Free only gives the pages back.
	runtime.AddCleanup(m, func(s *mmapState) { _ = syscall.Munmap(s.buf) }, s)
	return m
}

type mmapMemory struct{ state *mmapState }

type mmapState struct {
	buf   []byte
	used  uint64 // the largest size handed out
	freed bool
}

func (m *mmapMemory) Reallocate(size uint64) []byte {
	s := m.state
	if s.freed || size > uint64(len(s.buf)) {
		return nil
	}
	s.used = max(s.used, size)
	return s.buf[:size:size]
}

// Free returns the touched pages to the OS at once (they read as zeros
// afterwards); the address range is unmapped by the cleanup.
func (m *mmapMemory) Free() {
	s := m.state
	if !s.freed && s.used > 0 {
		_ = syscall.Madvise(s.buf[:s.used], syscall.MADV_DONTNEED)
	}
	s.freed = true
}

// sliceMemory is the fallback when the mapping fails: a Go slice that grows
// by doubling, so that growing copies O(size) bytes in all.
type sliceMemory struct {
	buf []byte
	max uint64
}

func (m *sliceMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size > uint64(cap(m.buf)) {
		c := min(max(size, 2*uint64(cap(m.buf))), m.max)
		nb := make([]byte, size, c)
		copy(nb, m.buf)
		m.buf = nb
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *sliceMemory) Free() { m.buf = nil }
