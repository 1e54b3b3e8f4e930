package session

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Keys are a validator's session keys (the runtime's SessionKeys struct):
// aura sr25519 public key ++ grandpa ed25519 public key.
type Keys struct {
	Aura, Grandpa [32]byte
}

// KeysLen is the encoded size of Keys.
const KeysLen = 64

// EncodeTo writes aura ++ grandpa.
func (k Keys) EncodeTo(e *scale.Encoder) { e.PutRaw(k.Aura[:]); e.PutRaw(k.Grandpa[:]) }

// DecodeFrom reads aura ++ grandpa.
func (k *Keys) DecodeFrom(d *scale.Decoder) { k.Aura = d.Fixed32(); k.Grandpa = d.Fixed32() }

// DecodeKeys parses 64 bytes of session keys (SessionKeys_decode_session_keys).
func DecodeKeys(b []byte) (Keys, error) {
	var k Keys
	err := scale.Decode(b, &k)
	return k, err
}

// ValidatorKeys is one (account, keys) pair of QueuedKeys.
type ValidatorKeys struct {
	Who  types.AccountID
	Keys Keys
}

// EncodeTo writes who ++ keys.
func (v ValidatorKeys) EncodeTo(e *scale.Encoder) { e.PutRaw(v.Who[:]); v.Keys.EncodeTo(e) }

// DecodeFrom reads who ++ keys.
func (v *ValidatorKeys) DecodeFrom(d *scale.Decoder) { v.Who = d.Fixed32(); v.Keys.DecodeFrom(d) }

// KeyTypeID is the key of KeyOwner: (KeyTypeId, Vec<u8>).
type KeyTypeID struct {
	Type [4]byte
	Key  []byte
}

// EncodeTo writes the 4-byte type ++ Vec<u8>.
func (k KeyTypeID) EncodeTo(e *scale.Encoder) { e.PutRaw(k.Type[:]); e.PutBytes(k.Key) }

// DecodeFrom reads the 4-byte type ++ Vec<u8>.
func (k *KeyTypeID) DecodeFrom(d *scale.Decoder) {
	copy(k.Type[:], d.Raw(4))
	k.Key = append([]byte(nil), d.Bytes()...)
}

var (
	keysCodec          = frame.CodecOf[Keys]()
	validatorKeysCodec = frame.VecCodec(frame.CodecOf[ValidatorKeys](), 32+KeysLen)
	keyTypeIDCodec     = frame.CodecOf[KeyTypeID]()
	accountsCodec      = frame.VecCodec(frame.AccountIDCodec, 32)
)

// storage holds pallet_session's items (and MSC's Period).
type storage struct {
	// Validators: Vec<AccountId>, the current session's validators.
	validators *frame.StorageValue[[]types.AccountID]
	// CurrentIndex: u32, the current session index.
	currentIndex *frame.StorageValue[uint32]
	// QueuedChanged: bool, whether QueuedKeys differ from the current set.
	queuedChanged *frame.StorageValue[bool]
	// QueuedKeys: Vec<(AccountId, SessionKeys)>, the next session's set.
	queuedKeys *frame.StorageValue[[]ValidatorKeys]
	// NextKeys: Twox64Concat(AccountId) → SessionKeys (OptionQuery).
	nextKeys *frame.StorageMap[types.AccountID, Keys]
	// KeyOwner: Twox64Concat((KeyTypeId, Vec<u8>)) → AccountId (OptionQuery).
	keyOwner *frame.StorageMap[KeyTypeID, types.AccountID]
	// Period: u32, the session length in blocks (MSC: set at genesis).
	period *frame.StorageValue[uint32]
}

func newStorage() storage {
	return storage{
		validators:    frame.NewValue(PalletName, "Validators", accountsCodec),
		currentIndex:  frame.NewValue(PalletName, "CurrentIndex", frame.U32Codec),
		queuedChanged: frame.NewValue(PalletName, "QueuedChanged", frame.BoolCodec),
		queuedKeys:    frame.NewValue(PalletName, "QueuedKeys", validatorKeysCodec),
		nextKeys:      frame.NewMap(PalletName, "NextKeys", frame.Twox64Concat, frame.AccountIDCodec, keysCodec, frame.Optional[Keys]()),
		keyOwner:      frame.NewMap(PalletName, "KeyOwner", frame.Twox64Concat, keyTypeIDCodec, frame.AccountIDCodec, frame.Optional[types.AccountID]()),
		period:        frame.NewValue(PalletName, "Period", frame.U32Codec, frame.WithDefault(DefaultPeriod)),
	}
}
