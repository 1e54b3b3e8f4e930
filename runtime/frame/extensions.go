package frame

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// SignedExtensions are the names of the runtime's signed extensions in
// order (metadata and @polkadot/api know them by these names).
var SignedExtensions = []string{
	"CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
	"CheckNonce", "CheckWeight", "ChargeTransactionPayment", "CheckMetadataHash",
}

// Extra is the signed extensions' data carried in a signed extrinsic:
// era ++ Compact<u32> nonce ++ Compact<u128> tip ++ u8 metadata-hash mode.
type Extra struct {
	Era              types.Era
	Nonce            uint32
	Tip              scale.U128
	MetadataHashMode uint8 // 0 Disabled, 1 Enabled
}

// EncodeTo writes the extra in extension order.
func (x *Extra) EncodeTo(e *scale.Encoder) {
	x.Era.EncodeTo(e)
	e.PutCompact(uint64(x.Nonce))
	e.PutCompactU128(x.Tip)
	e.PutU8(x.MetadataHashMode)
}

// DecodeFrom reads an Extra; a nonce above u32 or a mode other than 0/1
// fails.
func (x *Extra) DecodeFrom(d *scale.Decoder) {
	x.Era.DecodeFrom(d)
	n := d.Compact()
	if n > 0xffffffff {
		d.Fail(scale.ErrOverflow)
	}
	x.Nonce = uint32(n)
	x.Tip = d.CompactU128()
	x.MetadataHashMode = d.U8()
	if x.MetadataHashMode > 1 {
		d.Fail(scale.ErrOverflow)
	}
}

// TransactionPayment is what ChargeTransactionPayment needs from the
// transaction payment pallet (pallets/transactionpayment implements it;
// wire it with Runtime.SetPayment). Amounts are u128 planck.
type TransactionPayment interface {
	// ComputeFee is the fee (incl. tip) of an extrinsic of length bytes
	// with info, before dispatch (pallet_transaction_payment::compute_fee).
	ComputeFee(ctx *Context, length uint32, info DispatchInfo, tip scale.U128) scale.U128
	// ComputeActualFee is the fee after dispatch, from the actual weight
	// and pays_fee of post (compute_actual_fee).
	ComputeActualFee(ctx *Context, length uint32, info DispatchInfo, post PostDispatchInfo, tip scale.U128) scale.U128
	// ComputeFeeDetails splits the fee for TransactionPaymentApi_query_fee_details.
	ComputeFeeDetails(ctx *Context, length uint32, info DispatchInfo, tip scale.U128) FeeDetails
	// WithdrawFee takes fee (incl. tip) from who before dispatch and
	// returns what it withdrew; an error means the account cannot pay and
	// becomes InvalidTransaction::Payment.
	WithdrawFee(ctx *Context, who types.AccountID, call *RuntimeCall, info DispatchInfo, fee, tip scale.U128) (withdrawn scale.U128, err error)
	// CorrectAndDepositFee refunds withdrawn - actualFee to who, handles
	// the paid fee (burn/treasury/author) and emits TransactionFeePaid.
	CorrectAndDepositFee(ctx *Context, who types.AccountID, info DispatchInfo, post PostDispatchInfo, actualFee, tip, withdrawn scale.U128) error
}

// PriorityCalculator is optionally implemented by the TransactionPayment
// value to compute the pool priority itself (pallet_transaction_payment's
// get_priority); otherwise frame's approximation is used.
type PriorityCalculator interface {
	Priority(ctx *Context, info DispatchInfo, length uint32, tip, fee scale.U128) uint64
}

// InclusionFee is pallet_transaction_payment::InclusionFee.
type InclusionFee struct {
	BaseFee, LenFee, AdjustedWeightFee scale.U128
}

// FeeDetails is pallet_transaction_payment::FeeDetails.
type FeeDetails struct {
	InclusionFee *InclusionFee
	Tip          scale.U128
}

// EncodeTo writes Option<InclusionFee> ++ tip (u128 each).
func (f *FeeDetails) EncodeTo(e *scale.Encoder) {
	e.PutOption(f.InclusionFee != nil)
	if f.InclusionFee != nil {
		e.PutU128(f.InclusionFee.BaseFee)
		e.PutU128(f.InclusionFee.LenFee)
		e.PutU128(f.InclusionFee.AdjustedWeightFee)
	}
	e.PutU128(f.Tip)
}

// checked is a signed extrinsic whose signature was verified.
type checked struct {
	who   types.AccountID
	extra Extra
	call  *RuntimeCall
	len   uint32
}

// pre is what pre-dispatch hands to post-dispatch.
type pre struct {
	withdrawn scale.U128
}

