package executor

import (
	"sort"

	"github.com/metamars/mars/host/executor/internal/wasmbin"
)

// CodeInfo describes a runtime blob without running it (marsd runtime inspect).
type CodeInfo struct {
	Compressed bool
	RawSize    int
	// Imports are "module.name" of every import, in the module's order.
	Imports []string
	// CustomSections are the names of the module's custom sections, sorted.
	CustomSections []string
}

// Inspect decompresses (within the default size bound) and parses a blob.
func Inspect(code []byte) (*CodeInfo, error) {
	raw, err := decompress(code, defaultMaxCodeSize)
	if err != nil {
		return nil, err
	}
	m, err := wasmbin.Parse(raw)
	if err != nil {
		return nil, err
	}
	info := &CodeInfo{Compressed: len(raw) != len(code), RawSize: len(raw)}
	for _, im := range m.Imports {
		info.Imports = append(info.Imports, im.Module+"."+im.Name)
	}
	for name := range m.Custom {
		info.CustomSections = append(info.CustomSections, name)
	}
	sort.Strings(info.CustomSections)
	return info, nil
}
