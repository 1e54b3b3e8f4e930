package main

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func TestSystemAccountKey(t *testing.T) {
	alice := types.AccountID(mustHex(t, aliceHex))
	// PROTOCOL.md §3: System.Account prefix ++ blake2_128(Alice) ++ Alice.
	want := "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9" + "de1e86a9a8c739864cf3cc5ec2bea59f" + aliceHex
	if got := hex.EncodeToString(systemAccountKey(alice)); got != want {
		t.Fatalf("key %s\nwant %s", got, want)
	}
}

func encodeAccount(a accountInfo) []byte {
	e := scale.NewEncoder(80)
	e.PutU32(a.Nonce)
	e.PutU32(a.Consumers)
	e.PutU32(a.Providers)
	e.PutU32(a.Sufficients)
	e.PutU128(a.Free)
	e.PutU128(a.Reserved)
	e.PutU128(a.Frozen)
	e.PutU128(a.Flags)
	return e.Bytes()
}

func TestDecodeAccountInfo(t *testing.T) {
	a := accountInfo{Nonce: 3, Consumers: 1, Providers: 1, Free: scale.FromUint64(1_500_000_000_000), Frozen: scale.FromUint64(7),
		Flags: scale.U128{Hi: 1 << 63}}
	b := encodeAccount(a)
	if len(b) != 80 {
		t.Fatalf("len %d", len(b))
	}
	got, err := decodeAccountInfo(b)
	if err != nil || got != a {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := decodeAccountInfo(b[:79]); err == nil {
		t.Fatal("short value decoded")
	}
	if _, err := decodeAccountInfo(append(b, 0)); err == nil {
		t.Fatal("long value decoded")
	}
}

func TestQueryAccount(t *testing.T) {
	f := newFakeNode(t)
	ws, httpURL := f.start()
	out, err := runIn(t, "query", "account", "--rpc", httpURL, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	if err != nil || !strings.Contains(out, "exists:      no") || !strings.Contains(out, "free:        0 planck (0 MSCA)") ||
		!strings.Contains(out, "nonce:       0") {
		t.Fatalf("missing account: %v\n%s", err, out)
	}
	f.account = encodeAccount(accountInfo{Nonce: 4, Providers: 1, Free: scale.FromUint64(1_500_000_000_000), Reserved: scale.FromUint64(1)})
	out, err = runIn(t, "query", "account", "--rpc", ws, "//Alice", "--at", "0x"+strings.Repeat("bb", 32))
	for _, want := range []string{"account:     5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "nonce:       4",
		"free:        1500000000000 planck (1.5 MSCA)", "reserved:    1 planck (0.000000000001 MSCA)", "providers:   1"} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("output lacks %q (%v):\n%s", want, err, out)
		}
	}
	f.account = []byte{1, 2, 3}
	if _, err := runIn(t, "query", "account", "--rpc", ws, "//Alice"); err == nil {
		t.Fatal("bad account value accepted")
	}
	for _, args := range [][]string{
		{"query", "account", "--rpc", ws, "nobody"},
		{"query", "account", "--rpc", ws, "//Alice", "--at", "0x12"},
		{"query", "account", "--rpc", ws},
	} {
		if _, err := runIn(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
