package chain

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// InherentData is what the block author tells the runtime to put in
// inherents: identifier (8 bytes, e.g. "timstap0") → SCALE value.
type InherentData map[[8]byte][]byte

// TimestampInherent is the identifier of the timestamp inherent.
var TimestampInherent = [8]byte{'t', 'i', 'm', 's', 't', 'a', 'p', '0'}

// SetTimestamp records the timestamp inherent (milliseconds since the epoch).
func (d InherentData) SetTimestamp(ms uint64) {
	e := scale.NewEncoder(8)
	e.PutU64(ms)
	d[TimestampInherent] = e.Bytes()
}

// EncodeTo writes the BTreeMap<[u8; 8], Vec<u8>> encoding (sorted keys).
func (d InherentData) EncodeTo(e *scale.Encoder) {
	keys := make([][8]byte, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return string(keys[i][:]) < string(keys[j][:]) })
	e.PutLen(len(keys))
	for _, k := range keys {
		e.PutRaw(k[:])
		e.PutBytes(d[k])
	}
}

// ErrBlockFull is returned by Builder.Apply when the runtime says the block
// has no room left (InvalidTransaction::ExhaustsResources).
var ErrBlockFull = errors.New("chain: block is full")

// ApplyError is an extrinsic the runtime refused to include.
type ApplyError struct {
	Validity types.TransactionValidityError
}

func (e *ApplyError) Error() string { return "chain: extrinsic not applied: " + e.Validity.Error() }

// Builder builds one block on top of a parent: initialize, inherents,
// extrinsics, finalize, all on one runtime instance over one overlay, so
// that the author's block is imported without executing it a second time.
type Builder struct {
	c      *Chain
	ov     *state.Overlay
	inst   *executor.Instance
	header types.Header
	exts   [][]byte
	done   bool
}

// NewBuilder starts a block on parent with the given pre-runtime digests.
func (c *Chain) NewBuilder(ctx context.Context, parent types.Hash, digest []types.DigestItem) (*Builder, error) {
	ph, err := c.Header(parent)
	if err != nil {
		return nil, err
	}
	ov := c.state.NewOverlay(ph.StateRoot)
	inst, err := c.instance(ctx, ov)
	if err != nil {
		return nil, err
	}
	b := &Builder{c: c, ov: ov, inst: inst,
		header: types.Header{ParentHash: parent, Number: ph.Number + 1, Digest: digest}}
	if _, err := inst.Call(ctx, "Core_initialize_block", b.header.Bytes()); err != nil {
		inst.Close(ctx)
		return nil, fmt.Errorf("%w: initialize_block: %w", ErrExecution, err)
	}
	return b, nil
}

// Number is the number of the block being built.
func (b *Builder) Number() uint32 { return b.header.Number }

// Call runs another runtime API on the block being built (e.g. a query).
func (b *Builder) Call(ctx context.Context, method string, input []byte) ([]byte, error) {
	return b.inst.Call(ctx, method, input)
}

// Inherents asks the runtime for the inherents of data and applies them; an
// inherent that fails makes the block unbuildable.
func (b *Builder) Inherents(ctx context.Context, data InherentData) error {
	out, err := b.inst.Call(ctx, "BlockBuilder_inherent_extrinsics", scale.Encode(data))
	if err != nil {
		return fmt.Errorf("%w: inherent_extrinsics: %w", ErrExecution, err)
	}
	exts, err := DecodeBody(out)
	if err != nil {
		return fmt.Errorf("chain: inherent_extrinsics output: %w", err)
	}
	for _, x := range exts {
		if err := b.Apply(ctx, x); err != nil {
			return fmt.Errorf("chain: inherent refused: %w", err)
		}
	}
	return nil
}

// Apply applies one extrinsic (with its length prefix). It returns nil when
// the extrinsic is in the block (even if its call failed: fees were paid),
// *ApplyError when the runtime refused it (nothing was written), ErrBlockFull
// when there is no room left, and other errors when the runtime failed (the
// builder is then unusable).
func (b *Builder) Apply(ctx context.Context, ext []byte) error {
	out, err := b.inst.Call(ctx, "BlockBuilder_apply_extrinsic", ext)
	if err != nil {
		return fmt.Errorf("%w: apply_extrinsic: %w", ErrExecution, err)
	}
	var res types.ApplyExtrinsicResult
	if err := scale.Decode(out, &res); err != nil {
		return fmt.Errorf("chain: apply_extrinsic output: %w", err)
	}
	if res.Invalid != nil {
		if res.Invalid.Invalid && res.Invalid.Kind == types.InvalidExhaustsResources {
			return ErrBlockFull
		}
		return &ApplyError{Validity: *res.Invalid}
	}
	b.exts = append(b.exts, ext)
	return nil
}

// Extrinsics returns how many extrinsics are in the block so far.
func (b *Builder) Extrinsics() int { return len(b.exts) }

// Finish finalizes the block and returns it unsealed. The builder keeps its
// state until Import or Discard.
func (b *Builder) Finish(ctx context.Context) (*types.Block, error) {
	out, err := b.inst.Call(ctx, "BlockBuilder_finalize_block", nil)
	if err != nil {
		return nil, fmt.Errorf("%w: finalize_block: %w", ErrExecution, err)
	}
	hdr, err := types.DecodeHeader(out)
	if err != nil {
		return nil, fmt.Errorf("chain: finalize_block output: %w", err)
	}
	b.header = hdr
	return &types.Block{Header: hdr, Extrinsics: b.exts}, nil
}

// Import stores the finished block, sealed with seal (nil for none), without
// executing it again.
func (b *Builder) Import(ctx context.Context, seal *types.DigestItem) (*types.Block, BlockRef, bool, error) {
	if b.done {
		return nil, BlockRef{}, false, errors.New("chain: builder already used")
	}
	b.done = true
	defer b.inst.Close(ctx)
	blk := &types.Block{Header: b.header, Extrinsics: b.exts}
	if seal != nil {
		blk.Header.Digest = append(append([]types.DigestItem{}, b.header.Digest...), *seal)
	}
	ref, best, err := b.c.commit(blk, b.ov, b.inst.StateVersion())
	return blk, ref, best, err
}

// Discard drops the block being built.
func (b *Builder) Discard(ctx context.Context) {
	b.done = true
	b.inst.Close(ctx)
}
