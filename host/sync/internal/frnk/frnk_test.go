package frnk

import (
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/types"
)

func TestRoundTrip(t *testing.T) {
	c := Change{Authorities: []Authority{{ID: [32]byte{1}, Weight: 1}, {ID: [32]byte{2}, Weight: 7}}}
	hdr := types.Header{Number: 3, Digest: []types.DigestItem{
		{Kind: types.DigestPreRuntime, Engine: [4]byte{'a', 'u', 'r', 'a'}, Data: []byte{1}},
		{Kind: types.DigestConsensus, Engine: Engine, Data: []byte{LogPause, 0, 0, 0, 0}},
		c.Encode(),
	}}
	got, err := ScheduledChange(&hdr)
	if err != nil || got == nil || !reflect.DeepEqual(*got, c) {
		t.Fatalf("got %+v, %v", got, err)
	}
	hdr.Digest = hdr.Digest[:2]
	if got, err := ScheduledChange(&hdr); got != nil || err != nil {
		t.Fatalf("no change: got %+v, %v", got, err)
	}
	bad := c.Encode()
	bad.Data = bad.Data[:len(bad.Data)-1]
	hdr.Digest = append(hdr.Digest, bad)
	if _, err := ScheduledChange(&hdr); err == nil {
		t.Fatal("truncated change accepted")
	}
}

func FuzzDecodeChange(f *testing.F) {
	f.Add(Change{Authorities: []Authority{{ID: [32]byte{1}, Weight: 1}}}.Encode().Data[1:])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChange(b)
		if err != nil {
			return
		}
		if again := c.Encode().Data[1:]; string(again) != string(b) {
			t.Fatalf("round trip %x -> %x", b, again)
		}
	})
}
