package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metamars/mars/host/keystore"
)

func TestKeyInspect(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"key", "inspect", "//Alice"}, []string{
			"Secret Key URI `//Alice` is account:",
			"Public key (hex):  0x" + aliceHex,
			"Account ID:        0x" + aliceHex,
			"Public key (SS58): 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
			"SS58 Address:      5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}},
		{[]string{"key", "inspect", "--network-prefix", "0", "//Alice"}, []string{
			"SS58 Address:      15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"}},
		{[]string{"key", "inspect", "//Bob"}, []string{"0x" + bobHex}},
		// sp-core's ed25519 //Alice (GRANDPA dev key).
		{[]string{"key", "inspect", "--scheme", "ed25519", "//Alice"}, []string{
			"0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"}},
		// The dev phrase itself: subkey's secret seed and public key.
		{[]string{"key", "inspect", keystore.DevPhrase}, []string{
			"Secret seed:       0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
			"Public key (hex):  0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"}},
	}
	for _, c := range cases {
		out, err := runIn(t, c.args...)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}
	for _, args := range [][]string{
		{"key", "inspect", "not a mnemonic"},
		{"key", "inspect", "--scheme", "ecdsa", "//Alice"},
		{"key", "inspect", "--scheme", "ed25519", "//Alice/soft"},
		{"key", "inspect", "--output-type", "xml", "//Alice"},
		{"key", "inspect"},
	} {
		if _, err := runIn(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

func TestKeyGenerate(t *testing.T) {
	for _, c := range []struct {
		scheme string
		words  string
	}{{"sr25519", "12"}, {"ed25519", "24"}} {
		out, err := runIn(t, "key", "generate", "--scheme", c.scheme, "--words", c.words, "--output-type", "json")
		if err != nil {
			t.Fatal(err)
		}
		var k keyInfo
		if err := json.Unmarshal([]byte(out), &k); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if n := len(strings.Fields(k.SecretPhrase)); n != map[string]int{"12": 12, "24": 24}[c.words] || k.Scheme != c.scheme {
			t.Fatalf("generated %+v", k)
		}
		// Inspecting the phrase (and its seed) gives the same key back.
		for _, suri := range []string{k.SecretPhrase, k.SecretSeed} {
			again, err := runIn(t, "key", "inspect", "--scheme", c.scheme, "--output-type", "json", suri)
			if err != nil {
				t.Fatal(err)
			}
			var k2 keyInfo
			if err := json.Unmarshal([]byte(again), &k2); err != nil {
				t.Fatal(err)
			}
			if k2.PublicKey != k.PublicKey || k2.SS58Address != k.SS58Address || k2.SecretSeed != k.SecretSeed {
				t.Fatalf("inspect %q: %+v, generated %+v", suri, k2, k)
			}
		}
	}
	out, err := runIn(t, "key", "generate")
	if err != nil || !strings.HasPrefix(out, "Secret phrase:") || !strings.Contains(out, "SS58 Address:") {
		t.Fatalf("text output: %v\n%s", err, out)
	}
	if _, err := runIn(t, "key", "generate", "--words", "13"); err == nil {
		t.Fatal("--words 13 accepted")
	}
}

func TestKeyInsert(t *testing.T) {
	base := t.TempDir()
	if _, err := runIn(t, "key", "insert", "--base-path", base, "--suri", "//Alice", "--key-type", "aura"); err != nil {
		t.Fatal(err)
	}
	if _, err := runIn(t, "key", "insert", "--base-path", base, "--suri", "//Alice", "--key-type", "gran"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"61757261" + aliceHex, "6772616e" + "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"} {
		b, err := os.ReadFile(filepath.Join(base, "keystore", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(b)) != `"//Alice"` {
			t.Fatalf("%s holds %q", name, b)
		}
	}
	ks, err := keystore.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	if !ks.Has(keystore.KeyTypeAura, [32]byte(mustHex(t, aliceHex))) {
		t.Fatal("keystore does not have Alice's aura key")
	}
	for _, args := range [][]string{
		{"key", "insert", "--base-path", base, "--suri", "//Alice", "--key-type", "babe"},
		{"key", "insert", "--base-path", base, "--suri", "//Alice"},
		{"key", "insert", "--base-path", base, "--suri", "nonsense words", "--key-type", "aura"},
	} {
		if _, err := runIn(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
