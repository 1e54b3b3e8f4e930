package relay

import (
	"encoding/json"
	"testing"

	"github.com/metamars/mars/pallets/sudo"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/pallets/timestamp"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func sudoSetCode(code []byte) []byte {
	e := scale.NewEncoder(len(code) + 8)
	e.PutU8(IndexSudo)
	e.PutU8(sudo.CallSudo)
	e.PutU8(IndexSystem)
	e.PutU8(system.CallSetCode)
	e.PutBytes(code)
	return e.Bytes()
}

// TestForklessUpgradeViaSudo: sudo(system.set_code) by the sudo key
// writes :code, records Sudid(Ok) and CodeUpdated, puts
// RuntimeEnvironmentUpdated in the header, and the block re-executes on a
// fresh state; a non-increasing version is refused as
// System.SpecVersionNeedsToIncrease inside Sudid.
func TestForklessUpgradeViaSudo(t *testing.T) {
	k := frametest.NewKey("//Root")
	cfg, _ := Preset(PresetDevelopment)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(cfg, &m)
	ends := append(Endowments(), [2]any{k.Account.SS58(42), json.Number("1000000000000000")})
	m["balances"], _ = json.Marshal(map[string]any{"balances": ends})
	m["sudo"], _ = json.Marshal(map[string]any{"key": k.Account.SS58(42)})
	cfg, _ = json.Marshal(m)

	rt := Default()
	env := frametest.New(t, rt.Runtime).Genesis(string(cfg))
	newCode, oldCode := []byte("mars-relay v2"), []byte("mars-relay v1")
	v2, v1 := Version(), Version()
	v2.SpecVersion = 2
	env.Host.Versions[string(newCode)] = scale.Encode(&v2)
	env.Host.Versions[string(oldCode)] = scale.Encode(&v1)
	genesis := env.Host.Clone()

	env.StartBlock()
	xts := rt.InherentExtrinsics(env.Ctx, timestamp.InherentData(1_000))
	xts = append(xts,
		env.Sign(k, frame.Extra{Era: types.ImmortalEra, Nonce: 0}, sudoSetCode(oldCode)),
		env.Sign(k, frame.Extra{Era: types.ImmortalEra, Nonce: 1}, sudoSetCode(newCode)))
	for i, xt := range xts {
		if r := env.Apply(xt); r.Invalid != nil || r.DispatchErr != nil {
			t.Fatalf("xt %d: %+v %+v", i, r.Invalid, r.DispatchErr)
		}
		if i == 1 {
			de := types.NewModuleError(IndexSystem, 1)
			env.RequireEvent(t, sudo.PalletName, sudo.EventSudid{Index: sudo.EvSudid, Result: &de})
		}
	}
	env.RequireEvent(t, system.Name, system.CodeUpdated{})
	env.RequireEvent(t, sudo.PalletName, sudo.EventSudid{Index: sudo.EvSudid})
	h := env.FinishBlock()
	if c, _ := env.Host.StorageGet(system.KeyCode); string(c) != string(newCode) {
		t.Fatalf(":code = %q", c)
	}
	if len(h.Digest) != 1 || h.Digest[0].Kind != types.DigestRuntimeEnvironmentUpdated {
		t.Fatalf("digest %+v", h.Digest)
	}
	fresh := genesis.Clone()
	b := types.Block{Header: h, Extrinsics: xts}
	if err := rt.ExecuteBlock(rt.NewContext(fresh), &b); err != nil {
		t.Fatal(err)
	}
	// a header without the digest item is refused
	b.Header.Digest = nil
	if err := rt.ExecuteBlock(rt.NewContext(genesis.Clone()), &b); err == nil {
		t.Fatal("block without RuntimeEnvironmentUpdated accepted")
	}
}
