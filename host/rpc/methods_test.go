package rpc

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func hexOf(b []byte) string { return "0x" + hex.EncodeToString(b) }

func TestChainMethods(t *testing.T) {
	e := newEnv(t, Config{})
	g, h1, best := e.chain.hashAt(0), e.chain.hashAt(1), e.chain.hashAt(3)
	q := func(h [32]byte) string { return `"` + hexOf(h[:]) + `"` }

	for _, tc := range []struct {
		params []any
		want   string
	}{
		{nil, q(best)},
		{[]any{nil}, q(best)},
		{[]any{0}, q(g)},
		{[]any{"0x1"}, q(h1)},
		{[]any{99}, "null"},
		{[]any{[]any{0, "0x1", 99}}, "[" + q(g) + "," + q(h1) + ",null]"},
	} {
		if got := e.result(t, "chain_getBlockHash", tc.params...); got != tc.want {
			t.Errorf("chain_getBlockHash%v = %s, want %s", tc.params, got, tc.want)
		}
	}
	if got := e.result(t, "chain_getHead"); got != q(best) {
		t.Errorf("chain_getHead = %s", got)
	}
	if err := e.errOf(t, "chain_getBlockHash", uint64(1)<<32); err.Code != CodeChainOther {
		t.Errorf("block number over u32: %+v", err)
	}
	for _, bad := range []any{-1, 1.5, "12", "0xzz", true} {
		if err := e.errOf(t, "chain_getBlockHash", bad); err.Code != CodeInvalidParams {
			t.Errorf("chain_getBlockHash(%v): %+v", bad, err)
		}
	}

	hdr, _, _ := e.chain.Header(h1)
	wantHeader := `{"parentHash":` + q(g) + `,"number":"0x1","stateRoot":"0x01` + strings.Repeat("00", 31) +
		`","extrinsicsRoot":"0x00ee` + strings.Repeat("00", 30) + `","digest":{"logs":["0x066175726120` + "0100000000000000" + `"]}}`
	if got := e.result(t, "chain_getHeader", hexOf(h1[:])); got != wantHeader {
		t.Errorf("chain_getHeader\n got %s\nwant %s", got, wantHeader)
	}
	if hdr.Hash() != h1 {
		t.Fatal("fake chain hash mismatch")
	}
	if got := e.result(t, "chain_getHeader", hexOf(make([]byte, 32))); got != "null" {
		t.Errorf("unknown header = %s", got)
	}
	if got := e.result(t, "chain_getBlock", hexOf(h1[:])); got != `{"block":{"header":`+wantHeader+`,"extrinsics":["0x0c040102"]},"justifications":null}` {
		t.Errorf("chain_getBlock = %s", got)
	}
	if got := e.result(t, "chain_getFinalizedHead"); got != q(g) {
		t.Errorf("chain_getFinalizedHead = %s", got)
	}
	if got := e.result(t, "chain_getFinalisedHead"); got != q(g) {
		t.Errorf("chain_getFinalisedHead = %s", got)
	}
	for _, bad := range [][]any{{"0x1234"}, {"nothex"}, {7}, {hexOf(h1[:]), 1}} {
		if err := e.errOf(t, "chain_getHeader", bad...); err.Code != CodeInvalidParams {
			t.Errorf("chain_getHeader%v: %+v", bad, err)
		}
	}
}

