package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/pallets/balances"
	"github.com/metamars/mars/pallets/sudo"
	"github.com/metamars/mars/pallets/system"
	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// runMarsd runs the marsd command line in-process: args without the
// program name, output (stdout and stderr) to out. End-to-end tests use it
// to drive the CLI against a node started in the same process.
func runMarsd(ctx context.Context, out io.Writer, args ...string) error {
	cmd := newRootCmd()
	cmd.SetOut(out)
	cmd.SetErr(out)
	cmd.SetArgs(args)
	return cmd.ExecuteContext(ctx)
}

func newTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tx",
		Short: "Sign and submit transactions to a running node over JSON-RPC",
		Long: `Signs extrinsics (format v4, the runtime's signed extensions) with a secret URI
and submits them to a node's JSON-RPC endpoint. Over WebSocket (ws://) the
transaction is watched until the state chosen with --wait; over HTTP only
--wait none is possible.`,
	}
	cmd.AddCommand(newTxTransferCmd(), newTxSudoCmd(), newTxCallCmd())
	return cmd
}

// waitMode is how far a submission is followed.
type waitMode uint8

const (
	waitNone waitMode = iota
	waitReady
	waitInBlock
	waitFinalized
)

var waitNames = map[string]waitMode{"none": waitNone, "ready": waitReady, "in-block": waitInBlock, "finalized": waitFinalized}

func parseWait(s string) (waitMode, error) {
	w, ok := waitNames[strings.ToLower(s)]
	if !ok {
		return 0, fmt.Errorf("--wait must be none, ready, in-block or finalized, not %q", s)
	}
	return w, nil
}

// txFlags are the flags every tx subcommand shares.
type txFlags struct {
	rpc          string
	from         string
	scheme       string
	tip          string
	wait         string
	mortalPeriod uint64
	immortal     bool
	timeout      time.Duration
	waitSet      bool // --wait given explicitly
}

func (f *txFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.rpc, "rpc", "ws://127.0.0.1:9944", "node JSON-RPC URL: ws:// (watch the transaction) or http:// (submit only)")
	fs.StringVar(&f.from, "from", "", "secret URI of the signer, e.g. //Alice, a mnemonic or 0x<seed> (required)")
	fs.StringVar(&f.scheme, "scheme", "sr25519", "signature scheme of --from: sr25519 or ed25519")
	fs.StringVar(&f.tip, "tip", "0", "tip for the block author: planck, or a decimal with the MSCA suffix")
	fs.StringVar(&f.wait, "wait", "in-block", "follow the transaction until: none, ready, in-block or finalized (http:// URLs: none)")
	fs.Uint64Var(&f.mortalPeriod, "mortal-period", 64, "validity period in blocks of a mortal transaction, anchored at the finalized head (rounded up to a power of two, 4..65536)")
	fs.BoolVar(&f.immortal, "immortal", false, "make the transaction immortal (valid forever; birth block = genesis)")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "give up waiting after this long")
	_ = cmd.MarkFlagRequired("from")
	cmd.MarkFlagsMutuallyExclusive("immortal", "mortal-period")
	cmd.PreRun = func(cmd *cobra.Command, _ []string) { f.waitSet = cmd.Flags().Changed("wait") }
}

func newTxTransferCmd() *cobra.Command {
	var f txFlags
	var to, amount string
	var keepAlive bool
	cmd := &cobra.Command{
		Use:   "transfer --from SURI --to ADDRESS --amount AMOUNT",
		Short: "Transfer MSCA (Balances.transfer_allow_death or transfer_keep_alive)",
		Long: `Transfers --amount from the --from account to --to with
Balances.transfer_allow_death, or Balances.transfer_keep_alive with --keep-alive
(which refuses to take the sender below the existential deposit).

AMOUNT is planck as a plain integer (12345), or MSCA as a decimal with the MSCA
suffix (1.5MSCA, 0.01MSCA; 1 MSCA = 10^12 planck, at most 12 decimals).
ADDRESS is an SS58 address, 0x + 64 hex digits, or a secret URI such as //Bob.

The nonce comes from system_accountNextIndex, the genesis hash from
chain_getBlockHash(0), the spec and transaction versions from
state_getRuntimeVersion. With --wait in-block or finalized the block's
System.Events tell whether the transfer succeeded; a failed transfer exits
non-zero.`,
		Example: `  marsd tx transfer --rpc ws://127.0.0.1:9944 --from //Alice --to 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty --amount 1.5MSCA
  marsd tx transfer --from //Alice --to //Bob --amount 12345 --keep-alive --wait finalized`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dest, err := parseAddress(to)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			v, err := parseAmount(amount)
			if err != nil {
				return fmt.Errorf("--amount: %w", err)
			}
			name := "transfer_allow_death"
			if keepAlive {
				name = "transfer_keep_alive"
			}
			call := metadataTransferCall(cmd.Context(), f.rpc, name, dest, v)
			if call == nil { // no usable metadata: the relay runtime's layout
				call = transferCall(dest, v, keepAlive)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "call:      Balances.%s(%s, %s)\n", name, dest.SS58(types.SS58Generic), formatAmount(v))
			return submitCall(cmd.Context(), cmd.OutOrStdout(), &f, call)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&to, "to", "", "recipient: SS58 address, 0x<32-byte hex> or a secret URI like //Bob (required)")
	cmd.Flags().StringVar(&amount, "amount", "", "amount: planck (12345) or MSCA with suffix (1.5MSCA) (required)")
	cmd.Flags().BoolVar(&keepAlive, "keep-alive", false, "use transfer_keep_alive: fail rather than reap the sender's account")
	_ = cmd.MarkFlagRequired("to")
	_ = cmd.MarkFlagRequired("amount")
	return cmd
}

func newTxSudoCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "sudo", Short: "Dispatch calls with Root origin through the Sudo pallet (dev and test chains)"}
	var f txFlags
	setCode := &cobra.Command{
		Use:   "set-code --from SURI BLOB",
		Short: "Replace the runtime: Sudo.sudo(System.set_code(BLOB))",
		Long: `Submits Sudo.sudo(System.set_code(code)) signed by the sudo key (--from).
BLOB is a runtime file (.wasm, or .wasm.zst as runtime/blobs holds them); its
bytes are passed as they are. The runtime checks that the spec name is the same
and the spec version greater. Use --wait in-block or finalized to learn whether
the upgrade was applied (Sudo's Sudid event carries the inner call's result;
this command reports the extrinsic's own success).`,
		Example: `  marsd tx sudo set-code --rpc ws://127.0.0.1:9944 --from //Alice runtime/blobs/relay.wasm.zst`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			if len(code) == 0 {
				return fmt.Errorf("%s is empty", args[0])
			}
			fmt.Fprintf(cmd.OutOrStdout(), "call:      Sudo.sudo(System.set_code(%d bytes, blake2_256 %s))\n",
				len(code), types.Hash(types.Blake2b256(code)))
			return submitCall(cmd.Context(), cmd.OutOrStdout(), &f, sudoSetCodeCall(code))
		},
	}
	f.register(setCode)
	cmd.AddCommand(setCode)
	return cmd
}

// transferCall encodes Balances.transfer_allow_death (or
// transfer_keep_alive) to dest of amount planck:
// pallet ++ call ++ MultiAddress::Id(dest) ++ Compact<u128>.
func transferCall(dest types.AccountID, amount scale.U128, keepAlive bool) []byte {
	e := scale.NewEncoder(52)
	e.PutU8(relay.IndexBalances)
	if keepAlive {
		e.PutU8(balances.CallTransferKeepAlive)
	} else {
		e.PutU8(balances.CallTransferAllowDeath)
	}
	types.NewAddress(dest).EncodeTo(e)
	e.PutCompactU128(amount)
	return e.Bytes()
}

// sudoSetCodeCall encodes Sudo.sudo(System.set_code(code)).
func sudoSetCodeCall(code []byte) []byte {
	e := scale.NewEncoder(len(code) + 8)
	e.PutU8(relay.IndexSudo)
	e.PutU8(sudo.CallSudo)
	e.PutU8(relay.IndexSystem)
	e.PutU8(system.CallSetCode)
	e.PutBytes(code)
	return e.Bytes()
}

// maxFinalityLag is how far the finalized head may trail the best block
// before a mortal era is anchored at the best block instead (as
// @polkadot/api does), so the transaction is not born nearly dead.
const maxFinalityLag = 5

