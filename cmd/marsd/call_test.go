package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/metamars/mars/pallets/sudo"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func relayDecoded(t *testing.T) *metadata.Decoded {
	t.Helper()
	b := relayMetadata(15)
	if b == nil {
		t.Skip("relay metadata incomplete")
	}
	md, err := metadata.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return md
}

func TestEncodeCallFromMetadata(t *testing.T) {
	md := relayDecoded(t)
	x := &valueEncoder{md: md}
	bob := types.AccountID(mustHex(t, bobHex))
	amount, _ := parseAmount("1.5MSCA")
	want := transferCall(bob, amount, true)
	for _, c := range []struct {
		pallet, call string
		vals         []any
		obj          string
	}{
		{"Balances", "transfer_keep_alive", []any{"//Bob", "1.5MSCA"}, ""},
		{"balances", "transferKeepAlive", []any{bob.SS58(types.SS58Generic), "1500000000000"}, ""},
		{"Balances", "transfer_keep_alive", nil, `{"dest": "0x` + bobHex + `", "value": "1.5MSCA"}`},
		{"Balances", "transfer_keep_alive", nil, `{"dest": {"Id": "//Bob"}, "value": 1500000000000}`},
		{"Balances", "transfer_keep_alive", nil, `["//Bob", "1.5MSCA"]`},
	} {
		var obj any
		if c.obj != "" {
			var err error
			if obj, err = parseJSONArg(c.obj, true); err != nil {
				t.Fatal(err)
			}
		}
		got, _, err := x.encodeCall(c.pallet, c.call, c.vals, obj)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%+v: %x, %v; want %x", c, got, err, want)
		}
	}

	// Sudo.sudo(System.remark(0x00)) from a nested call object.
	arg, _ := parseJSONArg(`{"pallet":"System","call":"remark","args":["0x00"]}`, false)
	got, _, err := x.encodeCall("Sudo", "sudo", []any{arg}, nil)
	wantSudo := []byte{relay.IndexSudo, sudo.CallSudo, relay.IndexSystem, system.CallRemark, 4, 0}
	if err != nil || !bytes.Equal(got, wantSudo) {
		t.Fatalf("sudo(remark): %x, %v; want %x", got, err, wantSudo)
	}
	// Text for Vec<u8>.
	got, _, err = x.encodeCall("System", "remark", []any{"hi"}, nil)
	if err != nil || !bytes.Equal(got, []byte{relay.IndexSystem, system.CallRemark, 8, 'h', 'i'}) {
		t.Fatalf("remark(hi): %x, %v", got, err)
	}

	for _, bad := range []struct {
		pallet, call string
		vals         []any
	}{
		{"Nope", "x", nil},
		{"Balances", "nope", nil},
		{"Balances", "transfer_keep_alive", []any{"//Bob"}},
		{"Balances", "transfer_keep_alive", []any{"nobody", "1"}},
		{"Balances", "transfer_keep_alive", []any{"//Bob", "-1"}},
		{"Balances", "transfer_keep_alive", []any{"//Bob", "1.5XYZ"}},
		{"System", "remark", []any{"0xzz"}},
	} {
		if got, _, err := x.encodeCall(bad.pallet, bad.call, bad.vals, nil); err == nil {
			t.Errorf("%+v encoded: %x", bad, got)
		}
	}
}

func TestPutPrimitive(t *testing.T) {
	cases := []struct {
		p    metadata.Primitive
		v    any
		want string
	}{
		{metadata.Bool, true, "01"},
		{metadata.Bool, "false", "00"},
		{metadata.U8, "255", "ff"},
		{metadata.U16, "0x0102", "0201"},
		{metadata.U32, "7", "07000000"},
		{metadata.I8, "-1", "ff"},
		{metadata.I32, "-2", "feffffff"},
		{metadata.U128, "1MSCA", "0010a5d4e80000000000000000000000"},
		{metadata.Str, "ab", "086162"},
	}
	for _, c := range cases {
		e := scale.NewEncoder(16)
		if err := putPrimitive(e, c.p, c.v); err != nil || hex.EncodeToString(e.Bytes()) != c.want {
			t.Errorf("%d %v: %x %v, want %s", c.p, c.v, e.Bytes(), err, c.want)
		}
	}
	for _, c := range []struct {
		p metadata.Primitive
		v any
	}{{metadata.U8, "256"}, {metadata.I8, "128"}, {metadata.U32, "-1"}, {metadata.Bool, "maybe"}, {metadata.U64, "1MSCA"}} {
		if err := putPrimitive(scale.NewEncoder(8), c.p, c.v); err == nil {
			t.Errorf("%d %v accepted", c.p, c.v)
		}
	}
}

