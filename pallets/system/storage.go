package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Name is the pallet's name and storage prefix.
const Name = "System"

// Well-known keys (sp_core::storage::well_known_keys).
var (
	KeyCode              = []byte(":code")
	KeyHeapPages         = []byte(":heappages")
	KeyExtrinsicIndex    = []byte(":extrinsic_index")
	KeyIntrablockEntropy = []byte(":intrablock_entropy")
)

// LastRuntimeUpgradeInfo is frame_system::LastRuntimeUpgradeInfo:
// Compact<u32> spec_version ++ spec_name String.
type LastRuntimeUpgradeInfo struct {
	SpecVersion uint32
	SpecName    string
}

func (l *LastRuntimeUpgradeInfo) EncodeTo(e *scale.Encoder) {
	e.PutCompact(uint64(l.SpecVersion))
	e.PutString(l.SpecName)
}

func (l *LastRuntimeUpgradeInfo) DecodeFrom(d *scale.Decoder) {
	v := d.Compact()
	if v > 0xffffffff {
		d.Fail(scale.ErrOverflow)
	}
	l.SpecVersion = uint32(v)
	l.SpecName = d.String()
}

// CodeUpgradeAuthorization is frame_system's AuthorizedUpgrade value:
// code_hash ++ check_version bool.
type CodeUpgradeAuthorization struct {
	CodeHash     types.Hash
	CheckVersion bool
}

func (c *CodeUpgradeAuthorization) EncodeTo(e *scale.Encoder) {
	e.PutRaw(c.CodeHash[:])
	e.PutBool(c.CheckVersion)
}

func (c *CodeUpgradeAuthorization) DecodeFrom(d *scale.Decoder) {
	c.CodeHash = d.Fixed32()
	c.CheckVersion = d.Bool()
}

// Storage items, with Substrate's names and hashers.
var (
	Account = frame.NewMap(Name, "Account", frame.Blake2_128Concat, frame.AccountIDCodec,
		frame.AccountInfoCodec)
	ExtrinsicCount = frame.NewValue(Name, "ExtrinsicCount", frame.U32Codec, frame.Optional[uint32]())
	// InherentsApplied is set once a non-inherent extrinsic was applied in
	// the block (killed at initialize and finalize).
	InherentsApplied = frame.NewValue(Name, "InherentsApplied", frame.BoolCodec)
	BlockWeight      = frame.NewValue(Name, "BlockWeight", frame.ConsumedWeightCodec)
	AllExtrinsicsLen = frame.NewValue(Name, "AllExtrinsicsLen", frame.U32Codec, frame.Optional[uint32]())
	BlockHash        = frame.NewMap(Name, "BlockHash", frame.Twox64Concat, frame.U32Codec, frame.HashCodec)
	ExtrinsicData    = frame.NewMap(Name, "ExtrinsicData", frame.Twox64Concat, frame.U32Codec, frame.BytesCodec)
	Number           = frame.NewValue(Name, "Number", frame.U32Codec)
	ParentHash       = frame.NewValue(Name, "ParentHash", frame.HashCodec)
	Digest           = frame.NewValue(Name, "Digest", frame.VecCodec(frame.CodecOf[types.DigestItem](), 1))
	// Events is a Vec<EventRecord>, written with StorageAppend only.
	Events     = frame.NewValue(Name, "Events", frame.BytesCodec)
	EventCount = frame.NewValue(Name, "EventCount", frame.U32Codec)
	// EventTopics maps a topic to Vec<(BlockNumber, EventIndex)>, appended.
	EventTopics              = frame.NewMap(Name, "EventTopics", frame.Blake2_128Concat, frame.HashCodec, frame.BytesCodec)
	LastRuntimeUpgrade       = frame.NewValue(Name, "LastRuntimeUpgrade", frame.CodecOf[LastRuntimeUpgradeInfo](), frame.Optional[LastRuntimeUpgradeInfo]())
	UpgradedToU32RefCount    = frame.NewValue(Name, "UpgradedToU32RefCount", frame.BoolCodec)
	UpgradedToTripleRefCount = frame.NewValue(Name, "UpgradedToTripleRefCount", frame.BoolCodec)
	AuthorizedUpgrade        = frame.NewValue(Name, "AuthorizedUpgrade", frame.CodecOf[CodeUpgradeAuthorization](), frame.Optional[CodeUpgradeAuthorization]())
	ExecutionPhase           = frame.NewValue(Name, "ExecutionPhase", frame.PhaseCodec, frame.Optional[frame.Phase]())
)
