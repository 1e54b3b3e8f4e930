package rpc

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/types"
)

// newArchiveEnv is newEnv with the archive_v1 group registered.
func newArchiveEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t, Config{})
	if err := newArchiveAPI(e.chain, e.state).register(e.srv); err != nil {
		t.Fatal(err)
	}
	return e
}

// The fake's state as trie nodes, encoded by hand (layout V1; no value is
// long enough to be hashed):
//
//	root      branch [0]        children 1, 9
//	[0,1,0]   branch            children 2 (key 0102), 3 (key 0103)
//	0102      branch+value aa   child 0
//	010203    leaf [3] bbcc
//	0103      leaf dd
//	09        leaf, empty value
//
// Every node below the root is shorter than 32 bytes, so its Merkle value
// is its encoding.
const (
	mv010203 = "410308bbcc"
	mv0102   = "c0010004aa14" + mv010203
	mv0103   = "4004dd"
	mv01     = "81000c00" + "2c" + mv0102 + "0c" + mv0103
)

func fakeRoot(t *testing.T) string {
	t.Helper()
	root, err := trie.RootOfPairs([]trie.Pair{
		{Key: []byte{1, 2}, Value: []byte{0xaa}}, {Key: []byte{1, 2, 3}, Value: []byte{0xbb, 0xcc}},
		{Key: []byte{1, 3}, Value: []byte{0xdd}}, {Key: []byte{9}, Value: []byte{}},
	}, trie.V1)
	if err != nil {
		t.Fatal(err)
	}
	return "0x" + hex.EncodeToString(root[:])
}

