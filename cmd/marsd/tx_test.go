package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/sudo"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

const (
	aliceHex = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
	bobHex   = "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTransferCall reproduces the call bytes of the observed
// @polkadot/api transferKeepAlive(Bob, 12345) (PROTOCOL.md §4).
func TestTransferCall(t *testing.T) {
	bob := types.AccountID(mustHex(t, bobHex))
	cases := []struct {
		keepAlive bool
		amount    string
		want      string
	}{
		{true, "12345", "0603 00" + bobHex + "e5c0"},
		{false, "12345", "0600 00" + bobHex + "e5c0"},
		{false, "0", "0600 00" + bobHex + "00"},
		{true, "1MSCA", "0603 00" + bobHex + "070010a5d4e8"},
	}
	for _, c := range cases {
		v, err := parseAmount(c.amount)
		if err != nil {
			t.Fatal(err)
		}
		got := transferCall(bob, v, c.keepAlive)
		if want := mustHex(t, c.want); !bytes.Equal(got, want) {
			t.Errorf("transferCall(keepAlive=%v, %s) = %x, want %x", c.keepAlive, c.amount, got, want)
		}
	}
}

func TestSudoSetCodeCall(t *testing.T) {
	got := sudoSetCodeCall([]byte{0xaa, 0xbb, 0xcc})
	if want := mustHex(t, "0500 0002 0c aabbcc"); !bytes.Equal(got, want) {
		t.Fatalf("sudoSetCodeCall = %x, want %x", got, want)
	}
	big := make([]byte, 1<<20)
	got = sudoSetCodeCall(big)
	if want := mustHex(t, "0500 0002 02004000"); !bytes.Equal(got[:8], want) || len(got) != 8+len(big) {
		t.Fatalf("sudoSetCodeCall(1 MiB) starts %x, len %d", got[:8], len(got))
	}
}

func TestParseAddress(t *testing.T) {
	alice := "0x" + aliceHex
	for _, in := range []string{"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", alice, "//Alice",
		"15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5" /* Polkadot prefix */} {
		id, err := parseAddress(in)
		if err != nil || id.Hex() != alice {
			t.Errorf("parseAddress(%q) = %s, %v", in, id.Hex(), err)
		}
	}
	for _, in := range []string{"", "0x1234", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ", "hello"} {
		if _, err := parseAddress(in); err == nil {
			t.Errorf("parseAddress(%q) accepted", in)
		}
	}
}

// relayMetadata returns the relay runtime's metadata of a version, as
// state_getMetadata answers it, or nil while some pallet does not describe
// itself (the node then answers state_getMetadata with an error).
func relayMetadata(version int) []byte {
	m, missing := relay.Default().Metadata()
	if len(missing) > 0 {
		return nil
	}
	if version == 14 {
		return m.V14()
	}
	return m.V15()
}

func eventBytes(pallet uint8, ev scale.Encodable) []byte {
	return append([]byte{pallet}, scale.Encode(ev)...)
}

func encodeEvents(recs []frame.EventRecord) []byte {
	e := scale.NewEncoder(256)
	e.PutLen(len(recs))
	for i := range recs {
		recs[i].EncodeTo(e)
	}
	return e.Bytes()
}

func sampleEvents(failed bool) []byte {
	alice, _ := keystore.FromURI(keystore.Sr25519, "//Alice")
	bob, _ := keystore.FromURI(keystore.Sr25519, "//Bob")
	info := frame.DispatchInfo{Weight: types.Weight{RefTime: 1000, ProofSize: 10}}
	recs := []frame.EventRecord{
		{Phase: frame.Phase{Kind: frame.PhaseInitialization}, Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})},
		{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 0}, Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})},
	}
	if failed {
		recs = append(recs, frame.EventRecord{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1},
			Event:  eventBytes(relay.IndexSystem, system.ExtrinsicFailed{DispatchError: types.NewModuleError(relay.IndexBalances, 2), DispatchInfo: info}),
			Topics: []types.Hash{{1}}})
	} else {
		recs = append(recs,
			frame.EventRecord{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1},
				Event: eventBytes(relay.IndexBalances, balances.EventTransfer{From: alice.AccountID(), To: bob.AccountID(), Amount: scale.FromUint64(12345)})},
			frame.EventRecord{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1},
				Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})})
	}
	recs = append(recs, frame.EventRecord{Phase: frame.Phase{Kind: frame.PhaseFinalization}, Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})})
	return encodeEvents(recs)
}

