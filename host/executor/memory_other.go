//go:build !linux

package executor

import "github.com/tetratelabs/wazero/experimental"

// newMemoryAllocator returns nil: wazero's default (a Go slice) elsewhere.
func newMemoryAllocator() experimental.MemoryAllocator { return nil }
