package transactionpayment

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
)

// Releases are the storage versions of the pallet's StorageVersion item.
const (
	releasesV1Ancient uint8 = 0
	releasesV2        uint8 = 1
)

var multiplierCodec = frame.Codec[Multiplier]{
	Encode: func(e *scale.Encoder, m Multiplier) { e.PutU128(m.Inner) },
	Decode: func(d *scale.Decoder) Multiplier { return Multiplier{Inner: d.U128()} },
}

type storage struct {
	// NextFeeMultiplier: FixedU128 (u128 inner), default 1.0.
	nextFeeMultiplier *frame.StorageValue[Multiplier]
	// StorageVersion: Releases enum (u8), V2 since genesis.
	storageVersion *frame.StorageValue[uint8]
}

func newStorage() storage {
	return storage{
		nextFeeMultiplier: frame.NewValue(PalletName, "NextFeeMultiplier", multiplierCodec, frame.WithDefault(MultiplierOne), frame.PointerFree[Multiplier]()),
		storageVersion:    frame.NewValue(PalletName, "StorageVersion", frame.U8Codec),
	}
}

// NextFeeMultiplier returns the multiplier applied to weight fees.
func (p *Pallet) NextFeeMultiplier(st frame.Store) Multiplier { return p.s.nextFeeMultiplier.Get(st) }
