package frame

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// InitializeBlock starts block h (Core_initialize_block): System's
// initialization with h's pre-runtime digest items, OnRuntimeUpgrade when the runtime changed since the last
// block, OnInitialize of every pallet (their weight and the base block
// weight counted as Mandatory).
func (r *Runtime) InitializeBlock(ctx *Context, h *types.Header) (types.ExtrinsicInclusionMode, error) {
	if r.system == nil {
		return 0, errors.New("frame: runtime has no System pallet")
	}
	// Only pre-runtime digests are inputs (Executive::extract_pre_digest);
	// the runtime adds the others itself and ExecuteBlock compares.
	pre := *h
	pre.Digest = nil
	for _, d := range h.Digest {
		if d.Kind == types.DigestPreRuntime {
			pre.Digest = append(pre.Digest, d)
		}
	}
	r.system.Initialize(ctx, &pre)
	ctx.events = nil
	weight := r.cfg.Limits.BaseBlock
	v := r.cfg.Version
	if sv, name, ok := r.system.LastRuntimeUpgrade(ctx); !ok || sv != v.SpecVersion || name != v.SpecName {
		r.system.SetLastRuntimeUpgrade(ctx, v.SpecVersion, v.SpecName)
		for _, e := range r.order {
			if u, ok := e.pallet.(OnRuntimeUpgrader); ok {
				weight = weight.SaturatingAdd(u.OnRuntimeUpgrade(ctx))
			}
		}
	}
	for _, e := range r.order {
		if oi, ok := e.pallet.(OnInitializer); ok {
			weight = weight.SaturatingAdd(oi.OnInitialize(ctx, h.Number))
		}
	}
	bw := r.system.BlockWeight(ctx)
	bw[Mandatory] = bw[Mandatory].SaturatingAdd(weight)
	r.system.SetBlockWeight(ctx, bw)
	r.system.NoteFinishedInitialize(ctx)
	return types.AllExtrinsics, nil
}

// ApplyExtrinsic applies one extrinsic (BlockBuilder_apply_extrinsic). An
// extrinsic that cannot be included (bad proof, stale nonce, no funds for
// the fee, exhausted block, ...) gives Invalid and leaves no state change;
// an included one records ExtrinsicSuccess/ExtrinsicFailed and its
// DispatchErr if its call failed (the call's writes rolled back, the fee
// and nonce kept).
func (r *Runtime) ApplyExtrinsic(ctx *Context, full []byte) types.ApplyExtrinsicResult {
	saved := ctx.begin()
	derr, err := r.apply(ctx, full)
	if err != nil {
		ctx.rollback(saved)
		ve := ValidityError(err)
		if !ctx.cacheReads {
			ctx.releaseScratch()
		}
		return types.ApplyExtrinsicResult{Invalid: &ve}
	}
	ctx.CommitTransaction()
	if !ctx.cacheReads {
		// Likely an entry point of its own (a block being built): leave
		// the encoders to the next one.
		ctx.releaseScratch()
	}
	return types.ApplyExtrinsicResult{DispatchErr: derr}
}

// IsInherent reports whether a full extrinsic is an inherent: a bare call
// that its pallet declares as one.
func (r *Runtime) IsInherent(full []byte) bool {
	x, err := types.DecodeExtrinsic(full)
	if err != nil || x.Signed {
		return false
	}
	call, err := r.DecodeCallBytes(x.Rest)
	return err == nil && r.isInherentCall(call)
}

// signedVersion reports whether the byte after full's compact length
// prefix (the version byte of a well-formed extrinsic) has the signed bit:
// then IsInherent(full) is false whatever the rest holds (a signed
// extrinsic, or one that does not decode), and ApplyExtrinsic decodes it
// once instead of twice.
func signedVersion(full []byte) bool {
	if len(full) == 0 {
		return false
	}
	var off int
	switch full[0] & 3 {
	case 0:
		off = 1
	case 1:
		off = 2
	case 2:
		off = 4
	default:
		return false
	}
	return off < len(full) && full[off]&0x80 != 0
}

func (r *Runtime) isInherentCall(c *RuntimeCall) bool {
	ip, ok := c.Pallet.(InherentProvider)
	return ok && ip.IsInherent(c.CallIndex)
}

