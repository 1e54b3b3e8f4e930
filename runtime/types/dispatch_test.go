package types

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

func TestWeight(t *testing.T) {
	tests := []struct {
		w   Weight
		hex string
	}{
		{Weight{}, "0000"},
		{Weight{1, 2}, "0408"},
		{Weight{1 << 14, 64}, "02000100 0101"},
		{Weight{math.MaxUint64, 0}, "13ffffffffffffffff 00"},
	}
	for _, tt := range tests {
		b := enc(tt.w)
		if want := unhex(t, tt.hex); !bytes.Equal(b, want) {
			t.Errorf("%+v = %x, want %x", tt.w, b, want)
		}
		var back Weight
		if err := scale.Decode(b, &back); err != nil || back != tt.w {
			t.Errorf("%+v decoded %+v %v", tt.w, back, err)
		}
	}
	a, b := Weight{10, 20}, Weight{5, 30}
	if got := a.SaturatingSub(b); got != (Weight{5, 0}) {
		t.Errorf("sub %+v", got)
	}
	if got := a.SaturatingAdd(Weight{math.MaxUint64, 1}); got != (Weight{math.MaxUint64, 21}) {
		t.Errorf("add %+v", got)
	}
	if a.AllLTE(b) || !(Weight{5, 20}).AllLTE(a) {
		t.Error("AllLTE")
	}
}

func TestDispatchErrorEncoding(t *testing.T) {
	tests := []struct {
		e   DispatchError
		hex string
		msg string
	}{
		{DispatchError{Kind: DispatchOther}, "00", "dispatch: Other"},
		{DispatchError{Kind: DispatchBadOrigin}, "02", "dispatch: BadOrigin"},
		{NewModuleError(5, 2), "03 05 02000000", "dispatch: Module{index: 5, error: 02000000}"},
		{DispatchError{Kind: DispatchToken, Sub: TokenFundsUnavailable}, "07 00", "dispatch: Token(0)"},
		{DispatchError{Kind: DispatchToken, Sub: TokenBlocked}, "07 09", "dispatch: Token(9)"},
		{DispatchError{Kind: DispatchArithmetic, Sub: ArithmeticOverflow}, "08 01", "dispatch: Arithmetic(1)"},
		{DispatchError{Kind: DispatchTransactional, Sub: TransactionalNoLayer}, "09 01", "dispatch: Transactional(1)"},
		{DispatchError{Kind: DispatchExhausted}, "0a", "dispatch: Exhausted"},
		{DispatchError{Kind: DispatchRootNotAllowed}, "0d", "dispatch: RootNotAllowed"},
		{DispatchError{Kind: DispatchTrie, Sub: 13}, "0e 0d", "dispatch: Trie(13)"},
	}
	for _, tt := range tests {
		b := enc(tt.e)
		if want := unhex(t, tt.hex); !bytes.Equal(b, want) {
			t.Errorf("%+v = %x, want %x", tt.e, b, want)
		}
		var back DispatchError
		if err := scale.Decode(b, &back); err != nil || back != tt.e {
			t.Errorf("%x decoded %+v %v", b, back, err)
		}
		if tt.e.Error() != tt.msg {
			t.Errorf("Error() = %q, want %q", tt.e.Error(), tt.msg)
		}
	}
	for _, bad := range []string{"0f", "ff", "07 0a", "08 03", "09 02", "0e 0e", "03 05 0200", "07", ""} {
		var e DispatchError
		err := scale.Decode(unhex(t, bad), &e)
		if err == nil {
			t.Errorf("%s accepted as %+v", bad, e)
		}
	}
	var e DispatchError
	if err := scale.Decode([]byte{0x0f}, &e); !errors.Is(err, ErrUnknownVariant) || !errors.Is(err, scale.ErrInvalidEnum) {
		t.Errorf("unknown kind error %v", err)
	}
}

