package grandpa

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Size bounds. A gossip message larger than MaxGossipMessage or a
// justification larger than MaxJustification is refused before decoding.
const (
	MaxGossipMessage = 1 << 20
	MaxJustification = 8 << 20
	// MaxAuthorities bounds the authority sets this package handles (and so
	// the precommits a commit may carry: two per authority at most).
	MaxAuthorities = 10_000
)

// Errors of this package. Returned errors wrap them with detail.
var (
	ErrTooLarge         = errors.New("grandpa: message too large")
	ErrDecode           = errors.New("grandpa: malformed message")
	ErrUnknownMessage   = errors.New("grandpa: unknown message kind")
	ErrWrongTarget      = errors.New("grandpa: justification targets another block")
	ErrWrongSet         = errors.New("grandpa: wrong authority set id")
	ErrBadSignature     = errors.New("grandpa: invalid signature")
	ErrNotAuthority     = errors.New("grandpa: signer is not in the authority set")
	ErrDuplicateVote    = errors.New("grandpa: duplicate or excess vote by one signer")
	ErrAncestry         = errors.New("grandpa: precommit does not descend from the target")
	ErrUnusedAncestry   = errors.New("grandpa: votes_ancestries holds headers no precommit uses")
	ErrWeight           = errors.New("grandpa: precommits do not reach the 2/3 threshold on the target")
	ErrEmptyAuthorities = errors.New("grandpa: empty authority set")
)

// Authority is one GRANDPA voter: its ed25519 key and voting weight.
type Authority struct {
	ID     [32]byte
	Weight uint64
}

// Message kinds (the index of Substrate's finality_grandpa::Message enum).
const (
	KindPrevote        uint8 = 0
	KindPrecommit      uint8 = 1
	KindPrimaryPropose uint8 = 2
)

// Vote is a vote for a block: Prevote, Precommit and PrimaryPropose all carry
// {target_hash, target_number}.
type Vote struct {
	Hash   types.Hash
	Number uint32
}

func (v Vote) encodeTo(e *scale.Encoder) {
	e.PutRaw(v.Hash[:])
	e.PutU32(v.Number)
}

func (v *Vote) decodeFrom(d *scale.Decoder) {
	v.Hash = d.Fixed32()
	v.Number = d.U32()
}

// UnsignedMessage is finality_grandpa::Message: a kind and its vote.
type UnsignedMessage struct {
	Kind uint8
	Vote Vote
}

// SignedMessage is finality_grandpa::SignedMessage.
type SignedMessage struct {
	Message   UnsignedMessage
	Signature [64]byte
	ID        [32]byte
}

// SigningPayload is what an authority signs: SCALE(Message, round u64, set_id u64).
func SigningPayload(m UnsignedMessage, round, setID uint64) []byte {
	e := scale.NewEncoder(1 + 36 + 16)
	e.PutU8(m.Kind)
	m.Vote.encodeTo(e)
	e.PutU64(round)
	e.PutU64(setID)
	return e.Bytes()
}

// verifySig checks an ed25519 signature of m in (round, setID) by id.
func verifySig(m UnsignedMessage, round, setID uint64, id [32]byte, sig [64]byte) bool {
	return keystore.Verify(keystore.Ed25519, id, SigningPayload(m, round, setID), sig[:])
}

// Signer signs votes (a keystore.KeyPair of scheme ed25519 fits).
type Signer interface {
	Public() [32]byte
	Sign(msg []byte) []byte
}

func sign(s Signer, m UnsignedMessage, round, setID uint64) SignedMessage {
	sm := SignedMessage{Message: m, ID: s.Public()}
	copy(sm.Signature[:], s.Sign(SigningPayload(m, round, setID)))
	return sm
}

// Gossip message kinds (sc-consensus-grandpa's GossipMessage enum).
const (
	gossipVote     uint8 = 0
	gossipCommit   uint8 = 1
	gossipNeighbor uint8 = 2
)

