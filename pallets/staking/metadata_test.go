package staking

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func requireExact(t *testing.T, m *metadata.Decoded, ty metadata.TypeID, b []byte, what string) {
	t.Helper()
	d := scale.NewDecoder(b)
	m.Skip(ty, d)
	if err := d.Finish(); err != nil {
		t.Fatalf("%s: %x does not decode as type %d %v: %v", what, b, ty, m.Type(ty).Path, err)
	}
}

func encodeWith(v scale.Encodable) []byte {
	e := scale.NewEncoder(64)
	v.EncodeTo(e)
	return e.Bytes()
}

func TestMetadataMatchesPallet(t *testing.T) {
	p := New(DefaultConfig(nil, nil))
	built := metadata.Build(metadata.RuntimeInfo{Crate: "test_runtime"},
		[]metadata.IndexedDescriber{{Index: 0, Pallet: system.New()}, {Index: stakingIndex, Pallet: p}})
	who := types.AccountID{9}
	prefs := ValidatorPrefs{Commission: 123_456, Blocked: true}
	payee := RewardDestination{Kind: PayeeAccount, Account: who}
	for _, raw := range [][]byte{built.V14(), built.V15()} {
		m, err := metadata.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		pm := m.Pallet(PalletName)
		if pm == nil || pm.Index != stakingIndex || pm.Calls == nil || pm.Event == nil || pm.Error == nil {
			t.Fatalf("pallet %+v", pm)
		}
		samples := map[uint8]scale.Encodable{
			CallBond: &BondArgs{Value: u(1 << 40), Payee: payee}, CallBondExtra: &ValueArgs{Value: u(3)},
			CallUnbond: &ValueArgs{Value: u(1)}, CallWithdrawUnbonded: &WithdrawUnbondedArgs{NumSlashingSpans: 2},
			CallValidate: &ValidateArgs{Prefs: prefs}, CallNominate: addrs(who, acc(3)), CallChill: &NoArgs{},
			CallSetPayee: &SetPayeeArgs{Payee: RewardDestination{Kind: PayeeStaked}}, CallSetValidatorCount: &SetValidatorCountArgs{New: 70},
			CallForceNewEra: &NoArgs{}, CallCancelDeferredSlash: &CancelDeferredSlashArgs{Era: 4, SlashIndices: []uint32{0, 2}},
			CallPayoutStakers: &PayoutStakersArgs{ValidatorStash: who, Era: 8}, CallRebond: &ValueArgs{Value: u(1 << 60)},
		}
		defs := p.Calls()
		if n := len(m.Type(*pm.Calls).Variants); n != len(defs) || n != len(samples) {
			t.Fatalf("%d call variants, %d calls, %d samples", n, len(defs), len(samples))
		}
		for _, c := range defs {
			v := m.Variant(*pm.Calls, c.Index)
			if v == nil || v.Name != c.Name || len(v.Docs) == 0 {
				t.Fatalf("call %d %s: metadata %+v", c.Index, c.Name, v)
			}
			requireExact(t, m, *pm.Calls, append([]byte{c.Index}, encodeWith(samples[c.Index])...), c.Name)
		}
		evs := []scale.Encodable{
			EventEraPaid{Era: 1, ValidatorPayout: u(2), Remainder: u(3)}, EventRewarded{Stash: who, Dest: payee, Amount: u(5)},
			EventStash{Index: EvSlashed, Stash: who, Amount: u(1)}, EventSlashReported{Validator: who, Fraction: 5, SlashEra: 2},
			EventUnit(EvStakersElected), EventStash{Index: EvBonded, Stash: who, Amount: u(1)},
			EventStash{Index: EvUnbonded, Stash: who, Amount: u(1)}, EventStash{Index: EvWithdrawn, Stash: who, Amount: u(1)},
			EventUnit(EvStakingElectionFailed), EventChilled{Stash: who}, EventPayoutStarted{Era: 3, Validator: who},
			EventValidatorPrefsSet{Stash: who, Prefs: prefs}, EventForceEra{Mode: ForceAlways},
		}
		if n := len(m.Type(*pm.Event).Variants); n != len(evs) {
			t.Fatalf("%d event variants, %d encoders", n, len(evs))
		}
		for _, ev := range evs {
			b := encodeWith(ev)
			v := m.Variant(*pm.Event, b[0])
			if v == nil || len(v.Docs) == 0 {
				t.Fatalf("event %d undocumented", b[0])
			}
			for _, f := range v.Fields {
				if f.Name == "" {
					t.Fatalf("event %s has an unnamed field", v.Name)
				}
			}
			requireExact(t, m, *pm.Event, b, v.Name)
		}
		if n := len(m.Type(*pm.Error).Variants); n != len(Errors) || len(errorDocs) != len(Errors) {
			t.Fatalf("%d error variants", n)
		}
		for i, e := range Errors {
			if e.Index != uint8(i) {
				t.Fatalf("error %s index %d", e.Name, e.Index)
			}
			if v := m.Variant(*pm.Error, e.Index); v == nil || v.Name != e.Name || len(v.Docs) != 1 {
				t.Fatalf("error %s: %+v", e.Name, v)
			}
		}
		// Storage: every entry's default decodes with its value type, and
		// a sample written by the pallet's codec does too.
		ledger := StakingLedger{Stash: who, Total: u(10), Active: u(4), Unlocking: []UnlockChunk{{u(6), 9}}}
		points := EraRewardPoints{}
		points.add(who, 20)
		samplesByName := map[string][]byte{
			"Ledger": ledgerCodec.Bytes(ledger), "Payee": payeeCodec.Bytes(payee), "Validators": prefsCodec.Bytes(prefs),
			"Nominators":       nominationsCodec.Bytes(Nominations{Targets: []types.AccountID{who}, SubmittedIn: 3}),
			"ActiveEra":        activeEraCodec.Bytes(ActiveEraInfo{Index: 3, Start: 5, HasStart: true}),
			"ErasStakers":      exposureCodec.Bytes(Exposure{Total: u(9), Own: u(4), Others: []IndividualExposure{{who, u(5)}}}),
			"ErasRewardPoints": pointsCodec.Bytes(points), "ForceEra": forcingCodec.Bytes(ForceNone),
			"UnappliedSlashes":    slashVecCodec.Bytes([]UnappliedSlash{{Validator: who, Own: u(3), Others: []OtherSlash{{who, u(1)}}, Reporters: []types.AccountID{who}}}),
			"BondedEras":          bondedErasCodec.Bytes([][2]uint32{{1, 2}}),
			"ValidatorSlashInEra": slashRecordCodec.Bytes(SlashRecord{Fraction: 7, Amount: u(8)}),
			"ClaimedRewards":      u32VecCodec.Bytes([]uint32{0}),
		}
		if len(pm.Storage) != 30 {
			t.Fatalf("%d storage entries", len(pm.Storage))
		}
		for _, se := range pm.Storage {
			if len(se.Docs) == 0 {
				t.Fatalf("storage %s undocumented", se.Name)
			}
			if se.Optional {
				if !bytes.Equal(se.Default, []byte{0}) {
					t.Fatalf("%s: optional default %x", se.Name, se.Default)
				}
			} else {
				requireExact(t, m, se.Value, se.Default, se.Name+" default")
			}
			if b, ok := samplesByName[se.Name]; ok {
				requireExact(t, m, se.Value, b, se.Name)
				delete(samplesByName, se.Name)
			}
			if se.Key != nil && len(se.Hashers) == 2 {
				requireExact(t, m, *se.Key, append([]byte{1, 0, 0, 0}, who[:]...), se.Name+" key")
			}
		}
		if len(samplesByName) != 0 {
			t.Fatalf("no storage entries for %v", samplesByName)
		}
		for _, c := range pm.Constants {
			requireExact(t, m, c.Type, c.Value, c.Name)
		}
	}
	// The hashers are Substrate's.
	if p.s.ledger.Hasher() != frame.Blake2_128Concat || p.s.bonded.Hasher() != frame.Twox64Concat ||
		p.s.erasStakers.Hashers() != [2]frame.Hasher{frame.Twox64Concat, frame.Twox64Concat} {
		t.Fatal("hashers")
	}
	if pool := RewardsPoolAccount(); !bytes.Equal(pool[:12], []byte("modlpy/stkpl")) {
		t.Fatal("pool account")
	}
}