func TestTransactionValidityError(t *testing.T) {
	tests := []struct {
		e   TransactionValidityError
		hex string
		msg string
	}{
		{TransactionValidityError{Invalid: true, Kind: InvalidPayment}, "00 01", "transaction Invalid: Payment"},
		{TransactionValidityError{Invalid: true, Kind: InvalidCustom, Custom: 42}, "00 07 2a", "transaction Invalid: Custom(42)"},
		{TransactionValidityError{Invalid: true, Kind: InvalidBadSigner}, "00 0a", "transaction Invalid: BadSigner"},
		{TransactionValidityError{Invalid: true, Kind: InvalidUnknownOrigin}, "00 0c", "transaction Invalid: UnknownOrigin"},
		{TransactionValidityError{Kind: UnknownCannotLookup}, "01 00", "transaction Unknown: CannotLookup"},
		{TransactionValidityError{Kind: UnknownCustom, Custom: 3}, "01 02 03", "transaction Unknown: Custom(3)"},
	}
	for _, tt := range tests {
		b := enc(tt.e)
		if want := unhex(t, tt.hex); !bytes.Equal(b, want) {
			t.Errorf("%+v = %x, want %x", tt.e, b, want)
		}
		var back TransactionValidityError
		if err := scale.Decode(b, &back); err != nil || back != tt.e {
			t.Errorf("%x decoded %+v %v", b, back, err)
		}
		if tt.e.Error() != tt.msg {
			t.Errorf("Error() = %q, want %q", tt.e.Error(), tt.msg)
		}
	}
	for _, bad := range []string{"02 00", "00 0d", "01 03", "00 07", "01", ""} {
		var e TransactionValidityError
		if err := scale.Decode(unhex(t, bad), &e); err == nil {
			t.Errorf("%s accepted as %+v", bad, e)
		}
	}
}

func TestResults(t *testing.T) {
	invalid := &TransactionValidityError{Invalid: true, Kind: InvalidBadProof}
	badOrigin := &DispatchError{Kind: DispatchBadOrigin}
	applies := []struct {
		r   ApplyExtrinsicResult
		hex string
	}{
		{ApplyExtrinsicResult{}, "00 00"},
		{ApplyExtrinsicResult{DispatchErr: badOrigin}, "00 01 02"},
		{ApplyExtrinsicResult{Invalid: invalid}, "01 00 04"},
	}
	for _, tt := range applies {
		b := enc(&tt.r)
		if want := unhex(t, tt.hex); !bytes.Equal(b, want) {
			t.Errorf("%+v = %x, want %x", tt.r, b, want)
		}
		var back ApplyExtrinsicResult
		if err := scale.Decode(b, &back); err != nil || !reflect.DeepEqual(back, tt.r) {
			t.Errorf("%x decoded %+v %v", b, back, err)
		}
	}
	for _, bad := range []string{"02", "00 02", "01 05 00", ""} {
		var r ApplyExtrinsicResult
		if err := scale.Decode(unhex(t, bad), &r); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}

	valid := ValidTransaction{Priority: 7, Requires: [][]byte{{1, 2}}, Provides: [][]byte{{3}, {}}, Longevity: math.MaxUint64, Propagate: true}
	vb := enc(&TransactionValidity{Valid: valid})
	want := unhex(t, "00 0700000000000000 04 08 0102 08 04 03 00 ffffffffffffffff 01")
	if !bytes.Equal(vb, want) {
		t.Errorf("valid = %x\nwant %x", vb, want)
	}
	var tv TransactionValidity
	if err := scale.Decode(vb, &tv); err != nil || tv.Err != nil || !reflect.DeepEqual(tv.Valid, valid) {
		t.Errorf("decoded %+v %v", tv, err)
	}
	ib := enc(&TransactionValidity{Err: invalid})
	if !bytes.Equal(ib, unhex(t, "01 00 04")) {
		t.Errorf("invalid = %x", ib)
	}
	if err := scale.Decode(ib, &tv); err != nil || tv.Err == nil || *tv.Err != *invalid {
		t.Errorf("decoded %+v %v", tv, err)
	}
	for _, bad := range []string{"02", "00 00", "00 0700000000000000 04", "00 0700000000000000 00 00 0000000000000000 02"} {
		if err := scale.Decode(unhex(t, bad), &tv); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
