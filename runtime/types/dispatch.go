package types

import (
	"fmt"

	"github.com/metamars/mars/runtime/scale"
)

// DispatchError kinds (sp_runtime::DispatchError variant indices).
const (
	DispatchOther             uint8 = 0
	DispatchCannotLookup      uint8 = 1
	DispatchBadOrigin         uint8 = 2
	DispatchModule            uint8 = 3 // Module{index u8, error [u8;4]}
	DispatchConsumerRemaining uint8 = 4
	DispatchNoProviders       uint8 = 5
	DispatchTooManyConsumers  uint8 = 6
	DispatchToken             uint8 = 7 // Sub: Token*
	DispatchArithmetic        uint8 = 8 // Sub: Arithmetic*
	DispatchTransactional     uint8 = 9 // Sub: Transactional*
	DispatchExhausted         uint8 = 10
	DispatchCorruption        uint8 = 11
	DispatchUnavailable       uint8 = 12
	DispatchRootNotAllowed    uint8 = 13
	DispatchTrie              uint8 = 14 // Sub: sp_runtime::TrieError index 0..13
)

// TokenError sub-variants (DispatchToken).
const (
	TokenFundsUnavailable uint8 = iota
	TokenOnlyProvider
	TokenBelowMinimum
	TokenCannotCreate
	TokenUnknownAsset
	TokenFrozen
	TokenUnsupported
	TokenCannotCreateHold
	TokenNotExpendable
	TokenBlocked
)

// ArithmeticError sub-variants (DispatchArithmetic).
const (
	ArithmeticUnderflow uint8 = iota
	ArithmeticOverflow
	ArithmeticDivisionByZero
)

// TransactionalError sub-variants (DispatchTransactional).
const (
	TransactionalLimitReached uint8 = iota
	TransactionalNoLayer
)

// subVariants is the number of sub-variants of the kinds that carry one.
var subVariants = [...]uint8{DispatchToken: 10, DispatchArithmetic: 3, DispatchTransactional: 2, DispatchTrie: 14}

var dispatchNames = [...]string{"Other", "CannotLookup", "BadOrigin", "Module", "ConsumerRemaining",
	"NoProviders", "TooManyConsumers", "Token", "Arithmetic", "Transactional", "Exhausted",
	"Corruption", "Unavailable", "RootNotAllowed", "Trie"}

// ModuleError identifies a pallet error: the pallet's index in the
// runtime and the error's variant index in Error[0] (the other three bytes
// are for nested error data and are usually zero).
type ModuleError struct {
	Index uint8
	Error [4]byte
}

// DispatchError is why a dispatched call failed. Module is used by
// DispatchModule; Sub by Token, Arithmetic, Transactional and Trie.
// DispatchOther carries no data on the wire (its message is skipped).
type DispatchError struct {
	Kind   uint8
	Module ModuleError
	Sub    uint8
}

// NewModuleError returns the DispatchError of error variant errIndex of
// the pallet at palletIndex.
func NewModuleError(palletIndex, errIndex uint8) DispatchError {
	return DispatchError{Kind: DispatchModule, Module: ModuleError{Index: palletIndex, Error: [4]byte{errIndex}}}
}

func hasSub(kind uint8) bool { return int(kind) < len(subVariants) && subVariants[kind] > 0 }

// Error implements error.
func (e DispatchError) Error() string {
	switch {
	case e.Kind == DispatchModule:
		return fmt.Sprintf("dispatch: Module{index: %d, error: %x}", e.Module.Index, e.Module.Error)
	case hasSub(e.Kind):
		return fmt.Sprintf("dispatch: %s(%d)", dispatchNames[e.Kind], e.Sub)
	case int(e.Kind) < len(dispatchNames):
		return "dispatch: " + dispatchNames[e.Kind]
	}
	return fmt.Sprintf("dispatch: unknown kind %d", e.Kind)
}

// EncodeTo writes the variant index and the payload its kind uses.
func (e DispatchError) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(e.Kind)
	switch {
	case e.Kind == DispatchModule:
		enc.PutU8(e.Module.Index)
		enc.PutRaw(e.Module.Error[:])
	case hasSub(e.Kind):
		enc.PutU8(e.Sub)
	}
}

