package grandpa

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

func TestSigningPayloadLayout(t *testing.T) {
	h := types.Hash{1, 2, 3}
	got := SigningPayload(UnsignedMessage{KindPrecommit, Vote{h, 0x01020304}}, 5, 9)
	want := append([]byte{1}, h[:]...)
	want = binary.LittleEndian.AppendUint32(want, 0x01020304)
	want = binary.LittleEndian.AppendUint64(want, 5)
	want = binary.LittleEndian.AppendUint64(want, 9)
	if !bytes.Equal(got, want) {
		t.Fatalf("payload %x, want %x", got, want)
	}
}

func sampleGossip() []GossipMessage {
	k := newTestKey(0)
	sm := sign(k, UnsignedMessage{KindPrevote, Vote{types.Hash{7}, 3}}, 2, 1)
	return []GossipMessage{
		{Vote: &VoteMessage{Round: 2, SetID: 1, Signed: sm}},
		{Commit: &CommitMessage{Round: 2, SetID: 1, Commit: CompactCommit{Target: Vote{types.Hash{7}, 3},
			Precommits: []Vote{{types.Hash{7}, 3}}, AuthData: []AuthSig{{sm.Signature, sm.ID}}}}},
		{Neighbor: &NeighborPacket{Round: 2, SetID: 1, CommitFinalizedHeight: 3}},
	}
}

func TestGossipRoundTrip(t *testing.T) {
	for _, g := range sampleGossip() {
		b := g.Encode()
		d, err := DecodeGossipMessage(b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.Encode(), b) {
			t.Fatalf("round trip differs for %x", b)
		}
		if _, err := DecodeGossipMessage(append(b, 0)); !errors.Is(err, ErrDecode) {
			t.Fatalf("trailing byte: %v", err)
		}
	}
	// Vote layout: 00 ++ round ++ set ++ kind ++ hash ++ number ++ sig ++ id.
	b := sampleGossip()[0].Encode()
	if len(b) != 1+8+8+1+32+4+64+32 || b[0] != 0 || b[17] != KindPrevote {
		t.Fatalf("vote layout %x", b)
	}
	if _, err := DecodeGossipMessage([]byte{9}); !errors.Is(err, ErrUnknownMessage) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := DecodeGossipMessage(make([]byte, MaxGossipMessage+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversize: %v", err)
	}
	// A commit whose vectors disagree in length.
	c := sampleGossip()[1].Encode()
	bad := append(append([]byte(nil), c[:1+8+8+36]...), 4<<2)
	if _, err := DecodeGossipMessage(bad); err == nil {
		t.Fatal("accepted a commit claiming 4 precommits it lacks")
	}
}

func TestEquivocationProof(t *testing.T) {
	k := newTestKey(1)
	a := sign(k, UnsignedMessage{KindPrevote, Vote{types.Hash{1}, 4}}, 6, 2)
	b := sign(k, UnsignedMessage{KindPrevote, Vote{types.Hash{2}, 4}}, 6, 2)
	p := EquivocationProof{SetID: 2, Stage: EquivocationPrevote, Round: 6, Identity: k.Public(),
		First: a.Message.Vote, FirstSig: a.Signature, Second: b.Message.Vote, SecondSig: b.Signature}
	enc := p.Encode()
	if len(enc) != 8+1+8+32+2*(36+64) {
		t.Fatalf("proof length %d", len(enc))
	}
	d, err := DecodeEquivocationProof(enc)
	if err != nil || d != p || d.Check() != nil {
		t.Fatalf("decode %v, check %v", err, d.Check())
	}
	p.Round = 7
	if p.Check() == nil {
		t.Fatal("proof with the wrong round checked")
	}
	p.Round, p.Second = 6, p.First
	if p.Check() == nil {
		t.Fatal("proof of two equal votes checked")
	}
}

func FuzzDecodeGossipMessage(f *testing.F) {
	for _, g := range sampleGossip() {
		f.Add(g.Encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := DecodeGossipMessage(b)
		if err != nil {
			return
		}
		if !bytes.Equal(g.Encode(), b) {
			t.Fatalf("decode/encode not identical for %x", b)
		}
	})
}

func FuzzDecodeEquivocationProof(f *testing.F) {
	f.Add(EquivocationProof{Stage: 1}.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeEquivocationProof(b)
		if err == nil && !bytes.Equal(p.Encode(), b) {
			t.Fatalf("decode/encode not identical for %x", b)
		}
	})
}

// FuzzStep feeds arbitrary gossip to a voter: it must never panic.
func FuzzStep(f *testing.F) {
	for _, g := range sampleGossip() {
		f.Add(g.Encode())
	}
	keys := []testKey{newTestKey(0), newTestKey(1), newTestKey(2), newTestKey(3)}
	f.Fuzz(func(t *testing.T, b []byte) {
		bt := newBlockTree()
		st, err := NewState(Config{Signer: keys[0]}, 1, testAuthorities(keys), bt.ref(bt.genesis), nil, t0)
		if err != nil {
			t.Fatal(err)
		}
		h := bt.child(bt.genesis.Hash(), 1)
		st.Step(BlockImported{Now: t0, Header: h})
		st.Step(MessageReceived{Now: t0.Add(time.Second), Data: b})
		st.Step(Tick{Now: t0.Add(2 * time.Second)})
	})
}