func (r *Runtime) apply(ctx *Context, full []byte) (*types.DispatchError, error) {
	x, err := types.DecodeExtrinsic(full)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTxCall, err)
	}
	length := uint32(len(full))
	if !x.Signed {
		return r.applyBare(ctx, &x, full, length)
	}
	r.noteNonInherent(ctx)
	c, err := r.check(ctx, &x, length)
	if err != nil {
		return nil, err
	}
	info := c.call.Info()
	if info.Class == Mandatory {
		return nil, ErrTxBadMandatory
	}
	r.system.NoteExtrinsic(ctx, full)
	// pre_dispatch of each extension, in order.
	if c.who.IsZero() {
		return nil, ErrTxBadSigner
	}
	acc := r.system.Account(ctx, c.who)
	if acc.Providers == 0 && acc.Sufficients == 0 {
		return nil, ErrTxPayment
	}
	switch {
	case c.extra.Nonce < acc.Nonce:
		return nil, ErrTxStale
	case c.extra.Nonce > acc.Nonce:
		return nil, ErrTxFuture
	}
	if s, ok := r.system.(nonceIncrementer); ok {
		s.IncNonceOf(ctx, c.who, acc) // acc was just read: no second read
	} else {
		r.system.IncNonce(ctx, c.who)
	}
	if err := r.noteWeight(ctx, info, length); err != nil {
		return nil, err
	}
	var fee, withdrawn scale.U128
	if r.payment != nil {
		fee = r.payment.ComputeFee(ctx, length, info, c.extra.Tip)
		if !fee.IsZero() {
			withdrawn, err = r.payment.WithdrawFee(ctx, c.who, c.call, info, fee, c.extra.Tip)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrTxPayment, err)
			}
		}
	}
	post, dispErr := c.call.Dispatch(ctx, Signed(c.who))
	r.refundWeight(ctx, info, post)
	if r.payment != nil && !fee.IsZero() {
		actual := r.payment.ComputeActualFee(ctx, length, info, post, c.extra.Tip)
		if err := r.payment.CorrectAndDepositFee(ctx, c.who, info, post, actual, c.extra.Tip, withdrawn); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrTxPayment, err)
		}
	}
	return r.noteApplied(ctx, info, post, dispErr), nil
}

// nonceIncrementer is optionally implemented by System: IncNonce for a
// caller that holds the account's current info.
type nonceIncrementer interface {
	IncNonceOf(ctx *Context, who types.AccountID, acc AccountInfo)
}

func (r *Runtime) applyBare(ctx *Context, x *types.Extrinsic, full []byte, length uint32) (*types.DispatchError, error) {
	call, err := r.DecodeCallBytes(x.Rest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTxCall, err)
	}
	info := call.Info()
	inherent := r.isInherentCall(call)
	if inherent && r.system.InherentsApplied(ctx) {
		return nil, fmt.Errorf("%w: %s after a non-inherent extrinsic", ErrTxBadMandatory, call)
	}
	if !inherent {
		r.noteNonInherent(ctx)
		if info.Class == Mandatory {
			return nil, ErrTxBadMandatory
		}
		uv, ok := call.Pallet.(UnsignedValidator)
		if !ok {
			return nil, ErrTxNoUnsignedValidator
		}
		if _, err := uv.ValidateUnsigned(ctx, types.SourceInBlock, call); err != nil {
			return nil, err
		}
	}
	r.system.NoteExtrinsic(ctx, full)
	if err := r.noteWeight(ctx, info, length); err != nil {
		return nil, err
	}
	post, dispErr := call.Dispatch(ctx, None())
	if dispErr != nil && (inherent || info.Class == Mandatory) {
		return nil, fmt.Errorf("%w: %s: %w", ErrTxBadMandatory, call, dispErr)
	}
	r.refundWeight(ctx, info, post)
	return r.noteApplied(ctx, info, post, dispErr), nil
}

// noteNonInherent records that inherents are over for this block (a
// later inherent is BadMandatory, as in frame_executive).
func (r *Runtime) noteNonInherent(ctx *Context) {
	if !r.system.InherentsApplied(ctx) {
		r.system.NoteInherentsApplied(ctx)
	}
}

// refundWeight is CheckWeight's post_dispatch: give back declared minus
// actual weight.
func (r *Runtime) refundWeight(ctx *Context, info DispatchInfo, post PostDispatchInfo) {
	unspent := info.Weight.SaturatingSub(ActualWeight(info, post))
	if unspent == (types.Weight{}) {
		return
	}
	bw := r.system.BlockWeight(ctx)
	bw[info.Class] = bw[info.Class].SaturatingSub(unspent)
	r.system.SetBlockWeight(ctx, bw)
}