// DecodeFrom reads a DispatchError; unknown kinds and sub-variants fail.
func (e *DispatchError) DecodeFrom(d *scale.Decoder) {
	*e = DispatchError{Kind: d.U8()}
	switch {
	case d.Err() != nil:
	case e.Kind == DispatchModule:
		e.Module.Index = d.U8()
		copy(e.Module.Error[:], d.Raw(4))
	case hasSub(e.Kind):
		e.Sub = d.U8()
		if d.Err() == nil && e.Sub >= subVariants[e.Kind] {
			d.Fail(badVariant(dispatchNames[e.Kind]+" error", e.Sub))
		}
	case int(e.Kind) >= len(dispatchNames):
		d.Fail(badVariant("dispatch error", e.Kind))
	}
	if d.Err() != nil {
		*e = DispatchError{}
	}
}

// InvalidTransaction kinds.
const (
	InvalidCall                  uint8 = 0
	InvalidPayment               uint8 = 1
	InvalidFuture                uint8 = 2
	InvalidStale                 uint8 = 3
	InvalidBadProof              uint8 = 4
	InvalidAncientBirthBlock     uint8 = 5
	InvalidExhaustsResources     uint8 = 6
	InvalidCustom                uint8 = 7 // carries Custom
	InvalidBadMandatory          uint8 = 8
	InvalidMandatoryValidation   uint8 = 9
	InvalidBadSigner             uint8 = 10
	InvalidIndeterminateImplicit uint8 = 11
	InvalidUnknownOrigin         uint8 = 12
)

// UnknownTransaction kinds.
const (
	UnknownCannotLookup        uint8 = 0
	UnknownNoUnsignedValidator uint8 = 1
	UnknownCustom              uint8 = 2 // carries Custom
)

var invalidNames = [...]string{"Call", "Payment", "Future", "Stale", "BadProof", "AncientBirthBlock",
	"ExhaustsResources", "Custom", "BadMandatory", "MandatoryValidation", "BadSigner",
	"IndeterminateImplicit", "UnknownOrigin"}

var unknownNames = [...]string{"CannotLookup", "NoUnsignedValidator", "Custom"}

// TransactionValidityError is why a transaction cannot be included:
// Invalid (it never will be) or Unknown (validity could not be decided).
type TransactionValidityError struct {
	Invalid bool
	Kind    uint8
	Custom  uint8
}

func (e TransactionValidityError) hasCustom() bool {
	return (e.Invalid && e.Kind == InvalidCustom) || (!e.Invalid && e.Kind == UnknownCustom)
}

// Error implements error.
func (e TransactionValidityError) Error() string {
	group, names := "Unknown", unknownNames[:]
	if e.Invalid {
		group, names = "Invalid", invalidNames[:]
	}
	switch {
	case e.hasCustom():
		return fmt.Sprintf("transaction %s: Custom(%d)", group, e.Custom)
	case int(e.Kind) < len(names):
		return fmt.Sprintf("transaction %s: %s", group, names[e.Kind])
	}
	return fmt.Sprintf("transaction %s: kind %d", group, e.Kind)
}

// EncodeTo writes 0 Invalid | 1 Unknown, the kind, and Custom when the
// kind carries it.
func (e TransactionValidityError) EncodeTo(enc *scale.Encoder) {
	if e.Invalid {
		enc.PutU8(0)
	} else {
		enc.PutU8(1)
	}
	enc.PutU8(e.Kind)
	if e.hasCustom() {
		enc.PutU8(e.Custom)
	}
}

// DecodeFrom reads a TransactionValidityError; unknown kinds fail.
func (e *TransactionValidityError) DecodeFrom(d *scale.Decoder) {
	*e = TransactionValidityError{}
	switch g := d.U8(); {
	case d.Err() != nil:
		return
	case g == 0:
		e.Invalid = true
		e.Kind = d.U8()
		if d.Err() == nil && int(e.Kind) >= len(invalidNames) {
			d.Fail(badVariant("invalid transaction", e.Kind))
		}
	case g == 1:
		e.Kind = d.U8()
		if d.Err() == nil && int(e.Kind) >= len(unknownNames) {
			d.Fail(badVariant("unknown transaction", e.Kind))
		}
	default:
		d.Fail(badVariant("transaction validity error", g))
	}
	if d.Err() == nil && e.hasCustom() {
		e.Custom = d.U8()
	}
	if d.Err() != nil {
		*e = TransactionValidityError{}
	}
}

// TransactionSource is where validate_transaction's transaction came from.
type TransactionSource uint8

// Transaction sources.
const (
	SourceInBlock  TransactionSource = 0
	SourceLocal    TransactionSource = 1
	SourceExternal TransactionSource = 2
)

