package trie

import (
	"encoding/hex"
	"os"
	"testing"
)

const conformanceDir = "../../../shared/conformance/"

func openConformance(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(conformanceDir + name)
	if err != nil {
		t.Skipf("conformance data not available: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func mustHex32(t testing.TB, s string) [32]byte {
	t.Helper()
	b, err := hex.DecodeString(s[2:])
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

func TestEmptyRoot(t *testing.T) {
	want := mustHex32(t, "0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314")
	if EmptyRoot != want {
		t.Fatalf("EmptyRoot = %x", EmptyRoot)
	}
	got, err := New().Hash(V1)
	if err != nil || got != want {
		t.Fatalf("empty trie hash = %x, %v", got, err)
	}
	if r, _ := OrderedRoot(nil, V0); r != want {
		t.Fatalf("ordered root of nothing = %x", r)
	}
}

func TestConformanceGenesis(t *testing.T) {
	cases := []struct {
		file, name    string
		keys          int
		root, genesis string
		rootV1        string
	}{
		{"kusama-genesis-raw.json", "Kusama", 3419,
			"0xb0006203c3a6e6bd2c6a17b1d4ae8ca49a31da0f4579da950b127774b44aef6b",
			"0xb0a8d493285c2df73290dfb7e61f870f17b41801197a149ca93654499ea3dafe", ""},
		{"westend-genesis-raw.json", "Westend", 93,
			"0x7e92439a94f79671f9cade9dff96a094519b9001a7432244d46ab644bb6f746f",
			"0xe143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e",
			"0x091c10bf6e0da7eab757e74ea5df18e1beda29dd767cc376676286c5469cf4d2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := LoadRawChainSpec(openConformance(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if spec.Name != c.name || len(spec.Top) != c.keys {
				t.Fatalf("name %q keys %d", spec.Name, len(spec.Top))
			}
			root, err := spec.StateRoot(V0)
			if err != nil {
				t.Fatal(err)
			}
			if root != mustHex32(t, c.root) {
				t.Fatalf("state root V0 = %x, want %s", root, c.root)
			}
			if g := GenesisHash(root); g != mustHex32(t, c.genesis) {
				t.Fatalf("genesis hash = %x, want %s", g, c.genesis)
			}
			if c.rootV1 != "" {
				r1, err := spec.StateRoot(V1)
				if err != nil {
					t.Fatal(err)
				}
				if r1 != mustHex32(t, c.rootV1) {
					t.Fatalf("state root V1 = %x, want %s", r1, c.rootV1)
				}
			}
		})
	}
}

func TestConformanceKusama3783(t *testing.T) {
	pairs, err := LoadStatePairs(openConformance(t, "kusama-3783-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 3703 {
		t.Fatalf("pairs = %d", len(pairs))
	}
	root, err := RootOfPairs(pairs, V0)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex32(t, "0x948338bc0976aee78879d559a1f42385407e5a481b05a91d2a9386aa7507e7a0"); root != want {
		t.Fatalf("root = %x", root)
	}
}
