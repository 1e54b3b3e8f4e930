package relay

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/staking"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/pallets/transactionpayment"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func call(t *testing.T, h *frametest.Host, entry string, in []byte) []byte {
	t.Helper()
	out, err := Dispatch(h, entry, in)
	if err != nil {
		t.Fatalf("%s: %v", entry, err)
	}
	return out
}

func TestVersion(t *testing.T) {
	out := call(t, frametest.NewHost(), "Core_version", nil)
	v, err := types.DecodeRuntimeVersion(out)
	if err != nil {
		t.Fatal(err)
	}
	if v.SpecName != "mars-relay" || v.ImplName != "marsd" || v.SpecVersion != 1 || v.AuthoringVersion != 1 ||
		v.TransactionVersion != 1 || v.SystemVersion != 1 || len(v.APIs) != 12 {
		t.Fatalf("%+v", v)
	}
	core, _ := hex.DecodeString("df6acb689907609b")
	if v.APIs[0].ID != [8]byte(core) || v.APIs[0].Version != 5 {
		t.Fatalf("Core api %x v%d", v.APIs[0].ID, v.APIs[0].Version)
	}
	if _, err := Dispatch(frametest.NewHost(), "Nope_nope", nil); err == nil {
		t.Fatal("unknown entry accepted")
	}
}

func TestPresets(t *testing.T) {
	h := frametest.NewHost()
	names := call(t, h, "GenesisBuilder_preset_names", nil)
	if hex.EncodeToString(names) != "0c2c646576656c6f706d656e74346c6f63616c5f746573746e6574146c6f63616c" {
		t.Fatalf("names %x", names)
	}
	for _, name := range []string{"development", "local_testnet", "local"} {
		e := scale.NewEncoder(16)
		e.PutOption(true)
		e.PutString(name)
		out := call(t, h, "GenesisBuilder_get_preset", e.Bytes())
		d := scale.NewDecoder(out)
		if !d.Option() {
			t.Fatalf("%s: none", name)
		}
		if !json.Valid(d.Bytes()) {
			t.Fatalf("%s: invalid JSON", name)
		}
	}
	if out := call(t, h, "GenesisBuilder_get_preset", []byte{1, 16, 'n', 'o', 'p', 'e'}); string(out) != "\x00" {
		t.Fatalf("unknown preset %x", out)
	}
	if out := call(t, h, "GenesisBuilder_get_preset", []byte{0}); out[0] != 1 {
		t.Fatalf("default preset %x", out)
	}
}

// genesis builds the development preset (optionally with extra
// endowments) through GenesisBuilder_build_state.
func genesis(t *testing.T, extra ...types.AccountID) *frametest.Host {
	t.Helper()
	cfg, _ := Preset(PresetDevelopment)
	if len(extra) > 0 {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(cfg, &m)
		ends := Endowments()
		for _, a := range extra {
			ends = append(ends, [2]any{a.SS58(42), json.Number("1000000000000000")})
		}
		m["balances"], _ = json.Marshal(map[string]any{"balances": ends})
		cfg, _ = json.Marshal(m)
	}
	h := frametest.NewHost()
	e := scale.NewEncoder(len(cfg) + 4)
	e.PutBytes(cfg)
	if out := call(t, h, "GenesisBuilder_build_state", e.Bytes()); string(out) != "\x00" {
		t.Fatalf("build_state: %q", out)
	}
	return h
}

func TestGenesisSupply(t *testing.T) {
	h := genesis(t)
	rt := Default()
	ctx := rt.NewContext(h)
	if got := rt.Balances.TotalIssuance(ctx); got != TotalSupply() {
		t.Fatalf("total issuance %s", got)
	}
	if TotalSupply().String() != "84000000000000000000" {
		t.Fatalf("supply %s", TotalSupply())
	}
	var sum scale.U128
	for _, a := range append(append([]types.AccountID(nil), DevAccounts...), TeamAccount(), ReserveAccount(), transactionpayment.TreasuryAccount(), staking.RewardsPoolAccount()) {
		sum = sum.SaturatingAdd(system.Account.Get(ctx, a).Data.Free)
	}
	if sum != TotalSupply() {
		t.Fatalf("sum of endowments %s", sum)
	}
	team := system.Account.Get(ctx, TeamAccount()).Data.Free
	if team.String() != "12600000000000000000" {
		t.Fatalf("team %s", team)
	}
	if alice := system.Account.Get(ctx, DevAccounts[0]); alice.Data.Free != msca(1_000_000) || alice.Providers != 1 {
		t.Fatalf("alice %+v", alice)
	}
	if k, ok := rt.Sudo.Key(ctx); !ok || k != DevAccounts[0] {
		t.Fatal("sudo key is not Alice")
	}
	if err := rt.TryState(ctx); err != nil {
		t.Fatal(err)
	}
	// bad config is an Err result, not a trap
	e := scale.NewEncoder(32)
	e.PutBytes([]byte(`{"nope":{}}`))
	if out := call(t, frametest.NewHost(), "GenesisBuilder_build_state", e.Bytes()); out[0] != 1 {
		t.Fatalf("unknown section accepted: %q", out)
	}
}

