package keystore

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestKeyTypeString(t *testing.T) {
	for kt, want := range map[KeyType]string{KeyTypeAura: "aura", KeyTypeGrandpa: "gran", KeyTypeAccount: "acco", {0, 1, 2, 3}: "0x00010203"} {
		if got := kt.String(); got != want {
			t.Errorf("%v: %q", [4]byte(kt), got)
		}
	}
}

func TestDiskKeystoreRoundTrip(t *testing.T) {
	base := t.TempDir()
	ks, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	if ks.Dir() != filepath.Join(base, "keystore") {
		t.Fatalf("dir = %s", ks.Dir())
	}
	inserts := []struct {
		kt     KeyType
		suri   string
		scheme Scheme
	}{
		{KeyTypeAura, "//Alice", Sr25519},
		{KeyTypeAura, "//Bob", Sr25519},
		{KeyTypeGrandpa, "//Alice", Ed25519},
		{KeyTypeAccount, "//Alice//stash///p<a>&ss", Sr25519},
	}
	pubs := make([][32]byte, len(inserts))
	for i, in := range inserts {
		kp, err := ks.Insert(in.kt, in.suri, in.scheme)
		if err != nil {
			t.Fatal(err)
		}
		pubs[i] = kp.Public()
		name := hex.EncodeToString(in.kt[:]) + hex.EncodeToString(pubs[i][:])
		path := filepath.Join(ks.Dir(), name)
		st, err := os.Stat(path)
		if err != nil {
			t.Fatalf("key file %s: %v", name, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
		}
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// serde_json::to_string of the SURI: quoted, no HTML escaping, no newline.
		if want := `"` + in.suri + `"`; string(content) != want {
			t.Fatalf("content %q, want %q", content, want)
		}
	}
	if st, err := os.Stat(ks.Dir()); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("keystore dir: %v %v", st.Mode(), err)
	}
	// Junk that Keys must skip.
	for _, junk := range []string{"61757261", "61757261zz", "README", "61757261" + hex.EncodeToString(make([]byte, 33))} {
		if err := os.WriteFile(filepath.Join(ks.Dir(), junk), []byte(`"x"`), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// A fresh Keystore over the same directory sees everything.
	ks2, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	aura, err := ks2.Keys(KeyTypeAura)
	if err != nil {
		t.Fatal(err)
	}
	wantAura := [][32]byte{pubs[1], pubs[0]} // Bob 8eaf.. sorts before Alice d435..
	if len(aura) != 2 || aura[0] != wantAura[0] || aura[1] != wantAura[1] {
		t.Fatalf("aura keys = %x", aura)
	}
	if gran, _ := ks2.Keys(KeyTypeGrandpa); len(gran) != 1 || gran[0] != pubs[2] {
		t.Fatalf("gran keys = %x", gran)
	}
	if none, _ := ks2.Keys(KeyType{'b', 'a', 'b', 'e'}); len(none) != 0 {
		t.Fatalf("babe keys = %x", none)
	}
	for i, in := range inserts {
		if !ks2.Has(in.kt, pubs[i]) {
			t.Fatalf("Has(%s, %x) = false", in.kt, pubs[i])
		}
		kp, err := ks2.Pair(in.kt, pubs[i])
		if err != nil {
			t.Fatal(err)
		}
		if kp.Scheme() != in.scheme {
			t.Fatalf("%s: scheme %v, want %v", in.suri, kp.Scheme(), in.scheme)
		}
		msg := []byte("block header hash")
		sig, err := ks2.Sign(in.kt, pubs[i], msg)
		if err != nil {
			t.Fatal(err)
		}
		if !Verify(in.scheme, pubs[i], msg, sig) {
			t.Fatalf("%s: keystore signature does not verify", in.suri)
		}
	}
	// Alice's aura key is not a grandpa key.
	if ks2.Has(KeyTypeGrandpa, pubs[0]) {
		t.Fatal("Has crosses key types")
	}
	if _, err := ks2.Sign(KeyTypeGrandpa, pubs[0], nil); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("Sign of a missing key: %v", err)
	}
}

// A key file written by a Substrate node (`author_insertKey` or
// `key insert`) is read back.
func TestReadsSubstrateKeyFile(t *testing.T) {
	base := t.TempDir()
	ks, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	alice := DevAccounts()[0].Public()
	name := "61757261" + hex.EncodeToString(alice[:])
	if err := os.WriteFile(filepath.Join(ks.Dir(), name), []byte(`"//Alice"`), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := ks.Keys(KeyTypeAura)
	if err != nil || len(keys) != 1 || keys[0] != alice {
		t.Fatalf("keys %x, %v", keys, err)
	}
	kp, err := ks.Pair(KeyTypeAura, alice)
	if err != nil || kp.Public() != alice {
		t.Fatalf("pair: %v", err)
	}
}

func TestCorruptKeyFiles(t *testing.T) {
	base := t.TempDir()
	ks, err := Open(base)
	if err != nil {
		t.Fatal(err)
	}
	alice := DevAccounts()[0].Public()
	write := func(content string) {
		t.Helper()
		name := "61757261" + hex.EncodeToString(alice[:])
		if err := os.WriteFile(filepath.Join(ks.Dir(), name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		content string
		want    error
	}{
		{`"//Bob"`, ErrKeyMismatch},
		{`//Alice`, ErrInvalidKeyFile},
		{`42`, ErrInvalidKeyFile},
		{`"//Alice//"`, ErrInvalidURI},
		{`"not a phrase at all"`, ErrInvalidMnemonic},
	}
	for _, tc := range tests {
		write(tc.content)
		fresh, err := Open(base) // no cache
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.Pair(KeyTypeAura, alice); !errors.Is(err, tc.want) {
			t.Errorf("content %s: %v, want %v", tc.content, err, tc.want)
		}
	}
}

func TestInMemoryKeystore(t *testing.T) {
	ks := NewInMemory()
	if ks.Dir() != "" {
		t.Fatal("in-memory keystore has a dir")
	}
	a, err := ks.Insert(KeyTypeAura, "//Alice", Sr25519)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ks.Insert(KeyTypeGrandpa, "//Alice", Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Insert(KeyTypeGrandpa, "//Alice/soft", Ed25519); !errors.Is(err, ErrSoftJunction) {
		t.Fatalf("bad insert: %v", err)
	}
	if keys, _ := ks.Keys(KeyTypeAura); len(keys) != 1 || keys[0] != a.Public() {
		t.Fatalf("aura keys %x", keys)
	}
	if keys, _ := ks.Keys(KeyTypeGrandpa); len(keys) != 1 || keys[0] != g.Public() {
		t.Fatalf("gran keys %x", keys)
	}
	if !ks.Has(KeyTypeAura, a.Public()) || ks.Has(KeyTypeAura, g.Public()) {
		t.Fatal("Has")
	}
	sig, err := ks.Sign(KeyTypeGrandpa, g.Public(), []byte("vote"))
	if err != nil || !Verify(Ed25519, g.Public(), []byte("vote"), sig) {
		t.Fatalf("sign: %v", err)
	}
	if _, err := ks.Pair(KeyTypeAccount, a.Public()); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

func TestConcurrentSign(t *testing.T) {
	ks, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	kp, err := ks.Insert(KeyTypeAura, "//Alice", Sr25519)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			msg := []byte{byte(i)}
			sig, err := ks.Sign(KeyTypeAura, kp.Public(), msg)
			if err != nil {
				errs <- err
				return
			}
			if !Verify(Sr25519, kp.Public(), msg, sig) {
				errs <- errors.New("bad signature")
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
