package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

// TestConformanceCLI checks the CLI prints the real roots and genesis hashes
// of ../shared/conformance (values from its README).
func TestConformanceCLI(t *testing.T) {
	const dir = "../../../shared/conformance/"
	// The data lives in the workspace's shared/ folder beside the checkout
	// (as in CI); host/trie's conformance tests skip the same way without it.
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance data not available beside the checkout: %v", err)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"trie", "root", "--state-version", "0", dir + "kusama-3783-state.json"},
			[]string{"0x948338bc0976aee78879d559a1f42385407e5a481b05a91d2a9386aa7507e7a0"}},
		{[]string{"chain-spec", "inspect", "--state-version", "0", dir + "kusama-genesis-raw.json"},
			[]string{"0xb0006203c3a6e6bd2c6a17b1d4ae8ca49a31da0f4579da950b127774b44aef6b", "0xb0a8d493285c2df73290dfb7e61f870f17b41801197a149ca93654499ea3dafe"}},
		{[]string{"chain-spec", "inspect", "--state-version", "0", dir + "westend-genesis-raw.json"},
			[]string{"0x7e92439a94f79671f9cade9dff96a094519b9001a7432244d46ab644bb6f746f", "0xe143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e"}},
		{[]string{"chain-spec", "inspect", "--state-version", "1", dir + "westend-genesis-raw.json"},
			[]string{"0x091c10bf6e0da7eab757e74ea5df18e1beda29dd767cc376676286c5469cf4d2"}},
	}
	for _, c := range cases {
		out, err := runCLI(t, c.args...)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %s:\n%s", c.args, w, out)
			}
		}
	}
}

func TestCLIBadInput(t *testing.T) {
	if _, err := runCLI(t, "trie", "root", "--state-version", "2", "x.json"); err == nil {
		t.Error("state version 2 accepted")
	}
	if _, err := runCLI(t, "trie", "root", "--state-version", "0", "go.mod"); err == nil {
		t.Error("a non-JSON file accepted")
	}
	if _, err := runCLI(t, "chain-spec", "inspect", "/nonexistent"); err == nil {
		t.Error("missing file accepted")
	}
}
