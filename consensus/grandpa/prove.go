package grandpa

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// FinalityReader is what ProveFinality reads (*chain.Chain fits).
type FinalityReader interface {
	Finalized() chain.BlockRef
	HashByNumber(n uint32) (types.Hash, bool)
	Header(h types.Hash) (*types.Header, error)
	Justification(h types.Hash) ([]byte, bool)
}

// maxProofHeaders bounds unknown_headers, like Substrate's MAX_UNKNOWN_HEADERS.
const maxProofHeaders = 100_000

// ErrNoProof: no stored justification covers the block (yet).
var ErrNoProof = errors.New("grandpa: no justification covers the block")

// ProveFinality answers grandpa_proveFinality(number): the SCALE
// FinalityProof{block, justification, unknown_headers} built from the first
// finalized block at or above number that has a stored justification, with
// the headers number+1 ..= that block (as sc-consensus-grandpa does). It
// returns ErrNoProof when number is not finalized or nothing covers it
// (the RPC answers null then).
func ProveFinality(c FinalityReader, number uint32) ([]byte, error) {
	fin := c.Finalized()
	if number > fin.Number {
		return nil, ErrNoProof
	}
	for n64 := uint64(number); n64 <= uint64(fin.Number) && n64-uint64(number) <= maxProofHeaders; n64++ {
		n := uint32(n64)
		h, ok := c.HashByNumber(n)
		if !ok {
			return nil, fmt.Errorf("%w: no canonical block #%d", ErrNoProof, n)
		}
		j, ok := c.Justification(h)
		if !ok {
			continue
		}
		var headers []types.Header
		for k := number + 1; k <= n; k++ {
			kh, _ := c.HashByNumber(k)
			hd, err := c.Header(kh)
			if err != nil {
				return nil, fmt.Errorf("grandpa: header #%d: %w", k, err)
			}
			headers = append(headers, *hd)
		}
		return EncodeFinalityProof(h, j, headers), nil
	}
	return nil, ErrNoProof
}