func (r *Runtime) noteApplied(ctx *Context, info DispatchInfo, post PostDispatchInfo, dispErr error) *types.DispatchError {
	ev := DispatchInfo{
		Weight:  ActualWeight(info, post).SaturatingAdd(r.cfg.Limits.PerClass[info.Class].BaseExtrinsic),
		Class:   info.Class,
		PaysFee: ActualPays(info, post),
	}
	var de *types.DispatchError
	if dispErr != nil {
		e := r.DispatchError(dispErr)
		de = &e
	}
	r.system.NoteAppliedExtrinsic(ctx, ev, de)
	return de
}

// FinalizeBlock ends the block (BlockBuilder_finalize_block): OnFinalize
// of every pallet, then System builds the header with the extrinsics root
// and the state root.
func (r *Runtime) FinalizeBlock(ctx *Context) (types.Header, error) {
	r.system.NoteFinishedExtrinsics(ctx)
	n := r.system.BlockNumber(ctx)
	for _, e := range r.order {
		if of, ok := e.pallet.(OnFinalizer); ok {
			if err := of.OnFinalize(ctx, n); err != nil {
				return types.Header{}, fmt.Errorf("frame: %s on_finalize: %w", e.pallet.Name(), err)
			}
		}
	}
	return r.system.Finalize(ctx), nil
}

// ErrDigestMismatch: the block's digest differs from the one execution
// produced.
var ErrDigestMismatch = errors.New("frame: digest mismatch")

// ExecuteBlock imports block b (Core_execute_block): initialize, apply
// every extrinsic (inherents first; any invalid extrinsic or failed
// inherent fails the block), finalize, and compare the state root,
// extrinsics root and digest with b's header. On error every write is
// rolled back (and in WASM the entry point traps, so the host discards the
// call's state anyway).
func (r *Runtime) ExecuteBlock(ctx *Context, b *types.Block) error {
	saved := ctx.begin()
	if err := r.executeBlock(ctx, b); err != nil {
		ctx.rollback(saved)
		return err
	}
	ctx.CommitTransaction()
	return nil
}

func (r *Runtime) executeBlock(ctx *Context, b *types.Block) (err error) {
	// A block is valid or not as a whole, so its extrinsics' signature
	// checks are deferred to the host (which runs them on other cores while
	// the block executes) and their verdict taken at the end; with any bad
	// signature the block fails as it would have at that extrinsic. Nothing
	// else defers: validate_transaction and apply_extrinsic while building
	// decide inclusion by the answer.
	//
	// The verdict comes before the block's final checks, and a bad
	// signature is reported as such even when the extrinsics that relied on
	// it went on to fail something else.
	ctx.StartBatchVerify()
	ctx.batchVerify = true
	// One Context runs the whole block: cache what it reads (see
	// Context.reads).
	defer ctx.endWriteBack(ctx.beginWriteBack())
	open := true
	finish := func() bool {
		open, ctx.batchVerify = false, false
		return ctx.FinishBatchVerify()
	}
	defer func() {
		if open && !finish() {
			err = fmt.Errorf("%w (then: %w)", ErrBadSignature, err)
		}
	}()
	h := b.Header
	h.StateRoot, h.ExtrinsicsRoot = types.Hash{}, types.Hash{}
	if _, err := r.InitializeBlock(ctx, &h); err != nil {
		return err
	}
	signedSeen := false
	for i, xt := range b.Extrinsics {
		if !signedVersion(xt) && r.IsInherent(xt) {
			if signedSeen {
				return fmt.Errorf("%w: extrinsic %d", ErrInherentAfterSigned, i)
			}
		} else {
			signedSeen = true
		}
		res := r.ApplyExtrinsic(ctx, xt)
		if res.Invalid != nil {
			return fmt.Errorf("%w: extrinsic %d: %v", ErrInvalidExtrinsic, i, res.Invalid)
		}
	}
	if !finish() {
		return ErrBadSignature
	}
	got, err := r.FinalizeBlock(ctx)
	if err != nil {
		return err
	}
	if len(got.Digest) != len(b.Header.Digest) {
		return fmt.Errorf("%w: %d items, header %d", ErrDigestMismatch, len(got.Digest), len(b.Header.Digest))
	}
	for i := range got.Digest {
		if string(scale.Encode(got.Digest[i])) != string(scale.Encode(b.Header.Digest[i])) {
			return fmt.Errorf("%w: item %d", ErrDigestMismatch, i)
		}
	}
	if got.StateRoot != b.Header.StateRoot {
		return fmt.Errorf("%w: computed %s, header %s", ErrStateRootMismatch, got.StateRoot, b.Header.StateRoot)
	}
	if got.ExtrinsicsRoot != b.Header.ExtrinsicsRoot {
		return fmt.Errorf("%w: computed %s, header %s", ErrExtrinsicsRootMismatch, got.ExtrinsicsRoot, b.Header.ExtrinsicsRoot)
	}
	return nil
}