// submitCall signs call with f's key and the chain's parameters, submits
// it and follows it as f.wait asks, printing what happens to w.
func submitCall(ctx context.Context, w io.Writer, f *txFlags, call []byte) error {
	mode, err := parseWait(f.wait)
	if err != nil {
		return err
	}
	tip, err := parseAmount(f.tip)
	if err != nil {
		return fmt.Errorf("--tip: %w", err)
	}
	scheme, err := keystore.ParseScheme(f.scheme)
	if err != nil {
		return fmt.Errorf("--scheme: %w", err)
	}
	kp, err := keystore.FromURI(scheme, f.from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	if !f.immortal && f.mortalPeriod == 0 {
		return errors.New("--mortal-period must be at least 1 (or use --immortal)")
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	c, err := rpcclient.Dial(ctx, f.rpc)
	if err != nil {
		return err
	}
	defer c.Close()
	if !c.IsWebSocket() && mode != waitNone {
		if f.waitSet {
			return fmt.Errorf("--wait %s needs a WebSocket URL (ws://…); over HTTP only --wait none works", f.wait)
		}
		mode = waitNone
	}

	sender := kp.AccountID()
	p := txbuilder.Params{Tip: tip}
	if p.GenesisHash, err = c.BlockHash(ctx, 0); err != nil {
		return fmt.Errorf("genesis hash: %w", err)
	}
	rv, err := c.RuntimeVersion(ctx, nil)
	if err != nil {
		return fmt.Errorf("runtime version: %w", err)
	}
	p.SpecVersion, p.TxVersion = rv.SpecVersion, rv.TransactionVersion
	if p.Nonce, err = c.AccountNextIndex(ctx, sender.SS58(types.SS58Generic)); err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	eraText := "immortal"
	if f.immortal {
		p.Era, p.BirthHash = types.ImmortalEra, p.GenesisHash
	} else {
		anchor, number, err := eraAnchor(ctx, c)
		if err != nil {
			return err
		}
		p.Era, p.BirthHash = types.NewMortalEra(number, f.mortalPeriod), anchor
		eraText = fmt.Sprintf("mortal, period %d from block #%d (%s)", p.Era.Period, number, anchor)
	}
	ext := txbuilder.Sign(call, kp, p)
	hash := types.Hash(types.Blake2b256(ext))
	fmt.Fprintf(w, "from:      %s\nnonce:     %d\nera:       %s\nextrinsic: %s (%d bytes)\n",
		sender.SS58(types.SS58Generic), p.Nonce, eraText, hash, len(ext))

	if mode == waitNone {
		got, err := c.SubmitExtrinsic(ctx, ext)
		if err != nil {
			return submitError(err)
		}
		fmt.Fprintf(w, "submitted: %s\n", got)
		return nil
	}
	watch, err := c.SubmitAndWatch(ctx, ext)
	if err != nil {
		return submitError(err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = watch.Unsubscribe(uctx)
	}()
	for {
		st, err := watch.Next(ctx)
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("no final status after %s (--timeout): the transaction may still be included", f.timeout)
			}
			return fmt.Errorf("watching the transaction: %w", err)
		}
		fmt.Fprintf(w, "status:    %s\n", st)
		switch st.Kind {
		case "ready":
			if mode == waitReady {
				return nil
			}
		case "inBlock", "finalized":
			if st.Kind == "inBlock" && mode == waitReady {
				return nil
			}
			if st.Kind == "inBlock" && mode == waitFinalized {
				continue
			}
			fmt.Fprintf(w, "block:     %s\n", st.Hash)
			return reportOutcome(ctx, w, c, st.Hash, ext)
		case "dropped", "invalid", "usurped", "finalityTimeout":
			return fmt.Errorf("transaction %s: %s", hash, st)
		}
	}
}

// eraAnchor returns the block a mortal era starts at: the finalized head,
// or the best block when finality lags by more than maxFinalityLag.
func eraAnchor(ctx context.Context, c *rpcclient.Client) (types.Hash, uint64, error) {
	fin, err := c.FinalizedHead(ctx)
	if err != nil {
		return types.Hash{}, 0, fmt.Errorf("finalized head: %w", err)
	}
	fh, err := c.Header(ctx, &fin)
	if err != nil {
		return types.Hash{}, 0, fmt.Errorf("finalized header: %w", err)
	}
	fn, err := fh.BlockNumber()
	if err != nil {
		return types.Hash{}, 0, err
	}
	best, err := c.Header(ctx, nil)
	if err != nil {
		return types.Hash{}, 0, fmt.Errorf("best header: %w", err)
	}
	bn, err := best.BlockNumber()
	if err != nil {
		return types.Hash{}, 0, err
	}
	if bn > fn+maxFinalityLag {
		// The best header's hash is the hash of the block it names:
		// fetch it by number to avoid re-encoding the header.
		h, err := c.BlockHash(ctx, bn)
		if err != nil {
			return types.Hash{}, 0, fmt.Errorf("best block hash: %w", err)
		}
		return h, bn, nil
	}
	return fin, fn, nil
}

// submitError explains a refused submission: for 1010/1011 the runtime's
// reason (sp-runtime's text, e.g. "Transaction has a bad signature").
func submitError(err error) error {
	var re *rpcclient.Error
	if errors.As(err, &re) {
		if d := re.DataString(); d != "" {
			return fmt.Errorf("the node refused the transaction: %s: %s (code %d)", re.Message, d, re.Code)
		}
		return fmt.Errorf("the node refused the transaction: %s (code %d)", re.Message, re.Code)
	}
	return fmt.Errorf("submitting: %w", err)
}

// systemEventsKey is the storage key of System.Events.
var systemEventsKey = []byte{0x26, 0xaa, 0x39, 0x4e, 0xea, 0x56, 0x30, 0xe0, 0x7c, 0x48, 0xae, 0x0c, 0x95, 0x58, 0xce, 0xf7,
	0x80, 0xd4, 0x1e, 0x5e, 0x16, 0x05, 0x67, 0x65, 0xbc, 0x84, 0x61, 0x85, 0x10, 0x72, 0xc9, 0xd7}

// errExtrinsicFailed marks a transaction that was included but whose call
// failed (ExtrinsicFailed).
var errExtrinsicFailed = errors.New("extrinsic failed")

// reportOutcome finds ext in block and prints its events and whether it
// succeeded; it returns an error wrapping errExtrinsicFailed if it did not.
func reportOutcome(ctx context.Context, w io.Writer, c *rpcclient.Client, block types.Hash, ext []byte) error {
	b, err := c.Block(ctx, &block)
	if err != nil {
		return fmt.Errorf("fetching block %s: %w", block, err)
	}
	index := -1
	for i, x := range b.Block.Extrinsics {
		if bytes.Equal(x, ext) {
			index = i
			break
		}
	}
	if index < 0 {
		return fmt.Errorf("the transaction is not among the %d extrinsics of block %s", len(b.Block.Extrinsics), block)
	}
	raw, _, err := c.Storage(ctx, systemEventsKey, &block)
	if err != nil {
		return fmt.Errorf("fetching System.Events: %w", err)
	}
	reg, mdErr := blockRegistry(ctx, c, block)
	records, err := reg.decodeEvents(raw)
	if err != nil {
		if mdErr != nil {
			return fmt.Errorf("decoding System.Events: %w (and the node's metadata: %w)", err, mdErr)
		}
		return err
	}
	var names []string
	var outcome *eventRecord
	for i := range records {
		r := &records[i]
		if r.applyExtrinsic && r.index == uint32(index) {
			names = append(names, reg.eventName(r.event))
			if len(r.event) >= 2 && r.event[0] == relay.IndexSystem &&
				(r.event[1] == system.EvExtrinsicSuccess || r.event[1] == system.EvExtrinsicFailed) {
				outcome = r
			}
		}
	}
	fmt.Fprintf(w, "index:     %d\nevents:    %s\n", index, strings.Join(names, ", "))
	if outcome == nil {
		return fmt.Errorf("no ExtrinsicSuccess or ExtrinsicFailed event for extrinsic %d of block %s", index, block)
	}
	if outcome.event[1] == system.EvExtrinsicFailed {
		reason := reg.decodeDispatchError(outcome.event[2:])
		fmt.Fprintf(w, "result:    failed: %s\n", reason)
		return fmt.Errorf("%w: %s", errExtrinsicFailed, reason)
	}
	fmt.Fprintln(w, "result:    success")
	// Sudo dispatches its inner call and succeeds whatever that call's
	// result, which Sudid / SudoAsDone carry: report it.
	for i := range records {
		r := &records[i]
		if !r.applyExtrinsic || r.index != uint32(index) || len(r.event) < 3 || r.event[0] != relay.IndexSudo ||
			(r.event[1] != sudo.EvSudid && r.event[1] != sudo.EvSudoAsDone) {
			continue
		}
		if r.event[2] == 0 {
			fmt.Fprintln(w, "sudo:      inner call succeeded")
			continue
		}
		reason := reg.decodeDispatchError(r.event[3:])
		fmt.Fprintf(w, "sudo:      inner call failed: %s\n", reason)
		return fmt.Errorf("%w: the sudo call's inner call failed: %s", errExtrinsicFailed, reason)
	}
	return nil
}

// decodeDispatchError renders the DispatchError at the start of b.
func (r *mdRegistry) decodeDispatchError(b []byte) string {
	d := scale.NewDecoder(b)
	var de types.DispatchError
	de.DecodeFrom(d)
	if d.Err() != nil {
		return "undecodable DispatchError 0x" + hex.EncodeToString(b)
	}
	return r.dispatchErrorText(de)
}

// blockRegistry returns the event types of the runtime at block: from the
// node's metadata, or (when the node serves none or it does not parse) the
// relay runtime's built-in description, with the metadata's error.
func blockRegistry(ctx context.Context, c *rpcclient.Client, block types.Hash) (*mdRegistry, error) {
	md, err := c.Metadata(ctx, &block)
	if err == nil {
		var reg *mdRegistry
		if reg, err = parseMetadata(md); err == nil {
			return reg, nil
		}
	}
	return builtinRelayRegistry(), err
}

// ---- just enough runtime metadata (V14/V15) to decode System.Events ----

type mdField struct {
	name string
	ty   uint32
}

type mdVariant struct {
	name   string
	fields []mdField
}

type mdType struct {
	path     []string
	def      uint8
	fields   []mdField            // 0 composite
	variants map[uint8]*mdVariant // 1 variant
	elem     uint32               // 2 sequence, 3 array, 6 compact
	length   uint32               // 3 array
	tuple    []uint32             // 4 tuple
	prim     uint8                // 5 primitive
}

type mdPallet struct {
	name  string
	event *uint32
	error *uint32
}

type mdRegistry struct {
	types    []mdType
	pallets  map[uint8]mdPallet
	eventsTy *uint32 // System.Events' value type, when the metadata has it
}

// metadataMagic is "meta" as a little-endian u32.
const metadataMagic uint32 = 0x6174656d

// parseMetadata reads the type registry and the pallets' names, event and
// error types of opaque metadata (as state_getMetadata returns it: a
// Vec<u8> prefix, or already bare).
func parseMetadata(b []byte) (*mdRegistry, error) {
	d := scale.NewDecoder(b)
	if len(b) >= 4 && !(b[0] == 'm' && b[1] == 'e' && b[2] == 't' && b[3] == 'a') {
		if inner := d.Bytes(); d.Err() == nil {
			d = scale.NewDecoder(inner)
		} else {
			d = scale.NewDecoder(b)
		}
	}
	if d.U32() != metadataMagic {
		return nil, errors.New("metadata: bad magic")
	}
	ver := d.U8()
	if ver != 14 && ver != 15 {
		return nil, fmt.Errorf("metadata: version %d not supported (14 or 15)", ver)
	}
	strs := func() {
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
		}
	}
	optStr := func() string {
		if d.Option() {
			return d.String()
		}
		return ""
	}
	fields := func() []mdField {
		var fs []mdField
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			name := optStr()
			ty := d.CompactU32()
			optStr()
			strs()
			fs = append(fs, mdField{name, ty})
		}
		return fs
	}
	n := d.Len(1)
	reg := &mdRegistry{types: make([]mdType, n), pallets: map[uint8]mdPallet{}}
	for i := 0; i < n && d.Err() == nil; i++ {
		if id := d.Compact(); id != uint64(i) {
			return nil, fmt.Errorf("metadata: type %d has id %d", i, id)
		}
		t := &reg.types[i]
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			t.path = append(t.path, d.String())
		}
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
			_ = d.String()
			if d.Option() {
				d.CompactU32()
			}
		}
		t.def = d.U8()
		switch t.def {
		case 0:
			t.fields = fields()
		case 1:
			t.variants = map[uint8]*mdVariant{}
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				v := &mdVariant{name: d.String(), fields: fields()}
				t.variants[d.U8()] = v
				strs()
			}
		case 2, 6:
			t.elem = d.CompactU32()
		case 3:
			t.length = d.U32()
			t.elem = d.CompactU32()
		case 4:
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				t.tuple = append(t.tuple, d.CompactU32())
			}
		case 5:
			t.prim = d.U8()
		case 7:
			d.CompactU32()
			d.CompactU32()
		default:
			return nil, fmt.Errorf("metadata: type %d: bad def %d", i, t.def)
		}
		strs()
	}
	np := d.Len(1)
	for i := 0; i < np && d.Err() == nil; i++ {
		var p mdPallet
		p.name = d.String()
		if d.Option() { // storage
			_ = d.String()
			for k := d.Len(1); k > 0 && d.Err() == nil; k-- {
				entry := d.String()
				d.U8()
				if d.U8() == 0 {
					ty := d.CompactU32()
					if p.name == "System" && entry == "Events" {
						reg.eventsTy = &ty
					}
				} else {
					d.Bytes()
					d.CompactU32()
					d.CompactU32()
				}
				d.Bytes()
				strs()
			}
		}
		if d.Option() { // calls
			d.CompactU32()
		}
		if d.Option() {
			ev := d.CompactU32()
			p.event = &ev
		}
		for k := d.Len(1); k > 0 && d.Err() == nil; k-- { // constants
			_ = d.String()
			d.CompactU32()
			d.Bytes()
			strs()
		}
		if d.Option() {
			er := d.CompactU32()
			p.error = &er
		}
		idx := d.U8()
		if ver >= 15 {
			strs()
		}
		reg.pallets[idx] = p
	}
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return reg, nil
}

