// Package wasmbuild builds runtime blobs reproducibly: the Go toolchain pinned
// in go.mod compiles a runtime's wasm/ main package for wasip1/wasm with
// -trimpath and an empty build id, and the result is zstd-compressed with
// fixed settings behind Substrate's compression prefix. The same source and
// toolchain therefore give the same bytes on every machine.
package wasmbuild

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/klauspost/compress/zstd"
)

// ZstdPrefix marks a compressed runtime blob (Substrate's sp-maybe-compressed-blob).
var ZstdPrefix = []byte{0x52, 0xBC, 0x53, 0x76, 0x46, 0xDB, 0x8E, 0x05}

// Options says what to build.
type Options struct {
	// SourceDir is the module root (the folder holding go.mod).
	SourceDir string
	// Runtime is the runtime's folder name under runtime/ (e.g. "relay").
	Runtime string
	// Tags are extra build tags (e.g. a test-only v2 of a runtime).
	Tags string
}

// Build compiles a runtime and returns its raw WASM bytes.
func Build(ctx context.Context, o Options) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "marsd-wasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, o.Runtime+".wasm")
	args := []string{"build", "-buildmode=c-shared", "-trimpath", "-buildvcs=false", "-ldflags=-buildid= -s -w", "-o", out}
	if o.Tags != "" {
		args = append(args, "-tags", o.Tags)
	}
	args = append(args, "./runtime/"+o.Runtime+"/wasm")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.SourceDir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWASM=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("wasmbuild: go build %s: %v\n%s", o.Runtime, err, stderr.String())
	}
	return os.ReadFile(out)
}

// Compress returns the prefixed zstd form of a raw blob. The encoder is
// single-threaded at a fixed level so the output is a pure function of the input.
func Compress(raw []byte) ([]byte, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedBestCompression),
		zstd.WithEncoderCRC(false), zstd.WithZeroFrames(true))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	out := append([]byte{}, ZstdPrefix...)
	return enc.EncodeAll(raw, out), nil
}

// AppendCustomSection appends a wasm custom section (id 0) to a module. A
// custom section may appear anywhere, so appending keeps the module valid.
func AppendCustomSection(wasm []byte, name string, payload []byte) []byte {
	body := appendULEB(nil, uint64(len(name)))
	body = append(body, name...)
	body = append(body, payload...)
	out := append(wasm, 0)
	out = appendULEB(out, uint64(len(body)))
	return append(out, body...)
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
