package node

import (
	"bytes"
	"context"
	"fmt"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
)

// rpcKeys serves the unsafe author_* key methods over the node's keystore.
type rpcKeys struct {
	ks *keystore.Keystore
	c  *chain.Chain
}

// schemeOf is the scheme Substrate uses for each session key type.
func schemeOf(kt keystore.KeyType) keystore.Scheme {
	if kt == keystore.KeyTypeGrandpa {
		return keystore.Ed25519
	}
	return keystore.Sr25519
}

func (k *rpcKeys) InsertKey(keyType [4]byte, suri string, public []byte) error {
	kt := keystore.KeyType(keyType)
	pair, err := keystore.FromURI(schemeOf(kt), suri)
	if err != nil {
		return err
	}
	if pub := pair.Public(); !bytes.Equal(pub[:], public) {
		return fmt.Errorf("node: the secret URI derives 0x%x, not the given public key 0x%x", pub[:], public)
	}
	_, err = k.ks.Insert(kt, suri, schemeOf(kt))
	return err
}

func (k *rpcKeys) HasKey(keyType [4]byte, public []byte) bool {
	return len(public) == 32 && k.ks.Has(keystore.KeyType(keyType), [32]byte(public))
}

// RotateKeys runs SessionKeys_generate_session_keys(None) at the best block
// with the keystore attached: the runtime asks for one new key per session
// key type and returns their concatenation.
func (k *rpcKeys) RotateKeys(ctx context.Context) ([]byte, error) {
	out, err := k.c.Call(executor.WithKeystore(ctx, runtimeKeys{k.ks}), k.c.Best().Hash, "SessionKeys_generate_session_keys", []byte{0})
	if err != nil {
		return nil, err
	}
	d := scale.NewDecoder(out)
	keys := d.Bytes()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("node: SessionKeys_generate_session_keys answered %d undecodable bytes: %w", len(out), err)
	}
	return append([]byte(nil), keys...), nil
}

// HasSessionKeys decodes the keys with SessionKeys_decode_session_keys and
// checks the keystore holds each.
func (k *rpcKeys) HasSessionKeys(ctx context.Context, sessionKeys []byte) (bool, error) {
	e := scale.NewEncoder(len(sessionKeys) + 5)
	e.PutBytes(sessionKeys)
	out, err := k.c.Call(ctx, k.c.Best().Hash, "SessionKeys_decode_session_keys", e.Bytes())
	if err != nil {
		return false, err
	}
	d := scale.NewDecoder(out)
	if !d.Option() {
		if err := d.Finish(); err != nil {
			return false, err
		}
		return false, fmt.Errorf("node: the runtime cannot decode these session keys")
	}
	n := d.Len(5)
	all := true
	for i := 0; i < n && d.Err() == nil; i++ {
		pub := d.Bytes()
		kt := d.Raw(4)
		if len(kt) != 4 {
			break
		}
		if len(pub) != 32 || !k.ks.Has(keystore.KeyType(kt), [32]byte(pub)) {
			all = false
		}
	}
	if err := d.Finish(); err != nil {
		return false, err
	}
	return all, nil
}

// runtimeKeys is the keystore as the executor's keystore host functions
// see it: a seed is a secret URI; without one a fresh mnemonic is made.
type runtimeKeys struct{ ks *keystore.Keystore }

func (r runtimeKeys) Generate(keyType [4]byte, scheme executor.KeyScheme, seed []byte) ([32]byte, error) {
	s := keystore.Sr25519
	if scheme == executor.KeyEd25519 {
		s = keystore.Ed25519
	}
	suri := string(seed)
	if seed == nil {
		phrase, _, err := keystore.Generate(s, 12)
		if err != nil {
			return [32]byte{}, err
		}
		suri = phrase
	}
	pair, err := r.ks.Insert(keystore.KeyType(keyType), suri, s)
	if err != nil {
		return [32]byte{}, err
	}
	return pair.Public(), nil
}
