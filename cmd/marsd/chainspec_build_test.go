package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/blobs"
)

// TestChainSpecBuildInspect builds a raw spec with the CLI, reads it back
// with host/trie and `chain-spec inspect`, and checks the genesis hash
// against host/chain's.
func TestChainSpecBuildInspect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the relay runtime")
	}
	ctx := context.Background()
	exec, err := executor.New(ctx, executor.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Close(ctx)
	pairs, err := chain.GenesisFromPreset(ctx, exec, blobs.Relay(), "local_testnet")
	if err != nil {
		t.Fatal(err)
	}
	hdr, _, err := chain.GenesisHeader(ctx, exec, pairs)
	if err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "local.json")
	if out, err := runIn(t, "chain-spec", "build", "--preset", "local_testnet", "--output", file); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"name": `"MSC Local Testnet"`, "id": `"mars_local"`, "chainType": `"Local"`, "bootNodes": `[]`,
		"telemetryEndpoints": `null`, "protocolId": `null`, "codeSubstitutes": `{}`,
		"properties": `{"ss58Format":42,"tokenDecimals":12,"tokenSymbol":"MSCA"}`,
	} {
		var got bytes.Buffer
		if err := json.Compact(&got, doc[k]); err != nil || got.String() != want {
			t.Errorf("%s = %s, want %s", k, got.String(), want)
		}
	}
	spec, err := trie.LoadRawChainSpec(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Top) != len(pairs) || len(spec.Children) != 0 {
		t.Fatalf("spec has %d top keys, %d child tries; genesis has %d pairs", len(spec.Top), len(spec.Children), len(pairs))
	}
	// The top keys are written in sorted order.
	if i := bytes.Index(raw, []byte(`"top": {`)); i < 0 {
		t.Fatal("no top")
	} else {
		var prev string
		for _, line := range strings.Split(string(raw[i:]), "\n")[1 : len(spec.Top)+1] {
			key := strings.TrimSpace(line)[:strings.Index(strings.TrimSpace(line), `":`)]
			if key <= prev {
				t.Fatalf("keys not sorted: %s after %s", key, prev)
			}
			prev = key
		}
	}

	out, err := runIn(t, "chain-spec", "inspect", file)
	if err != nil {
		t.Fatal(err)
	}
	if want := "genesis hash: " + hdr.Hash().Hex(); !strings.Contains(out, want) {
		t.Fatalf("inspect output lacks %q:\n%s", want, out)
	}
	if !strings.Contains(out, "name:         MSC Local Testnet") {
		t.Fatalf("inspect output:\n%s", out)
	}

	// Overrides, and the development preset to standard output.
	out, err = runIn(t, "chain-spec", "build", "--name", "My Dev", "--id", "my_dev", "--chain-type", "Live")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := trie.LoadRawChainSpec(strings.NewReader(out))
	if err != nil || dev.Name != "My Dev" || dev.ID != "my_dev" || !strings.Contains(out, `"chainType": "Live"`) {
		t.Fatalf("dev spec: %v %+v", err, dev)
	}

	for _, args := range [][]string{
		{"chain-spec", "build", "--preset", "mainnet"},
		{"chain-spec", "build", "--chain-type", "Custom"},
	} {
		if _, err := runIn(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
