package main

import (
	"fmt"
	"io"
)

// inspectRuntime prints what a blob is; filled in with the executor's parser.
func inspectRuntime(w io.Writer, blob []byte) error {
	_, err := fmt.Fprintf(w, "size: %d\n", len(blob))
	return err
}
