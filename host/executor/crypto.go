package executor

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"
	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/types"
)

// Signature verification, shared by the wasm host functions and the native
// host. Each returns false for any malformed input; none panics.

// ed25519Opts are ZIP-215 rules, which is what Substrate's ed25519-zebra
// verifier implements: every node must accept exactly the same signatures.
var ed25519Opts = &ed25519.Options{Verify: ed25519.VerifyOptionsZIP_215}

func ed25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	return ed25519.VerifyWithOptions(ed25519.PublicKey(pub[:]), msg, sig[:], ed25519Opts)
}

// sr25519Context is schnorrkel's signing context used by Substrate.
var sr25519Context = sr25519.NewSigningContext([]byte("substrate"))

func sr25519Verify(sig *[64]byte, msg []byte, pub *[32]byte) bool {
	pk, err := sr25519.NewPublicKeyFromBytes(pub[:])
	if err != nil {
		return false
	}
	s, err := sr25519.NewSignatureFromBytes(sig[:])
	if err != nil {
		return false
	}
	return pk.Verify(sr25519Context.NewTranscriptBytes(msg), s)
}

var secp256k1N = crypto.S256().Params().N

// validRS reports whether r and s are in [1, N-1].
func validRS(sig []byte) bool {
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	return r.Sign() > 0 && s.Sign() > 0 && r.Cmp(secp256k1N) < 0 && s.Cmp(secp256k1N) < 0
}

// Results of secp256k1Recover, as ext_crypto_secp256k1_ecdsa_recover_version_3
// returns them.
const (
	recoverOK         = 0
	recoverBadRS      = -1
	recoverBadV       = -2
	recoverBadSigntre = -3
)

// secp256k1Recover recovers the 64-byte uncompressed public key (no 0x04
// tag) of a prehashed message; v may be 0..3 or 27..30.
func secp256k1Recover(sig *[65]byte, msg *[32]byte) ([64]byte, int32) {
	v := sig[64]
	if v >= 27 {
		v -= 27
	}
	if v > 3 {
		return [64]byte{}, recoverBadV
	}
	if !validRS(sig[:]) {
		return [64]byte{}, recoverBadRS
	}
	var s [65]byte
	copy(s[:], sig[:64])
	s[64] = v
	pub, err := crypto.Ecrecover(msg[:], s[:])
	if err != nil || len(pub) != 65 {
		return [64]byte{}, recoverBadSigntre
	}
	var out [64]byte
	copy(out[:], pub[1:])
	return out, recoverOK
}

// ecdsaVerify is sp_core ecdsa::Pair::verify: recover the signer of
// blake2_256(msg) (v must be 0..3) and compare its compressed key.
func ecdsaVerify(sig *[65]byte, msg []byte, pub *[33]byte) bool {
	if sig[64] > 3 {
		return false
	}
	h := types.Blake2b256(msg)
	rec, code := secp256k1Recover(sig, &h)
	if code != recoverOK {
		return false
	}
	var full [65]byte
	full[0] = 4
	copy(full[1:], rec[:])
	pk, err := crypto.UnmarshalPubkey(full[:])
	if err != nil {
		return false
	}
	return [33]byte(crypto.CompressPubkey(pk)) == *pub
}

// fixed reads a fixed-size array from memory.
func fixed64(m api.Memory, ptr uint32) *[64]byte { return (*[64]byte)(view(m, ptr, 64)) }
func fixed32(m api.Memory, ptr uint32) *[32]byte { return (*[32]byte)(view(m, ptr, 32)) }
func fixed65(m api.Memory, ptr uint32) *[65]byte { return (*[65]byte)(view(m, ptr, 65)) }
func fixed33(m api.Memory, ptr uint32) *[33]byte { return (*[33]byte)(view(m, ptr, 33)) }

func cryptoFuncs() []hostFunc {
	return []hostFunc{
		// ext_crypto_ed25519_verify_version_1(sig p64, msg ps, pub p32) -> i32 (1 valid)
		{abi.FnEd25519Verify, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			stack[0] = boolResult(ed25519Verify(fixed64(m, uint32(stack[0])), viewPS(m, stack[1]), fixed32(m, uint32(stack[2]))))
		}},
		// ext_crypto_sr25519_verify_version_2(sig p64, msg ps, pub p32) -> i32 (1 valid)
		{abi.FnSr25519Verify, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			stack[0] = boolResult(sr25519Verify(fixed64(m, uint32(stack[0])), viewPS(m, stack[1]), fixed32(m, uint32(stack[2]))))
		}},
		// ext_crypto_start_batch_verify_version_1(): traps if a batch is open.
		{abi.FnStartBatchVerify, func(ctx context.Context, _ api.Module, _ []uint64) {
			if !stateOf(ctx).startBatch() {
				trap(errBatchOpen)
			}
		}},
		// ext_crypto_{sr25519,ed25519}_batch_verify_version_1(sig p64, msg ps, pub p32) -> i32:
		// 1 = queued (in a batch) or valid.
		{abi.FnSr25519BatchVerify, func(ctx context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			stack[0] = boolResult(stateOf(ctx).batchVerify(schemeSr25519, fixed64(m, uint32(stack[0])), viewPS(m, stack[1]), fixed32(m, uint32(stack[2]))))
		}},
		{abi.FnEd25519BatchVerify, func(ctx context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			stack[0] = boolResult(stateOf(ctx).batchVerify(schemeEd25519, fixed64(m, uint32(stack[0])), viewPS(m, stack[1]), fixed32(m, uint32(stack[2]))))
		}},
		// ext_crypto_finish_batch_verify_version_1() -> i32: 1 iff every
		// queued check held; traps if no batch is open.
		{abi.FnFinishBatchVerify, func(ctx context.Context, _ api.Module, stack []uint64) {
			valid, ok := stateOf(ctx).finishBatch()
			if !ok {
				trap(errNoBatch)
			}
			stack[0] = boolResult(valid)
		}},
		// ext_crypto_ecdsa_verify_version_2(sig p65, msg ps, pub p33 compressed) -> i32 (1 valid)
		{abi.FnEcdsaVerify, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			stack[0] = boolResult(ecdsaVerify(fixed65(m, uint32(stack[0])), viewPS(m, stack[1]), fixed33(m, uint32(stack[2]))))
		}},
		// ext_crypto_secp256k1_ecdsa_recover_version_3(sig p65, msg p32, out p64) -> i32
		// 0 ok (out = uncompressed key without tag), -1 bad R/S, -2 bad V,
		// -3 recovery failed; out is untouched on error.
		{abi.FnSecp256k1Recover, func(_ context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			sig, msg, out := fixed65(m, uint32(stack[0])), fixed32(m, uint32(stack[1])), uint32(stack[2])
			view(m, out, 64)
			pub, code := secp256k1Recover(sig, msg)
			if code == recoverOK {
				write(m, out, pub[:])
			}
			stack[0] = uint64(uint32(code))
		}},
	}
}