// Implicit builds the extensions' implicit data: spec_version ++
// tx_version ++ genesis hash ++ birth block hash ++ Option<[32]> (None).
func (r *Runtime) Implicit(ctx *Context, x *Extra) ([]byte, error) {
	sys := r.system
	genesis, ok := sys.BlockHash(ctx, 0)
	if !ok {
		return nil, ErrTxAncientBirthBlock
	}
	cur := uint64(sys.BlockNumber(ctx))
	birth := x.Era.Birth(cur)
	birthHash := genesis
	if !x.Era.Immortal {
		h, ok := sys.BlockHash(ctx, types.BlockNumber(birth))
		if !ok || birth > 0xffffffff {
			return nil, ErrTxAncientBirthBlock
		}
		birthHash = h
	}
	e := scale.NewEncoder(4 + 4 + 32 + 32 + 1)
	e.PutU32(r.cfg.Version.SpecVersion)
	e.PutU32(r.cfg.Version.TransactionVersion)
	e.PutRaw(genesis[:])
	e.PutRaw(birthHash[:])
	e.PutOption(false) // CheckMetadataHash: no metadata hash is compiled in
	return e.Bytes(), nil
}

// verifySignature checks sig by who over call ++ extra ++ implicit (hashed
// with blake2_256 through the host when longer than 256 bytes).
func verifySignature(ctx *Context, who *types.AccountID, sig *types.MultiSignature, call, extra, implicit []byte) bool {
	p := make([]byte, 0, len(call)+len(extra)+len(implicit))
	p = append(append(append(p, call...), extra...), implicit...)
	if len(p) > 256 {
		h := ctx.Blake2_256(p)
		p = h[:]
	}
	switch sig.Kind {
	case types.SigEd25519, types.SigSr25519:
		if len(sig.Sig) != 64 {
			return false
		}
		s := (*[64]byte)(sig.Sig)
		pub := (*[32]byte)(who)
		switch {
		case sig.Kind == types.SigEd25519 && ctx.batchVerify:
			return ctx.Ed25519BatchVerify(s, p, pub)
		case sig.Kind == types.SigEd25519:
			return ctx.Ed25519Verify(s, p, pub)
		case ctx.batchVerify:
			return ctx.Sr25519BatchVerify(s, p, pub)
		}
		return ctx.Sr25519Verify(s, p, pub)
	case types.SigEcdsa:
		if len(sig.Sig) != 65 {
			return false
		}
		m := ctx.Blake2_256(p)
		pub, ok := ctx.Secp256k1Recover((*[65]byte)(sig.Sig), &m)
		if !ok {
			return false
		}
		var comp [33]byte
		comp[0] = 2 | pub[63]&1
		copy(comp[1:], pub[:32])
		return ctx.Blake2_256(comp[:]) == [32]byte(*who)
	}
	return false
}

// check decodes and authenticates a signed extrinsic (Checkable::check).
func (r *Runtime) check(ctx *Context, x *types.Extrinsic, length uint32) (*checked, error) {
	who, ok := x.Address.AccountID()
	if !ok {
		return nil, ErrTxCannotLookup
	}
	d := scale.NewDecoder(x.Rest)
	var extra Extra
	extra.DecodeFrom(d)
	if d.Err() != nil {
		return nil, fmt.Errorf("%w: extra: %w", ErrTxCall, d.Err())
	}
	extraBytes := x.Rest[:d.Offset()]
	callBytes := x.Rest[d.Offset():]
	call, err := r.DecodeCallBytes(callBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTxCall, err)
	}
	imp, err := r.Implicit(ctx, &extra)
	if err != nil {
		return nil, err
	}
	c := &checked{who: who, extra: extra, call: call, len: length}
	if !verifySignature(ctx, &c.who, &x.Signature, callBytes, extraBytes, imp) {
		return nil, ErrTxBadProof
	}
	return c, nil
}

