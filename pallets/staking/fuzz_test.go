package staking

import (
	"bytes"
	"testing"

	"github.com/metamars/mars/runtime/scale"
)

// FuzzCallDecoding feeds arbitrary argument bytes to every call: decoding
// never panics, and what decodes re-encodes to the same bytes.
func FuzzCallDecoding(f *testing.F) {
	f.Add(CallBond, call(CallBond, &BondArgs{Value: u(5), Payee: RewardDestination{Kind: PayeeAccount}})[2:])
	f.Add(CallNominate, call(CallNominate, addrs(va, vb))[2:])
	f.Add(CallValidate, []byte{0x02, 0x09, 0x3d, 0x00, 1})
	f.Add(CallCancelDeferredSlash, []byte{1, 0, 0, 0, 8, 1, 0, 0, 0, 2, 0, 0, 0})
	f.Add(CallPayoutStakers, make([]byte, 36))
	r := base(f).Build()
	f.Fuzz(func(t *testing.T, idx uint8, args []byte) {
		b := append([]byte{stakingIndex, idx}, args...)
		c, err := r.env.RT.DecodeCallBytes(b)
		if err != nil {
			return
		}
		var enc scale.Encodable
		switch a := c.Args.(type) {
		case BondArgs:
			enc = &a
		case ValueArgs:
			enc = &a
		case WithdrawUnbondedArgs:
			enc = &a
		case ValidateArgs:
			enc = &a
		case NominateArgs:
			enc = &a
		case NoArgs:
			enc = a
		case SetPayeeArgs:
			enc = &a
		case SetValidatorCountArgs:
			enc = &a
		case CancelDeferredSlashArgs:
			enc = &a
		case PayoutStakersArgs:
			enc = &a
		default:
			t.Fatalf("unexpected args %T", c.Args)
		}
		if got := call(idx, enc); !bytes.Equal(got, b) {
			t.Fatalf("re-encoding %x != %x", got, b)
		}
	})
}

// FuzzStoredValues decodes arbitrary bytes as every stored type: no panic,
// and a decoded value re-encodes to the input.
func FuzzStoredValues(f *testing.F) {
	f.Add(ledgerCodec.Bytes(StakingLedger{Total: u(3), Active: u(1), Unlocking: []UnlockChunk{{u(2), 5}}}))
	f.Add(exposureCodec.Bytes(Exposure{Total: u(3), Own: u(1), Others: []IndividualExposure{{va, u(2)}}}))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, ledgerCodec.Parse, ledgerCodec.Bytes, b)
		roundTrip(t, exposureCodec.Parse, exposureCodec.Bytes, b)
		roundTrip(t, pointsCodec.Parse, pointsCodec.Bytes, b)
		roundTrip(t, slashVecCodec.Parse, slashVecCodec.Bytes, b)
		roundTrip(t, nominationsCodec.Parse, nominationsCodec.Bytes, b)
		roundTrip(t, payeeCodec.Parse, payeeCodec.Bytes, b)
		roundTrip(t, activeEraCodec.Parse, activeEraCodec.Bytes, b)
		roundTrip(t, prefsCodec.Parse, prefsCodec.Bytes, b)
	})
}

func roundTrip[V any](t *testing.T, parse func([]byte) (V, error), enc func(V) []byte, b []byte) {
	t.Helper()
	if v, err := parse(b); err == nil && !bytes.Equal(enc(v), b) {
		t.Fatalf("round trip %x -> %x", b, enc(v))
	}
}