func TestTxCall(t *testing.T) {
	f := newFakeNode(t)
	if f.metadata == nil {
		t.Skip("relay metadata incomplete")
	}
	ws, _ := f.start()
	out, err := runIn(t, "tx", "call", "--rpc", ws, "--from", "//Alice", "Balances", "transferKeepAlive", "//Bob", "12345")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f.mu.Lock()
	ext := f.submitted
	f.mu.Unlock()
	want := transferCall(types.AccountID(mustHex(t, bobHex)), scale.FromUint64(12345), true)
	if !bytes.HasSuffix(ext, want) || !strings.Contains(out, "call:      Balances.transfer_keep_alive") {
		t.Fatalf("extrinsic %x does not end with %x\n%s", ext, want, out)
	}
	out, err = runIn(t, "tx", "call", "--rpc", ws, "--from", "//Alice", "Sudo", "sudo", `{"pallet":"System","call":"remark","args":["0x00"]}`)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f.mu.Lock()
	ext = f.submitted
	f.mu.Unlock()
	if !bytes.HasSuffix(ext, []byte{relay.IndexSudo, sudo.CallSudo, relay.IndexSystem, system.CallRemark, 4, 0}) {
		t.Fatalf("sudo extrinsic %x", ext)
	}
	for _, args := range [][]string{
		{"Balances", "transferKeepAlive", "//Bob"},
		{"Balances", "nope"},
		{"Balances", "transferKeepAlive", "//Bob", "1", "--json", `{}`},
	} {
		if out, err := runIn(t, append([]string{"tx", "call", "--rpc", ws, "--from", "//Alice"}, args...)...); err == nil {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
}

func TestStorageKeyAndValue(t *testing.T) {
	md := relayDecoded(t)
	alice := types.AccountID(mustHex(t, aliceHex))
	p, s, err := storageEntry(md, "system", "account")
	if err != nil {
		t.Fatal(err)
	}
	key, err := storageKey(md, p, s, []any{"//Alice"})
	if err != nil || !bytes.Equal(key, systemAccountKey(alice)) {
		t.Fatalf("key %x, %v", key, err)
	}
	if got := storageKeyText(md, s, key); got != `"`+alice.SS58(types.SS58Generic)+`"` {
		t.Fatalf("key text %s", got)
	}
	val := encodeAccount(accountInfo{Nonce: 4, Providers: 1, Free: scale.U128{Lo: 1, Hi: 1}})
	out, err := storageValueText(md, s, val, true)
	if err != nil || !strings.Contains(out, `"nonce": 4`) || !strings.Contains(out, `"free": 18446744073709551617`) {
		t.Fatalf("value %v\n%s", err, out)
	}
	out, err = storageValueText(md, s, nil, false)
	if err != nil || !strings.Contains(out, `"free": 0`) {
		t.Fatalf("default %v\n%s", err, out)
	}
	if _, err := storageValueText(md, s, val[:10], true); err == nil {
		t.Fatal("short value decoded")
	}
	if _, err := storageKey(md, p, s, []any{"//Alice", "x"}); err == nil {
		t.Fatal("too many keys")
	}
}

func TestQueryStorage(t *testing.T) {
	f := newFakeNode(t)
	if f.metadata == nil {
		t.Skip("relay metadata incomplete")
	}
	ws, httpURL := f.start()
	f.account = encodeAccount(accountInfo{Nonce: 4, Providers: 1, Free: scale.FromUint64(1_500_000_000_000)})
	out, err := runIn(t, "query", "storage", "--rpc", ws, "System", "Account", "//Alice")
	if err != nil || !strings.Contains(out, `"free": 1500000000000`) || !strings.Contains(out, `"nonce": 4`) {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err = runIn(t, "query", "storage", "--rpc", httpURL, "System", "Number")
	if err != nil || strings.TrimSpace(out) != "0" {
		t.Fatalf("System.Number: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"System", "Nope"},
		{"Nope", "Account"},
		{"System", "Account", "nobody"},
	} {
		if out, err := runIn(t, append([]string{"query", "storage", "--rpc", ws}, args...)...); err == nil {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
}

// TestQueryStorageList lists a map's entries (state_getKeysPaged) through
// the fake node, answering the paged keys itself.
func TestQueryStorageList(t *testing.T) {
	f := newFakeNode(t)
	if f.metadata == nil {
		t.Skip("relay metadata incomplete")
	}
	f.account = encodeAccount(accountInfo{Nonce: 1, Providers: 1, Free: scale.FromUint64(7)})
	alice, bob := types.AccountID(mustHex(t, aliceHex)), types.AccountID(mustHex(t, bobHex))
	var gotLimit float64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []any           `json:"params"`
		}
		if json.Unmarshal(body, &req) == nil && req.Method == "state_getKeysPaged" {
			if len(req.Params) > 1 {
				gotLimit, _ = req.Params[1].(float64)
			}
			if p, _ := req.Params[0].(string); p != "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9" {
				_, _ = w.Write(reply(req.ID, nil, map[string]any{"code": -32602, "message": "bad prefix " + p}))
				return
			}
			_, _ = w.Write(reply(req.ID, []string{hexStr(systemAccountKey(alice)), hexStr(systemAccountKey(bob))}, nil))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	out, err := runIn(t, "query", "storage", "--rpc", srv.URL, "system", "account", "--limit", "2")
	if err != nil || gotLimit != 2 {
		t.Fatalf("%v (limit %v)\n%s", err, gotLimit, out)
	}
	for _, want := range []string{`"` + alice.SS58(types.SS58Generic) + `": {"nonce":1,`, `"` + bob.SS58(types.SS58Generic) + `": {`,
		`"free":7`, "(first 2 entries"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runIn(t, "query", "storage", "--rpc", srv.URL, "System", "Account", "--limit", "0"); err == nil {
		t.Fatal("--limit 0 accepted")
	}
}

// TestValueRoundTrip encodes JSON values as metadata types and decodes
// them back: composites, enums (unit and with fields), sequences, u128.
func TestValueRoundTrip(t *testing.T) {
	md := relayDecoded(t)
	x := &valueEncoder{md: md}
	for _, c := range []struct{ item, value string }{
		{"Account", `{"nonce":1,"consumers":0,"providers":1,"sufficients":0,"data":{"free":340282366920938463463374607431768211455,"reserved":0,"frozen":0,"flags":0}}`},
		{"Events", `[{"phase":{"ApplyExtrinsic":1},"event":{"System":{"ExtrinsicSuccess":{"dispatch_info":{"weight":{"ref_time":185000000,"proof_size":0},"class":"Mandatory","pays_fee":"Yes"}}}},"topics":[]},` +
			`{"phase":"Finalization","event":{"Balances":{"Transfer":{"from":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","to":"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty","amount":12345}}},"topics":["0x` + strings.Repeat("ab", 32) + `"]}]`},
	} {
		_, s, err := storageEntry(md, "System", c.item)
		if err != nil {
			t.Fatal(err)
		}
		v, err := parseJSONArg(c.value, true)
		if err != nil {
			t.Fatal(err)
		}
		e := scale.NewEncoder(64)
		if err := x.put(e, s.Value, v, 0); err != nil {
			t.Fatalf("%s: %v", c.item, err)
		}
		out, err := storageValueText(md, s, e.Bytes(), true)
		if err != nil || compactJSON(out) != c.value {
			t.Fatalf("%s: %v\n got %s\nwant %s", c.item, err, compactJSON(out), c.value)
		}
	}
}
