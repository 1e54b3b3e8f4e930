package keystore

import "testing"

func BenchmarkSr25519Sign(b *testing.B) {
	kp := DevAccounts()[0]
	msg := make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		kp.Sign(msg)
	}
}

func BenchmarkSr25519Verify(b *testing.B) {
	kp := DevAccounts()[0]
	msg := make([]byte, 128)
	sig := kp.Sign(msg)
	pub := kp.Public()
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(Sr25519, pub, msg, sig) {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkEd25519Sign(b *testing.B) {
	kp, err := FromURI(Ed25519, "//Alice")
	if err != nil {
		b.Fatal(err)
	}
	msg := make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		kp.Sign(msg)
	}
}

// BenchmarkFromURIAlice is the cost of loading a key: PBKDF2 (2048 rounds of
// HMAC-SHA512) plus one hard derivation.
func BenchmarkFromURIAlice(b *testing.B) {
	for b.Loop() {
		if _, err := FromURI(Sr25519, "//Alice"); err != nil {
			b.Fatal(err)
		}
	}
}
