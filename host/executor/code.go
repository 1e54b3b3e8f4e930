package executor

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zstd"

	"github.com/metamars/mars/host/executor/internal/wasmbin"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/types"
)

// zstdPrefix marks a zstd-compressed runtime blob (sp-maybe-compressed-blob).
var zstdPrefix = []byte{0x52, 0xBC, 0x53, 0x76, 0x46, 0xDB, 0x8E, 0x05}

// defaultMaxCodeSize bounds a decompressed blob (sc-executor uses 50 MiB for
// the bomb limit; PROTOCOL.md caps real code at 3 MiB).
const defaultMaxCodeSize = 32 << 20

// decompress returns the wasm bytes of a possibly compressed blob, refusing
// anything that would expand beyond limit.
func decompress(code []byte, limit int) ([]byte, error) {
	if !bytes.HasPrefix(code, zstdPrefix) {
		if len(code) > limit {
			return nil, fmt.Errorf("%w: %d bytes > %d", ErrCodeTooLarge, len(code), limit)
		}
		return code, nil
	}
	dec, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxMemory(uint64(limit)),
		zstd.WithDecoderMaxWindow(uint64(limit)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
	}
	defer dec.Close()
	out, err := dec.DecodeAll(code[len(zstdPrefix):], nil)
	switch {
	case errors.Is(err, zstd.ErrDecoderSizeExceeded), errors.Is(err, zstd.ErrWindowSizeExceeded):
		return nil, fmt.Errorf("%w: decompressed size over %d bytes", ErrCodeTooLarge, limit)
	case err != nil:
		return nil, fmt.Errorf("%w: zstd: %w", ErrInvalidCode, err)
	case len(out) > limit:
		return nil, fmt.Errorf("%w: decompressed size %d > %d", ErrCodeTooLarge, len(out), limit)
	}
	return out, nil
}

// versionFromSection reads the runtime_version custom section of a blob
// without compiling it. The section must decode as a RuntimeVersion.
func versionFromSection(code []byte, limit int) ([]byte, error) {
	wasm, err := decompress(code, limit)
	if err != nil {
		return nil, err
	}
	mod, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCode, err)
	}
	return sectionVersion(mod)
}

func sectionVersion(mod *wasmbin.Module) ([]byte, error) {
	sec, ok := mod.Custom[abi.SectionRuntimeVersion]
	if !ok {
		return nil, fmt.Errorf("%w: no %s section", ErrNoVersion, abi.SectionRuntimeVersion)
	}
	if _, err := types.DecodeRuntimeVersion(sec); err != nil {
		return nil, fmt.Errorf("%w: %s section: %w", ErrNoVersion, abi.SectionRuntimeVersion, err)
	}
	return append([]byte(nil), sec...), nil
}

// stateVersionOf returns the state version a runtime's version implies.
func stateVersionOf(version []byte) (uint8, error) {
	v, err := types.DecodeRuntimeVersion(version)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrNoVersion, err)
	}
	return uint8(v.StateVersion()), nil
}
