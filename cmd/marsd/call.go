package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// Generic calls: `marsd tx call PALLET CALL [ARGS…]` encodes any call the
// runtime's metadata describes, reading each argument as its metadata type
// asks (see valueEncoder).

func newTxCallCmd() *cobra.Command {
	var f txFlags
	var jsonArgs string
	cmd := &cobra.Command{
		Use:   "call --from SURI PALLET CALL [ARGS…]",
		Short: "Sign and submit any call the runtime's metadata describes",
		Long: `Encodes PALLET.CALL from the node's metadata (Metadata_metadata_at_version(15),
else state_getMetadata) and submits it like the other tx commands. PALLET and
CALL match case-insensitively, in snake_case or camelCase (transfer_keep_alive,
transferKeepAlive).

Arguments are given in order, one per call parameter, or as a single JSON
object (by parameter name) or array with --json. Each is read as its type asks:
  bool, integers     true, 42, "340282366920938463463374607431768211455";
                     u128 (balances) also take MSCA: 1.5MSCA
  Vec<u8>, [u8; N]   0x-hex, or text for Vec<u8>
  AccountId32        SS58, 0x + 64 hex digits, or a secret URI (//Bob)
  MultiAddress       an address (the Id variant), or {"Index": 3} etc.
  enums              "Name" for a unit variant, {"Name": value} otherwise
  Option             null, or the value
  structs, tuples    JSON objects (by field name) or arrays
  RuntimeCall        {"pallet": "System", "call": "remark", "args": ["0x00"]}
A plain argument is parsed as JSON when it is valid JSON, otherwise taken as
a string.`,
		Example: `  marsd tx call --from //Alice Balances transfer_keep_alive //Bob 1.5MSCA
  marsd tx call --from //Alice Balances transferAllowDeath --json '{"dest": "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", "value": "1.5MSCA"}'
  marsd tx call --from //Alice System remark 0x00
  marsd tx call --from //Alice Sudo sudo '{"pallet":"System","call":"remark","args":["0x00"]}'`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var vals []any
			var obj any
			if jsonArgs != "" {
				if len(args) > 2 {
					return errors.New("give the arguments either in order or with --json, not both")
				}
				v, err := parseJSONArg(jsonArgs, true)
				if err != nil {
					return fmt.Errorf("--json: %w", err)
				}
				obj = v
			} else {
				for _, a := range args[2:] {
					v, _ := parseJSONArg(a, false)
					vals = append(vals, v)
				}
			}
			ctx := cmd.Context()
			md, err := fetchMetadataURL(ctx, f.rpc, nil)
			if err != nil {
				return err
			}
			enc := &valueEncoder{md: md}
			call, desc, err := enc.encodeCall(args[0], args[1], vals, obj)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "call:      %s (%d bytes: 0x%s)\n", desc, len(call), shortHex(call))
			return submitCall(ctx, cmd.OutOrStdout(), &f, call)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&jsonArgs, "json", "", "the call's arguments as one JSON object (by name) or array")
	return cmd
}

func shortHex(b []byte) string {
	if len(b) > 64 {
		return hex.EncodeToString(b[:64]) + "…"
	}
	return hex.EncodeToString(b)
}

// parseJSONArg reads a command-line argument: JSON when it parses (numbers
// kept as json.Number), else the text itself (unless strict).
func parseJSONArg(s string, strict bool) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		if strict {
			if err == nil {
				err = errors.New("trailing data")
			}
			return nil, err
		}
		return s, nil
	}
	return v, nil
}

// fetchMetadataURL dials url and fetches its metadata.
func fetchMetadataURL(ctx context.Context, url string, at *types.Hash) (*metadata.Decoded, error) {
	c, err := rpcclient.Dial(ctx, url)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return fetchMetadata(ctx, c, at)
}