func TestDecodeEvents(t *testing.T) {
	type source struct {
		name string
		reg  func() (*mdRegistry, error)
	}
	sources := []source{{"builtin", func() (*mdRegistry, error) { return builtinRelayRegistry(), nil }}}
	for _, ver := range []int{14, 15} {
		md := relayMetadata(ver)
		if md == nil {
			t.Logf("relay metadata V%d incomplete: testing the built-in event description only", ver)
			continue
		}
		opaque := scale.NewEncoder(len(md) + 5)
		opaque.PutBytes(md)
		sources = append(sources,
			source{fmt.Sprintf("V%d", ver), func() (*mdRegistry, error) { return parseMetadata(md) }},
			source{fmt.Sprintf("V%d opaque", ver), func() (*mdRegistry, error) { return parseMetadata(opaque.Bytes()) }})
	}
	for _, src := range sources {
		{
			ver := src.name
			reg, err := src.reg()
			if err != nil {
				t.Fatalf("%s: %v", ver, err)
			}
			recs, err := reg.decodeEvents(sampleEvents(false))
			if err != nil {
				t.Fatalf("%s: %v", ver, err)
			}
			var names []string
			for _, r := range recs {
				names = append(names, reg.eventName(r.event))
			}
			if got := strings.Join(names, ","); got != "System.ExtrinsicSuccess,System.ExtrinsicSuccess,Balances.Transfer,System.ExtrinsicSuccess,System.ExtrinsicSuccess" {
				t.Fatalf("%s: events %s", ver, got)
			}
			if !recs[2].applyExtrinsic || recs[2].index != 1 || recs[0].applyExtrinsic {
				t.Fatalf("%s: phases %+v", ver, recs)
			}
			if got := reg.dispatchErrorText(types.NewModuleError(relay.IndexBalances, 2)); !strings.HasPrefix(got, "Balances.") {
				t.Fatalf("%s: module error text %q", ver, got)
			}
			if _, err := reg.decodeEvents(sampleEvents(false)[:40]); err == nil {
				t.Fatalf("%s: truncated events decoded", ver)
			}
		}
	}
}

// fakeNode is a JSON-RPC endpoint that answers what the tx and query
// commands ask, checks the submitted extrinsic's signature, and includes
// it as extrinsic 1 of a block.
type fakeNode struct {
	t        *testing.T
	metadata []byte
	genesis  types.Hash
	fin      types.Hash
	block    types.Hash
	failed   bool   // the transfer's events say ExtrinsicFailed
	refuse   string // author_submit* answers 1010 with this data
	account  []byte // System.Account value of every account
	events   []byte // System.Events, when not sampleEvents(failed)

	mu        sync.Mutex
	submitted []byte
	params    txbuilder.Params
}

func newFakeNode(t *testing.T) *fakeNode {
	return &fakeNode{t: t, metadata: relayMetadata(14),
		genesis: types.Hash{0x99}, fin: types.Hash{0x0f}, block: types.Hash{0xbb}}
}

func (f *fakeNode) start() (wsURL, httpURL string) {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http"), srv.URL
}

type rpcReq struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

func reply(id json.RawMessage, result any, err any) []byte {
	m := map[string]any{"jsonrpc": "2.0", "id": id}
	if err != nil {
		m["error"] = err
	} else {
		m["result"] = result
	}
	b, _ := json.Marshal(m)
	return b
}

func hexStr(b []byte) string { return "0x" + hex.EncodeToString(b) }

// checkExtrinsic verifies ext's signature against the fake chain's
// parameters (era, nonce and tip read back from the extra).
func (f *fakeNode) checkExtrinsic(ext []byte) error {
	x, err := types.DecodeExtrinsic(ext)
	if err != nil {
		return err
	}
	d := scale.NewDecoder(x.Rest)
	var p txbuilder.Params
	p.Era.DecodeFrom(d)
	p.Nonce = d.CompactU32()
	p.Tip = d.CompactU128()
	if d.U8() != 0 || d.Err() != nil {
		return errors.New("bad extra")
	}
	extra := x.Rest[:d.Offset()]
	call := x.Rest[d.Offset():]
	p.GenesisHash, p.SpecVersion, p.TxVersion = f.genesis, 7, 3
	p.BirthHash = f.genesis
	if !p.Era.Immortal {
		p.BirthHash = f.fin
	}
	if !keystore.Verify(keystore.Sr25519, x.Address.ID, types.SigningPayload(call, extra, p.Implicit()), x.Signature.Sig) {
		return errors.New("bad signature")
	}
	f.mu.Lock()
	f.submitted, f.params = ext, p
	f.mu.Unlock()
	return nil
}