// ValidateTransaction checks a transaction for the pool
// (TaggedTransactionQueue_validate_transaction) on the state of block
// blockHash, as if it were included in the next block. It never changes
// state (everything runs in a rolled-back storage transaction).
func (r *Runtime) ValidateTransaction(ctx *Context, source types.TransactionSource, full []byte, blockHash types.Hash) types.TransactionValidity {
	saved := ctx.begin()
	defer ctx.rollback(saved)
	n := r.system.BlockNumber(ctx)
	r.system.Initialize(ctx, &types.Header{ParentHash: blockHash, Number: n + 1})
	v, err := r.validate(ctx, source, full)
	if err != nil {
		ve := ValidityError(err)
		return types.TransactionValidity{Err: &ve}
	}
	return types.TransactionValidity{Valid: v}
}

func (r *Runtime) validate(ctx *Context, source types.TransactionSource, full []byte) (types.ValidTransaction, error) {
	x, err := types.DecodeExtrinsic(full)
	if err != nil {
		return types.ValidTransaction{}, fmt.Errorf("%w: %w", ErrTxCall, err)
	}
	length := uint32(len(full))
	if !x.Signed {
		call, err := r.DecodeCallBytes(x.Rest)
		if err != nil {
			return types.ValidTransaction{}, fmt.Errorf("%w: %w", ErrTxCall, err)
		}
		if r.isInherentCall(call) || call.Info().Class == Mandatory {
			return types.ValidTransaction{}, ErrTxMandatoryValidation
		}
		uv, ok := call.Pallet.(UnsignedValidator)
		if !ok {
			return types.ValidTransaction{}, ErrTxNoUnsignedValidator
		}
		return uv.ValidateUnsigned(ctx, source, call)
	}
	c, err := r.check(ctx, &x, length)
	if err != nil {
		return types.ValidTransaction{}, err
	}
	if c.call.Info().Class == Mandatory {
		return types.ValidTransaction{}, ErrTxMandatoryValidation
	}
	return r.validateSigned(ctx, c)
}

// InherentExtrinsics returns the inherents to put first in a new block
// (BlockBuilder_inherent_extrinsics), in pallet order.
func (r *Runtime) InherentExtrinsics(ctx *Context, data *InherentData) [][]byte {
	var out [][]byte
	for _, e := range r.order {
		ip, ok := e.pallet.(InherentProvider)
		if !ok {
			continue
		}
		ci, args, ok := ip.CreateInherent(ctx, data)
		if !ok {
			continue
		}
		call := append([]byte{e.index, ci}, args...)
		out = append(out, types.EncodeBareExtrinsic(call))
	}
	return out
}

// CheckInherents checks the inherents of b against data
// (BlockBuilder_check_inherents), on the parent's state.
func (r *Runtime) CheckInherents(ctx *Context, b *types.Block, data *InherentData) CheckInherentsResult {
	res := CheckInherentsResult{Okay: true}
	for _, xt := range b.Extrinsics {
		x, err := types.DecodeExtrinsic(xt)
		if err != nil || x.Signed {
			break // inherents come first
		}
		call, err := r.DecodeCallBytes(x.Rest)
		if err != nil || !r.isInherentCall(call) {
			break
		}
		ip := call.Pallet.(InherentProvider)
		if err := ip.CheckInherent(ctx, call, data); err != nil {
			res.Okay = false
			var ie *InherentError
			if errors.As(err, &ie) {
				res.FatalError = res.FatalError || ie.Fatal
				res.Errors.Put(ie.ID, ie.Data)
			} else {
				res.FatalError = true
				var id InherentID
				copy(id[:], call.Pallet.Name())
				res.Errors.Put(id, []byte(err.Error()))
			}
			if res.FatalError {
				break
			}
		}
	}
	return res
}
