// Package frnk parses GRANDPA's consensus digests (engine "FRNK") far enough
// for block sync: the warp-proof server must find the blocks that schedule an
// authority-set change, and host/ may not import consensus/.
package frnk

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Engine is GRANDPA's consensus engine id.
var Engine = [4]byte{'F', 'R', 'N', 'K'}

// Log indices of sp_consensus_grandpa::ConsensusLog.
const (
	LogScheduledChange uint8 = 1
	LogForcedChange    uint8 = 2
	LogOnDisabled      uint8 = 3
	LogPause           uint8 = 4
	LogResume          uint8 = 5
)

// ErrMalformed reports a FRNK digest that does not decode.
var ErrMalformed = errors.New("frnk: malformed GRANDPA digest")

// Authority is one GRANDPA voter: an ed25519 key and its weight.
type Authority struct {
	ID     [32]byte
	Weight uint64
}

// Change is a ScheduledChange log.
type Change struct {
	Authorities []Authority
	Delay       uint32
}

// ScheduledChange returns the ScheduledChange carried by hdr, if any. A FRNK
// consensus digest that does not decode is an error; other logs are ignored.
func ScheduledChange(hdr *types.Header) (*Change, error) {
	for _, d := range hdr.Digest {
		if d.Kind != types.DigestConsensus || d.Engine != Engine {
			continue
		}
		if len(d.Data) == 0 {
			return nil, fmt.Errorf("%w: empty", ErrMalformed)
		}
		if d.Data[0] != LogScheduledChange {
			continue
		}
		c, err := DecodeChange(d.Data[1:])
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, nil
}

// DecodeChange decodes the payload of a ScheduledChange log (after its
// enum index): Vec<([u8;32], u64)> ++ delay u32.
func DecodeChange(b []byte) (*Change, error) {
	d := scale.NewDecoder(b)
	auths := scale.DecodeVec(d, 40, func(d *scale.Decoder) Authority {
		return Authority{ID: d.Fixed32(), Weight: d.U64()}
	})
	delay := d.U32()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return &Change{Authorities: auths, Delay: delay}, nil
}

// Encode returns the digest item of a ScheduledChange (for tests and
// authors).
func (c Change) Encode() types.DigestItem {
	e := scale.NewEncoder(8 + 40*len(c.Authorities))
	e.PutU8(LogScheduledChange)
	scale.EncodeVec(e, c.Authorities, func(e *scale.Encoder, a Authority) {
		e.PutRaw(a.ID[:])
		e.PutU64(a.Weight)
	})
	e.PutU32(c.Delay)
	return types.DigestItem{Kind: types.DigestConsensus, Engine: Engine, Data: e.Bytes()}
}
