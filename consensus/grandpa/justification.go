package grandpa

import (
	"fmt"

	"github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// SignedPrecommit is finality_grandpa::SignedPrecommit.
type SignedPrecommit struct {
	Precommit Vote
	Signature [64]byte
	ID        [32]byte
}

// Justification is sc-consensus-grandpa's GrandpaJustification:
// {round u64, commit{target_hash, target_number, precommits}, votes_ancestries Vec<Header>}.
type Justification struct {
	Round           uint64
	Target          Vote
	Precommits      []SignedPrecommit
	VotesAncestries []types.Header
}

// Encode returns the SCALE bytes of j.
func (j *Justification) Encode() []byte {
	e := scale.NewEncoder(64 + 132*len(j.Precommits))
	e.PutU64(j.Round)
	j.Target.encodeTo(e)
	e.PutLen(len(j.Precommits))
	for _, p := range j.Precommits {
		p.Precommit.encodeTo(e)
		e.PutRaw(p.Signature[:])
		e.PutRaw(p.ID[:])
	}
	e.PutLen(len(j.VotesAncestries))
	for _, h := range j.VotesAncestries {
		h.EncodeTo(e)
	}
	return e.Bytes()
}

// DecodeJustification decodes a justification, refusing oversize input,
// absurd lengths and trailing bytes. It verifies nothing.
func DecodeJustification(b []byte) (*Justification, error) {
	if len(b) > MaxJustification {
		return nil, fmt.Errorf("%w: justification of %d bytes", ErrTooLarge, len(b))
	}
	d := scale.NewDecoder(b)
	j := &Justification{Round: d.U64()}
	j.Target.decodeFrom(d)
	n := d.Len(132)
	if n > 2*MaxAuthorities {
		d.Fail(scale.ErrTooLong)
	}
	if d.Err() == nil {
		j.Precommits = make([]SignedPrecommit, n)
		for i := range j.Precommits {
			p := &j.Precommits[i]
			p.Precommit.decodeFrom(d)
			copy(p.Signature[:], d.Raw(64))
			p.ID = d.Fixed32()
		}
	}
	m := d.Len(98) // a header is at least parent, number, two roots and the digest length
	if d.Err() == nil {
		j.VotesAncestries = make([]types.Header, m)
		for i := range j.VotesAncestries {
			j.VotesAncestries[i].DecodeFrom(d)
		}
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return j, nil
}

// VerifyJustification decodes b and checks that it finalizes (hash, number)
// for the authority set (setID, auths), with Substrate's rules:
//   - the commit targets exactly (hash, number);
//   - every signer is a member of the set, at most two different precommits
//     per signer (a second one is an equivocation, counted per the paper:
//     the equivocator's weight counts for every block), no exact duplicates;
//   - every signature is valid for (precommit, round, setID);
//   - votes_ancestries connects each precommit to the target, and every
//     header in it is used;
//   - the precommit GHOST with weight >= threshold is exactly the target.
func VerifyJustification(b []byte, hash types.Hash, number uint32, setID uint64, auths []Authority) (*Justification, error) {
	return verifyJustification(b, hash, number, setID, auths, true)
}

// verifyJustification is VerifyJustification; checkSigs false skips the
// signatures (the voter's self-check of a justification it built from
// votes whose signatures it already checked).
func verifyJustification(b []byte, hash types.Hash, number uint32, setID uint64, auths []Authority, checkSigs bool) (*Justification, error) {
	j, err := DecodeJustification(b)
	if err != nil {
		return nil, err
	}
	vs, err := newVoterSet(auths)
	if err != nil {
		return nil, err
	}
	if j.Target.Hash != hash || j.Target.Number != number {
		return nil, fmt.Errorf("%w: #%d %x, want #%d %x", ErrWrongTarget, j.Target.Number, j.Target.Hash[:4], number, hash[:4])
	}
	anc := make(map[types.Hash]*types.Header, len(j.VotesAncestries))
	for i := range j.VotesAncestries {
		anc[j.VotesAncestries[i].Hash()] = &j.VotesAncestries[i]
	}
	used := make(map[types.Hash]bool, len(anc))
	lookup := func(h types.Hash) (types.Hash, uint32, bool) {
		hd, ok := anc[h]
		if !ok {
			return types.Hash{}, 0, false
		}
		used[h] = true
		return hd.ParentHash, hd.Number, true
	}
	if err := verifyCommit(vs, j.Round, setID, j.Target, j.Precommits, lookup, checkSigs); err != nil {
		return nil, err
	}
	if len(used) != len(anc) {
		return nil, fmt.Errorf("%w: %d of %d used", ErrUnusedAncestry, len(used), len(anc))
	}
	return j, nil
}

// verifyCommit checks a commit's precommits against the set through lookup
// (which must know every block between a precommit's target and the commit's).
func verifyCommit(vs *voterSet, round, setID uint64, target Vote, pcs []SignedPrecommit, lookup lookupFn, checkSigs bool) error {
	if len(pcs) > 2*len(vs.auths) {
		return fmt.Errorf("%w: %d precommits for %d authorities", ErrDuplicateVote, len(pcs), len(vs.auths))
	}
	votes := make([]graphVote, 0, len(pcs))
	perVoter := make(map[int][]Vote, len(pcs))
	for _, p := range pcs {
		i, ok := vs.index[p.ID]
		if !ok {
			return fmt.Errorf("%w: %x", ErrNotAuthority, p.ID[:8])
		}
		prev := perVoter[i]
		if len(prev) == 2 || (len(prev) == 1 && prev[0] == p.Precommit) {
			return fmt.Errorf("%w: %x", ErrDuplicateVote, p.ID[:8])
		}
		perVoter[i] = append(prev, p.Precommit)
		votes = append(votes, graphVote{voter: i, target: p.Precommit})
	}
	// Ancestry before signatures: it is the cheaper check.
	for _, p := range pcs {
		if !connects(target, p.Precommit, lookup) {
			return fmt.Errorf("%w: #%d %x", ErrAncestry, p.Precommit.Number, p.Precommit.Hash[:4])
		}
	}
	if checkSigs && !batchVerify(pcs, round, setID) {
		for _, p := range pcs {
			if !verifySig(UnsignedMessage{KindPrecommit, p.Precommit}, round, setID, p.ID, p.Signature) {
				return fmt.Errorf("%w: precommit by %x in round %d set %d", ErrBadSignature, p.ID[:8], round, setID)
			}
		}
	}
	g := buildGraph(vs, target, votes, lookup)
	gh, ok := g.thresholdGhost()
	if !ok || gh != target {
		return fmt.Errorf("%w: weight %d of %d, threshold %d", ErrWeight, g.weight(target.Hash), vs.total, vs.threshold())
	}
	return nil
}

// batchVerify checks many precommit signatures at once (ZIP-215 rules, under
// which batch and single verification agree); false means "check one by
// one", also for small batches where batching does not pay.
func batchVerify(pcs []SignedPrecommit, round, setID uint64) bool {
	if len(pcs) < 8 {
		return false
	}
	bv := ed25519.NewBatchVerifierWithCapacity(len(pcs))
	for _, p := range pcs {
		bv.AddWithOptions(ed25519.PublicKey(p.ID[:]), SigningPayload(UnsignedMessage{KindPrecommit, p.Precommit}, round, setID), p.Signature[:], zip215)
	}
	return bv.VerifyBatchOnly(nil)
}

var zip215 = &ed25519.Options{Verify: ed25519.VerifyOptionsZIP_215}

// connects reports whether v is base or descends from it through lookup.
func connects(base, v Vote, lookup lookupFn) bool {
	h, n := v.Hash, v.Number
	for h != base.Hash {
		if n <= base.Number {
			return false
		}
		p, pn, ok := lookup(h)
		if !ok || pn != n {
			return false
		}
		h, n = p, n-1
	}
	return n == base.Number
}

// DecodeScheduledChange returns the authority set a header schedules through
// a "FRNK" consensus digest ScheduledChange (enum index 1):
// {next_authorities Vec<([u8;32], u64)>, delay u32}.
func DecodeScheduledChange(h *types.Header) (next []Authority, delay uint32, ok bool) {
	for _, di := range h.Digest {
		if di.Kind != types.DigestConsensus || di.Engine != types.EngineGrandpa || len(di.Data) == 0 || di.Data[0] != 1 {
			continue
		}
		d := scale.NewDecoder(di.Data[1:])
		n := d.Len(40)
		if n > MaxAuthorities {
			continue
		}
		auths := make([]Authority, 0, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			auths = append(auths, Authority{ID: d.Fixed32(), Weight: d.U64()})
		}
		dl := d.U32()
		if d.Finish() != nil || len(auths) == 0 {
			continue
		}
		return auths, dl, true
	}
	return nil, 0, false
}

// ScheduledChangeDigest returns the "FRNK" ScheduledChange digest item for
// next with the given delay (what the runtime emits; used by tests and tools).
func ScheduledChangeDigest(next []Authority, delay uint32) types.DigestItem {
	e := scale.NewEncoder(8 + 40*len(next))
	e.PutU8(1)
	e.PutLen(len(next))
	for _, a := range next {
		e.PutRaw(a.ID[:])
		e.PutU64(a.Weight)
	}
	e.PutU32(delay)
	return types.DigestItem{Kind: types.DigestConsensus, Engine: types.EngineGrandpa, Data: e.Bytes()}
}

// EncodeFinalityProof returns Substrate's FinalityProof{block H256,
// justification Vec<u8>, unknown_headers Vec<Header>}, the answer of
// grandpa_proveFinality (hex-encoded by the RPC).
func EncodeFinalityProof(block types.Hash, justification []byte, unknownHeaders []types.Header) []byte {
	e := scale.NewEncoder(64 + len(justification))
	e.PutRaw(block[:])
	e.PutBytes(justification)
	e.PutLen(len(unknownHeaders))
	for _, h := range unknownHeaders {
		h.EncodeTo(e)
	}
	return e.Bytes()
}