// validateSigned runs every extension's validate (pool path).
func (r *Runtime) validateSigned(ctx *Context, c *checked) (types.ValidTransaction, error) {
	v := types.ValidTransaction{Longevity: ^uint64(0), Propagate: true}
	info := c.call.Info()
	if c.who == (types.AccountID{}) {
		return v, ErrTxBadSigner // CheckNonZeroSender
	}
	// CheckMortality
	cur := uint64(r.system.BlockNumber(ctx))
	v.Longevity = satSub(c.extra.Era.Death(cur), cur)
	// CheckNonce
	acc := r.system.Account(ctx, c.who)
	if acc.Providers == 0 && acc.Sufficients == 0 {
		return v, ErrTxPayment
	}
	if c.extra.Nonce < acc.Nonce {
		return v, ErrTxStale
	}
	v.Provides = [][]byte{nonceTag(c.who, c.extra.Nonce)}
	if c.extra.Nonce > acc.Nonce {
		v.Requires = [][]byte{nonceTag(c.who, c.extra.Nonce-1)}
	}
	// CheckWeight
	if err := r.checkLength(ctx, info, c.len, false); err != nil {
		return v, err
	}
	if cl := r.cfg.Limits.PerClass[info.Class]; cl.MaxExtrinsic != nil &&
		anyGT(info.Weight.SaturatingAdd(cl.BaseExtrinsic), *cl.MaxExtrinsic) {
		return v, ErrTxExhaustsResources
	}
	// ChargeTransactionPayment
	fee, err := r.withdraw(ctx, c)
	if err != nil {
		return v, err
	}
	if pc, ok := r.payment.(PriorityCalculator); ok {
		v.Priority = pc.Priority(ctx, info, c.len, c.extra.Tip, fee)
	} else {
		v.Priority = r.priority(info, c.len, c.extra.Tip, fee)
	}
	return v, nil
}

func satSub(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return 0
}

// nonceTag is the pool tag (who, nonce) SCALE-encoded.
func nonceTag(who types.AccountID, nonce uint32) []byte {
	t := make([]byte, 36)
	copy(t, who[:])
	t[32], t[33], t[34], t[35] = byte(nonce), byte(nonce>>8), byte(nonce>>16), byte(nonce>>24)
	return t
}

// checkLength is CheckWeight's length check; with note it also records the
// new AllExtrinsicsLen.
func (r *Runtime) checkLength(ctx *Context, info DispatchInfo, length uint32, note bool) error {
	cur := r.system.AllExtrinsicsLen(ctx)
	next := uint64(cur) + uint64(length)
	if next > uint64(r.cfg.Limits.MaxLength[info.Class]) {
		return ErrTxExhaustsResources
	}
	if note {
		r.system.SetAllExtrinsicsLen(ctx, uint32(next))
	}
	return nil
}

// noteWeight is CheckWeight's pre_dispatch: add the extrinsic's weight to
// System.BlockWeight or fail with ExhaustsResources.
func (r *Runtime) noteWeight(ctx *Context, info DispatchInfo, length uint32) error {
	if err := r.checkLength(ctx, info, length, true); err != nil {
		return err
	}
	w, ok := r.cfg.Limits.checkAddWeight(r.system.BlockWeight(ctx), info)
	if !ok {
		return ErrTxExhaustsResources
	}
	r.system.SetBlockWeight(ctx, w)
	return nil
}

// withdraw computes and withdraws the fee (ChargeTransactionPayment).
func (r *Runtime) withdraw(ctx *Context, c *checked) (scale.U128, error) {
	if r.payment == nil {
		return scale.U128{}, nil
	}
	info := c.call.Info()
	fee := r.payment.ComputeFee(ctx, c.len, info, c.extra.Tip)
	if fee.IsZero() {
		return fee, nil
	}
	got, err := r.payment.WithdrawFee(ctx, c.who, c.call, info, fee, c.extra.Tip)
	if err != nil {
		return fee, fmt.Errorf("%w: %w", ErrTxPayment, err)
	}
	_ = got
	return fee, nil
}

// priority is pallet_transaction_payment's get_priority (used when the
// payment pallet does not implement PriorityCalculator).
func (r *Runtime) priority(info DispatchInfo, length uint32, tip, fee scale.U128) uint64 {
	l := &r.cfg.Limits
	maxW := types.Weight{RefTime: max(l.MaxBlock.RefTime, 1), ProofSize: max(l.MaxBlock.ProofSize, 1)}
	maxL := uint64(max(l.MaxLength[info.Class], 1))
	bw := types.Weight{
		RefTime:   min(max(info.Weight.RefTime, 1), maxW.RefTime),
		ProofSize: min(max(info.Weight.ProofSize, 1), maxW.ProofSize),
	}
	bl := min(max(uint64(length), 1), maxL)
	perBlock := min(maxW.RefTime/bw.RefTime, maxW.ProofSize/bw.ProofSize, maxL/bl)
	scaled := func(v scale.U128) uint64 {
		x, ok := v.Mul64(perBlock)
		if !ok {
			return ^uint64(0)
		}
		u, ok := x.Uint64()
		if !ok {
			return ^uint64(0)
		}
		return u
	}
	t := tip.SaturatingAdd(scale.FromUint64(1))
	p := scaled(t)
	if info.Class == Operational {
		vt, ok := fee.Mul64(r.cfg.OperationalFeeMultiplier)
		if !ok {
			return ^uint64(0)
		}
		if s := p + scaled(vt); s >= p {
			p = s
		} else {
			p = ^uint64(0)
		}
	}
	return p
}