type eventRecord struct {
	applyExtrinsic bool
	index          uint32
	event          []byte // pallet index ++ variant ++ fields
}

// decodeEvents decodes System.Events (Vec<frame_system::EventRecord>).
func (r *mdRegistry) decodeEvents(raw []byte) ([]eventRecord, error) {
	eventTy, ok := r.eventType()
	if !ok {
		return nil, errors.New("metadata: no frame_system::EventRecord type")
	}
	if len(raw) == 0 {
		return nil, nil
	}
	d := scale.NewDecoder(raw)
	n := d.Len(1)
	out := make([]eventRecord, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		var rec eventRecord
		switch d.U8() {
		case 0:
			rec.applyExtrinsic = true
			rec.index = d.U32()
		case 1, 2:
		default:
			return nil, fmt.Errorf("events: record %d: bad phase", i)
		}
		start := d.Offset()
		if err := r.skip(d, eventTy, 0); err != nil {
			return nil, fmt.Errorf("events: record %d: %w", i, err)
		}
		rec.event = raw[start:d.Offset()]
		topics := d.Len(32)
		d.Raw(32 * topics)
		out = append(out, rec)
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return out, nil
}

// eventType finds the RuntimeEvent type: the "event" field of the
// frame_system::EventRecord that System.Events stores (else of the last
// EventRecord type whose event is an enum).
func (r *mdRegistry) eventType() (uint32, bool) {
	eventField := func(t *mdType) (uint32, bool) {
		if t.def != 0 || len(t.path) != 2 || t.path[0] != "frame_system" || t.path[1] != "EventRecord" {
			return 0, false
		}
		for _, f := range t.fields {
			if f.name == "event" && int(f.ty) < len(r.types) && r.types[f.ty].def == 1 {
				return f.ty, true
			}
		}
		return 0, false
	}
	if r.eventsTy != nil && int(*r.eventsTy) < len(r.types) {
		if seq := &r.types[*r.eventsTy]; seq.def == 2 && int(seq.elem) < len(r.types) {
			if ty, ok := eventField(&r.types[seq.elem]); ok {
				return ty, true
			}
		}
	}
	for i := len(r.types) - 1; i >= 0; i-- {
		if ty, ok := eventField(&r.types[i]); ok {
			return ty, true
		}
	}
	return 0, false
}

// primSize is the encoded size of fixed-size primitives (0 for str).
var primSize = [...]int{0: 1, 1: 4, 3: 1, 4: 2, 5: 4, 6: 8, 7: 16, 8: 32, 9: 1, 10: 2, 11: 4, 12: 8, 13: 16, 14: 32}

// skip moves d past one value of type id.
func (r *mdRegistry) skip(d *scale.Decoder, id uint32, depth int) error {
	if depth > 64 {
		return errors.New("type nesting too deep")
	}
	if int(id) >= len(r.types) {
		return fmt.Errorf("unknown type %d", id)
	}
	t := &r.types[id]
	switch t.def {
	case 0:
		for _, f := range t.fields {
			if err := r.skip(d, f.ty, depth+1); err != nil {
				return err
			}
		}
	case 1:
		idx := d.U8()
		v, ok := t.variants[idx]
		if !ok {
			if d.Err() != nil {
				return d.Err()
			}
			return fmt.Errorf("type %d (%s): no variant %d", id, strings.Join(t.path, "::"), idx)
		}
		for _, f := range v.fields {
			if err := r.skip(d, f.ty, depth+1); err != nil {
				return err
			}
		}
	case 2, 3:
		n := int(t.length)
		if t.def == 2 {
			n = d.Len(0)
		}
		if n < 0 || n > d.Remaining() {
			return fmt.Errorf("type %d: %d elements beyond the input", id, n)
		}
		if int(t.elem) < len(r.types) {
			if e := &r.types[t.elem]; e.def == 5 && e.prim != 2 && int(e.prim) < len(primSize) && primSize[e.prim] > 0 {
				d.Raw(n * primSize[e.prim])
				break
			}
		}
		for k := 0; k < n && d.Err() == nil; k++ {
			if err := r.skip(d, t.elem, depth+1); err != nil {
				return err
			}
		}
	case 4:
		for _, e := range t.tuple {
			if err := r.skip(d, e, depth+1); err != nil {
				return err
			}
		}
	case 5:
		if t.prim == 2 {
			_ = d.String()
		} else if int(t.prim) < len(primSize) && primSize[t.prim] > 0 {
			d.Raw(primSize[t.prim])
		} else {
			return fmt.Errorf("type %d: bad primitive %d", id, t.prim)
		}
	case 6:
		_ = d.CompactBig()
	default:
		return fmt.Errorf("type %d: cannot decode type kind %d", id, t.def)
	}
	return d.Err()
}

// eventName names an event "Pallet.Variant" (or by indices when unknown).
func (r *mdRegistry) eventName(ev []byte) string {
	if len(ev) < 2 {
		return "?"
	}
	p, ok := r.pallets[ev[0]]
	if !ok || p.event == nil {
		return fmt.Sprintf("%d.%d", ev[0], ev[1])
	}
	return p.name + "." + r.variantName(*p.event, ev[1])
}

func (r *mdRegistry) variantName(ty uint32, idx uint8) string {
	if int(ty) < len(r.types) {
		if v, ok := r.types[ty].variants[idx]; ok {
			return v.name
		}
	}
	return fmt.Sprint(idx)
}

// dispatchErrorText renders a DispatchError, naming module errors
// ("Balances.InsufficientBalance").
func (r *mdRegistry) dispatchErrorText(e types.DispatchError) string {
	if e.Kind == types.DispatchModule {
		if p, ok := r.pallets[e.Module.Index]; ok && p.error != nil {
			return fmt.Sprintf("%s.%s", p.name, r.variantName(*p.error, e.Module.Error[0]))
		}
	}
	if names, ok := dispatchSubNames[e.Kind]; ok && int(e.Sub) < len(names) {
		return dispatchKindNames[e.Kind] + "." + names[e.Sub]
	}
	return strings.TrimPrefix(e.Error(), "dispatch: ")
}

var dispatchKindNames = map[uint8]string{types.DispatchToken: "Token", types.DispatchArithmetic: "Arithmetic",
	types.DispatchTransactional: "Transactional"}

// dispatchSubNames are sp-runtime's TokenError, ArithmeticError and
// TransactionalError variant names.
var dispatchSubNames = map[uint8][]string{
	types.DispatchToken: {"FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset",
		"Frozen", "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked"},
	types.DispatchArithmetic:    {"Underflow", "Overflow", "DivisionByZero"},
	types.DispatchTransactional: {"LimitReached", "NoLayer"},
}

// ---- the relay runtime's events, for nodes that serve no metadata ----

// regBuilder assembles an mdRegistry by hand.
type regBuilder struct{ r *mdRegistry }

func (b regBuilder) add(t mdType) uint32 {
	b.r.types = append(b.r.types, t)
	return uint32(len(b.r.types) - 1)
}

func (b regBuilder) prim(p uint8) uint32 { return b.add(mdType{def: 5, prim: p}) }

func (b regBuilder) array(n, elem uint32) uint32 { return b.add(mdType{def: 3, length: n, elem: elem}) }

func (b regBuilder) compact(elem uint32) uint32 { return b.add(mdType{def: 6, elem: elem}) }

func (b regBuilder) composite(tys ...uint32) uint32 {
	t := mdType{def: 0}
	for _, ty := range tys {
		t.fields = append(t.fields, mdField{ty: ty})
	}
	return b.add(t)
}

// variant adds an enum whose variant i is names[i] with fields[i] (nil:
// unit).
func (b regBuilder) variant(names []string, fields map[int][]uint32) uint32 {
	t := mdType{def: 1, variants: map[uint8]*mdVariant{}}
	for i, n := range names {
		v := &mdVariant{name: n}
		for _, ty := range fields[i] {
			v.fields = append(v.fields, mdField{ty: ty})
		}
		t.variants[uint8(i)] = v
	}
	return b.add(t)
}

func (b regBuilder) units(n int) uint32 {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprint(i)
	}
	return b.variant(names, nil)
}

