// Package script is a tiny command interpreter over abi.Host used by the
// executor's tests: the same code runs inside the test runtime (wasm, over
// abi.WasmHost) and natively (over executor.NewNativeHost), so one input
// exercises every host function and the two outputs must be equal.
package script

import (
	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/scale"
)

// Opcodes. Each is followed by its SCALE arguments; results are appended to
// the output in order.
const (
	OpGet              = iota // key → Option<Vec<u8>>
	OpSet                     // key, value
	OpClear                   // key
	OpExists                  // key → bool
	OpAppend                  // key, item
	OpClearPrefix             // prefix, limit u32 → removed u32, all bool
	OpNextKey                 // key → Option<Vec<u8>>
	OpRoot                    // → [32]
	OpStartTx                 //
	OpRollbackTx              //
	OpCommitTx                //
	OpBlake2_128              // data → [16]
	OpBlake2_256              // data → [32]
	OpTwox64                  // data → [8]
	OpTwox128                 // data → [16]
	OpTwox256                 // data → [32]
	OpKeccak256               // data → [32]
	OpEd25519Verify           // sig [64], msg, pub [32] → bool
	OpSr25519Verify           // sig [64], msg, pub [32] → bool
	OpEcdsaVerify             // sig [65], msg, pub [33] → bool
	OpSecp256k1Recover        // sig [65], msg [32] → Option<[64]>
	OpTrieRoot                // Vec<(k, v)>, version u8 → [32]
	OpTrieOrderedRoot         // Vec<Vec<u8>>, version u8 → [32]
	OpTrieVerifyProof         // root [32], Vec<Vec<u8>>, key, value, version u8 → bool
	OpLog                     // level u8, target, msg
	OpMaxLogLevel             // → u8
	OpRuntimeVersionOf        // code → Option<Vec<u8>>
	OpPanic                   // msg: panics
	OpSr25519Generate         // key type [4], Option<seed> → [32]
	OpEd25519Generate         // key type [4], Option<seed> → [32]
)

// Run interprets prog against h and returns the concatenated results. A
// malformed program panics (the runtime's way of failing).
func Run(h abi.Host, prog []byte) []byte {
	d := scale.NewDecoder(prog)
	e := scale.NewEncoder(64)
	for d.Remaining() > 0 && d.Err() == nil {
		switch op := d.U8(); op {
		case OpGet:
			v, ok := h.StorageGet(d.Bytes())
			putOpt(e, v, ok)
		case OpSet:
			k := d.Bytes()
			h.StorageSet(k, d.Bytes())
		case OpClear:
			h.StorageClear(d.Bytes())
		case OpExists:
			e.PutBool(h.StorageExists(d.Bytes()))
		case OpAppend:
			k := d.Bytes()
			h.StorageAppend(k, d.Bytes())
		case OpClearPrefix:
			p := d.Bytes()
			n, all := h.StorageClearPrefix(p, d.U32())
			e.PutU32(n)
			e.PutBool(all)
		case OpNextKey:
			v, ok := h.StorageNextKey(d.Bytes())
			putOpt(e, v, ok)
		case OpRoot:
			r := h.StorageRoot()
			e.PutRaw(r[:])
		case OpStartTx:
			h.StartTransaction()
		case OpRollbackTx:
			h.RollbackTransaction()
		case OpCommitTx:
			h.CommitTransaction()
		case OpBlake2_128:
			r := h.Blake2_128(d.Bytes())
			e.PutRaw(r[:])
		case OpBlake2_256:
			r := h.Blake2_256(d.Bytes())
			e.PutRaw(r[:])
		case OpTwox64:
			r := h.Twox64(d.Bytes())
			e.PutRaw(r[:])
		case OpTwox128:
			r := h.Twox128(d.Bytes())
			e.PutRaw(r[:])
		case OpTwox256:
			r := h.Twox256(d.Bytes())
			e.PutRaw(r[:])
		case OpKeccak256:
			r := h.Keccak256(d.Bytes())
			e.PutRaw(r[:])
		case OpEd25519Verify, OpSr25519Verify:
			sig := [64]byte(pad(d.Raw(64), 64))
			msg := d.Bytes()
			pub := [32]byte(pad(d.Raw(32), 32))
			if op == OpEd25519Verify {
				e.PutBool(h.Ed25519Verify(&sig, msg, &pub))
			} else {
				e.PutBool(h.Sr25519Verify(&sig, msg, &pub))
			}
		case OpSr25519Generate, OpEd25519Generate:
			kt := [4]byte(pad(d.Raw(4), 4))
			var seed []byte
			if d.Option() {
				seed = append([]byte{}, d.Bytes()...)
			}
			var pub [32]byte
			if op == OpSr25519Generate {
				pub = h.Sr25519Generate(kt, seed)
			} else {
				pub = h.Ed25519Generate(kt, seed)
			}
			e.PutRaw(pub[:])
		case OpEcdsaVerify:
			sig := [65]byte(pad(d.Raw(65), 65))
			msg := d.Bytes()
			pub := [33]byte(pad(d.Raw(33), 33))
			e.PutBool(h.EcdsaVerify(&sig, msg, &pub))
		case OpSecp256k1Recover:
			sig := [65]byte(pad(d.Raw(65), 65))
			msg := [32]byte(pad(d.Raw(32), 32))
			pub, ok := h.Secp256k1Recover(&sig, &msg)
			putOpt(e, pub[:], ok)
		case OpTrieRoot:
			n := d.Len(2)
			kvs := make([][2][]byte, 0, n)
			for i := 0; i < n; i++ {
				kvs = append(kvs, [2][]byte{d.Bytes(), d.Bytes()})
			}
			r := h.TrieBlake2Root(kvs, d.U8())
			e.PutRaw(r[:])
		case OpTrieOrderedRoot:
			vs := bytesVec(d)
			r := h.TrieBlake2OrderedRoot(vs, d.U8())
			e.PutRaw(r[:])
		case OpTrieVerifyProof:
			root := [32]byte(pad(d.Raw(32), 32))
			proof := bytesVec(d)
			k, v := d.Bytes(), d.Bytes()
			e.PutBool(h.TrieBlake2VerifyProof(&root, proof, k, v, d.U8()))
		case OpLog:
			lvl := d.U8()
			h.Log(lvl, d.String(), d.String())
		case OpMaxLogLevel:
			e.PutU8(h.MaxLogLevel())
		case OpRuntimeVersionOf:
			v, ok := h.RuntimeVersionOf(d.Bytes())
			putOpt(e, v, ok)
		case OpPanic:
			panic(d.String())
		default:
			panic("script: unknown opcode")
		}
	}
	if d.Err() != nil {
		panic("script: malformed program: " + d.Err().Error())
	}
	return e.Bytes()
}

func putOpt(e *scale.Encoder, v []byte, ok bool) {
	e.PutOption(ok)
	if ok {
		e.PutBytes(v)
	}
}

func bytesVec(d *scale.Decoder) [][]byte {
	n := d.Len(1)
	vs := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		vs = append(vs, d.Bytes())
	}
	return vs
}

// pad returns b, or n zero bytes if b is short (after a decode error).
func pad(b []byte, n int) []byte {
	if len(b) == n {
		return b
	}
	return make([]byte, n)
}