func TestStateMethods(t *testing.T) {
	e := newEnv(t, Config{})
	best := e.chain.hashAt(3)
	h0 := e.chain.hashAt(0)
	unknown := hexOf(make([]byte, 32))

	check := func(method, want string, params ...any) {
		t.Helper()
		if got := e.result(t, method, params...); got != want {
			t.Errorf("%s%v = %s, want %s", method, params, got, want)
		}
	}
	check("state_getStorage", `"0xbbcc"`, "0x010203")
	check("state_getStorage", `"0xbbcc"`, "0x010203", hexOf(h0[:]))
	check("state_getStorageAt", `"0xaa"`, "0x0102", nil)
	check("state_getStorage", `"0x"`, "0x09")
	check("state_getStorage", "null", "0x0104")
	v := types.Blake2b256([]byte{0xbb, 0xcc})
	check("state_getStorageHash", `"`+hexOf(v[:])+`"`, "0x010203")
	check("state_getStorageHash", "null", "0x77")
	check("state_getStorageSize", "2", "0x010203")
	check("state_getStorageSize", "null", "0x77")
	check("state_getStorageSize", "4", "0x01") // a prefix: 0xaa + 0xbbcc + 0xdd (loopback allows unsafe)
	check("state_getStorageSizeAt", "null", "0x0104")
	check("state_getKeysPaged", `["0x0102","0x010203","0x0103"]`, "0x01", 10)
	check("state_getKeysPaged", `["0x0102","0x010203"]`, "0x01", 2)
	check("state_getKeysPaged", `["0x010203","0x0103"]`, "0x01", 10, "0x0102")
	check("state_getKeysPaged", `["0x0102"]`, nil, 1)
	check("state_getKeysPaged", `[]`, "0x01", 0)
	check("state_getKeysPagedAt", `["0x0103"]`, "0x01", 5, "0x010203", hexOf(best[:]))
	check("state_call", `"0xdeadbeef"`, "Echo", "0xdeadbeef")
	check("state_callAt", `"0x"`, "Echo", "0x", hexOf(best[:]))
	check("state_getMetadata", `"`+hexOf([]byte("meta\x0f\x00"))+`"`)
	check("state_queryStorageAt", `[{"block":"`+hexOf(best[:])+`","changes":[["0x0102","0xaa"],["0x77",null]]}]`, []string{"0x0102", "0x77"})
	check("state_getReadProof", `{"at":"`+hexOf(h0[:])+`","proof":["0x800102"]}`, []string{"0x0102"}, hexOf(h0[:]))

	core := types.APIID("Core")
	md := types.APIID("Metadata")
	wantVersion := `{"specName":"mars","implName":"marsd","authoringVersion":1,"specVersion":100,"implVersion":2,"apis":[["` +
		hexOf(core[:]) + `",5],["` + hexOf(md[:]) + `",2]],"transactionVersion":1,"systemVersion":1,"stateVersion":1}`
	if hexOf(core[:]) != "0xdf6acb689907609b" {
		t.Fatalf("Core API id %x", core)
	}
	check("state_getRuntimeVersion", wantVersion)
	check("chain_getRuntimeVersion", wantVersion, hexOf(best[:]))

	// Errors.
	if err := e.errOf(t, "state_getKeysPaged", "0x", 1001); err.Code != CodeStateInvalidCount ||
		err.Message != "count exceeds maximum value. value: 1001, max: 1000" {
		t.Errorf("count 1001: %+v", err)
	}
	if err := e.errOf(t, "state_call", "Nope", "0x"); err.Code != CodeStateClient || !strings.HasPrefix(err.Message, "Client error: Execution failed") {
		t.Errorf("state_call trap: %+v", err)
	}
	if err := e.errOf(t, "state_getMetadata", unknown); err.Code != CodeStateClient || !strings.Contains(err.Message, "unknown block") {
		t.Errorf("unknown block: %+v", err)
	}
	if err := e.errOf(t, "state_getStorage", "0x01", unknown); err.Code != CodeStateClient {
		t.Errorf("unknown block: %+v", err)
	}
	for _, bad := range [][]any{{"0x0"}, {"0xgg"}, {42}, {nil}, {}, {"0x01", "0x12"}, {"0x01", nil, 3}} {
		if err := e.errOf(t, "state_getStorage", bad...); err.Code != CodeInvalidParams {
			t.Errorf("state_getStorage%v: %+v", bad, err)
		}
	}
	for _, bad := range [][]any{{"0x01", -1}, {"0x01", "ten"}, {"0x01"}, {"0x01", 1, 5}} {
		if err := e.errOf(t, "state_getKeysPaged", bad...); err.Code != CodeInvalidParams {
			t.Errorf("state_getKeysPaged%v: %+v", bad, err)
		}
	}
	if err := e.errOf(t, "state_call", 5, "0x"); err.Code != CodeInvalidParams {
		t.Errorf("state_call(5): %+v", err)
	}
	if err := e.errOf(t, "state_queryStorageAt", "0x01"); err.Code != CodeInvalidParams {
		t.Errorf("state_queryStorageAt(string): %+v", err)
	}
}

