//go:build !wasip1

package main

// Natively this command does nothing: the runtime is used as a library
// (relay.Dispatch); the entry points exist only in the wasip1 build.
func main() {}