func errorNames(errs []*frame.Error) []string {
	out := make([]string, len(errs))
	for _, e := range errs {
		if int(e.Index) < len(out) {
			out[e.Index] = e.Name
		}
	}
	return out
}

// builtinRelayRegistry describes the events (and errors) of the relay
// runtime as its pallets encode them, so the outcome of a transaction can
// be read from a node whose runtime does not describe every pallet in its
// metadata yet.
func builtinRelayRegistry() *mdRegistry {
	b := regBuilder{&mdRegistry{pallets: map[uint8]mdPallet{}}}
	u8 := b.prim(3)
	u128 := b.prim(7)
	boolT := b.prim(0)
	acct := b.array(32, u8)
	h256 := b.array(32, u8)
	cu64 := b.compact(b.prim(6))
	weight := b.composite(cu64, cu64)
	info := b.composite(weight, b.units(3), b.units(2))
	dispErr := b.variant([]string{"Other", "CannotLookup", "BadOrigin", "Module", "ConsumerRemaining", "NoProviders",
		"TooManyConsumers", "Token", "Arithmetic", "Transactional", "Exhausted", "Corruption", "Unavailable",
		"RootNotAllowed", "Trie"},
		map[int][]uint32{3: {u8, b.array(4, u8)}, 7: {b.units(10)}, 8: {b.units(3)}, 9: {b.units(2)}, 14: {b.units(14)}})
	result := b.variant([]string{"Ok", "Err"}, map[int][]uint32{1: {dispErr}})
	optAcct := b.variant([]string{"None", "Some"}, map[int][]uint32{1: {acct}})

	sysEv := b.variant([]string{"ExtrinsicSuccess", "ExtrinsicFailed", "CodeUpdated", "NewAccount", "KilledAccount",
		"Remarked", "UpgradeAuthorized", "RejectedInvalidAuthorizedUpgrade"},
		map[int][]uint32{0: {info}, 1: {dispErr, info}, 3: {acct}, 4: {acct}, 5: {acct, h256}, 6: {h256, boolT}, 7: {h256, dispErr}})
	whoAmount := []uint32{acct, u128}
	balEv := b.variant([]string{"Endowed", "DustLost", "Transfer", "BalanceSet", "Reserved", "Unreserved",
		"ReserveRepatriated", "Deposit", "Withdraw", "Slashed", "Minted", "Burned", "Suspended", "Restored",
		"Upgraded", "Issued", "Rescinded", "Locked", "Unlocked", "Frozen", "Thawed", "TotalIssuanceForced"},
		map[int][]uint32{0: whoAmount, 1: whoAmount, 2: {acct, acct, u128}, 3: whoAmount, 4: whoAmount, 5: whoAmount,
			6: {acct, acct, u128, b.units(2)}, 7: whoAmount, 8: whoAmount, 9: whoAmount, 10: whoAmount, 11: whoAmount,
			12: whoAmount, 13: whoAmount, 14: {acct}, 15: {u128}, 16: {u128}, 17: whoAmount, 18: whoAmount,
			19: whoAmount, 20: whoAmount, 21: {u128, u128}})
	payEv := b.variant([]string{"TransactionFeePaid"}, map[int][]uint32{0: {acct, u128, u128}})
	sudoEv := b.variant([]string{"Sudid", "KeyChanged", "KeyRemoved", "SudoAsDone"},
		map[int][]uint32{0: {result}, 1: {optAcct, acct}, 3: {result}})

	sysErr := b.variant(errorNames([]*frame.Error{system.ErrInvalidSpecName, system.ErrSpecVersionNeedsToIncrease,
		system.ErrFailedToExtractRuntimeVersion, system.ErrNonDefaultComposite, system.ErrNonZeroRefCount,
		system.ErrCallFiltered, system.ErrMultiBlockMigrationsOngoing, system.ErrNothingAuthorized, system.ErrUnauthorized}), nil)
	balErr := b.variant(errorNames(balances.Errors), nil)
	sudoErr := b.variant(errorNames(sudo.Errors), nil)

	ptr := func(v uint32) *uint32 { return &v }
	pallets := []struct {
		idx       uint8
		name      string
		ev, errTy *uint32
	}{
		{relay.IndexSystem, "System", ptr(sysEv), ptr(sysErr)},
		{relay.IndexTimestamp, "Timestamp", nil, nil},
		{relay.IndexSudo, "Sudo", ptr(sudoEv), ptr(sudoErr)},
		{relay.IndexBalances, "Balances", ptr(balEv), ptr(balErr)},
		{relay.IndexTransactionPayment, "TransactionPayment", ptr(payEv), nil},
	}
	outer := mdType{def: 1, variants: map[uint8]*mdVariant{}}
	for _, p := range pallets {
		b.r.pallets[p.idx] = mdPallet{name: p.name, event: p.ev, error: p.errTy}
		if p.ev != nil {
			outer.variants[p.idx] = &mdVariant{name: p.name, fields: []mdField{{ty: *p.ev}}}
		}
	}
	event := b.add(outer)
	b.add(mdType{def: 0, path: []string{"frame_system", "EventRecord"},
		fields: []mdField{{name: "event", ty: event}}})
	return b.r
}
