package trie

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func buildRandom(t testing.TB, seed uint64, n int) (*Trie, model) {
	r := rand.New(rand.NewPCG(seed, 1))
	tr, m := New(), model{}
	for range n {
		k, v := randKey(r), randValue(r)
		if err := tr.Put(k, v); err != nil {
			t.Fatal(err)
		}
		m[string(k)] = v
	}
	return tr, m
}

func TestProofs(t *testing.T) {
	for _, ver := range []Version{V0, V1} {
		tr, m := buildRandom(t, uint64(ver)+10, 200)
		root, _ := tr.Hash(ver)
		r := rand.New(rand.NewPCG(5, 5))
		for k, v := range m {
			proof, err := tr.Prove([][]byte{[]byte(k)}, ver)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyProof(root, proof, []byte(k), v); err != nil {
				t.Fatalf("V%d key %x: %v", ver, k, err)
			}
			wrong := append(bytes.Clone(v), 1)
			if err := VerifyProof(root, proof, []byte(k), wrong); !errors.Is(err, ErrProofMismatch) {
				t.Fatalf("wrong value accepted: %v", err)
			}
			if err := VerifyAbsence(root, proof, []byte(k)); !errors.Is(err, ErrProofMismatch) {
				t.Fatalf("absence of a present key accepted: %v", err)
			}
			// Drop the root node: the proof becomes incomplete.
			if err := VerifyProof(root, proof[1:], []byte(k), v); !errors.Is(err, ErrIncompleteProof) {
				t.Fatalf("proof without its root: %v", err)
			}
		}
		for range 50 {
			k := randKey(r)
			if _, ok := m[string(k)]; ok {
				continue
			}
			proof, _ := tr.Prove([][]byte{k}, ver)
			if err := VerifyAbsence(root, proof, k); err != nil {
				t.Fatalf("absence of %x: %v", k, err)
			}
		}
		// A multi-key proof serves a partial trie for all of its keys.
		var keys [][]byte
		for k := range m {
			if len(keys) < 20 {
				keys = append(keys, []byte(k))
			}
		}
		proof, _ := tr.Prove(keys, ver)
		pt := NewFromProof(root, proof)
		for _, k := range keys {
			v, ok, err := pt.Get(k)
			if err != nil || !ok || !bytes.Equal(v, m[string(k)]) {
				t.Fatalf("partial trie Get(%x): %v %v", k, ok, err)
			}
		}
		if h, _ := pt.Hash(ver); h != root {
			t.Fatal("partial trie root differs")
		}
	}
}

// A partial trie from a proof can be modified and re-hashed (stateless
// execution) as long as the touched paths are in the proof.
func TestProofStatelessWrite(t *testing.T) {
	tr, _ := buildRandom(t, 3, 300)
	root, _ := tr.Hash(V0)
	key := []byte{0x11, 0x22, 0x33, 0x44}
	proof, _ := tr.Prove([][]byte{key}, V0)
	pt := NewFromProof(root, proof)
	if err := pt.Put(key, []byte("new")); err != nil {
		t.Fatal(err)
	}
	_ = tr.Put(key, []byte("new"))
	want, _ := tr.Hash(V0)
	got, err := pt.Hash(V0)
	if err != nil || got != want {
		t.Fatalf("stateless root %x (%v), want %x", got, err, want)
	}
}

func TestConformanceProof(t *testing.T) {
	pairs, err := LoadStatePairs(openConformance(t, "kusama-3783-state.json"))
	if err != nil {
		t.Fatal(err)
	}
	tr := New()
	for _, p := range pairs {
		_ = tr.Put(p.Key, p.Value)
	}
	root, _ := tr.Hash(V0)
	keys := [][]byte{pairs[0].Key, pairs[1000].Key, []byte(":code")}
	proof, err := tr.Prove(keys, V0)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys[:2] {
		if err := VerifyProof(root, proof, k, pairs[[]int{0, 1000}[i]].Value); err != nil {
			t.Fatal(err)
		}
	}
}