func (f *fakeNode) answer(r rpcReq) (any, any) {
	str := func(i int) string {
		var s string
		if i < len(r.Params) {
			_ = json.Unmarshal(r.Params[i], &s)
		}
		return s
	}
	header := func(n int) map[string]any {
		return map[string]any{"parentHash": types.Hash{}, "number": "0x" + strings.TrimLeft(hex.EncodeToString([]byte{byte(n)}), "0") + map[bool]string{true: "0", false: ""}[n == 0],
			"stateRoot": types.Hash{}, "extrinsicsRoot": types.Hash{}, "digest": map[string]any{"logs": []string{}}}
	}
	switch r.Method {
	case "chain_getBlockHash":
		return f.genesis, nil
	case "state_getRuntimeVersion":
		return map[string]any{"specName": "mars-relay", "specVersion": 7, "transactionVersion": 3}, nil
	case "system_accountNextIndex":
		if _, _, err := types.ParseSS58(str(0)); err != nil {
			return nil, map[string]any{"code": -32602, "message": "Invalid params"}
		}
		return 5, nil
	case "chain_getFinalizedHead":
		return f.fin, nil
	case "chain_getHeader":
		if len(r.Params) == 0 {
			return header(102), nil // best
		}
		return header(100), nil // finalized
	case "chain_getBlock":
		f.mu.Lock()
		defer f.mu.Unlock()
		return map[string]any{"block": map[string]any{"header": header(101),
			"extrinsics": []string{"0x280402000b00a0b3a0a38801", hexStr(f.submitted)}}, "justifications": nil}, nil
	case "state_getMetadata":
		if f.metadata == nil {
			return nil, map[string]any{"code": 4003, "message": "Client error: relay: metadata incomplete"}
		}
		return hexStr(f.metadata), nil
	case "state_getStorage":
		key := str(0)
		switch {
		case key == hexStr(systemEventsKey) && f.events != nil:
			return hexStr(f.events), nil
		case key == hexStr(systemEventsKey):
			return hexStr(sampleEvents(f.failed)), nil
		case strings.HasPrefix(key, "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9") && f.account != nil:
			return hexStr(f.account), nil
		}
		return nil, nil
	case "author_submitExtrinsic":
		b, _ := hex.DecodeString(strings.TrimPrefix(str(0), "0x"))
		if f.refuse != "" {
			return nil, map[string]any{"code": 1010, "message": "Invalid Transaction", "data": f.refuse}
		}
		if err := f.checkExtrinsic(b); err != nil {
			return nil, map[string]any{"code": 1010, "message": "Invalid Transaction", "data": err.Error()}
		}
		return types.Hash(types.Blake2b256(b)), nil
	case "author_unwatchExtrinsic":
		return true, nil
	}
	return nil, map[string]any{"code": -32601, "message": "Method not found"}
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var req rpcReq
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, e := f.answer(req)
		_, _ = w.Write(reply(req.ID, res, e))
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(32 << 20)
	ctx := r.Context()
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		var req rpcReq
		if json.Unmarshal(data, &req) != nil {
			return
		}
		if req.Method != "author_submitAndWatchExtrinsic" {
			res, e := f.answer(req)
			_ = c.Write(ctx, websocket.MessageText, reply(req.ID, res, e))
			continue
		}
		req.Method = "author_submitExtrinsic"
		if _, e := f.answer(req); e != nil {
			_ = c.Write(ctx, websocket.MessageText, reply(req.ID, nil, e))
			continue
		}
		_ = c.Write(ctx, websocket.MessageText, reply(req.ID, "watch-1", nil))
		for _, st := range []string{`"ready"`, `{"inBlock":"` + f.block.Hex() + `"}`, `{"finalized":"` + f.block.Hex() + `"}`} {
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"jsonrpc":"2.0","method":"author_extrinsicUpdate","params":{"subscription":"watch-1","result":`+st+`}}`))
		}
	}
}

func runIn(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	err := runMarsd(ctx, &out, args...)
	return out.String(), err
}

func TestTxTransfer(t *testing.T) {
	f := newFakeNode(t)
	ws, httpURL := f.start()
	out, err := runIn(t, "tx", "transfer", "--rpc", ws, "--from", "//Alice", "--to", "//Bob", "--amount", "12345", "--keep-alive", "--tip", "0.5MSCA")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"nonce:     5", "mortal, period 64 from block #100", "status:    ready",
		"status:    inBlock 0xbb", "block:     0xbb", "index:     1", "Balances.Transfer, System.ExtrinsicSuccess", "result:    success"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "finalized") {
		t.Errorf("--wait in-block went on to finalized:\n%s", out)
	}
	f.mu.Lock()
	p := f.params
	sub := f.submitted
	f.mu.Unlock()
	if p.Nonce != 5 || p.Tip != scale.FromUint64(500_000_000_000) || p.Era.Period != 64 || p.Era.Phase != 100%64 {
		t.Errorf("signed params %+v", p)
	}
	if !bytes.HasSuffix(sub, mustHex(t, "0603 00"+bobHex+"e5c0")) {
		t.Errorf("submitted %x does not end with the transfer call", sub)
	}

	// Immortal, wait finalized.
	out, err = runIn(t, "tx", "transfer", "--rpc", ws, "--from", "//Alice", "--to", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
		"--amount", "1.5MSCA", "--immortal", "--wait", "finalized")
	if err != nil || !strings.Contains(out, "status:    finalized 0xbb") || !strings.Contains(out, "era:       immortal") || !strings.Contains(out, "result:    success") {
		t.Fatalf("immortal/finalized: %v\n%s", err, out)
	}

	// A node that serves no metadata: the built-in event description.
	md := f.metadata
	f.metadata = nil
	out, err = runIn(t, "tx", "transfer", "--rpc", ws, "--from", "//Alice", "--to", "//Bob", "--amount", "12345")
	if err != nil || !strings.Contains(out, "Balances.Transfer, System.ExtrinsicSuccess") || !strings.Contains(out, "result:    success") {
		t.Fatalf("without metadata: %v\n%s", err, out)
	}
	f.metadata = md

	// HTTP: --wait none only.
	out, err = runIn(t, "tx", "transfer", "--rpc", httpURL, "--from", "//Alice", "--to", "//Bob", "--amount", "1")
	if err != nil || !strings.Contains(out, "submitted: 0x") {
		t.Fatalf("http: %v\n%s", err, out)
	}
	if _, err = runIn(t, "tx", "transfer", "--rpc", httpURL, "--from", "//Alice", "--to", "//Bob", "--amount", "1", "--wait", "in-block"); err == nil ||
		!strings.Contains(err.Error(), "WebSocket") {
		t.Fatalf("http with --wait in-block: %v", err)
	}

	// A failed dispatch exits non-zero and names the error.
	f.failed = true
	out, err = runIn(t, "tx", "transfer", "--rpc", ws, "--from", "//Alice", "--to", "//Bob", "--amount", "1")
	if !errors.Is(err, errExtrinsicFailed) || !strings.Contains(out, "result:    failed: Balances.") {
		t.Fatalf("failed transfer: %v\n%s", err, out)
	}
	f.failed = false

	// 1010 shows the runtime's reason.
	f.refuse = "Inability to pay some fees (e.g. account balance too low)"
	for _, u := range []string{ws, httpURL} {
		_, err = runIn(t, "tx", "transfer", "--rpc", u, "--from", "//Alice", "--to", "//Bob", "--amount", "1", "--wait", "none")
		if err == nil || !strings.Contains(err.Error(), "Inability to pay some fees") {
			t.Fatalf("refused (%s): %v", u, err)
		}
	}
	f.refuse = ""
}

func TestTxSudoSetCode(t *testing.T) {
	f := newFakeNode(t)
	ws, _ := f.start()
	blob := t.TempDir() + "/rt.wasm.zst"
	code := bytes.Repeat([]byte{0x52, 0xbc}, 5000)
	if err := writeFileAtomic(blob, code); err != nil {
		t.Fatal(err)
	}
	out, err := runIn(t, "tx", "sudo", "set-code", "--rpc", ws, "--from", "//Alice", blob)
	if err != nil || !strings.Contains(out, "Sudo.sudo(System.set_code(10000 bytes") {
		t.Fatalf("%v\n%s", err, out)
	}
	f.mu.Lock()
	if !bytes.HasSuffix(f.submitted, sudoSetCodeCall(code)) {
		t.Fatal("submitted extrinsic does not carry the sudo call")
	}
	f.mu.Unlock()
	if !strings.Contains(out, "result:    success") {
		t.Fatalf("output:\n%s", out)
	}

	// The sudo extrinsic succeeds but its inner call fails: exit non-zero.
	info := frame.DispatchInfo{Weight: types.Weight{RefTime: 1}}
	inner := types.NewModuleError(relay.IndexSystem, 1)
	f.events = encodeEvents([]frame.EventRecord{
		{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 0}, Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})},
		{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1}, Event: eventBytes(relay.IndexSudo, sudo.EventSudid{Index: sudo.EvSudid, Result: &inner})},
		{Phase: frame.Phase{Kind: frame.PhaseApplyExtrinsic, Index: 1}, Event: eventBytes(relay.IndexSystem, system.ExtrinsicSuccess{DispatchInfo: info})},
	})
	out, err = runIn(t, "tx", "sudo", "set-code", "--rpc", ws, "--from", "//Alice", blob)
	if !errors.Is(err, errExtrinsicFailed) || !strings.Contains(out, "sudo:      inner call failed: System.SpecVersionNeedsToIncrease") {
		t.Fatalf("inner failure: %v\n%s", err, out)
	}
}

func TestTxBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"tx", "transfer", "--to", "//Bob", "--amount", "1"},                                     // no --from
		{"tx", "transfer", "--from", "//Alice", "--to", "nobody", "--amount", "1"},               // bad --to
		{"tx", "transfer", "--from", "//Alice", "--to", "//Bob", "--amount", "-1"},               // bad amount
		{"tx", "transfer", "--from", "//Alice", "--to", "//Bob", "--amount", "1", "--wait", "x"}, // bad wait
		{"tx", "transfer", "--from", "//Alice", "--to", "//Bob", "--amount", "1", "--immortal", "--mortal-period", "8"},
		{"tx", "transfer", "--from", "//Alice", "--to", "//Bob", "--amount", "1", "--rpc", "ftp://x"},
		{"tx", "sudo", "set-code", "--from", "//Alice", "/nonexistent/blob.wasm"},
	} {
		if out, err := runIn(t, args...); err == nil {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
}

// TestMetadataPathAndBuiltinAgree parses the relay runtime's metadata
// (complete or not), decodes System events with it, and checks that the
// built-in event description matches it for every pallet the metadata
// describes, so the fallback cannot drift from the runtime unnoticed.
func TestMetadataPathAndBuiltinAgree(t *testing.T) {
	m, missing := relay.Default().Metadata()
	builtin := builtinRelayRegistry()
	for _, blob := range [][]byte{m.V14(), m.V15()} {
		reg, err := parseMetadata(blob)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := reg.decodeEvents(sampleEvents(true))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range recs {
			names = append(names, reg.eventName(r.event))
		}
		if got := strings.Join(names, ","); got != "System.ExtrinsicSuccess,System.ExtrinsicSuccess,System.ExtrinsicFailed,System.ExtrinsicSuccess" {
			t.Fatalf("events %s", got)
		}
		for idx, p := range reg.pallets {
			bp, ok := builtin.pallets[idx]
			if !ok && idx >= relay.IndexAuthorship {
				// The fallback covers the pallets a transfer's outcome
				// involves; consensus and staking events need metadata.
				continue
			}
			if !ok || bp.name != p.name {
				t.Errorf("pallet %d: metadata %q, built-in %q", idx, p.name, bp.name)
				continue
			}
			for _, kind := range []struct {
				name     string
				md, bltn *uint32
			}{{"event", p.event, bp.event}, {"error", p.error, bp.error}} {
				if kind.md == nil {
					continue
				}
				if kind.bltn == nil {
					t.Errorf("%s: built-in has no %s type", p.name, kind.name)
					continue
				}
				mv, bv := reg.types[*kind.md].variants, builtin.types[*kind.bltn].variants
				for i, v := range mv {
					b, ok := bv[i]
					if !ok || b.name != v.name || len(b.fields) != len(v.fields) {
						t.Errorf("%s %s %d: metadata %s/%d fields, built-in %+v", p.name, kind.name, i, v.name, len(v.fields), b)
					}
				}
				if len(mv) != len(bv) {
					t.Errorf("%s %s: metadata has %d variants, built-in %d", p.name, kind.name, len(mv), len(bv))
				}
			}
		}
	}
	if len(missing) > 0 {
		t.Logf("not yet in metadata (built-in description unchecked): %v", missing)
	}
}
