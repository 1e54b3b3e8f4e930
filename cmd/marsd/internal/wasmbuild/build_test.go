package wasmbuild

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/host/executor"
)

// minimal is the smallest valid wasm module: magic and version.
var minimal = []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}

func TestAppendCustomSection(t *testing.T) {
	payload := bytes.Repeat([]byte{7}, 200) // a length needing two LEB128 bytes
	m := AppendCustomSection(append([]byte{}, minimal...), "runtime_version", payload)
	m = AppendCustomSection(m, "runtime_apis", nil)
	info, err := executor.Inspect(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.CustomSections) != 2 || info.CustomSections[0] != "runtime_apis" || info.CustomSections[1] != "runtime_version" {
		t.Fatalf("sections %v", info.CustomSections)
	}
}

func TestCompressRoundTrip(t *testing.T) {
	raw := AppendCustomSection(append([]byte{}, minimal...), "padding", bytes.Repeat([]byte{1, 2, 3}, 5000))
	blob, err := Compress(raw)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Compress(raw)
	if !bytes.Equal(blob, again) {
		t.Fatal("compression is not deterministic")
	}
	info, err := executor.Inspect(blob)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Compressed || info.RawSize != len(raw) || len(blob) >= len(raw) {
		t.Fatalf("compressed %v raw %d/%d blob %d", info.Compressed, info.RawSize, len(raw), len(blob))
	}
}
