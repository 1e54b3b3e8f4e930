package trie

import (
	"errors"
	"strings"
	"testing"
)

func TestRawChainSpecChildren(t *testing.T) {
	const doc = `{"name":"Dev","id":"dev","genesis":{"raw":{
		"top":{"0x01":"0xaa","0x3a636f6465":"0x0102"},
		"childrenDefault":{"0x6368696c64":{"0x10":"0x20"},"0x656d707479":{}}}}}`
	spec, err := LoadRawChainSpec(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if spec.Name != "Dev" || spec.ID != "dev" || len(spec.Top) != 2 {
		t.Fatalf("spec %+v", spec)
	}
	got, err := spec.StateRoot(V1)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := RootOfPairs([]Pair{{[]byte{0x10}, []byte{0x20}}}, V1)
	want, _ := RootOfPairs([]Pair{
		{[]byte{0x01}, []byte{0xaa}},
		{[]byte(":code"), []byte{1, 2}},
		{[]byte(":child_storage:default:child"), child[:]},
	}, V1)
	if got != want {
		t.Fatalf("root with child trie %x, want %x", got, want)
	}
}

func TestLoadInputs(t *testing.T) {
	pairs, err := LoadStatePairs(strings.NewReader(`[["0x02","0x"],["0x01","0xff"]]`))
	if err != nil || len(pairs) != 2 || pairs[0].Key[0] != 1 || len(pairs[1].Value) != 0 {
		t.Fatalf("bare array: %v %v", pairs, err)
	}
	for _, bad := range []string{
		`{"result":[["0x01"]]}`,
		`{"result":[["0xzz","0x00"]]}`,
		`{"result":`,
	} {
		if _, err := LoadStatePairs(strings.NewReader(bad)); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	for _, bad := range []string{
		`{"name":"x","genesis":{"runtime":{}}}`,
		`{"genesis":{"raw":{"top":{"0x1":"0x00"}}}}`,
		`not json`,
	} {
		if _, err := LoadRawChainSpec(strings.NewReader(bad)); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
