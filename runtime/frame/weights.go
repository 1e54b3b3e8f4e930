package frame

import (
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// DispatchClass is frame_support::dispatch::DispatchClass.
type DispatchClass uint8

// Dispatch classes.
const (
	Normal      DispatchClass = 0
	Operational DispatchClass = 1
	Mandatory   DispatchClass = 2
)

// Pays says whether a call pays fees (SCALE: 0 Yes, 1 No).
type Pays uint8

const (
	PaysYes Pays = 0
	PaysNo  Pays = 1
)

// WeightRefTimePerSecond is one second of ref time (picoseconds).
const WeightRefTimePerSecond uint64 = 1_000_000_000_000

// DispatchInfo is what a call declares before dispatch: its weight, class
// and whether it pays fees. Its SCALE form (weight ++ class ++ pays_fee) is
// also the DispatchEventInfo of ExtrinsicSuccess/ExtrinsicFailed.
type DispatchInfo struct {
	Weight  types.Weight
	Class   DispatchClass
	PaysFee Pays
}

// EncodeTo writes weight ++ class u8 ++ pays u8.
func (i DispatchInfo) EncodeTo(e *scale.Encoder) {
	i.Weight.EncodeTo(e)
	e.PutU8(uint8(i.Class))
	e.PutU8(uint8(i.PaysFee))
}

// DecodeFrom reads a DispatchInfo.
func (i *DispatchInfo) DecodeFrom(d *scale.Decoder) {
	i.Weight.DecodeFrom(d)
	i.Class = DispatchClass(d.U8())
	i.PaysFee = Pays(d.U8())
}

// PostDispatchInfo is what a call reports after dispatch: its actual weight
// (nil = as declared) and whether it pays fees after all.
type PostDispatchInfo struct {
	ActualWeight *types.Weight
	PaysFee      Pays
}

// ActualWeight returns min(actual, declared) as Substrate's
// extract_actual_weight.
func ActualWeight(info DispatchInfo, post PostDispatchInfo) types.Weight {
	if post.ActualWeight == nil {
		return info.Weight
	}
	a := *post.ActualWeight
	return types.Weight{RefTime: min(a.RefTime, info.Weight.RefTime), ProofSize: min(a.ProofSize, info.Weight.ProofSize)}
}

// ActualPays returns No if either the declaration or the post info says No.
func ActualPays(info DispatchInfo, post PostDispatchInfo) Pays {
	if info.PaysFee == PaysNo || post.PaysFee == PaysNo {
		return PaysNo
	}
	return PaysYes
}

// ClassLimits are the per-class block limits (frame_system WeightsPerClass).
// A nil pointer is "no limit".
type ClassLimits struct {
	BaseExtrinsic types.Weight
	MaxExtrinsic  *types.Weight
	MaxTotal      *types.Weight
	Reserved      *types.Weight
}

// Limits are the block's weight and length limits (frame_system
// BlockWeights and BlockLength).
type Limits struct {
	BaseBlock types.Weight
	MaxBlock  types.Weight
	PerClass  [3]ClassLimits
	MaxLength [3]uint32 // per class, bytes
}

// DefaultLimits returns Substrate's with_sensible_defaults: normal
// dispatches may use ratio% (75) of maxBlock, operational the whole block
// with the rest reserved for them, mandatory is unlimited; 10% of the
// block is set aside for on_initialize; maxLength bytes per block, of which
// normal extrinsics may fill ratio%.
func DefaultLimits(maxBlock, baseBlock, baseExtrinsic types.Weight, maxLength uint32, ratio uint64) Limits {
	pct := func(w types.Weight, p uint64) types.Weight {
		return types.Weight{RefTime: mulDiv(w.RefTime, p, 100), ProofSize: mulDiv(w.ProofSize, p, 100)}
	}
	ptr := func(w types.Weight) *types.Weight { return &w }
	normal := pct(maxBlock, ratio)
	init := pct(maxBlock, 10)
	l := Limits{BaseBlock: baseBlock, MaxBlock: maxBlock}
	zero := types.Weight{}
	l.PerClass[Normal] = ClassLimits{BaseExtrinsic: baseExtrinsic, MaxTotal: ptr(normal), Reserved: ptr(zero),
		MaxExtrinsic: ptr(normal.SaturatingSub(init).SaturatingSub(baseExtrinsic))}
	l.PerClass[Operational] = ClassLimits{BaseExtrinsic: baseExtrinsic, MaxTotal: ptr(maxBlock),
		Reserved:     ptr(maxBlock.SaturatingSub(normal)),
		MaxExtrinsic: ptr(maxBlock.SaturatingSub(init).SaturatingSub(baseExtrinsic))}
	l.PerClass[Mandatory] = ClassLimits{BaseExtrinsic: baseExtrinsic}
	nl := uint32(mulDiv(uint64(maxLength), ratio, 100))
	l.MaxLength = [3]uint32{nl, maxLength, maxLength}
	return l
}

// mulDiv returns a*b/c without overflow for b, c <= 100.
func mulDiv(a, b, c uint64) uint64 { return a/c*b + a%c*b/c }

// ConsumedWeight is frame_system's per-class weight of the current block
// (System.BlockWeight): normal ++ operational ++ mandatory.
type ConsumedWeight [3]types.Weight

// Total is the sum over classes.
func (c ConsumedWeight) Total() types.Weight {
	return c[0].SaturatingAdd(c[1]).SaturatingAdd(c[2])
}

// EncodeTo writes the three weights.
func (c ConsumedWeight) EncodeTo(e *scale.Encoder) {
	for _, w := range c {
		w.EncodeTo(e)
	}
}

// DecodeFrom reads three weights.
func (c *ConsumedWeight) DecodeFrom(d *scale.Decoder) {
	for i := range c {
		c[i].DecodeFrom(d)
	}
}

func anyGT(a, b types.Weight) bool { return a.RefTime > b.RefTime || a.ProofSize > b.ProofSize }

// checkAddWeight adds an extrinsic's weight (incl. its class's base
// extrinsic weight) to consumed, as frame_system's
// calculate_consumed_weight: ExhaustsResources when it breaks the class's
// max_extrinsic, max_total, or the block (outside the reserved pool).
func (l *Limits) checkAddWeight(consumed ConsumedWeight, info DispatchInfo) (ConsumedWeight, bool) {
	cl := &l.PerClass[info.Class]
	ext := info.Weight.SaturatingAdd(cl.BaseExtrinsic)
	if cl.MaxExtrinsic != nil && anyGT(ext, *cl.MaxExtrinsic) {
		return consumed, false
	}
	consumed[info.Class] = consumed[info.Class].SaturatingAdd(ext)
	if info.Class == Mandatory {
		return consumed, true
	}
	per := consumed[info.Class]
	if cl.MaxTotal != nil && anyGT(per, *cl.MaxTotal) {
		return consumed, false
	}
	if anyGT(consumed.Total(), l.MaxBlock) && cl.Reserved != nil && anyGT(per, *cl.Reserved) {
		return consumed, false
	}
	return consumed, true
}
