package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRuntimeInspect(t *testing.T) {
	out, err := runCLI(t, "runtime", "inspect", "../../runtime/blobs/relay.wasm.zst")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"mars-relay v", "Core", "BlockBuilder", "ext_storage_read_version_2", "zstd"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.wasm")
	os.WriteFile(bad, []byte("not wasm at all"), 0o644)
	if _, err := runCLI(t, "runtime", "inspect", bad); err == nil {
		t.Error("garbage blob accepted")
	}
	// A zstd prefix followed by garbage is an error, not a crash.
	os.WriteFile(bad, append([]byte{0x52, 0xBC, 0x53, 0x76, 0x46, 0xDB, 0x8E, 0x05}, 1, 2, 3), 0o644)
	if _, err := runCLI(t, "runtime", "inspect", bad); err == nil {
		t.Error("bad zstd accepted")
	}
}