func TestPaymentMethods(t *testing.T) {
	e := newEnv(t, Config{})
	ext := "0x0c040102"
	if got, want := e.result(t, "payment_queryInfo", ext), `{"weight":{"ref_time":123456,"proof_size":789},"class":"normal","partialFee":"18446744073709551621"}`; got != want {
		t.Errorf("payment_queryInfo = %s, want %s", got, want)
	}
	if got, want := e.result(t, "payment_queryFeeDetails", ext), `{"inclusionFee":{"baseFee":"0xa","lenFee":"0x0","adjustedWeightFee":"0x100000000000000ff"}}`; got != want {
		t.Errorf("payment_queryFeeDetails = %s, want %s", got, want)
	}
	if err := e.errOf(t, "payment_queryInfo", "0x0c0401"); err.Code != CodePaymentDecodeError || err.Message != "Unable to query dispatch info." {
		t.Errorf("short extrinsic: %+v", err)
	}
	if err := e.errOf(t, "payment_queryInfo", ext, hexOf(make([]byte, 32))); err.Code != CodePaymentRuntimeError {
		t.Errorf("unknown block: %+v", err)
	}
}

func TestAuthorMethods(t *testing.T) {
	e := newEnv(t, Config{})
	ext := []byte{0x0c, 0x04, 0x05, 0x06}
	h := types.Blake2b256(ext)
	if got := e.result(t, "author_submitExtrinsic", hexOf(ext)); got != `"`+hexOf(h[:])+`"` {
		t.Errorf("author_submitExtrinsic = %s", got)
	}
	if got := e.result(t, "author_pendingExtrinsics"); got != `["0x0c040506"]` {
		t.Errorf("author_pendingExtrinsics = %s", got)
	}
	for _, tc := range []struct {
		ext  []byte
		code int
		msg  string
		data string
	}{
		{ext, CodePoolAlreadyImported, "Transaction Already Imported", hexOf(h[:])},
		{extBadSig, CodePoolInvalidTx, "Invalid Transaction", "Transaction has a bad signature"},
		{extCustom, CodePoolInvalidTx, "Invalid Transaction", "Custom error: 42"},
		{extUnknown, CodePoolUnknownValidity, "Unknown Transaction Validity", "CannotLookup"},
		{extBanned, CodePoolTemporarilyBanned, "Transaction is temporarily banned", ""},
	} {
		err := e.errOf(t, "author_submitExtrinsic", hexOf(tc.ext))
		data, _ := err.Data.(string)
		if err.Code != tc.code || err.Message != tc.msg || data != tc.data {
			t.Errorf("submit %x: %+v, want %d %q %q", tc.ext, err, tc.code, tc.msg, tc.data)
		}
	}
	if err := e.errOf(t, "author_submitExtrinsic", "0x123"); err.Code != CodeInvalidParams {
		t.Errorf("odd hex: %+v", err)
	}
}

func TestSystemMethods(t *testing.T) {
	e := newEnv(t, Config{})
	for _, tc := range []struct{ method, want string }{
		{"system_name", `"marsd"`},
		{"system_version", `"0.1.0-test"`},
		{"system_chain", `"Mars Development"`},
		{"system_chainType", `"Development"`},
		{"system_properties", `{"ss58Format":42,"tokenDecimals":12,"tokenSymbol":"MSCA"}`},
		{"system_health", `{"peers":3,"isSyncing":false,"shouldHavePeers":true}`},
	} {
		if got := e.result(t, tc.method); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.method, got, tc.want)
		}
	}
	var alice types.AccountID
	alice[0] = 7
	e.pool.ready[string(append(alice[:], 7, 0, 0, 0))] = true
	e.pool.ready[string(append(alice[:], 8, 0, 0, 0))] = true
	if got := e.result(t, "system_accountNextIndex", alice.SS58(42)); got != "9" {
		t.Errorf("system_accountNextIndex = %s, want 9 (on-chain 7 + 2 pooled)", got)
	}
	if got := e.result(t, "account_nextIndex", alice.Hex()); got != "9" {
		t.Errorf("account_nextIndex(hex) = %s", got)
	}
	if err := e.errOf(t, "system_accountNextIndex", "5NotAnAddress"); err.Code != CodeInvalidParams {
		t.Errorf("bad address: %+v", err)
	}
	if err := e.errOf(t, "system_name", 1); err.Code != CodeInvalidParams {
		t.Errorf("extra param: %+v", err)
	}

	// rpc_methods lists every name, aliases included, sorted.
	var m struct {
		Version int      `json:"version"`
		Methods []string `json:"methods"`
	}
	if err := json.Unmarshal([]byte(e.result(t, "rpc_methods")), &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"account_nextIndex", "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "chain_getHead",
		"chain_subscribeNewHead", "chain_unsubscribeNewHeads", "payment_queryInfo", "rpc_methods", "state_subscribeStorage",
		"subscribe_newHead", "system_accountNextIndex", "system_health"}
	have := map[string]bool{}
	for i, n := range m.Methods {
		have[n] = true
		if i > 0 && m.Methods[i-1] >= n {
			t.Errorf("methods not sorted at %s", n)
		}
	}
	for _, n := range want {
		if !have[n] {
			t.Errorf("rpc_methods lacks %s", n)
		}
	}
	if m.Version != 1 {
		t.Errorf("version %d", m.Version)
	}
}