// fetchMetadata asks for V15 metadata (Metadata_metadata_at_version(15),
// an Option<OpaqueMetadata>), falling back to state_getMetadata.
func fetchMetadata(ctx context.Context, c *rpcclient.Client, at *types.Hash) (*metadata.Decoded, error) {
	params := []any{"Metadata_metadata_at_version", "0x0f000000"}
	if at != nil {
		params = append(params, *at)
	}
	var raw rpcclient.Bytes
	if err := c.Call(ctx, &raw, "state_call", params...); err == nil {
		d := scale.NewDecoder(raw)
		if d.Option() {
			if inner := d.Bytes(); d.Err() == nil {
				if md, err := metadata.Decode(inner); err == nil {
					return md, nil
				}
			}
		}
	}
	var p []any
	if at != nil {
		p = append(p, *at)
	}
	raw = nil
	if err := c.Call(ctx, &raw, "state_getMetadata", p...); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	b := []byte(raw)
	if len(b) >= 4 && !bytes.HasPrefix(b, []byte("meta")) {
		d := scale.NewDecoder(b)
		if inner := d.Bytes(); d.Err() == nil && d.Remaining() == 0 {
			b = inner
		}
	}
	md, err := metadata.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	return md, nil
}

// normName folds a name for matching: case and underscores ignored, so
// transfer_keep_alive matches transferKeepAlive.
func normName(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// findPallet finds a pallet by name (normName).
func findPallet(md *metadata.Decoded, name string) (*metadata.Pallet, error) {
	for i := range md.Pallets {
		if normName(md.Pallets[i].Name) == normName(name) {
			return &md.Pallets[i], nil
		}
	}
	var names []string
	for _, p := range md.Pallets {
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("no pallet %q (pallets: %s)", name, strings.Join(names, ", "))
}

func findVariant(ty *metadata.DecodedType, name string) *metadata.Variant {
	for i := range ty.Variants {
		if normName(ty.Variants[i].Name) == normName(name) {
			return &ty.Variants[i]
		}
	}
	return nil
}

func variantNames(ty *metadata.DecodedType) string {
	var names []string
	for _, v := range ty.Variants {
		names = append(names, v.Name)
	}
	return strings.Join(names, ", ")
}

// valueEncoder SCALE-encodes loosely typed values (JSON-decoded, or
// strings from the command line) as metadata types.
type valueEncoder struct {
	md *metadata.Decoded
}

const maxEncodeDepth = 64

// encodeCall encodes pallet.call with positional args vals, or with the
// JSON object/array obj when vals is nil. desc describes the call.
func (x *valueEncoder) encodeCall(pallet, call string, vals []any, obj any) ([]byte, string, error) {
	e := scale.NewEncoder(64)
	desc, err := x.putCall(e, pallet, call, vals, obj, 0)
	return e.Bytes(), desc, err
}

func (x *valueEncoder) putCall(e *scale.Encoder, pallet, call string, vals []any, obj any, depth int) (string, error) {
	p, err := findPallet(x.md, pallet)
	if err != nil {
		return "", err
	}
	if p.Calls == nil {
		return "", fmt.Errorf("pallet %s has no calls", p.Name)
	}
	cty := x.md.Type(*p.Calls)
	v := findVariant(cty, call)
	if v == nil {
		return "", fmt.Errorf("pallet %s has no call %q (calls: %s)", p.Name, call, variantNames(cty))
	}
	name := p.Name + "." + v.Name
	if vals == nil && obj != nil {
		switch o := obj.(type) {
		case []any:
			vals = o
		case map[string]any:
			var err error
			if vals, err = fieldsFromMap(v.Fields, o); err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
		default:
			if len(v.Fields) != 1 {
				return "", fmt.Errorf("%s: arguments must be a JSON object or array", name)
			}
			vals = []any{o}
		}
	}
	if len(vals) != len(v.Fields) {
		return "", fmt.Errorf("%s takes %d arguments (%s), got %d", name, len(v.Fields), fieldList(x.md, v.Fields), len(vals))
	}
	e.PutU8(p.Index)
	e.PutU8(v.Index)
	for i, f := range v.Fields {
		if err := x.put(e, f.Type, vals[i], depth+1); err != nil {
			return "", fmt.Errorf("%s: argument %s: %w", name, fieldLabel(f, i), err)
		}
	}
	return name + "(" + fieldList(x.md, v.Fields) + ")", nil
}

func fieldLabel(f metadata.Field, i int) string {
	if f.Name != "" {
		return f.Name
	}
	return strconv.Itoa(i)
}

func fieldList(md *metadata.Decoded, fs []metadata.Field) string {
	var parts []string
	for i, f := range fs {
		tn := f.TypeName
		if tn == "" {
			tn = strings.Join(md.Type(f.Type).Path, "::")
		}
		parts = append(parts, strings.TrimSpace(fieldLabel(f, i)+": "+tn))
	}
	return strings.Join(parts, ", ")
}

// fieldsFromMap orders the values of m as fields (matched by normName).
func fieldsFromMap(fs []metadata.Field, m map[string]any) ([]any, error) {
	byName := map[string]any{}
	for k, v := range m {
		byName[normName(k)] = v
	}
	out := make([]any, len(fs))
	for i, f := range fs {
		v, ok := byName[normName(f.Name)]
		if !ok {
			return nil, fmt.Errorf("missing field %q", fieldLabel(f, i))
		}
		delete(byName, normName(f.Name))
		out[i] = v
	}
	if len(byName) > 0 {
		var extra []string
		for k := range byName {
			extra = append(extra, k)
		}
		sort.Strings(extra)
		return nil, fmt.Errorf("unknown fields %v", extra)
	}
	return out, nil
}

func pathIs(ty *metadata.DecodedType, last string) bool {
	return len(ty.Path) > 0 && ty.Path[len(ty.Path)-1] == last
}

// isU8 tells whether t is the u8 primitive.
func (x *valueEncoder) isU8(t metadata.TypeID) bool {
	ty := x.md.Type(t)
	return ty.Def == metadata.DefPrimitive && ty.Prim == metadata.U8
}

// put encodes v as type t.
func (x *valueEncoder) put(e *scale.Encoder, t metadata.TypeID, v any, depth int) error {
	if depth > maxEncodeDepth {
		return errors.New("value nested too deep")
	}
	if int(t) >= len(x.md.Types) {
		return fmt.Errorf("unknown type %d", t)
	}
	ty := x.md.Type(t)
	switch ty.Def {
	case metadata.DefComposite:
		if pathIs(ty, "AccountId32") && len(ty.Fields) == 1 {
			if s, ok := v.(string); ok {
				id, err := parseAddress(s)
				if err != nil {
					return err
				}
				e.PutRaw(id[:])
				return nil
			}
		}
		switch o := v.(type) {
		case map[string]any:
			if len(ty.Fields) == 1 && ty.Fields[0].Name == "" {
				break
			}
			vals, err := fieldsFromMap(ty.Fields, o)
			if err != nil {
				return fmt.Errorf("%s: %w", strings.Join(ty.Path, "::"), err)
			}
			return x.putFields(e, ty.Fields, vals, depth)
		case []any:
			if len(ty.Fields) == 1 && x.isSeqLike(ty.Fields[0].Type) {
				break // newtype around a sequence: the array is its value
			}
			if len(o) == len(ty.Fields) {
				return x.putFields(e, ty.Fields, o, depth)
			}
		}
		if len(ty.Fields) == 1 { // newtype: the inner value
			return x.put(e, ty.Fields[0].Type, v, depth+1)
		}
		if len(ty.Fields) == 0 {
			return nil
		}
		return fmt.Errorf("%s wants an object or array, got %v", strings.Join(ty.Path, "::"), v)
	case metadata.DefVariant:
		return x.putVariant(e, t, ty, v, depth)
	case metadata.DefSequence:
		if x.isU8(ty.Elem) {
			if s, ok := v.(string); ok {
				b, err := bytesArg(s, true)
				if err != nil {
					return err
				}
				e.PutBytes(b)
				return nil
			}
		}
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("want an array, got %v", v)
		}
		e.PutLen(len(arr))
		for _, a := range arr {
			if err := x.put(e, ty.Elem, a, depth+1); err != nil {
				return err
			}
		}
		return nil
	case metadata.DefArray:
		if x.isU8(ty.Elem) {
			if s, ok := v.(string); ok {
				var b []byte
				var err error
				if ty.Len == 32 && !strings.HasPrefix(s, "0x") {
					var id types.AccountID
					id, err = parseAddress(s)
					b = id[:]
				} else {
					b, err = bytesArg(s, false)
				}
				if err != nil {
					return err
				}
				if len(b) != int(ty.Len) {
					return fmt.Errorf("want %d bytes, got %d", ty.Len, len(b))
				}
				e.PutRaw(b)
				return nil
			}
		}
		arr, ok := v.([]any)
		if !ok || len(arr) != int(ty.Len) {
			return fmt.Errorf("want an array of %d values, got %v", ty.Len, v)
		}
		for _, a := range arr {
			if err := x.put(e, ty.Elem, a, depth+1); err != nil {
				return err
			}
		}
		return nil
	case metadata.DefTuple:
		if len(ty.Tuple) == 0 {
			return nil
		}
		arr, ok := v.([]any)
		if !ok && len(ty.Tuple) == 1 {
			arr = []any{v}
		} else if !ok || len(arr) != len(ty.Tuple) {
			return fmt.Errorf("want an array of %d values, got %v", len(ty.Tuple), v)
		}
		for i, a := range arr {
			if err := x.put(e, ty.Tuple[i], a, depth+1); err != nil {
				return err
			}
		}
		return nil
	case metadata.DefPrimitive:
		return putPrimitive(e, ty.Prim, v)
	case metadata.DefCompact:
		inner := ty.Elem
		for k := 0; k < 8; k++ { // Compact<Newtype(u32)> encodes the inner integer
			it := x.md.Type(inner)
			if it.Def == metadata.DefComposite && len(it.Fields) == 1 {
				inner = it.Fields[0].Type
				continue
			}
			break
		}
		it := x.md.Type(inner)
		if it.Def == metadata.DefTuple && len(it.Tuple) == 0 {
			return nil
		}
		if it.Def != metadata.DefPrimitive {
			return fmt.Errorf("cannot encode Compact of %v", it.Path)
		}
		n, err := intArg(v, it.Prim)
		if err != nil {
			return err
		}
		if n.Sign() < 0 {
			return errors.New("compact values are unsigned")
		}
		if !e.PutCompactBig(n) {
			return fmt.Errorf("%s does not fit a compact", n)
		}
		return nil
	}
	return fmt.Errorf("cannot encode type kind %d", ty.Def)
}

// isSeqLike tells whether values of t are naturally JSON arrays.
func (x *valueEncoder) isSeqLike(t metadata.TypeID) bool {
	d := x.md.Type(t).Def
	return d == metadata.DefSequence || d == metadata.DefArray || d == metadata.DefTuple
}

func (x *valueEncoder) putFields(e *scale.Encoder, fs []metadata.Field, vals []any, depth int) error {
	for i, f := range fs {
		if err := x.put(e, f.Type, vals[i], depth+1); err != nil {
			return fmt.Errorf("%s: %w", fieldLabel(f, i), err)
		}
	}
	return nil
}

func (x *valueEncoder) putVariant(e *scale.Encoder, t metadata.TypeID, ty *metadata.DecodedType, v any, depth int) error {
	// Option<T>: null or the value.
	if pathIs(ty, "Option") && len(ty.Variants) == 2 {
		none, some := findVariant(ty, "None"), findVariant(ty, "Some")
		if none != nil && some != nil && len(some.Fields) == 1 {
			if m, ok := v.(map[string]any); ok && len(m) == 1 {
				if inner, ok := m["Some"]; ok {
					v = inner
				} else if _, ok := m["None"]; ok {
					v = nil
				}
			}
			if v == nil || v == "None" {
				e.PutU8(none.Index)
				return nil
			}
			e.PutU8(some.Index)
			return x.put(e, some.Fields[0].Type, v, depth+1)
		}
	}
	// RuntimeCall: {"pallet", "call", "args"}.
	if m, ok := v.(map[string]any); ok {
		if pn, ok := m["pallet"].(string); ok {
			if cn, ok := m["call"].(string); ok && x.isCallEnum(ty) {
				args := m["args"]
				var vals []any
				if args == nil {
					vals = []any{}
				}
				_, err := x.putCall(e, pn, cn, vals, args, depth+1)
				return err
			}
		}
	}
	// MultiAddress: a bare address is the Id variant.
	if s, ok := v.(string); ok && pathIs(ty, "MultiAddress") && findVariant(ty, s) == nil {
		if id := findVariant(ty, "Id"); id != nil && len(id.Fields) == 1 {
			e.PutU8(id.Index)
			return x.put(e, id.Fields[0].Type, s, depth+1)
		}
	}
	var name string
	var payload any
	hasPayload := false
	switch o := v.(type) {
	case string:
		name = o
	case map[string]any:
		if len(o) != 1 {
			return fmt.Errorf("%s: want {\"Variant\": value}, got %d keys", strings.Join(ty.Path, "::"), len(o))
		}
		for k, val := range o {
			name, payload, hasPayload = k, val, true
		}
	default:
		return fmt.Errorf("%s: want a variant name or {\"Variant\": value}, got %v", strings.Join(ty.Path, "::"), v)
	}
	vr := findVariant(ty, name)
	if vr == nil {
		return fmt.Errorf("%s has no variant %q (variants: %s)", strings.Join(ty.Path, "::"), name, variantNames(ty))
	}
	e.PutU8(vr.Index)
	switch {
	case len(vr.Fields) == 0:
		return nil
	case !hasPayload:
		return fmt.Errorf("variant %s needs a value: {\"%s\": …}", vr.Name, vr.Name)
	case len(vr.Fields) == 1:
		if m, ok := payload.(map[string]any); ok && vr.Fields[0].Name != "" {
			if inner, ok := m[vr.Fields[0].Name]; ok && len(m) == 1 {
				payload = inner
			}
		}
		return x.put(e, vr.Fields[0].Type, payload, depth+1)
	}
	var vals []any
	switch o := payload.(type) {
	case []any:
		vals = o
	case map[string]any:
		var err error
		if vals, err = fieldsFromMap(vr.Fields, o); err != nil {
			return fmt.Errorf("variant %s: %w", vr.Name, err)
		}
	}
	if len(vals) != len(vr.Fields) {
		return fmt.Errorf("variant %s has %d fields", vr.Name, len(vr.Fields))
	}
	return x.putFields(e, vr.Fields, vals, depth)
}

// isCallEnum tells whether ty is the outer RuntimeCall: a variant per
// pallet wrapping that pallet's call enum.
func (x *valueEncoder) isCallEnum(ty *metadata.DecodedType) bool {
	if pathIs(ty, "RuntimeCall") || pathIs(ty, "Call") && len(ty.Path) > 1 && strings.HasSuffix(ty.Path[0], "runtime") {
		return true
	}
	for _, v := range ty.Variants {
		if len(v.Fields) != 1 {
			return false
		}
		if p := x.md.Pallet(v.Name); p == nil || p.Calls == nil || *p.Calls != v.Fields[0].Type {
			return false
		}
	}
	return len(ty.Variants) > 0
}

// bytesArg reads 0x-hex, or (text true) any other string as its UTF-8
// bytes.
func bytesArg(s string, text bool) ([]byte, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return nil, fmt.Errorf("bad hex %q: %w", s, err)
		}
		return b, nil
	}
	if !text {
		return nil, fmt.Errorf("want 0x-hex, got %q", s)
	}
	return []byte(s), nil
}