// VoteMessage is a signed vote of one round of one set, as gossiped.
type VoteMessage struct {
	Round, SetID uint64
	Signed       SignedMessage
}

// CompactCommit is finality_grandpa::CompactCommit: precommits and their
// (signature, id) pairs in two parallel vectors.
type CompactCommit struct {
	Target     Vote
	Precommits []Vote
	AuthData   []AuthSig
}

// AuthSig is one (signature, id) pair of a CompactCommit.
type AuthSig struct {
	Signature [64]byte
	ID        [32]byte
}

// CommitMessage is sc-consensus-grandpa's FullCommitMessage.
type CommitMessage struct {
	Round, SetID uint64
	Commit       CompactCommit
}

// NeighborPacket is the V1 neighbor packet (decoded and ignored by the voter:
// the gossip layer here is pubsub and needs no per-peer view).
type NeighborPacket struct {
	Round, SetID          uint64
	CommitFinalizedHeight uint32
}

// GossipMessage is one message of the "grandpa" topic: exactly one of the
// fields is set.
type GossipMessage struct {
	Vote     *VoteMessage
	Commit   *CommitMessage
	Neighbor *NeighborPacket
}

// Encode returns the SCALE bytes of g.
func (g GossipMessage) Encode() []byte {
	e := scale.NewEncoder(128)
	switch {
	case g.Vote != nil:
		e.PutU8(gossipVote)
		e.PutU64(g.Vote.Round)
		e.PutU64(g.Vote.SetID)
		e.PutU8(g.Vote.Signed.Message.Kind)
		g.Vote.Signed.Message.Vote.encodeTo(e)
		e.PutRaw(g.Vote.Signed.Signature[:])
		e.PutRaw(g.Vote.Signed.ID[:])
	case g.Commit != nil:
		e.PutU8(gossipCommit)
		e.PutU64(g.Commit.Round)
		e.PutU64(g.Commit.SetID)
		c := g.Commit.Commit
		c.Target.encodeTo(e)
		e.PutLen(len(c.Precommits))
		for _, p := range c.Precommits {
			p.encodeTo(e)
		}
		e.PutLen(len(c.AuthData))
		for _, a := range c.AuthData {
			e.PutRaw(a.Signature[:])
			e.PutRaw(a.ID[:])
		}
	case g.Neighbor != nil:
		e.PutU8(gossipNeighbor)
		e.PutU8(1) // VersionedNeighborPacket::V1
		e.PutU64(g.Neighbor.Round)
		e.PutU64(g.Neighbor.SetID)
		e.PutU32(g.Neighbor.CommitFinalizedHeight)
	}
	return e.Bytes()
}

