package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/cmd/marsd/internal/wasmbuild"
	"github.com/metamars/mars/runtime/blobs"
	"github.com/metamars/mars/runtime/types"
)

func newRuntimeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "runtime", Short: "Build, check and inspect runtime blobs"}
	cmd.AddCommand(newRuntimeBuildCmd(), newRuntimeInspectCmd())
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
	var check bool
	var source string
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build every runtime reproducibly into runtime/blobs (or check the committed blobs)",
		Long: `Builds each runtime with GOOS=wasip1 GOARCH=wasm -buildmode=c-shared -trimpath,
zstd-compresses it behind Substrate's prefix and writes runtime/blobs/<name>.wasm.zst.
With --check nothing is written: the command fails if a fresh build differs by one
byte from the committed blob.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root, err := moduleRoot(source)
			if err != nil {
				return err
			}
			mismatch := 0
			for _, name := range blobs.Names {
				raw, err := wasmbuild.Build(cmd.Context(), wasmbuild.Options{SourceDir: root, Runtime: name})
				if err != nil {
					return err
				}
				blob, err := wasmbuild.Compress(raw)
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
	return cmd
}

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
