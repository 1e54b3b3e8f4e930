// Package blobs embeds the built, zstd-compressed runtime blobs that the node
// uses as the genesis `:code` of each chain.
//
// The blobs are build outputs committed to the repository on purpose: a
// runtime is consensus-critical code, so every node must run the very same
// bytes, and voters must be able to check what they vote on. `marsd runtime
// build` writes them; `marsd runtime build --check` rebuilds them and fails
// if one byte differs (CI runs it).
package blobs
