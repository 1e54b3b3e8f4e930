package tests

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/metamars/mars"

type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	CgoFiles     []string
	Deps         []string
}

// listPackages runs `go list -json -deps=false` for the module under the given GOOS/GOARCH.
func listPackages(t *testing.T, goos, goarch string) []listedPackage {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	cmd := exec.Command("go", "list", "-e", "-json", "./...")
	cmd.Dir = root
	cmd.Env = append(cmd.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=1")
	if goos == "wasip1" {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=0")
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list (%s/%s): %v", goos, goarch, err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// forbiddenInRuntime are std packages runtime and pallet code may not import
// directly: they reach the OS, the network, the clock or randomness, which
// would make block execution non-deterministic or fail to compile for WASM.
var forbiddenInRuntime = []string{"os", "os/exec", "os/signal", "net", "net/http", "time", "math/rand",
	"math/rand/v2", "crypto/rand", "syscall", "C", "reflect", "runtime/cgo", "unsafe", "sync", "io/fs", "log", "log/slog"}

// thirdPartyInRuntime are the only non-module, non-std imports allowed under
// runtime/ and pallets/: pure-Go hashing that compiles to WASM.
var thirdPartyInRuntime = []string{"golang.org/x/crypto/blake2b", "golang.org/x/crypto/sha3", "github.com/cespare/xxhash/v2"}

func isStd(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }

func rel(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// allowed reports whether module package from may import module package to,
// per the layer table of ARCHITECTURE.md §2.
func allowed(from, to string) bool {
	switch {
	case under(from, "cmd"), under(from, "tests"):
		return true
	case from == "runtime/scale":
		return false
	case from == "runtime/types":
		return to == "runtime/scale"
	case from == "runtime/abi":
		return to == "runtime/scale" || to == "runtime/types"
	case under(from, "runtime/frame"):
		return to == "runtime/scale" || to == "runtime/types" || to == "runtime/abi" || under(to, "runtime/frame")
	case from == "runtime/blobs":
		return false
	case under(from, "runtime/relay"), under(from, "runtime/dsc"), under(from, "runtime/csc"):
		chain := strings.Join(strings.SplitN(from, "/", 3)[:2], "/")
		return to == "runtime/scale" || to == "runtime/types" || to == "runtime/abi" ||
			under(to, "runtime/frame") || under(to, "pallets") || under(to, chain)
	case under(from, "pallets"):
		own := strings.Join(strings.SplitN(from, "/", 3)[:2], "/")
		// Pallets meet through interfaces they declare; system is the framework's
		// own pallet (accounts, events) and may be imported by any pallet.
		return to == "runtime/scale" || to == "runtime/types" || under(to, "runtime/frame") ||
			under(to, own) || to == "pallets/system" || under(to, "pallets/internal")
	case under(from, "host"):
		return to == "runtime/scale" || to == "runtime/types" || to == "runtime/abi" || under(to, "host")
	case under(from, "consensus"):
		return to == "runtime/scale" || to == "runtime/types" || under(to, "host") || under(to, "consensus")
	case under(from, "relay"):
		return to == "runtime/scale" || to == "runtime/types" || under(to, "host") || under(to, "consensus") || under(to, "relay")
	case under(from, "sidechains"):
		return to == "runtime/scale" || to == "runtime/types" || under(to, "host") || under(to, "consensus") ||
			under(to, "relay") || under(to, "sidechains")
	}
	return false
}

// variantBase strips go list's " [variant]" suffix from an import path.
func variantBase(path string) string {
	base, _, _ := strings.Cut(path, " [")
	return base
}

func checkLayering(t *testing.T, goos, goarch string) {
	for _, p := range listPackages(t, goos, goarch) {
		// A main package built with a PGO profile (runtime/relay/wasm's
		// default.pgo) lists its dependencies as variants, "path [main]".
		from := rel(variantBase(p.ImportPath))
		deterministic := under(from, "runtime") || under(from, "pallets")
		if deterministic && len(p.CgoFiles) > 0 {
			t.Errorf("%s (%s): uses cgo", from, goos)
		}
		check := func(imports []string, test bool) {
			for _, imp := range imports {
				imp = variantBase(imp)
				switch {
				case strings.HasPrefix(imp, module+"/") || imp == module:
					to := rel(imp)
					if to == from || (test && under(to, from)) {
						continue
					}
					if !allowed(from, to) && !(test && (under(to, "runtime") || under(to, "pallets")) && deterministic) {
						t.Errorf("%s (%s): may not import %s (ARCHITECTURE.md §2)", from, goos, to)
					}
				case deterministic && !test && isStd(imp):
					for _, f := range forbiddenInRuntime {
						// runtime/abi is the one place for unsafe; runtime/scale
						// pools encoder buffers with sync.Pool, which cannot change
						// a result (a pooled buffer is always reset before use).
						if imp == f && !(from == "runtime/abi" && imp == "unsafe") && !(from == "runtime/scale" && imp == "sync") {
							t.Errorf("%s (%s): imports %s, which runtime code may not use", from, goos, imp)
						}
					}
				case deterministic && !isStd(imp):
					// Tests run natively only: they may sign and verify
					// sr25519 with curve25519-voi to exercise the runtime.
					ok := test && strings.HasPrefix(imp, "github.com/oasisprotocol/curve25519-voi/")
					for _, a := range thirdPartyInRuntime {
						ok = ok || imp == a
					}
					if !ok {
						t.Errorf("%s (%s): imports third-party %s", from, goos, imp)
					}
				}
			}
		}
		check(p.Imports, false)
		check(p.TestImports, true)
		check(p.XTestImports, true)
	}
}

// TestLayering enforces the import rules of ARCHITECTURE.md §2 on the native
// build and on the wasip1/wasm build that the runtimes are compiled with.
func TestLayering(t *testing.T) {
	checkLayering(t, runtime.GOOS, runtime.GOARCH)
	checkLayering(t, "wasip1", "wasm")
}

func TestAllowedTable(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"runtime/scale", "runtime/types", false},
		{"runtime/types", "runtime/scale", true},
		{"pallets/balances", "host/state", false},
		{"pallets/balances", "pallets/system", true},
		{"pallets/balances", "pallets/staking", false},
		{"host/chain", "pallets/system", false},
		{"host/chain", "runtime/frame", false},
		{"host/chain", "host/state", true},
		{"runtime/relay", "pallets/balances", true},
		{"runtime/relay", "host/executor", false},
		{"consensus/aura", "host/chain", true},
		{"host/chain", "consensus/aura", false},
		{"cmd/marsd", "host/node", true},
	}
	for _, c := range cases {
		if got := allowed(c.from, c.to); got != c.want {
			t.Errorf("allowed(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
