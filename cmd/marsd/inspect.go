package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/runtime/types"
)

// knownAPIs names the runtime API ids we know (blake2b-64 of the trait name).
var knownAPIs = func() map[[8]byte]string {
	m := map[[8]byte]string{}
	for _, n := range []string{"Core", "Metadata", "BlockBuilder", "TaggedTransactionQueue", "OffchainWorkerApi",
		"AccountNonceApi", "TransactionPaymentApi", "TransactionPaymentCallApi", "GenesisBuilder", "AuraApi",
		"BabeApi", "GrandpaApi", "SessionKeys", "ParachainHost", "AuthorityDiscoveryApi"} {
		m[types.APIID(n)] = n
	}
	return m
}()

// inspectRuntime prints what a blob is: its hash and sizes, its version and
// runtime APIs (from its runtime_version section, or by calling
// Core_version in a sandboxed instance), and the host functions it imports.
func inspectRuntime(ctx context.Context, w io.Writer, blob []byte) error {
	info, err := executor.Inspect(blob)
	if err != nil {
		return err
	}
	ex, err := executor.New(ctx, executor.Config{})
	if err != nil {
		return err
	}
	defer ex.Close(ctx)
	raw, err := ex.RuntimeVersion(ctx, blob)
	if err != nil {
		return fmt.Errorf("reading the runtime version: %w", err)
	}
	v, err := types.DecodeRuntimeVersion(raw)
	if err != nil {
		return fmt.Errorf("decoding the runtime version: %w", err)
	}
	fmt.Fprintf(w, "blake2-256:       %s\n", types.Hash(types.Blake2b256(blob)))
	fmt.Fprintf(w, "size:             %d bytes (%s), %d bytes raw\n", len(blob), map[bool]string{true: "zstd", false: "uncompressed"}[info.Compressed], info.RawSize)
	fmt.Fprintf(w, "spec:             %s v%d (impl %s v%d, authoring v%d)\n", v.SpecName, v.SpecVersion, v.ImplName, v.ImplVersion, v.AuthoringVersion)
	fmt.Fprintf(w, "transaction ver:  %d\nsystem version:   %d (state V%d)\n", v.TransactionVersion, v.SystemVersion, v.StateVersion())
	fmt.Fprintf(w, "runtime APIs:\n")
	for _, a := range v.APIs {
		name := knownAPIs[a.ID]
		if name == "" {
			name = "?"
		}
		fmt.Fprintf(w, "  0x%x v%d  %s\n", a.ID, a.Version, name)
	}
	var env, wasi []string
	for _, im := range info.Imports {
		if strings.HasPrefix(im, "env.") {
			env = append(env, strings.TrimPrefix(im, "env."))
		} else {
			wasi = append(wasi, im)
		}
	}
	fmt.Fprintf(w, "host functions (%d):\n", len(env))
	for _, f := range env {
		fmt.Fprintf(w, "  %s\n", f)
	}
	fmt.Fprintf(w, "other imports (%d): %s\n", len(wasi), strings.Join(wasi, ", "))
	fmt.Fprintf(w, "custom sections:  %s\n", strings.Join(info.CustomSections, ", "))
	return nil
}