var primBits = map[metadata.Primitive]int{metadata.U8: 8, metadata.U16: 16, metadata.U32: 32, metadata.U64: 64,
	metadata.U128: 128, metadata.U256: 256, metadata.I8: 8, metadata.I16: 16, metadata.I32: 32, metadata.I64: 64,
	metadata.I128: 128, metadata.I256: 256}

func isSigned(p metadata.Primitive) bool { return p >= metadata.I8 && p <= metadata.I256 }

// intArg reads an integer: a JSON number, a decimal or 0x-hex string, or
// (u128) an MSCA amount such as 1.5MSCA. It checks the range of p.
func intArg(v any, p metadata.Primitive) (*big.Int, error) {
	var s string
	switch o := v.(type) {
	case json.Number:
		s = o.String()
	case string:
		s = strings.TrimSpace(o)
	case float64:
		s = strconv.FormatFloat(o, 'f', -1, 64)
	case bool:
		return nil, fmt.Errorf("want an integer, got %v", o)
	default:
		return nil, fmt.Errorf("want an integer, got %v", v)
	}
	s = strings.ReplaceAll(s, "_", "")
	n := new(big.Int)
	switch {
	case strings.HasPrefix(s, "0x"):
		if _, ok := n.SetString(s[2:], 16); !ok {
			return nil, fmt.Errorf("bad integer %q", s)
		}
	default:
		if _, ok := n.SetString(s, 10); !ok {
			if p != metadata.U128 {
				return nil, fmt.Errorf("bad integer %q", s)
			}
			a, err := parseAmount(s)
			if err != nil {
				return nil, err
			}
			n.SetUint64(a.Hi).Lsh(n, 64).Or(n, new(big.Int).SetUint64(a.Lo))
		}
	}
	bits, ok := primBits[p]
	if !ok {
		return nil, fmt.Errorf("not an integer type")
	}
	if isSigned(p) {
		lim := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
		if n.Cmp(lim) >= 0 || n.Cmp(new(big.Int).Neg(lim)) < 0 {
			return nil, fmt.Errorf("%s out of range for i%d", n, bits)
		}
	} else if n.Sign() < 0 || n.BitLen() > bits {
		return nil, fmt.Errorf("%s out of range for u%d", n, bits)
	}
	return n, nil
}

