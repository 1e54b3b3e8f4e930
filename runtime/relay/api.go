package relay

import (
	"errors"
	"fmt"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Errors of Dispatch (in WASM they trap with this message).
var (
	ErrUnknownEntry = errors.New("relay: unknown runtime API entry point")
	ErrBadInput     = errors.New("relay: cannot decode input")
)

// runtime is built once per instance: composing is cheap but not free
// (storage prefixes are hashed at construction).
var theRuntime = New()

// Default returns the package's composed runtime (the one Dispatch uses).
func Default() *Runtime { return theRuntime }

// Entries lists the runtime API entry points Dispatch serves (wasm/ exports
// exactly these).
var Entries = []string{
	"Core_version", "Core_initialize_block", "Core_execute_block",
	"BlockBuilder_apply_extrinsic", "BlockBuilder_finalize_block",
	"BlockBuilder_inherent_extrinsics", "BlockBuilder_check_inherents",
	"TaggedTransactionQueue_validate_transaction",
	"AccountNonceApi_account_nonce",
	"TransactionPaymentApi_query_info", "TransactionPaymentApi_query_fee_details",
	"TransactionPaymentApi_query_weight_to_fee", "TransactionPaymentApi_query_length_to_fee",
	"GenesisBuilder_build_state", "GenesisBuilder_get_preset", "GenesisBuilder_preset_names",
	"Metadata_metadata", "Metadata_metadata_at_version", "Metadata_metadata_versions",
	"AuraApi_slot_duration", "AuraApi_authorities",
	"GrandpaApi_grandpa_authorities", "GrandpaApi_current_set_id",
	"SessionKeys_generate_session_keys", "SessionKeys_decode_session_keys",
	"AuraEquivocationApi_report_extrinsic", "GrandpaEquivocationApi_report_extrinsic",
}

// ErrMetadataIncomplete: some pallet does not describe itself yet.
var ErrMetadataIncomplete = errors.New("relay: metadata incomplete")

// metadataBlob returns metadata V14 or V15 (ok false for other versions).
func metadataBlob(rt *Runtime, version uint32) ([]byte, bool, error) {
	m, missing := rt.Metadata()
	if len(missing) > 0 {
		return nil, false, fmt.Errorf("%w: no descriptor for %v", ErrMetadataIncomplete, missing)
	}
	switch version {
	case 14:
		return m.V14(), true, nil
	case 15:
		return m.V15(), true, nil
	}
	return nil, false, nil
}

// Dispatch runs runtime API entry on SCALE input and returns the SCALE
// output (PROTOCOL.md §1). An error means the call failed as a whole (a
// trap in WASM): undecodable input, an invalid block in execute_block, a
// failing on_finalize.
func Dispatch(h abi.Host, entry string, input []byte) ([]byte, error) {
	rt := theRuntime
	ctx := rt.NewContext(h)
	d := scale.NewDecoder(input)
	e := scale.NewEncoder(64)
	finish := func() error {
		if err := d.Finish(); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrBadInput, entry, err)
		}
		return nil
	}
	switch entry {
	case "Core_version":
		v := rt.Version()
		v.EncodeTo(e)
	case "Core_initialize_block":
		var hdr types.Header
		hdr.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		mode, err := rt.InitializeBlock(ctx, &hdr)
		if err != nil {
			return nil, err
		}
		e.PutU8(uint8(mode))
	case "Core_execute_block":
		var b types.Block
		b.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		if err := rt.ExecuteBlock(ctx, &b); err != nil {
			return nil, err
		}
	case "BlockBuilder_apply_extrinsic":
		xt := readExtrinsic(d)
		if err := finish(); err != nil {
			return nil, err
		}
		res := rt.ApplyExtrinsic(ctx, xt)
		res.EncodeTo(e)
	case "BlockBuilder_finalize_block":
		if err := finish(); err != nil {
			return nil, err
		}
		hdr, err := rt.FinalizeBlock(ctx)
		if err != nil {
			return nil, err
		}
		hdr.EncodeTo(e)
	case "BlockBuilder_inherent_extrinsics":
		var data frame.InherentData
		data.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		xts := rt.InherentExtrinsics(ctx, &data)
		e.PutLen(len(xts))
		for _, x := range xts {
			e.PutRaw(x)
		}
	case "BlockBuilder_check_inherents":
		var b types.Block
		var data frame.InherentData
		b.DecodeFrom(d)
		data.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		res := rt.CheckInherents(ctx, &b, &data)
		res.EncodeTo(e)
	case "TaggedTransactionQueue_validate_transaction":
		source := types.TransactionSource(d.U8())
		xt := readExtrinsic(d)
		var at types.Hash
		at.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		res := rt.ValidateTransaction(ctx, source, xt, at)
		res.EncodeTo(e)
	case "AccountNonceApi_account_nonce":
		var who types.AccountID
		who.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		e.PutU32(rt.System.Account(ctx, who).Nonce)
	case "TransactionPaymentApi_query_info":
		xt := readExtrinsic(d)
		length := d.U32()
		if err := finish(); err != nil {
			return nil, err
		}
		info, err := rt.TransactionPayment.QueryInfo(ctx, xt, length)
		if err != nil {
			return nil, err
		}
		info.EncodeTo(e)
	case "TransactionPaymentApi_query_fee_details":
		xt := readExtrinsic(d)
		length := d.U32()
		if err := finish(); err != nil {
			return nil, err
		}
		fd, err := rt.TransactionPayment.QueryFeeDetails(ctx, xt, length)
		if err != nil {
			return nil, err
		}
		fd.EncodeTo(e)
	case "TransactionPaymentApi_query_weight_to_fee":
		var w types.Weight
		w.DecodeFrom(d)
		if err := finish(); err != nil {
			return nil, err
		}
		e.PutU128(rt.TransactionPayment.QueryWeightToFee(ctx, w))
	case "TransactionPaymentApi_query_length_to_fee":
		length := d.U32()
		if err := finish(); err != nil {
			return nil, err
		}
		e.PutU128(rt.TransactionPayment.QueryLengthToFee(length))
	case "GenesisBuilder_build_state":
		cfg := d.Bytes()
		if err := finish(); err != nil {
			return nil, err
		}
		if err := rt.BuildGenesis(ctx, cfg); err != nil {
			e.PutU8(1)
			e.PutString(err.Error())
		} else {
			e.PutU8(0)
		}
	case "GenesisBuilder_get_preset":
		name := ""
		if d.Option() {
			name = d.String()
			if name == "" {
				name = "\x00" // Some("") is not the default preset
			}
		}
		if err := finish(); err != nil {
			return nil, err
		}
		b, ok := Preset(name)
		e.PutOption(ok)
		if ok {
			e.PutBytes(b)
		}
	case "GenesisBuilder_preset_names":
		if err := finish(); err != nil {
			return nil, err
		}
		names := PresetNames()
		e.PutLen(len(names))
		for _, n := range names {
			e.PutString(n)
		}
	case "Metadata_metadata":
		if err := finish(); err != nil {
			return nil, err
		}
		b, _, err := metadataBlob(rt, 14)
		if err != nil {
			return nil, err
		}
		e.PutBytes(b)
	case "Metadata_metadata_at_version":
		v := d.U32()
		if err := finish(); err != nil {
			return nil, err
		}
		b, ok, err := metadataBlob(rt, v)
		if err != nil {
			return nil, err
		}
		e.PutOption(ok)
		if ok {
			e.PutBytes(b)
		}
	case "Metadata_metadata_versions":
		if err := finish(); err != nil {
			return nil, err
		}
		e.PutLen(2)
		e.PutU32(14)
		e.PutU32(15)
	default:
		handled, err := dispatchConsensus(rt, ctx, entry, d, e, finish)
		if err != nil {
			return nil, err
		}
		if !handled {
			return nil, fmt.Errorf("%w: %q", ErrUnknownEntry, entry)
		}
	}
	return e.Bytes(), nil
}

// readExtrinsic reads one length-prefixed extrinsic and returns its full
// encoding (prefix included).
func readExtrinsic(d *scale.Decoder) []byte {
	n := d.Compact()
	if d.Err() != nil {
		return nil
	}
	if n > uint64(d.Remaining()) {
		d.Fail(scale.ErrUnexpectedEOF)
		return nil
	}
	body := d.Raw(int(n))
	e := scale.NewEncoder(scale.CompactLen(n) + len(body))
	e.PutCompact(n)
	e.PutRaw(body)
	return e.Bytes()
}
