package executor

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"

	"github.com/metamars/mars/host/executor/internal/testrt/script"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// prog builds a script program and the results it must produce.
type prog struct {
	in, want *scale.Encoder
}

func newProg() *prog { return &prog{in: scale.NewEncoder(256), want: scale.NewEncoder(256)} }

func (p *prog) op(code uint8, args ...[]byte) *prog {
	p.in.PutU8(code)
	for _, a := range args {
		p.in.PutBytes(a)
	}
	return p
}

func (p *prog) raw(b ...[]byte) *prog {
	for _, x := range b {
		p.in.PutRaw(x)
	}
	return p
}

func (p *prog) expectOpt(v []byte, ok bool) *prog {
	p.want.PutOption(ok)
	if ok {
		p.want.PutBytes(v)
	}
	return p
}

func (p *prog) expectBool(b bool) *prog  { p.want.PutBool(b); return p }
func (p *prog) expectRaw(b []byte) *prog { p.want.PutRaw(b); return p }
func (p *prog) expectU32(v uint32) *prog { p.want.PutU32(v); return p }

func mustHex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fullProgram exercises every host function with known answers.
func fullProgram(t testing.TB) *prog {
	p := newProg()
	// Storage.
	p.op(script.OpGet, []byte("a")).expectOpt(nil, false)
	p.op(script.OpSet, []byte("a"), []byte("1"))
	p.op(script.OpSet, []byte("ab"), bytes.Repeat([]byte{7}, 300)) // longer than the wasm scratch buffer
	p.op(script.OpSet, []byte("b"), []byte("2"))
	p.op(script.OpGet, []byte("a")).expectOpt([]byte("1"), true)
	p.op(script.OpGet, []byte("ab")).expectOpt(bytes.Repeat([]byte{7}, 300), true)
	p.op(script.OpExists, []byte("b")).expectBool(true)
	p.op(script.OpExists, []byte("c")).expectBool(false)
	p.op(script.OpNextKey, []byte("a")).expectOpt([]byte("ab"), true)
	p.op(script.OpNextKey, []byte("b")).expectOpt(nil, false)
	p.op(script.OpAppend, []byte("list"), []byte{0xaa})
	p.op(script.OpAppend, []byte("list"), []byte{0xbb})
	p.op(script.OpGet, []byte("list")).expectOpt([]byte{0x08, 0xaa, 0xbb}, true)
	p.op(script.OpClear, []byte("b"))
	p.op(script.OpExists, []byte("b")).expectBool(false)
	// Transactions: the rolled-back write disappears, the committed one stays.
	p.op(script.OpStartTx).op(script.OpSet, []byte("t1"), []byte("x")).op(script.OpRollbackTx)
	p.op(script.OpStartTx).op(script.OpSet, []byte("t2"), []byte("y")).op(script.OpCommitTx)
	p.op(script.OpExists, []byte("t1")).expectBool(false)
	p.op(script.OpExists, []byte("t2")).expectBool(true)
	// Clear prefix with a limit, then the rest.
	for _, k := range []string{"p1", "p2", "p3"} {
		p.op(script.OpSet, []byte(k), []byte("v"))
	}
	p.op(script.OpClearPrefix, []byte("p")).raw(le32(2)).expectU32(2).expectBool(false)
	p.op(script.OpClearPrefix, []byte("p")).raw(le32(0)).expectU32(1).expectBool(true)
	p.op(script.OpExists, []byte("p3")).expectBool(false)
	// Root of the state so far: a, ab, list, t2 (V1, since testrt has system_version 1).
	root, err := trie.RootOfPairs([]trie.Pair{
		{Key: []byte("a"), Value: []byte("1")},
		{Key: []byte("ab"), Value: bytes.Repeat([]byte{7}, 300)},
		{Key: []byte("list"), Value: []byte{0x08, 0xaa, 0xbb}},
		{Key: []byte("t2"), Value: []byte("y")},
	}, trie.V1)
	if err != nil {
		t.Fatal(err)
	}
	p.op(script.OpRoot).expectRaw(root[:])

	// Hashing against the pure-Go implementations and a PROTOCOL.md vector.
	data := []byte("System")
	p.op(script.OpBlake2_128, data).expectRaw(sl(types.Blake2b128(data)))
	p.op(script.OpBlake2_256, data).expectRaw(sl(types.Blake2b256(data)))
	p.op(script.OpTwox64, nil).expectRaw(mustHex(t, "99e9d85137db46ef"))
	p.op(script.OpTwox128, data).expectRaw(mustHex(t, "26aa394eea5630e07c48ae0c9558cef7"))
	p.op(script.OpTwox256, data).expectRaw(sl(types.Twox256(data)))
	p.op(script.OpKeccak256, data).expectRaw(sl(types.Keccak256(data)))

	// ed25519: RFC 8032 test 1, a voi signature, and a tampered one.
	rfcPub := mustHex(t, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	rfcSig := mustHex(t, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
	p.in.PutU8(script.OpEd25519Verify)
	p.raw(rfcSig).in.PutBytes(nil)
	p.raw(rfcPub).expectBool(true)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := []byte("mars")
	sig := ed25519.Sign(priv, msg)
	p.in.PutU8(script.OpEd25519Verify)
	p.raw(sig).in.PutBytes(msg)
	p.raw(pub).expectBool(true)
	p.in.PutU8(script.OpEd25519Verify)
	p.raw(sig).in.PutBytes([]byte("mars!"))
	p.raw(pub).expectBool(false)

	// sr25519 in the "substrate" context; other contexts must fail.
	msk, err := sr25519.NewMiniSecretKeyFromBytes(bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	kp := msk.ExpandEd25519().KeyPair()
	srPub, _ := kp.PublicKey().MarshalBinary()
	for _, c := range []struct {
		context string
		ok      bool
	}{{"substrate", true}, {"polkadot", false}} {
		s, err := kp.Sign(nil, sr25519.NewSigningContext([]byte(c.context)).NewTranscriptBytes(msg))
		if err != nil {
			t.Fatal(err)
		}
		srSig, _ := s.MarshalBinary()
		p.in.PutU8(script.OpSr25519Verify)
		p.raw(srSig).in.PutBytes(msg)
		p.raw(srPub).expectBool(c.ok)
	}

	// ecdsa: sign blake2_256(msg) with go-ethereum, verify, recover.
	key, err := crypto.ToECDSA(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	h := types.Blake2b256(msg)
	esig, err := crypto.Sign(h[:], key)
	if err != nil {
		t.Fatal(err)
	}
	cpub := crypto.CompressPubkey(&key.PublicKey)
	p.in.PutU8(script.OpEcdsaVerify)
	p.raw(esig).in.PutBytes(msg)
	p.raw(cpub).expectBool(true)
	p.in.PutU8(script.OpEcdsaVerify)
	p.raw(esig).in.PutBytes([]byte("other"))
	p.raw(cpub).expectBool(false)
	full := crypto.FromECDSAPub(&key.PublicKey)
	p.in.PutU8(script.OpSecp256k1Recover)
	p.raw(esig, h[:]).expectOpt(full[1:], true)
	esig27 := append([]byte(nil), esig...)
	esig27[64] += 27
	p.in.PutU8(script.OpSecp256k1Recover)
	p.raw(esig27, h[:]).expectOpt(full[1:], true)
	bad := append([]byte(nil), esig...)
	bad[64] = 9
	p.in.PutU8(script.OpSecp256k1Recover)
	p.raw(bad, h[:]).expectOpt(nil, false)

	// Trie functions against host/trie.
	kvs := [][2][]byte{{[]byte("k1"), []byte("v1")}, {[]byte("k2"), bytes.Repeat([]byte{9}, 40)}}
	for _, ver := range []uint8{0, 1} {
		want, _ := trie.RootOfPairs([]trie.Pair{{Key: kvs[0][0], Value: kvs[0][1]}, {Key: kvs[1][0], Value: kvs[1][1]}}, trie.Version(ver))
		p.in.PutU8(script.OpTrieRoot)
		p.in.PutLen(2)
		for _, kv := range kvs {
			p.in.PutBytes(kv[0])
			p.in.PutBytes(kv[1])
		}
		p.in.PutU8(ver)
		p.expectRaw(want[:])
	}
	vals := [][]byte{[]byte("x0"), []byte("x1"), []byte("x2")}
	ord, _ := trie.OrderedRoot(vals, trie.V0)
	p.in.PutU8(script.OpTrieOrderedRoot)
	scale.EncodeVec(p.in, vals, (*scale.Encoder).PutBytes)
	p.in.PutU8(0)
	p.expectRaw(ord[:])
	tr := trie.New()
	for _, kv := range kvs {
		if err := tr.Put(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	troot, _ := tr.Hash(trie.V1)
	proof, err := tr.Prove([][]byte{[]byte("k2")}, trie.V1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		value []byte
		ok    bool
	}{{kvs[1][1], true}, {[]byte("wrong"), false}} {
		p.in.PutU8(script.OpTrieVerifyProof)
		p.raw(troot[:])
		scale.EncodeVec(p.in, proof, (*scale.Encoder).PutBytes)
		p.in.PutBytes([]byte("k2"))
		p.in.PutBytes(c.value)
		p.in.PutU8(1)
		p.expectBool(c.ok)
	}

	// Logging.
	p.in.PutU8(script.OpLog)
	p.in.PutU8(3)
	p.in.PutString("test")
	p.in.PutString("hello from the runtime")
	p.op(script.OpMaxLogLevel).want.PutU8(3)
	return p
}

func le32(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }

func sl[T ~[8]byte | ~[16]byte | ~[32]byte](a T) []byte {
	switch v := any(a).(type) {
	case [8]byte:
		return v[:]
	case [16]byte:
		return v[:]
	case [32]byte:
		return v[:]
	}
	panic("unreachable")
}

// TestScript runs every host function in wasm (compiler and interpreter)
// and natively: all three must give the expected results and leave equal
// storage.
func TestScript(t *testing.T) {
	p := fullProgram(t)
	want := p.want.Bytes()

	native := newMemStorage()
	got := script.Run(NewNativeHost(native, 1), p.in.Bytes())
	if !bytes.Equal(got, want) {
		t.Fatalf("native:\n got %x\nwant %x", got, want)
	}

	for _, interp := range []bool{false, true} {
		e := newTestExecutor(t, func(c *Config) { c.Interpreter = interp })
		s := newMemStorage()
		inst := newTestInstance(t, e, s)
		got, err := inst.Call(context.Background(), "run", p.in.Bytes())
		if err != nil {
			t.Fatalf("interpreter=%v: %v", interp, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("interpreter=%v:\n got %x\nwant %x", interp, got, want)
		}
		if s.dump() != native.dump() {
			t.Fatalf("interpreter=%v: storage differs from native:\n%s\nvs\n%s", interp, s.dump(), native.dump())
		}
		if len(s.journal) != 0 {
			t.Fatalf("transactions left open: %d", len(s.journal))
		}
	}
}
