package system

import (
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Call indices (frame_system::Call; never reused).
const (
	CallRemark               uint8 = 0
	CallSetHeapPages         uint8 = 1
	CallSetCode              uint8 = 2
	CallSetCodeWithoutChecks uint8 = 3
	CallSetStorage           uint8 = 4
	CallKillStorage          uint8 = 5
	CallKillPrefix           uint8 = 6
	CallRemarkWithEvent      uint8 = 7
	// 8 is unused in frame_system.
	CallAuthorizeUpgrade              uint8 = 9
	CallAuthorizeUpgradeWithoutChecks uint8 = 10
	CallApplyAuthorizedUpgrade        uint8 = 11
)

// KV is one set_storage item.
type KV struct{ Key, Value []byte }

// KillPrefixArgs are kill_prefix's arguments.
type KillPrefixArgs struct {
	Prefix  []byte
	Subkeys uint32
}

func decodeBytes(d *scale.Decoder) []byte { return d.Bytes() }

func decodeHash(d *scale.Decoder) types.Hash { return d.Fixed32() }

func decodeKVs(d *scale.Decoder) []KV {
	return scale.DecodeVec(d, 2, func(d *scale.Decoder) KV { return KV{d.Bytes(), d.Bytes()} })
}

func decodeKeys(d *scale.Decoder) [][]byte {
	return scale.DecodeVec(d, 1, func(d *scale.Decoder) []byte { return d.Bytes() })
}

// Calls returns System's calls.
func (p *Pallet) Calls() []frame.CallDef {
	return []frame.CallDef{
		frame.NewCall(CallRemark, "remark", decodeBytes,
			func(r []byte) frame.DispatchInfo { return normal(weightRemark(len(r))) }, p.remark),
		frame.NewCall(CallSetHeapPages, "set_heap_pages", func(d *scale.Decoder) uint64 { return d.U64() },
			func(uint64) frame.DispatchInfo { return operational(weightSetHeapPages) }, p.setHeapPages),
		frame.NewCall(CallSetCode, "set_code", decodeBytes,
			func([]byte) frame.DispatchInfo { return operational(weightSetCode) }, p.setCode),
		frame.NewCall(CallSetCodeWithoutChecks, "set_code_without_checks", decodeBytes,
			func([]byte) frame.DispatchInfo { return operational(weightSetCode) }, p.setCodeWithoutChecks),
		frame.NewCall(CallSetStorage, "set_storage", decodeKVs,
			func(kv []KV) frame.DispatchInfo { return operational(weightPerItem(len(kv))) }, p.setStorage),
		frame.NewCall(CallKillStorage, "kill_storage", decodeKeys,
			func(k [][]byte) frame.DispatchInfo { return operational(weightPerItem(len(k))) }, p.killStorage),
		frame.NewCall(CallKillPrefix, "kill_prefix",
			func(d *scale.Decoder) KillPrefixArgs { return KillPrefixArgs{d.Bytes(), d.U32()} },
			func(a KillPrefixArgs) frame.DispatchInfo { return operational(weightPerItem(int(a.Subkeys))) }, p.killPrefix),
		frame.NewCall(CallRemarkWithEvent, "remark_with_event", decodeBytes,
			func(r []byte) frame.DispatchInfo { return normal(weightRemark(len(r)) + weightDbWrite) }, p.remarkWithEvent),
		frame.NewCall(CallAuthorizeUpgrade, "authorize_upgrade", decodeHash,
			func(types.Hash) frame.DispatchInfo { return operational(weightDbWrite * 2) },
			func(ctx *frame.Context, o frame.Origin, h types.Hash) error {
				return p.authorizeUpgrade(ctx, o, h, true)
			}),
		frame.NewCall(CallAuthorizeUpgradeWithoutChecks, "authorize_upgrade_without_checks", decodeHash,
			func(types.Hash) frame.DispatchInfo { return operational(weightDbWrite * 2) },
			func(ctx *frame.Context, o frame.Origin, h types.Hash) error {
				return p.authorizeUpgrade(ctx, o, h, false)
			}),
		frame.NewCallPost(CallApplyAuthorizedUpgrade, "apply_authorized_upgrade", decodeBytes,
			func([]byte) frame.DispatchInfo { return operational(weightSetCode) }, p.applyAuthorizedUpgrade),
	}
}

func (p *Pallet) remark(ctx *frame.Context, o frame.Origin, _ []byte) error {
	if o.Kind == frame.OriginNone {
		return frame.ErrBadOrigin
	}
	return nil
}

func (p *Pallet) remarkWithEvent(ctx *frame.Context, o frame.Origin, r []byte) error {
	who, err := o.EnsureSigned()
	if err != nil {
		return err
	}
	ctx.Deposit(Name, Remarked{Sender: who, Hash: ctx.Blake2_256(r)})
	return nil
}

func (p *Pallet) setHeapPages(ctx *frame.Context, o frame.Origin, pages uint64) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	e := scale.NewEncoder(8)
	e.PutU64(pages)
	ctx.StorageSet(KeyHeapPages, e.Bytes())
	p.DepositLog(ctx, types.DigestItem{Kind: types.DigestRuntimeEnvironmentUpdated})
	return nil
}

