package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/cmd/marsd/internal/wasmbuild"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func newRuntimeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "runtime", Short: "Build, check and inspect runtime blobs"}
	cmd.AddCommand(newRuntimeBuildCmd(), newRuntimeInspectCmd(), newRuntimeVerifyCmd(), newRuntimeTryUpgradeCmd())
	return cmd
}

// moduleRoot finds the folder holding go.mod, from dir upwards.
func moduleRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod above %s: run from the MSC source tree or pass --source", dir)
		}
		d = parent
	}
}

func newRuntimeBuildCmd() *cobra.Command {
	var check, noVersion bool
	var source, tags, out string
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build every runtime reproducibly into runtime/blobs (or check the committed blobs)",
		Long: `Builds each runtime with GOOS=wasip1 GOARCH=wasm -buildmode=c-shared -trimpath,
zstd-compresses it behind Substrate's prefix and writes runtime/blobs/<name>.wasm.zst.
With --check nothing is written: the command fails if a fresh build differs by one
byte from the committed blob.

--out FILE writes the relay runtime's blob to FILE instead. --tags builds a
variant from the same source (relayv2: the relay runtime with spec_version+1
and a storage migration; relaytrap: one whose entry points trap), which is
never written to runtime/blobs, so it needs --out. --no-version-section (with
--out) leaves out the runtime_version and runtime_apis sections: a node then
runs Core_version to learn the version; needed for a runtime whose
Core_version fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root, err := moduleRoot(source)
			if err != nil {
				return err
			}
			if check && (tags != "" || out != "" || noVersion) {
				return fmt.Errorf("--check only checks the default blobs in runtime/blobs: no --tags, --out or --no-version-section")
			}
			if (tags != "" || noVersion) && out == "" {
				return fmt.Errorf("a variant (--tags, --no-version-section) is not written to runtime/blobs: give --out FILE")
			}
			if out != "" {
				return buildOneBlob(cmd, root, "relay", tags, out, noVersion)
			}
			mismatch := 0
			for _, name := range blobs.Names {
				raw, blob, err := buildBlob(cmd.Context(), root, name, "")
				if err != nil {
					return err
				}
				path := filepath.Join(root, "runtime", "blobs", blobs.FileName(name))
				h := types.Blake2b256(blob)
				if check {
					old, err := os.ReadFile(path)
					if err != nil || !bytes.Equal(old, blob) {
						oldHash := types.Blake2b256(old)
						fmt.Fprintf(cmd.OutOrStdout(), "%s: MISMATCH committed %x, fresh build %x\n", name, oldHash, h)
						mismatch++
						continue
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s: ok %x (%d bytes, %d raw)\n", name, h, len(blob), len(raw))
					continue
				}
				if err := os.WriteFile(path, blob, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: wrote %s %x (%d bytes, %d raw)\n", name, path, h, len(blob), len(raw))
			}
			if mismatch > 0 {
				return fmt.Errorf("%d runtime blob(s) differ from a fresh build: run `go run ./cmd/marsd runtime build` and commit", mismatch)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "rebuild and compare with the committed blobs; write nothing")
	cmd.Flags().StringVar(&source, "source", ".", "MSC source tree to build from")
	cmd.Flags().StringVar(&tags, "tags", "", "extra Go build tags (comma-separated), e.g. relayv2; needs --out")
	cmd.Flags().StringVar(&out, "out", "", "write the relay runtime's blob to FILE instead of runtime/blobs")
	cmd.Flags().BoolVar(&noVersion, "no-version-section", false, "do not embed the runtime_version/runtime_apis sections; needs --out")
	return cmd
}

// buildOneBlob builds runtime name (with tags) into the file out.
func buildOneBlob(cmd *cobra.Command, root, name, tags, out string, noVersion bool) error {
	var raw, blob []byte
	var err error
	if noVersion {
		if raw, err = wasmbuild.Build(cmd.Context(), wasmbuild.Options{SourceDir: root, Runtime: name, Tags: tags}); err == nil {
			blob, err = wasmbuild.Compress(raw)
		}
	} else {
		raw, blob, err = buildBlob(cmd.Context(), root, name, tags)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, blob, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s (tags %q): wrote %s %x (%d bytes, %d raw)\n", name, tags, out, types.Blake2b256(blob), len(blob), len(raw))
	return nil
}

// buildBlob builds a runtime and returns its raw wasm (with the version
// sections embedded) and the compressed blob. The runtime_version and
// runtime_apis custom sections (PROTOCOL.md §1) let any host read the
// version without running the code: set_code checks and the node's version
// queries use them.
func buildBlob(ctx context.Context, root, name, tags string) (raw, blob []byte, err error) {
	raw, err = wasmbuild.Build(ctx, wasmbuild.Options{SourceDir: root, Runtime: name, Tags: tags})
	if err != nil {
		return nil, nil, err
	}
	ex, err := executor.New(ctx, executor.Config{})
	if err != nil {
		return nil, nil, err
	}
	defer ex.Close(ctx)
	ver, err := ex.RuntimeVersion(ctx, raw)
	if err != nil {
		return nil, nil, fmt.Errorf("runtime %s: Core_version: %w", name, err)
	}
	v, err := types.DecodeRuntimeVersion(ver)
	if err != nil {
		return nil, nil, fmt.Errorf("runtime %s: Core_version output: %w", name, err)
	}
	var apis []byte
	for _, a := range v.APIs {
		apis = append(apis, a.ID[:]...)
		apis = binary.LittleEndian.AppendUint32(apis, a.Version)
	}
	raw = wasmbuild.AppendCustomSection(raw, "runtime_version", scale.Encode(&v))
	raw = wasmbuild.AppendCustomSection(raw, "runtime_apis", apis)
	blob, err = wasmbuild.Compress(raw)
	return raw, blob, err
}

func newRuntimeVerifyCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "verify BLOB",
		Short: "Rebuild the runtime from source and say whether it matches BLOB",
		Long: `Rebuilds the runtime whose spec name BLOB declares from the source tree (--source,
default: this one) with the pinned toolchain, and compares blake2-256 hashes. A
match proves the blob was built from that source: what a voter checks before
voting for a runtime upgrade. Exits non-zero on a mismatch.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			blob, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			root, err := moduleRoot(source)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			ex, err := executor.New(ctx, executor.Config{})
			if err != nil {
				return err
			}
			raw, err := ex.RuntimeVersion(ctx, blob)
			ex.Close(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			v, err := types.DecodeRuntimeVersion(raw)
			if err != nil {
				return err
			}
			name, ok := runtimeBySpec[v.SpecName]
			if !ok {
				return fmt.Errorf("%s: unknown spec name %q", args[0], v.SpecName)
			}
			rawBuilt, built, err := buildBlob(ctx, root, name, "")
			if err != nil {
				return err
			}
			want, got := types.Blake2b256(blob), types.Blake2b256(built)
			// A blob may be submitted compressed or raw: both forms count.
			if got != want && types.Blake2b256(rawBuilt) != want {
				fmt.Fprintf(cmd.OutOrStdout(), "MISMATCH: %s is %s v%d with hash %x; source builds %x\n", args[0], v.SpecName, v.SpecVersion, want, got)
				return fmt.Errorf("runtime does not match its source")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %s is %s v%d, built from %s (hash %x)\n", args[0], v.SpecName, v.SpecVersion, root, want)
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", ".", "MSC source tree to rebuild from")
	return cmd
}

// runtimeBySpec maps spec names to runtime folders.
var runtimeBySpec = map[string]string{"mars-relay": "relay"}

func newRuntimeInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect BLOB",
		Short: "Print a runtime blob's hash, sizes and imports",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			blob, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			return inspectRuntime(cmd.Context(), cmd.OutOrStdout(), blob)
		},
	}
}
