//go:build wasip1

// Command testrt is the executor's test runtime: a wasip1 c-shared module
// whose exports exercise every host function through abi.WasmHost, plus
// exports that fail in each way the executor must survive.
package main

import (
	"github.com/metamars/mars/host/executor/internal/testrt/script"
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func main() {}

var host = abi.WasmHost()

//go:wasmexport Core_version
func coreVersion(n int32) int64 {
	abi.ReadInput(n)
	v := types.RuntimeVersion{SpecName: "testrt", ImplName: "testrt", SpecVersion: 1, ImplVersion: 1,
		APIs: []types.APIVersion{{ID: types.APIID("Core"), Version: 5}}, TransactionVersion: 1, SystemVersion: 1}
	return abi.Return(scale.Encode(&v))
}

// run interprets a script (see package script).
//
//go:wasmexport run
func run(n int32) int64 { return abi.Return(script.Run(host, abi.ReadInput(n))) }

//go:wasmexport echo
func echo(n int32) int64 { return abi.Return(abi.ReadInput(n)) }

// counter counts calls on one instance, to show instances are fresh.
var counter uint32

//go:wasmexport count
func count(n int32) int64 {
	abi.ReadInput(n)
	counter++
	e := scale.NewEncoder(4)
	e.PutU32(counter)
	return abi.Return(e.Bytes())
}

//go:wasmexport panic
func panicExport(n int32) int64 {
	abi.ReadInput(n)
	panic("boom from runtime")
}

// setThenPanic writes a key, then panics: storage must be unchanged.
//
//go:wasmexport set_then_panic
func setThenPanic(n int32) int64 {
	in := abi.ReadInput(n)
	host.StorageSet([]byte("written"), in)
	host.StartTransaction()
	host.StorageSet([]byte("nested"), in)
	panic("after set")
}

var sink uint64

//go:wasmexport loop
func loop(n int32) int64 {
	abi.ReadInput(n)
	for i := uint64(0); ; i++ {
		sink += i
	}
}

var hoard [][]byte

//go:wasmexport alloc
func alloc(n int32) int64 {
	abi.ReadInput(n)
	for {
		b := make([]byte, 1<<20)
		b[0] = 1
		hoard = append(hoard, b)
	}
}

//go:wasmexport unbalanced
func unbalanced(n int32) int64 {
	abi.ReadInput(n)
	host.StartTransaction()
	host.StorageSet([]byte("unbalanced"), []byte{1})
	return abi.Return(nil)
}

//go:wasmimport env ext_hashing_twox_64_version_2
func rawTwox64(data int64, out int32)

// oob passes an output pointer beyond memory to a host function.
//
//go:wasmexport oob
func oob(n int32) int64 {
	abi.ReadInput(n)
	rawTwox64(0, -16)
	return abi.Return(nil)
}

// badOutput returns a pointer-size outside memory.
//
//go:wasmexport bad_output
func badOutput(n int32) int64 {
	abi.ReadInput(n)
	return abi.PtrSize(0xffff_fff0, 64)
}

// hashLoop calls ext_hashing_twox_64 N (u32 input) times on 32 bytes: the
// host-call round-trip benchmark.
//
//go:wasmexport hash_loop
func hashLoop(n int32) int64 {
	d := scale.NewDecoder(abi.ReadInput(n))
	times := d.U32()
	var data [32]byte
	var h [8]byte
	for i := uint32(0); i < times; i++ {
		data[0] = byte(i)
		h = host.Twox64(data[:])
	}
	return abi.Return(h[:])
}

// nullLoop calls ext_logging_max_level (no memory access) N times: the bare
// boundary-crossing cost.
//
//go:wasmexport null_loop
func nullLoop(n int32) int64 {
	d := scale.NewDecoder(abi.ReadInput(n))
	times := d.U32()
	var acc uint8
	for i := uint32(0); i < times; i++ {
		acc += host.MaxLogLevel()
	}
	return abi.Return([]byte{acc})
}

// readLoop reads the 32-byte-valued key "bench" N times through
// ext_storage_read_version_2.
//
//go:wasmexport read_loop
func readLoop(n int32) int64 {
	d := scale.NewDecoder(abi.ReadInput(n))
	times := d.U32()
	key := []byte("bench")
	var total int
	for i := uint32(0); i < times; i++ {
		v, _ := host.StorageGet(key)
		total += len(v)
	}
	e := scale.NewEncoder(8)
	e.PutU64(uint64(total))
	return abi.Return(e.Bytes())
}

//go:wasmimport wasi_snapshot_preview1 proc_exit
func procExit(code int32)

// exit calls proc_exit(3) directly, as runtime.exit / os.Exit would.
//
//go:wasmexport exit
func exit(n int32) int64 {
	abi.ReadInput(n)
	procExit(3)
	return abi.Return(nil)
}

// getKey reads key "k": a storage read for tests of failing backends.
//
//go:wasmexport get_key
func getKey(n int32) int64 {
	abi.ReadInput(n)
	v, _ := host.StorageGet([]byte("k"))
	return abi.Return(v)
}