func putPrimitive(e *scale.Encoder, p metadata.Primitive, v any) error {
	switch p {
	case metadata.Bool:
		switch o := v.(type) {
		case bool:
			e.PutBool(o)
			return nil
		case string:
			b, err := strconv.ParseBool(o)
			if err != nil {
				return fmt.Errorf("want a bool, got %q", o)
			}
			e.PutBool(b)
			return nil
		}
		return fmt.Errorf("want a bool, got %v", v)
	case metadata.Str:
		switch o := v.(type) {
		case string:
			e.PutString(o)
		case json.Number:
			e.PutString(o.String())
		case bool:
			e.PutString(strconv.FormatBool(o))
		default:
			return fmt.Errorf("want a string, got %v", v)
		}
		return nil
	case metadata.Char:
		s, ok := v.(string)
		if !ok || utf8.RuneCountInString(s) != 1 {
			return fmt.Errorf("want one character, got %v", v)
		}
		r, _ := utf8.DecodeRuneInString(s)
		e.PutU32(uint32(r))
		return nil
	}
	n, err := intArg(v, p)
	if err != nil {
		return err
	}
	bits := primBits[p]
	if n.Sign() < 0 { // two's complement
		n = new(big.Int).Add(n, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	}
	buf := make([]byte, bits/8)
	n.FillBytes(buf)
	for i, j := 0, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	e.PutRaw(buf)
	return nil
}

// metadataTransferCall encodes Balances.<name>(dest, amount) from the
// node's metadata, or returns nil when the node serves none (or it does
// not describe the call as expected).
func metadataTransferCall(ctx context.Context, url, name string, dest types.AccountID, amount scale.U128) []byte {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	md, err := fetchMetadataURL(ctx, url, nil)
	if err != nil {
		return nil
	}
	x := &valueEncoder{md: md}
	call, _, err := x.encodeCall("Balances", name, []any{"0x" + hex.EncodeToString(dest[:]), amount.String()}, nil)
	if err != nil {
		return nil
	}
	return call
}