func TestArchiveBlocks(t *testing.T) {
	e := newArchiveEnv(t)
	h := func(n int) string { return hashHex(e.chain.hashAt(n)) }
	unknown := "0x" + strings.Repeat("ab", 32)

	if got := e.result(t, "archive_v1_genesisHash"); got != `"`+h(0)+`"` {
		t.Fatal(got)
	}
	if got := e.result(t, "archive_v1_finalizedHeight"); got != "0" {
		t.Fatal(got)
	}
	e.chain.finalize(2)
	if got := e.result(t, "archive_v1_finalizedHeight"); got != "2" {
		t.Fatal(got)
	}
	for n := range 4 { // at and above the finalized height (best chain)
		if got := e.result(t, "archive_v1_hashByHeight", n); got != `["`+h(n)+`"]` {
			t.Fatalf("height %d: %s", n, got)
		}
	}
	for _, n := range []uint64{4, 1 << 32, 1<<64 - 1} {
		if got := e.result(t, "archive_v1_hashByHeight", n); got != `[]` {
			t.Fatalf("height %d: %s", n, got)
		}
	}

	hdr, _, _ := e.chain.Header(e.chain.hashAt(3))
	if got := e.result(t, "archive_v1_header", h(3)); got != `"0x`+hex.EncodeToString(hdr.Bytes())+`"` {
		t.Fatal(got)
	}
	if got := e.result(t, "archive_v1_body", h(3)); got != `["0x0c040102"]` {
		t.Fatal(got)
	}
	if got := e.result(t, "archive_v1_call", h(3), "Echo", "0x0102"); got != `{"success":true,"value":"0x0102"}` {
		t.Fatal(got)
	}
	if got := e.result(t, "archive_v1_call", h(3), "Echo", ""); got != `{"success":true,"value":"0x"}` {
		t.Fatal(got)
	}
	want := `{"success":false,"error":` + mustJSON(t, errFakeTrap.Error()) + `}`
	if got := e.result(t, "archive_v1_call", h(3), "Nope", "0x"); got != want {
		t.Fatalf("%s, want %s", got, want)
	}
	// Unknown blocks are null.
	for _, m := range []string{"archive_v1_header", "archive_v1_body"} {
		if got := e.result(t, m, unknown); got != "null" {
			t.Fatalf("%s: %s", m, got)
		}
	}
	if got := e.result(t, "archive_v1_call", unknown, "Echo", "0x"); got != "null" {
		t.Fatal(got)
	}
	// A known block whose state is pruned: the call fails, the block stays.
	e.state.prune(e.chain.hashAt(1))
	if got := e.result(t, "archive_v1_call", h(1), "Echo", "0x"); !strings.HasPrefix(got, `{"success":false,"error":"rpc: unknown block`) {
		t.Fatal(got)
	}
	if got := e.result(t, "archive_v1_header", h(1)); got == "null" {
		t.Fatal("header of a pruned block")
	}

	// Bad params: -32602.
	for _, c := range []struct {
		method string
		params []any
	}{
		{"archive_v1_genesisHash", []any{1}},
		{"archive_v1_finalizedHeight", []any{"x"}},
		{"archive_v1_hashByHeight", []any{}},
		{"archive_v1_hashByHeight", []any{-1}},
		{"archive_v1_hashByHeight", []any{1.5}},
		{"archive_v1_hashByHeight", []any{"1"}},
		{"archive_v1_hashByHeight", []any{1, 2}},
		{"archive_v1_header", []any{}},
		{"archive_v1_header", []any{"0x1234"}},
		{"archive_v1_header", []any{42}},
		{"archive_v1_body", []any{"zz"}},
		{"archive_v1_body", []any{h(1), 1}},
		{"archive_v1_call", []any{h(1), "Echo"}},
		{"archive_v1_call", []any{h(1), "Echo", "0x1"}},
		{"archive_v1_call", []any{h(1), 7, "0x"}},
		{"archive_v1_call", []any{"0x", "Echo", "0x"}},
	} {
		if err := e.errOf(t, c.method, c.params...); err.Code != CodeInvalidParams {
			t.Errorf("%s %v: %+v", c.method, c.params, err)
		}
	}

	var m struct{ Methods []string }
	json.Unmarshal([]byte(e.result(t, "rpc_methods")), &m)
	need := map[string]bool{}
	for _, n := range []string{"body", "call", "finalizedHeight", "genesisHash", "hashByHeight", "header",
		"storage", "stopStorage", "storageDiff", "stopStorageDiff"} {
		need["archive_v1_"+n] = true
	}
	for _, n := range m.Methods {
		delete(need, n)
	}
	if len(need) > 0 {
		t.Fatalf("rpc_methods lacks %v", need)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const storageEv = "archive_v1_storageEvent"

// storageEvents reads a storage subscription's notifications up to and
// including its final event, as compact JSON.
func storageEvents(t *testing.T, w *wsClient, method, sub string) []string {
	t.Helper()
	var out []string
	for {
		r := w.next()
		if r.Method != method || r.Params.Subscription != sub {
			t.Fatalf("notification %s %s, want %s %s", r.Method, r.Params.Subscription, method, sub)
		}
		s := compact(t, r.Params.Result)
		out = append(out, s)
		var m map[string]any
		json.Unmarshal(r.Params.Result, &m)
		switch m["event"] {
		case "storageDone", "storageError", "storageDiffDone", "storageDiffError":
			return out
		}
	}
}

func TestArchiveStorage(t *testing.T) {
	e := newArchiveEnv(t)
	w := e.dial(t)
	h3 := hashHex(e.chain.hashAt(3))
	sum := types.Blake2b256([]byte{0xdd})
	empty := types.Blake2b256(nil)

	sub := w.subscribe("archive_v1_storage", h3, []map[string]string{
		{"key": "0x0102", "type": "value"},
		{"key": "0x0103", "type": "hash"},
		{"key": "0x7777", "type": "value"}, // absent: no event
		{"key": "0x", "type": "closestDescendantMerkleValue"},
		{"key": "0x01", "type": "closestDescendantMerkleValue"},
		{"key": "0x0102", "type": "closestDescendantMerkleValue"},
		{"key": "0x010203", "type": "closestDescendantMerkleValue"},
		{"key": "0x0104", "type": "closestDescendantMerkleValue"}, // absent
		{"key": "0x01", "type": "descendantsValues"},
		{"key": "0x09", "type": "descendantsHashes"},
		{"key": "0x0102", "type": "descendantsValues", "paginationStartKey": "0x0102"},
		{"key": "0x", "type": "descendantsValues", "paginationStartKey": "0x0103"},
	}, nil)
	want := []string{
		`{"event":"storage","key":"0x0102","value":"0xaa"}`,
		`{"event":"storage","key":"0x0103","hash":"0x` + hex.EncodeToString(sum[:]) + `"}`,
		`{"event":"storage","key":"0x","closestDescendantMerkleValue":"` + fakeRoot(t) + `"}`,
		`{"event":"storage","key":"0x01","closestDescendantMerkleValue":"0x` + mv01 + `"}`,
		`{"event":"storage","key":"0x0102","closestDescendantMerkleValue":"0x` + mv0102 + `"}`,
		`{"event":"storage","key":"0x010203","closestDescendantMerkleValue":"0x` + mv010203 + `"}`,
		`{"event":"storage","key":"0x0102","value":"0xaa"}`,
		`{"event":"storage","key":"0x010203","value":"0xbbcc"}`,
		`{"event":"storage","key":"0x0103","value":"0xdd"}`,
		`{"event":"storage","key":"0x09","hash":"0x` + hex.EncodeToString(empty[:]) + `"}`,
		`{"event":"storage","key":"0x010203","value":"0xbbcc"}`, // after the start key, exclusive
		`{"event":"storage","key":"0x09","value":"0x"}`,
		`{"event":"storageDone"}`,
	}
	if got := storageEvents(t, w, storageEv, sub); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The subscription is over: stopping it finds nothing.
	w.settled()
	if r := wsResult(t, w, "archive_v1_stopStorage", sub); string(r) != "false" {
		t.Fatal(string(r))
	}

	// No items: just done.
	sub = w.subscribe("archive_v1_storage", h3, []any{}, nil)
	if got := storageEvents(t, w, storageEv, sub); len(got) != 1 || got[0] != `{"event":"storageDone"}` {
		t.Fatal(got)
	}

	// Unknown block, pruned state, child trie: a storageError, nothing after.
	e.state.prune(e.chain.hashAt(1))
	for name, c := range map[string]struct {
		hash  string
		child any
	}{
		"unknown": {"0x" + strings.Repeat("cd", 32), nil},
		"pruned":  {hashHex(e.chain.hashAt(1)), nil},
		"child":   {h3, "0x3a6368696c64"},
	} {
		sub = w.subscribe("archive_v1_storage", c.hash, []map[string]string{{"key": "0x01", "type": "value"}}, c.child)
		got := storageEvents(t, w, storageEv, sub)
		if len(got) != 1 || !strings.HasPrefix(got[0], `{"error":`) || !strings.HasSuffix(got[0], `"event":"storageError"}`) {
			t.Fatalf("%s: %v", name, got)
		}
	}
	w.settled()

	// Malformed params are refused with -32602 and no subscription.
	for _, params := range [][]any{
		{},
		{h3},
		{"0x12", []any{}, nil},
		{h3, "items", nil},
		{h3, []map[string]any{{"key": "0x01"}}, nil},
		{h3, []map[string]any{{"type": "value"}}, nil},
		{h3, []map[string]any{{"key": "0x1", "type": "value"}}, nil},
		{h3, []map[string]any{{"key": 1, "type": "value"}}, nil},
		{h3, []map[string]any{{"key": "0x01", "type": "bogus"}}, nil},
		{h3, []map[string]any{{"key": "0x01", "type": "value", "paginationStartKey": "0x01"}}, nil},
		{h3, []map[string]any{{"key": "0x01", "type": "descendantsValues", "paginationStartKey": "0xz"}}, nil},
		{h3, []any{}, 5},
		{h3, []any{}, nil, 1},
	} {
		wsErr(t, w, CodeInvalidParams, "archive_v1_storage", params...)
	}
	w.settled()
}

// A descendants query longer than a subscription's queue is delivered in
// full: the worker waits for the client instead of dropping it.
func TestArchiveStorageBackpressure(t *testing.T) {
	e := newArchiveEnv(t)
	const n = 3 * sinkBuffer
	for i := range n {
		e.state.set(fmt.Sprintf("\x42%04d", i), []byte{byte(i)})
	}
	w := e.dial(t)
	h := hashHex(e.chain.hashAt(2))
	var subs []string
	for range archiveMaxWorkers + 1 { // one more than may run at once
		subs = append(subs, w.subscribe("archive_v1_storage", h, []map[string]string{{"key": "0x42", "type": "descendantsHashes"}}, nil))
	}
	count := map[string]int{}
	done := 0
	for done < len(subs) {
		r := w.next()
		var m map[string]any
		json.Unmarshal(r.Params.Result, &m)
		switch m["event"] {
		case "storage":
			count[r.Params.Subscription]++
		case "storageDone":
			done++
		default:
			t.Fatalf("event %s", r.Params.Result)
		}
	}
	for _, s := range subs {
		if count[s] != n {
			t.Fatalf("subscription %s: %d items, want %d", s, count[s], n)
		}
	}
}

// stopStorage ends a running query: no event follows.
func TestArchiveStopStorage(t *testing.T) {
	e := newArchiveEnv(t)
	// More, and larger, answers than the queue, the connection and the
	// socket buffers together hold: the worker is still running at the stop.
	big := make([]byte, 8<<10)
	for i := range 4 * sinkBuffer {
		e.state.set(fmt.Sprintf("\x43%05d", i), big)
	}
	w := e.dial(t)
	sub := w.subscribe("archive_v1_storage", hashHex(e.chain.hashAt(1)), []map[string]string{{"key": "0x43", "type": "descendantsValues"}}, nil)
	if r := wsResult(t, w, "archive_v1_stopStorage", sub); string(r) != "true" {
		t.Fatal(string(r))
	}
	// What was queued before the stop may still arrive; then nothing.
	for {
		r := w.call("system_name")
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		last := len(w.queued)
		for _, q := range w.queued {
			if strings.Contains(string(q.Params.Result), "storageDone") {
				t.Fatal("storageDone after stopStorage")
			}
		}
		w.queued = nil
		if last == 0 {
			break
		}
	}
}

func TestArchiveStorageDiff(t *testing.T) {
	e := newArchiveEnv(t)
	w := e.dial(t)
	st := e.state
	h := func(n int) types.Hash { return e.chain.hashAt(n) }
	st.freeze(h(1))
	st.freeze(h(2))
	st.set("\x01\x02", []byte{0xa1})           // modified
	st.set("\x01\x03", nil)                    // deleted
	st.set("\x01\x04", []byte{0x44})           // added
	st.set("\x09", []byte{})                   // same
	st.set("\x0a", []byte{0x0a, 0x0a})         // added, outside 0x01
	st.set("\x01\x02\x03", []byte{0xbb, 0xcc}) // same
	st.freeze(h(3))
	const ev = "archive_v1_storageDiffEvent"
	hashOf := func(b ...byte) string { s := types.Blake2b256(b); return "0x" + hex.EncodeToString(s[:]) }

	// Against the parent, one prefix, values.
	sub := w.subscribe("archive_v1_storageDiff", hashHex(h(3)), []map[string]string{{"key": "0x01", "returnType": "value"}}, nil)
	want := []string{
		`{"event":"storageDiff","key":"0x0102","value":"0xa1","type":"modified"}`,
		`{"event":"storageDiff","key":"0x0103","value":"0xdd","type":"deleted"}`,
		`{"event":"storageDiff","key":"0x0104","value":"0x44","type":"added"}`,
		`{"event":"storageDiffDone"}`,
	}
	if got := storageEvents(t, w, ev, sub); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Against an older ancestor, hashes, overlapping items merged.
	sub = w.subscribe("archive_v1_storageDiff", hashHex(h(3)), []map[string]string{
		{"key": "0x0a", "returnType": "hash"}, {"returnType": "hash"}, {"key": "0x01", "returnType": "hash"}}, hashHex(h(1)))
	want = []string{
		`{"event":"storageDiff","key":"0x0102","hash":"` + hashOf(0xa1) + `","type":"modified"}`,
		`{"event":"storageDiff","key":"0x0103","hash":"` + hashOf(0xdd) + `","type":"deleted"}`,
		`{"event":"storageDiff","key":"0x0104","hash":"` + hashOf(0x44) + `","type":"added"}`,
		`{"event":"storageDiff","key":"0x0a","hash":"` + hashOf(0x0a, 0x0a) + `","type":"added"}`,
		`{"event":"storageDiffDone"}`,
	}
	if got := storageEvents(t, w, ev, sub); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// No items: every key, neither value nor hash. A block against itself: nothing.
	sub = w.subscribe("archive_v1_storageDiff", hashHex(h(3)), nil, nil)
	if got := storageEvents(t, w, ev, sub); len(got) != 5 || got[3] != `{"event":"storageDiff","key":"0x0a","type":"added"}` {
		t.Fatal(got)
	}
	sub = w.subscribe("archive_v1_storageDiff", hashHex(h(2)), []map[string]string{{"returnType": "value"}}, hashHex(h(2)))
	if got := storageEvents(t, w, ev, sub); len(got) != 1 || got[0] != `{"event":"storageDiffDone"}` {
		t.Fatal(got)
	}

	// Failures are storageDiffError events.
	fork := e.chain.forkPush(h(1), 7)
	st.prune(h(0))
	for name, params := range map[string][]any{
		"not an ancestor": {hashHex(h(3)), nil, hashHex(fork)},
		"descendant":      {hashHex(h(1)), nil, hashHex(h(3))},
		"genesis":         {hashHex(h(0)), nil},
		"unknown":         {"0x" + strings.Repeat("11", 32), nil},
		"unknown prev":    {hashHex(h(3)), nil, "0x" + strings.Repeat("11", 32)},
		"pruned":          {hashHex(h(1)), nil},
		"child":           {hashHex(h(3)), []map[string]string{{"returnType": "value", "childTrieKey": "0x01"}}},
	} {
		sub = w.subscribe("archive_v1_storageDiff", params...)
		got := storageEvents(t, w, ev, sub)
		if len(got) != 1 || !strings.Contains(got[0], `"event":"storageDiffError"`) {
			t.Fatalf("%s: %v", name, got)
		}
	}

	for _, params := range [][]any{
		{},
		{"0x00", nil},
		{hashHex(h(3)), "x"},
		{hashHex(h(3)), []map[string]string{{"key": "0x01"}}},
		{hashHex(h(3)), []map[string]string{{"key": "0x01", "returnType": "closestDescendantMerkleValue"}}},
		{hashHex(h(3)), []map[string]string{{"key": "0x0", "returnType": "value"}}},
		{hashHex(h(3)), nil, "0x12"},
		{hashHex(h(3)), nil, nil, 1},
	} {
		wsErr(t, w, CodeInvalidParams, "archive_v1_storageDiff", params...)
	}
	w.settled()
}

// chainHead_v1_storage answers closestDescendantMerkleValue items too.
func TestChainHeadClosestDescendantMerkleValue(t *testing.T) {
	e, _ := newV1Env(t)
	w := e.dial(t)
	sub := w.subscribe("chainHead_v1_follow", false)
	const ev = "chainHead_v1_followEvent"
	for range 5 {
		event(t, w, ev)
	}
	h3 := hashHex(e.chain.hashAt(3))
	startedOp(t, wsResult(t, w, "chainHead_v1_storage", sub, h3, []map[string]string{
		{"key": "0x01", "type": "closestDescendantMerkleValue"},
		{"key": "0x05", "type": "closestDescendantMerkleValue"},
		{"key": "0x", "type": "closestDescendantMerkleValue"}}, nil))
	m := event(t, w, ev)
	wantEvent(t, m, "operationStorageItems")
	items, _ := json.Marshal(m["items"])
	want := `[{"closestDescendantMerkleValue":"0x` + mv01 + `","key":"0x01"},{"closestDescendantMerkleValue":"` + fakeRoot(t) + `","key":"0x"}]`
	if string(items) != want {
		t.Fatalf("items %s, want %s", items, want)
	}
	wantEvent(t, event(t, w, ev), "operationStorageDone")
}

// FuzzArchiveStorageParams feeds arbitrary params to the archive_v1_storage
// and archive_v1_storageDiff readers: never a panic, and every refusal is
// -32602.
func FuzzArchiveStorageParams(f *testing.F) {
	h := `"0x` + strings.Repeat("00", 32) + `"`
	for _, s := range []string{
		`[` + h + `,[{"key":"0x01","type":"value"}],null]`,
		`[` + h + `,[{"key":"0x01","type":"descendantsHashes","paginationStartKey":"0x0102"}]]`,
		`[` + h + `,[{"key":"0x","type":"closestDescendantMerkleValue"}],"0x3a"]`,
		`[` + h + `,[{"key":"0x01","returnType":"hash","childTrieKey":"0x01"}],` + h + `]`,
		`[` + h + `,null,null]`, `[` + h + `,[{}]]`, `[` + h + `,{"key":1}]`, `[1,2,3]`, `[]`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, perr := parseParams(data)
		if perr != nil {
			return
		}
		check := func(err error) {
			var re *Error
			if err != nil && (!errors.As(err, &re) || re.Code != CodeInvalidParams) {
				t.Fatalf("%q: error %v is not -32602", data, err)
			}
		}
		_, err := hashParam(p, 0)
		check(err)
		items, err := parseArchiveItems(p)
		check(err)
		for _, it := range items {
			if it.Key == nil {
				t.Fatalf("%q: item without key accepted", data)
			}
		}
		_, err = childTrieParam(p, 2)
		check(err)
		ditems, err := parseDiffItems(p)
		check(err)
		dedupDiffItems(ditems)
		check(p.Max(3))
	})
}