// CanSetCode checks that code is a runtime with the same spec name and a
// strictly greater spec version than the running one.
func (p *Pallet) CanSetCode(ctx *frame.Context, code []byte) error {
	raw, ok := ctx.RuntimeVersionOf(code)
	if !ok {
		return ErrFailedToExtractRuntimeVersion
	}
	nv, err := types.DecodeRuntimeVersion(raw)
	if err != nil {
		return ErrFailedToExtractRuntimeVersion
	}
	cur := ctx.Runtime().Version()
	if nv.SpecName != cur.SpecName {
		return ErrInvalidSpecName
	}
	if nv.SpecVersion <= cur.SpecVersion {
		return ErrSpecVersionNeedsToIncrease
	}
	return nil
}

func (p *Pallet) setCode(ctx *frame.Context, o frame.Origin, code []byte) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	if err := p.CanSetCode(ctx, code); err != nil {
		return err
	}
	p.UpdateCode(ctx, code)
	return nil
}

func (p *Pallet) setCodeWithoutChecks(ctx *frame.Context, o frame.Origin, code []byte) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	p.UpdateCode(ctx, code)
	return nil
}

// UpdateCode writes :code, deposits the RuntimeEnvironmentUpdated digest
// and the CodeUpdated event. The new code runs from the next block.
func (p *Pallet) UpdateCode(ctx *frame.Context, code []byte) {
	ctx.StorageSet(KeyCode, code)
	p.DepositLog(ctx, types.DigestItem{Kind: types.DigestRuntimeEnvironmentUpdated})
	ctx.Deposit(Name, CodeUpdated{})
}

func (p *Pallet) setStorage(ctx *frame.Context, o frame.Origin, items []KV) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	for _, kv := range items {
		ctx.StorageSet(kv.Key, kv.Value)
	}
	return nil
}

func (p *Pallet) killStorage(ctx *frame.Context, o frame.Origin, keys [][]byte) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	for _, k := range keys {
		ctx.StorageClear(k)
	}
	return nil
}

func (p *Pallet) killPrefix(ctx *frame.Context, o frame.Origin, a KillPrefixArgs) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	ctx.StorageClearPrefix(a.Prefix, a.Subkeys)
	return nil
}

func (p *Pallet) authorizeUpgrade(ctx *frame.Context, o frame.Origin, h types.Hash, check bool) error {
	if err := o.EnsureRoot(); err != nil {
		return err
	}
	AuthorizedUpgrade.Set(ctx, CodeUpgradeAuthorization{CodeHash: h, CheckVersion: check})
	ctx.Deposit(Name, UpgradeAuthorized{CodeHash: h, CheckVersion: check})
	return nil
}

// applyAuthorizedUpgrade may be called by anyone with the authorized
// code; it pays no fee. A code that fails the version checks consumes the
// authorization and is reported by RejectedInvalidAuthorizedUpgrade.
func (p *Pallet) applyAuthorizedUpgrade(ctx *frame.Context, o frame.Origin, code []byte) (frame.PostDispatchInfo, error) {
	auth, ok := AuthorizedUpgrade.TryGet(ctx)
	if !ok {
		return frame.PostDispatchInfo{}, ErrNothingAuthorized
	}
	h := types.Hash(ctx.Blake2_256(code))
	if h != auth.CodeHash {
		return frame.PostDispatchInfo{}, ErrUnauthorized
	}
	AuthorizedUpgrade.Remove(ctx)
	noFee := frame.PostDispatchInfo{PaysFee: frame.PaysNo}
	if auth.CheckVersion {
		if err := p.CanSetCode(ctx, code); err != nil {
			ctx.Deposit(Name, RejectedInvalidAuthorizedUpgrade{CodeHash: h, Error: ctx.Runtime().DispatchError(err)})
			return noFee, nil
		}
	}
	p.UpdateCode(ctx, code)
	return noFee, nil
}

// ValidateUnsigned accepts a bare apply_authorized_upgrade carrying the
// authorized code (so an upgrade can be applied by an account without
// funds); every other bare System call is InvalidTransaction::Call.
func (p *Pallet) ValidateUnsigned(ctx *frame.Context, _ types.TransactionSource, call *frame.RuntimeCall) (types.ValidTransaction, error) {
	code, ok := call.Args.([]byte)
	if call.CallIndex != CallApplyAuthorizedUpgrade || !ok {
		return types.ValidTransaction{}, frame.ErrTxCall
	}
	auth, ok := AuthorizedUpgrade.TryGet(ctx)
	if !ok || types.Hash(ctx.Blake2_256(code)) != auth.CodeHash {
		return types.ValidTransaction{}, frame.ErrTxCall
	}
	if auth.CheckVersion {
		if err := p.CanSetCode(ctx, code); err != nil {
			return types.ValidTransaction{}, frame.ErrTxCall
		}
	}
	return types.ValidTransaction{
		Priority:  100,
		Provides:  [][]byte{auth.CodeHash[:]},
		Longevity: ^uint64(0),
		Propagate: true,
	}, nil
}