func TestShapes(t *testing.T) {
	for _, tc := range []struct {
		v    scale.U128
		want string
	}{
		{scale.U128{}, "0x0"},
		{scale.FromUint64(255), "0xff"},
		{scale.U128{Hi: 1}, "0x10000000000000000"},
		{scale.U128{Hi: 0xab, Lo: 0xc}, "0xab000000000000000c"},
	} {
		if got := hexU128(tc.v); got != tc.want {
			t.Errorf("hexU128(%v) = %s, want %s", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		st   TxStatus
		want string
	}{
		{TxStatus{Kind: TxFuture}, `"future"`},
		{TxStatus{Kind: TxReady}, `"ready"`},
		{TxStatus{Kind: TxBroadcast, Peers: []string{"12D3"}}, `{"broadcast":["12D3"]}`},
		{TxStatus{Kind: TxBroadcast}, `{"broadcast":[]}`},
		{TxStatus{Kind: TxInBlock, Hash: types.Hash{1}}, `{"inBlock":"0x01` + strings.Repeat("00", 31) + `"}`},
		{TxStatus{Kind: TxRetracted}, `{"retracted":"0x` + strings.Repeat("00", 32) + `"}`},
		{TxStatus{Kind: TxFinalityTimeout}, `{"finalityTimeout":"0x` + strings.Repeat("00", 32) + `"}`},
		{TxStatus{Kind: TxFinalized}, `{"finalized":"0x` + strings.Repeat("00", 32) + `"}`},
		{TxStatus{Kind: TxUsurped}, `{"usurped":"0x` + strings.Repeat("00", 32) + `"}`},
		{TxStatus{Kind: TxDropped}, `"dropped"`},
		{TxStatus{Kind: TxInvalid}, `"invalid"`},
	} {
		b, err := json.Marshal(txStatusJSON(tc.st))
		if err != nil || string(b) != tc.want {
			t.Errorf("status %d = %s (%v), want %s", tc.st.Kind, b, err, tc.want)
		}
	}
	// PROTOCOL.md appendix header vector: digest items encode as SCALE.
	h := types.Header{Number: 1, StateRoot: types.Hash{0x11}, Digest: []types.DigestItem{
		{Kind: types.DigestSeal, Engine: [4]byte{'a', 'u', 'r', 'a'}, Data: []byte{0xab}}}}
	b, _ := json.Marshal(toHeaderJSON(&h))
	if !strings.Contains(string(b), `"logs":["0x056175726104ab"]`) || !strings.Contains(string(b), `"number":"0x1"`) {
		t.Errorf("header JSON %s", b)
	}
	var bs Bytes
	if err := json.Unmarshal([]byte(`"0xABcd"`), &bs); err != nil || hexOf(bs) != "0xabcd" {
		t.Errorf("Bytes unmarshal: %x %v", bs, err)
	}
	if err := json.Unmarshal([]byte(`"0xabc"`), &bs); err == nil {
		t.Error("odd hex accepted")
	}
}

func TestAuthorUnsafeMethods(t *testing.T) {
	e := newEnv(t, Config{Methods: PolicyUnsafe})
	pub := "0x" + strings.Repeat("ab", 32)
	if got := e.result(t, "author_insertKey", "aura", "//Alice", pub); got != "null" {
		t.Errorf("author_insertKey = %s", got)
	}
	if got := e.result(t, "author_hasKey", pub, "aura"); got != "true" {
		t.Errorf("author_hasKey = %s", got)
	}
	if got := e.result(t, "author_hasKey", pub, "gran"); got != "false" {
		t.Errorf("author_hasKey(gran) = %s", got)
	}
	if err := e.errOf(t, "author_insertKey", "auraa", "//Alice", pub); err.Code != CodeAuthorOther {
		t.Errorf("bad key type: %+v", err)
	}
	if err := e.errOf(t, "author_insertKey", "aura", "", pub); err.Code != CodeAuthorOther || err.Message != "secret string is empty" {
		t.Errorf("keystore error: %+v", err)
	}
	if got := e.result(t, "author_rotateKeys"); got != `"0x010203"` {
		t.Errorf("author_rotateKeys = %s", got)
	}
	if got := e.result(t, "author_hasSessionKeys", "0x010203"); got != "true" {
		t.Errorf("author_hasSessionKeys = %s", got)
	}
	e.result(t, "author_submitExtrinsic", "0x0c040a0b")
	e.result(t, "author_submitExtrinsic", "0x0c040a0c")
	h := types.Blake2b256([]byte{0x0c, 0x04, 0x0a, 0x0b})
	if got := e.result(t, "author_removeExtrinsic", []any{map[string]string{"hash": hexOf(h[:])}, map[string]string{"extrinsic": "0x0c040a0c"}, map[string]string{"extrinsic": "0x00"}}); got != `["`+hexOf(h[:])+`","0x`+hex.EncodeToString(func() []byte { x := types.Blake2b256([]byte{0x0c, 0x04, 0x0a, 0x0c}); return x[:] }())+`"]` {
		t.Errorf("author_removeExtrinsic = %s", got)
	}
	if got := e.result(t, "author_pendingExtrinsics"); got != "[]" {
		t.Errorf("pending after remove = %s", got)
	}
	if err := e.errOf(t, "author_removeExtrinsic", []any{map[string]string{"foo": "0x00"}}); err.Code != CodeInvalidParams {
		t.Errorf("bad remove item: %+v", err)
	}

	// The same calls from a server that denies unsafe methods.
	safe := newEnv(t, Config{Methods: PolicySafe})
	for _, m := range []string{"author_insertKey", "author_hasKey", "author_rotateKeys", "author_hasSessionKeys", "author_removeExtrinsic"} {
		if err := safe.errOf(t, m); err.Code != CodeMethodNotFound || err.Message != "RPC call is unsafe to be called externally" {
			t.Errorf("%s on a safe server: %+v", m, err)
		}
	}
	if got := safe.result(t, "author_pendingExtrinsics"); got != "[]" {
		t.Errorf("safe method on a safe server: %s", got)
	}
	if got := safe.result(t, "state_getStorageSize", "0x01"); got != "null" {
		t.Errorf("prefix size on a safe server: %s", got)
	}
	w := safe.dial(t)
	if r := w.call("state_subscribeStorage"); r.Error == nil || r.Error.Message != "RPC call is unsafe to be called externally" {
		t.Errorf("all-keys storage subscription on a safe server: %+v", r)
	}
}

func TestNetworkMethods(t *testing.T) {
	chain := newFakeChain(2)
	srv := NewServer(Config{})
	if err := RegisterAPI(srv, Backend{Chain: chain, System: &fakeNetSystem{}}); err != nil {
		t.Fatal(err)
	}
	e := serveEnv(t, srv, chain, nil, nil)
	for _, tc := range []struct {
		method string
		params []any
		want   string
	}{
		{"system_localPeerId", nil, `"12D3KooWTest"`},
		{"system_localListenAddresses", nil, `[]`},
		{"system_nodeRoles", nil, `["Authority"]`},
		{"system_syncState", nil, `{"startingBlock":0,"currentBlock":3,"highestBlock":5}`},
		{"system_peers", nil, `[{"peerId":"12D3KooWPeer","roles":"FULL","bestHash":"0x` + strings.Repeat("00", 32) + `","bestNumber":3}]`},
		{"system_addReservedPeer", []any{"/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWX"}, `null`},
		{"system_reservedPeers", nil, `["12D3KooWX"]`},
		{"system_removeReservedPeer", []any{"12D3KooWX"}, `null`},
		{"system_reservedPeers", nil, `[]`},
	} {
		if got := e.result(t, tc.method, tc.params...); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.method, got, tc.want)
		}
	}
	if err := e.errOf(t, "system_addReservedPeer", "garbage"); err.Code != CodeSystemMalformedPeer {
		t.Errorf("malformed peer: %+v", err)
	}
	// Without State, no state_* and no system_accountNextIndex; chain_* are there.
	if err := e.errOf(t, "state_getStorage", "0x01"); err.Code != CodeMethodNotFound {
		t.Errorf("state without State: %+v", err)
	}
	if err := e.errOf(t, "system_accountNextIndex", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"); err.Code != CodeMethodNotFound {
		t.Errorf("nonce without State: %+v", err)
	}
	e.result(t, "chain_getHeader")
}
