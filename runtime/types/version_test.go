package types

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

func sampleVersion() RuntimeVersion {
	return RuntimeVersion{
		SpecName: "mars", ImplName: "mars-go", AuthoringVersion: 1, SpecVersion: 100, ImplVersion: 2,
		APIs: []APIVersion{
			{ID: APIID("Core"), Version: 5},
			{ID: APIID("BlockBuilder"), Version: 6},
		},
		TransactionVersion: 26, SystemVersion: 1,
	}
}

func TestRuntimeVersionEncoding(t *testing.T) {
	v := sampleVersion()
	want := unhex(t, "10 6d617273 1c 6d6172732d676f 01000000 64000000 02000000"+
		"08 df6acb689907609b 05000000 40fe3ad401f8959a 06000000 1a000000 01")
	got := enc(&v)
	if !bytes.Equal(got, want) {
		t.Fatalf("encoding %x\nwant     %x", got, want)
	}
	back, err := DecodeRuntimeVersion(got)
	if err != nil || !reflect.DeepEqual(back, v) {
		t.Fatalf("decoded %+v, %v", back, err)
	}
	if ver, ok := back.APIVersion(APIID("Core")); !ok || ver != 5 {
		t.Errorf("Core version %d %v", ver, ok)
	}
	if _, ok := back.APIVersion(APIID("Nope")); ok {
		t.Error("unknown API found")
	}
}

func TestRuntimeVersionOlderForms(t *testing.T) {
	v := sampleVersion()
	full := enc(&v)
	noSystem := full[:len(full)-1]
	noTx := full[:len(full)-5]
	got, err := DecodeRuntimeVersion(noSystem)
	if err != nil || got.TransactionVersion != 26 || got.SystemVersion != 0 {
		t.Errorf("without system_version: %+v %v", got, err)
	}
	got, err = DecodeRuntimeVersion(noTx)
	if err != nil || got.TransactionVersion != 1 || got.SystemVersion != 0 || got.SpecVersion != 100 {
		t.Errorf("without transaction_version: %+v %v", got, err)
	}
	for _, cut := range []int{1, 2, 3} { // partial transaction_version
		if _, err := DecodeRuntimeVersion(full[:len(noTx)+cut]); !errors.Is(err, scale.ErrUnexpectedEOF) {
			t.Errorf("cut %d: %v", cut, err)
		}
	}
	if _, err := DecodeRuntimeVersion(append(append([]byte{}, full...), 0)); !errors.Is(err, scale.ErrTrailingBytes) {
		t.Errorf("trailing: %v", err)
	}
	bad := append([]byte{}, full...)
	bad[1] = 0xff // invalid UTF-8 in spec_name
	if _, err := DecodeRuntimeVersion(bad); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}

func TestStateVersions(t *testing.T) {
	tests := []struct {
		system     uint8
		state, xts StateVersion
	}{{0, StateV0, StateV0}, {1, StateV1, StateV0}, {2, StateV1, StateV1}}
	for _, tt := range tests {
		v := RuntimeVersion{SystemVersion: tt.system}
		if v.StateVersion() != tt.state || v.ExtrinsicsRootVersion() != tt.xts {
			t.Errorf("system_version %d: state %d extrinsics %d", tt.system, v.StateVersion(), v.ExtrinsicsRootVersion())
		}
	}
}
