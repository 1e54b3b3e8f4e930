package executor

import (
	"context"

	"github.com/tetratelabs/wazero/experimental"
)

var memoryAllocator = newMemoryAllocator()

// withMemoryAllocator makes instantiation use memoryAllocator (if any) for
// the instance's linear memory.
func withMemoryAllocator(ctx context.Context) context.Context {
	if memoryAllocator == nil {
		return ctx
	}
	return experimental.WithMemoryAllocator(ctx, memoryAllocator)
}
