package executor

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/scale"
)

// KeyScheme names the signature scheme of a generated key.
type KeyScheme uint8

// Key schemes of the keystore host functions.
const (
	KeySr25519 KeyScheme = iota + 1
	KeyEd25519
)

// Keystore is the node's key store as runtime calls see it:
// SessionKeys_generate_session_keys asks it for new keys through
// ext_crypto_{sr25519,ed25519}_generate_version_2.
type Keystore interface {
	// Generate creates and stores a key of keyType (from seed, a secret URI,
	// when not nil) and returns its public key.
	Generate(keyType [4]byte, scheme KeyScheme, seed []byte) ([32]byte, error)
}

// ErrNoKeystore: a runtime asked for a key where the node gave no keystore.
var ErrNoKeystore = errors.New("executor: keystore not available in this call")

type keystoreKey struct{}

// WithKeystore returns a context under which runtime calls may use ks.
// Why a context value and not executor configuration: keys differ between
// nodes, so only calls whose result stays on this node (author_rotateKeys)
// may see the keystore; block execution, which must give every node the
// same result, runs without it and a runtime that asks traps.
func WithKeystore(ctx context.Context, ks Keystore) context.Context {
	return context.WithValue(ctx, keystoreKey{}, ks)
}

func keystoreOf(ctx context.Context) Keystore {
	ks, _ := ctx.Value(keystoreKey{}).(Keystore)
	return ks
}

// generateKey is both generate functions once the scheme is known.
func generateKey(ks Keystore, scheme KeyScheme, keyType [4]byte, seed []byte) [32]byte {
	if ks == nil {
		trap(ErrNoKeystore)
	}
	pub, err := ks.Generate(keyType, scheme, seed)
	if err != nil {
		trap(fmt.Errorf("%w: generating a %q key: %w", ErrBadArgument, keyType[:], err))
	}
	return pub
}

// decodeSeed reads the SCALE Option<Vec<u8>> seed argument (nil = None).
func decodeSeed(b []byte) []byte {
	d := scale.NewDecoder(b)
	var seed []byte
	if d.Option() {
		seed = append([]byte{}, d.Bytes()...)
	}
	if err := d.Finish(); err != nil {
		trap(fmt.Errorf("%w: key seed: %w", ErrBadArgument, err))
	}
	return seed
}

func keystoreFuncs() []hostFunc {
	gen := func(scheme KeyScheme) api.GoModuleFunc {
		// ext_crypto_{sr25519,ed25519}_generate_version_2(key type p4,
		// seed ps of Option<Vec<u8>>, out p32): writes the public key.
		return func(ctx context.Context, mod api.Module, stack []uint64) {
			m := memOf(mod)
			keyType := [4]byte(view(m, uint32(stack[0]), 4))
			seed := decodeSeed(viewPS(m, stack[1]))
			pub := generateKey(keystoreOf(ctx), scheme, keyType, seed)
			write(m, uint32(stack[2]), pub[:])
		}
	}
	return []hostFunc{
		{abi.FnSr25519Generate, gen(KeySr25519)},
		{abi.FnEd25519Generate, gen(KeyEd25519)},
	}
}