// DecodeGossipMessage decodes one message of the "grandpa" topic. It refuses
// oversize input, unknown kinds, absurd lengths and trailing bytes. It checks
// no signature (ValidateGossip does the cheap structural checks only too).
func DecodeGossipMessage(b []byte) (GossipMessage, error) {
	var g GossipMessage
	if len(b) > MaxGossipMessage {
		return g, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(b))
	}
	d := scale.NewDecoder(b)
	switch kind := d.U8(); kind {
	case gossipVote:
		v := &VoteMessage{Round: d.U64(), SetID: d.U64()}
		v.Signed.Message.Kind = d.U8()
		if v.Signed.Message.Kind > KindPrimaryPropose {
			d.Fail(scale.ErrInvalidEnum)
		}
		v.Signed.Message.Vote.decodeFrom(d)
		copy(v.Signed.Signature[:], d.Raw(64))
		v.Signed.ID = d.Fixed32()
		g.Vote = v
	case gossipCommit:
		c := &CommitMessage{Round: d.U64(), SetID: d.U64()}
		c.Commit.Target.decodeFrom(d)
		n := d.Len(36)
		if n > 2*MaxAuthorities {
			d.Fail(scale.ErrTooLong)
		}
		if d.Err() == nil {
			c.Commit.Precommits = make([]Vote, n)
			for i := range c.Commit.Precommits {
				c.Commit.Precommits[i].decodeFrom(d)
			}
		}
		m := d.Len(96)
		if d.Err() == nil && m != n {
			return g, fmt.Errorf("%w: %d precommits but %d signatures", ErrDecode, n, m)
		}
		if d.Err() == nil {
			c.Commit.AuthData = make([]AuthSig, m)
			for i := range c.Commit.AuthData {
				copy(c.Commit.AuthData[i].Signature[:], d.Raw(64))
				c.Commit.AuthData[i].ID = d.Fixed32()
			}
		}
		g.Commit = c
	case gossipNeighbor:
		if d.U8() != 1 {
			d.Fail(scale.ErrInvalidEnum)
		}
		g.Neighbor = &NeighborPacket{Round: d.U64(), SetID: d.U64(), CommitFinalizedHeight: d.U32()}
	default:
		if d.Err() == nil {
			return g, fmt.Errorf("%w: %d", ErrUnknownMessage, kind)
		}
	}
	if err := d.Finish(); err != nil {
		return GossipMessage{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return g, nil
}

// ValidateGossip is the structural check a gossip validator runs before a
// message spreads: size bound and a clean decode. Signatures and set
// membership are the voter's business (it knows the set).
func ValidateGossip(b []byte) error {
	_, err := DecodeGossipMessage(b)
	return err
}

// Equivocation stages of Substrate's sp_consensus_grandpa::Equivocation.
const (
	EquivocationPrevote   uint8 = 0
	EquivocationPrecommit uint8 = 1
)

// EquivocationProof is sp_consensus_grandpa::EquivocationProof.
type EquivocationProof struct {
	SetID     uint64
	Stage     uint8 // EquivocationPrevote or EquivocationPrecommit
	Round     uint64
	Identity  [32]byte
	First     Vote
	FirstSig  [64]byte
	Second    Vote
	SecondSig [64]byte
}

// Encode returns the SCALE bytes of the proof.
func (p EquivocationProof) Encode() []byte {
	e := scale.NewEncoder(8 + 1 + 8 + 32 + 2*(36+64))
	e.PutU64(p.SetID)
	e.PutU8(p.Stage)
	e.PutU64(p.Round)
	e.PutRaw(p.Identity[:])
	p.First.encodeTo(e)
	e.PutRaw(p.FirstSig[:])
	p.Second.encodeTo(e)
	e.PutRaw(p.SecondSig[:])
	return e.Bytes()
}

// DecodeEquivocationProof decodes and checks a proof: both signatures by
// Identity, same round and stage, different votes.
func DecodeEquivocationProof(b []byte) (EquivocationProof, error) {
	var p EquivocationProof
	d := scale.NewDecoder(b)
	p.SetID = d.U64()
	p.Stage = d.U8()
	if p.Stage > EquivocationPrecommit {
		d.Fail(scale.ErrInvalidEnum)
	}
	p.Round = d.U64()
	p.Identity = d.Fixed32()
	p.First.decodeFrom(d)
	copy(p.FirstSig[:], d.Raw(64))
	p.Second.decodeFrom(d)
	copy(p.SecondSig[:], d.Raw(64))
	if err := d.Finish(); err != nil {
		return EquivocationProof{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return p, nil
}

// Check verifies the proof's two signatures and that the votes differ.
func (p EquivocationProof) Check() error {
	if p.First == p.Second {
		return fmt.Errorf("%w: equivocation votes are equal", ErrDecode)
	}
	if !verifySig(UnsignedMessage{p.Stage, p.First}, p.Round, p.SetID, p.Identity, p.FirstSig) ||
		!verifySig(UnsignedMessage{p.Stage, p.Second}, p.Round, p.SetID, p.Identity, p.SecondSig) {
		return ErrBadSignature
	}
	return nil
}