// ValidTransaction is what validate_transaction returns for a valid
// transaction: the pool orders by Priority and by the Requires/Provides
// tags, and drops it after Longevity blocks.
type ValidTransaction struct {
	Priority  uint64
	Requires  [][]byte
	Provides  [][]byte
	Longevity uint64
	Propagate bool
}

// EncodeTo writes priority u64 ++ requires ++ provides ++ longevity u64 ++
// propagate bool.
func (v ValidTransaction) EncodeTo(e *scale.Encoder) {
	e.PutU64(v.Priority)
	putTags(e, v.Requires)
	putTags(e, v.Provides)
	e.PutU64(v.Longevity)
	e.PutBool(v.Propagate)
}

// DecodeFrom reads a ValidTransaction.
func (v *ValidTransaction) DecodeFrom(d *scale.Decoder) {
	*v = ValidTransaction{}
	v.Priority = d.U64()
	v.Requires = getTags(d)
	v.Provides = getTags(d)
	v.Longevity = d.U64()
	v.Propagate = d.Bool()
	if d.Err() != nil {
		*v = ValidTransaction{}
	}
}

func putTags(e *scale.Encoder, tags [][]byte) {
	e.PutLen(len(tags))
	for _, t := range tags {
		e.PutBytes(t)
	}
}

func getTags(d *scale.Decoder) [][]byte {
	n := d.Len(1)
	if n == 0 {
		return nil
	}
	tags := make([][]byte, n)
	for i := range tags {
		tags[i] = d.Bytes()
	}
	return tags
}

// TransactionValidity is Result<ValidTransaction, TransactionValidityError>,
// the result of TaggedTransactionQueue_validate_transaction. Err is nil for
// a valid transaction.
type TransactionValidity struct {
	Valid ValidTransaction
	Err   *TransactionValidityError
}

// EncodeTo writes 00 ++ valid or 01 ++ error.
func (r TransactionValidity) EncodeTo(e *scale.Encoder) {
	if r.Err != nil {
		e.PutU8(1)
		r.Err.EncodeTo(e)
		return
	}
	e.PutU8(0)
	r.Valid.EncodeTo(e)
}

// DecodeFrom reads the Result.
func (r *TransactionValidity) DecodeFrom(d *scale.Decoder) {
	*r = TransactionValidity{}
	switch tag := d.U8(); {
	case d.Err() != nil:
	case tag == 0:
		r.Valid.DecodeFrom(d)
	case tag == 1:
		r.Err = new(TransactionValidityError)
		r.Err.DecodeFrom(d)
	default:
		d.Fail(badVariant("result", tag))
	}
	if d.Err() != nil {
		*r = TransactionValidity{}
	}
}

// ApplyExtrinsicResult is Result<Result<(), DispatchError>,
// TransactionValidityError>, the result of BlockBuilder_apply_extrinsic.
// Invalid is set when the extrinsic could not be included; otherwise it
// was included and DispatchErr says whether its call failed.
type ApplyExtrinsicResult struct {
	Invalid     *TransactionValidityError
	DispatchErr *DispatchError
}

// EncodeTo writes 01 ++ validity error, 00 00 (success) or 00 01 ++
// dispatch error.
func (r ApplyExtrinsicResult) EncodeTo(e *scale.Encoder) {
	if r.Invalid != nil {
		e.PutU8(1)
		r.Invalid.EncodeTo(e)
		return
	}
	e.PutU8(0)
	if r.DispatchErr != nil {
		e.PutU8(1)
		r.DispatchErr.EncodeTo(e)
		return
	}
	e.PutU8(0)
}

// DecodeFrom reads the nested Result.
func (r *ApplyExtrinsicResult) DecodeFrom(d *scale.Decoder) {
	*r = ApplyExtrinsicResult{}
	switch tag := d.U8(); {
	case d.Err() != nil:
	case tag == 1:
		r.Invalid = new(TransactionValidityError)
		r.Invalid.DecodeFrom(d)
	case tag == 0:
		switch inner := d.U8(); {
		case d.Err() != nil, inner == 0:
		case inner == 1:
			r.DispatchErr = new(DispatchError)
			r.DispatchErr.DecodeFrom(d)
		default:
			d.Fail(badVariant("result", inner))
		}
	default:
		d.Fail(badVariant("result", tag))
	}
	if d.Err() != nil {
		*r = ApplyExtrinsicResult{}
	}
}
