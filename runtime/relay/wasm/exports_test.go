package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/metamars/mars/runtime/relay"
)

// TestExportsMatchEntries: the wasm build exports exactly the entry points
// relay.Dispatch serves.
func TestExportsMatchEntries(t *testing.T) {
	src, err := os.ReadFile("main_wasip1.go")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^//go:wasmexport (\S+)$`).FindAllSubmatch(src, -1) {
		got = append(got, string(m[1]))
	}
	want := slices.Clone(relay.Entries)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("exports %v\nentries %v", got, want)
	}
}