func transferCall(to types.AccountID, amount uint64) []byte {
	e := scale.NewEncoder(48)
	e.PutU8(IndexBalances)
	e.PutU8(balances.CallTransferKeepAlive)
	e.PutU8(0)
	e.PutRaw(to[:])
	e.PutCompactU128(scale.FromUint64(amount))
	return e.Bytes()
}

func TestBlockThroughDispatch(t *testing.T) {
	k := frametest.NewKey("//Tester")
	gen := genesis(t, k.Account)
	h := gen.Clone()
	rt := Default()
	genHeader := types.Header{StateRoot: h.StorageRoot(), ExtrinsicsRoot: h.TrieBlake2OrderedRoot(nil, 0)}
	hdr := types.Header{ParentHash: genHeader.Hash(), Number: 1}
	if out := call(t, h, "Core_initialize_block", scale.Encode(&hdr)); string(out) != "\x00" {
		t.Fatalf("initialize: %x", out)
	}
	inh := call(t, h, "BlockBuilder_inherent_extrinsics", scale.Encode(timestamp.InherentData(1_700_000_000_000)))
	d := scale.NewDecoder(inh)
	n := d.Len(1)
	var xts [][]byte
	for i := 0; i < n; i++ {
		xts = append(xts, readExtrinsic(d))
	}
	if d.Finish() != nil || len(xts) != 1 {
		t.Fatalf("inherents %x", inh)
	}
	ctx := rt.NewContext(h)
	imp, err := rt.Implicit(ctx, &frame.Extra{Era: types.ImmortalEra})
	if err != nil {
		t.Fatal(err)
	}
	bob := DevAccounts[1]
	xts = append(xts, frametest.SignWith(k, frame.Extra{Era: types.ImmortalEra}, imp, transferCall(bob, 5*PlanckPerMSCA)))
	for _, xt := range xts {
		if out := call(t, h, "BlockBuilder_apply_extrinsic", xt); string(out) != "\x00\x00" {
			t.Fatalf("apply: %x", out)
		}
	}
	info := call(t, h, "TransactionPaymentApi_query_info", append(append([]byte(nil), xts[1]...), byte(len(xts[1])), 0, 0, 0))
	if len(info) < 16 {
		t.Fatalf("query_info %x", info)
	}
	var got types.Header
	if err := scale.Decode(call(t, h, "BlockBuilder_finalize_block", nil), &got); err != nil {
		t.Fatal(err)
	}
	if bal := system.Account.Get(ctx, bob).Data.Free; bal != msca(1_000_005) {
		t.Fatalf("bob %s", bal)
	}
	nonce := call(t, h, "AccountNonceApi_account_nonce", k.Account[:])
	if hex.EncodeToString(nonce) != "01000000" {
		t.Fatalf("nonce %x", nonce)
	}
	if err := rt.TryState(ctx); err != nil {
		t.Fatal(err)
	}
	b := types.Block{Header: got, Extrinsics: xts}
	fresh := gen.Clone()
	call(t, fresh, "Core_execute_block", scale.Encode(&b))
	if fresh.StorageRoot() != got.StateRoot {
		t.Fatal("execute_block reached another state")
	}
	b.Header.StateRoot[3] ^= 0x10
	if _, err := Dispatch(gen.Clone(), "Core_execute_block", scale.Encode(&b)); err == nil ||
		!strings.Contains(err.Error(), "state root") {
		t.Fatalf("tampered block: %v", err)
	}
	// the pool view: the same transaction is now stale
	in := []byte{byte(types.SourceExternal)}
	in = append(in, xts[1]...)
	hash := got.Hash()
	in = append(in, hash[:]...)
	res := call(t, h, "TaggedTransactionQueue_validate_transaction", in)
	var tv types.TransactionValidity
	if err := scale.Decode(res, &tv); err != nil || tv.Err == nil || tv.Err.Kind != types.InvalidStale {
		t.Fatalf("validate: %x %v", res, err)
	}
}

func TestMetadataOfDescribedPallets(t *testing.T) {
	m, missing := Default().Metadata()
	if _, np, err := metadata.Check(m.V15()); err != nil || np+len(missing) != len(Default().Pallets()) {
		t.Fatalf("%d pallets + missing %v: %v", np, missing, err)
	}
	t.Logf("pallets without metadata: %v", missing)
}

func TestMetadataAPI(t *testing.T) {
	h := frametest.NewHost()
	if v := call(t, h, "Metadata_metadata_versions", nil); hex.EncodeToString(v) != "080e0000000f000000" {
		t.Fatalf("versions %x", v)
	}
	_, missing := Default().Metadata()
	out, err := Dispatch(h, "Metadata_metadata_at_version", []byte{15, 0, 0, 0})
	if len(missing) > 0 {
		if !errors.Is(err, ErrMetadataIncomplete) {
			t.Fatalf("incomplete metadata served: %v", err)
		}
		return
	}
	d := scale.NewDecoder(out)
	if err != nil || !d.Option() {
		t.Fatalf("no V15: %v", err)
	}
	if _, _, err := metadata.Check(d.Bytes()); err != nil {
		t.Fatal(err)
	}
}
