package blobs

import (
	"embed"
	"fmt"
)

//go:embed *.wasm.zst
var files embed.FS

// Names lists the runtimes that are built and embedded, in build order.
var Names = []string{"relay"}

// FileName returns the blob file name of a runtime.
func FileName(name string) string { return name + ".wasm.zst" }

// Get returns the compressed blob of the named runtime.
func Get(name string) ([]byte, error) {
	b, err := files.ReadFile(FileName(name))
	if err != nil {
		return nil, fmt.Errorf("blobs: no runtime %q: %w", name, err)
	}
	return b, nil
}

// Relay returns the relay chain runtime blob.
func Relay() []byte {
	b, err := Get("relay")
	if err != nil {
		panic(err) // the blob is embedded at build time; missing means a broken build
	}
	return b
}
