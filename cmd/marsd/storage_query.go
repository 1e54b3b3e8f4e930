package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

func newQueryStorageCmd() *cobra.Command {
	var rpcURL, atHex string
	var limit int
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "storage PALLET ITEM [KEYS…]",
		Short: "Read any storage item the runtime's metadata describes",
		Long: `Builds the storage key of PALLET.ITEM from the node's metadata
(twox128(pallet) ++ twox128(item) ++ each key hashed with its hasher), reads it
with state_getStorage and prints the value decoded with its metadata type, as
JSON (struct fields by name, u128 as decimal, accounts as SS58). A missing
value prints the item's default, or none for an optional item.

Keys are read like tx call arguments (addresses, numbers, 0x-hex, JSON). With
fewer keys than the map has, every entry under the given keys is listed
(state_getKeysPaged, at most --limit).`,
		Example: `  marsd query storage --rpc ws://127.0.0.1:9944 System Account //Alice
  marsd query storage System Number
  marsd query storage System Account --limit 10`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var at *types.Hash
			if atHex != "" {
				h, err := types.HashFromHex(atHex)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				at = &h
			}
			if limit < 1 || limit > 1000 {
				return errors.New("--limit must be 1..1000")
			}
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			c, err := rpcclient.Dial(ctx, rpcURL)
			if err != nil {
				return err
			}
			defer c.Close()
			md, err := fetchMetadata(ctx, c, at)
			if err != nil {
				return err
			}
			var keys []any
			for _, a := range args[2:] {
				v, _ := parseJSONArg(a, false)
				keys = append(keys, v)
			}
			return queryStorage(ctx, cmd.OutOrStdout(), c, md, args[0], args[1], keys, at, limit)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&rpcURL, "rpc", "ws://127.0.0.1:9944", "node JSON-RPC URL (ws:// or http://)")
	fs.StringVar(&atHex, "at", "", "block hash to read at (default: best block)")
	fs.IntVar(&limit, "limit", 100, "most entries to list when keys are left out (1..1000)")
	fs.DurationVar(&timeout, "timeout", time.Minute, "give up after this long")
	return cmd
}

// storageEntry finds pallet.item in md.
func storageEntry(md *metadata.Decoded, pallet, item string) (*metadata.Pallet, *metadata.StorageEntry, error) {
	p, err := findPallet(md, pallet)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for i := range p.Storage {
		if normName(p.Storage[i].Name) == normName(item) {
			return p, &p.Storage[i], nil
		}
		names = append(names, p.Storage[i].Name)
	}
	return nil, nil, fmt.Errorf("pallet %s has no storage item %q (items: %s)", p.Name, item, strings.Join(names, ", "))
}

// keyTypes returns the types of a storage map's keys (one per hasher).
func keyTypes(md *metadata.Decoded, s *metadata.StorageEntry) []metadata.TypeID {
	if s.Key == nil {
		return nil
	}
	if len(s.Hashers) == 1 {
		return []metadata.TypeID{*s.Key}
	}
	return md.Type(*s.Key).Tuple
}

// hashKey applies a metadata hasher.
func hashKey(h uint8, b []byte) ([]byte, error) {
	switch h {
	case metadata.HasherBlake2_128:
		x := types.Blake2b128(b)
		return x[:], nil
	case metadata.HasherBlake2_256:
		x := types.Blake2b256(b)
		return x[:], nil
	case metadata.HasherBlake2_128Concat:
		return types.Blake2_128Concat(b), nil
	case metadata.HasherTwox128:
		x := types.Twox128(b)
		return x[:], nil
	case metadata.HasherTwox256:
		x := types.Twox256(b)
		return x[:], nil
	case metadata.HasherTwox64Concat:
		return types.Twox64Concat(b), nil
	case metadata.HasherIdentity:
		return append([]byte(nil), b...), nil
	}
	return nil, fmt.Errorf("unknown hasher %d", h)
}

// hashPrefixLen is how many hash bytes precede the key for hashers that
// keep it (-1: the key cannot be recovered).
func hashPrefixLen(h uint8) int {
	switch h {
	case metadata.HasherBlake2_128Concat:
		return 16
	case metadata.HasherTwox64Concat:
		return 8
	case metadata.HasherIdentity:
		return 0
	}
	return -1
}

// storageKey builds the key of entry s of pallet p with the given keys
// (a prefix when fewer than the map has).
func storageKey(md *metadata.Decoded, p *metadata.Pallet, s *metadata.StorageEntry, keys []any) ([]byte, error) {
	kt := keyTypes(md, s)
	if len(keys) > len(kt) {
		return nil, fmt.Errorf("%s.%s takes %d keys, got %d", p.Name, s.Name, len(kt), len(keys))
	}
	a, b := types.Twox128([]byte(p.StoragePrefix)), types.Twox128([]byte(s.Name))
	key := append(a[:], b[:]...)
	x := &valueEncoder{md: md}
	for i, k := range keys {
		e := scale.NewEncoder(32)
		if err := x.put(e, kt[i], k, 0); err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		h, err := hashKey(s.Hashers[i], e.Bytes())
		if err != nil {
			return nil, err
		}
		key = append(key, h...)
	}
	return key, nil
}

func queryStorage(ctx context.Context, w io.Writer, c *rpcclient.Client, md *metadata.Decoded, pallet, item string, keys []any, at *types.Hash, limit int) error {
	p, s, err := storageEntry(md, pallet, item)
	if err != nil {
		return err
	}
	key, err := storageKey(md, p, s, keys)
	if err != nil {
		return err
	}
	if len(keys) == len(keyTypes(md, s)) {
		val, found, err := c.Storage(ctx, key, at)
		if err != nil {
			return err
		}
		out, err := storageValueText(md, s, val, found)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, out)
		return nil
	}
	params := []any{rpcclient.Bytes(key), limit, nil}
	if at != nil {
		params = append(params, *at)
	}
	var found []rpcclient.Bytes
	if err := c.Call(ctx, &found, "state_getKeysPaged", params...); err != nil {
		return fmt.Errorf("state_getKeysPaged: %w", err)
	}
	for _, k := range found {
		val, ok, err := c.Storage(ctx, k, at)
		if err != nil {
			return err
		}
		vt, err := storageValueText(md, s, val, ok)
		if err != nil {
			vt = "0x" + hex.EncodeToString(val) + " (" + err.Error() + ")"
		} else {
			vt = compactJSON(vt)
		}
		fmt.Fprintf(w, "%s: %s\n", storageKeyText(md, s, k), vt)
	}
	if len(found) == limit {
		fmt.Fprintf(w, "(first %d entries; raise --limit for more)\n", limit)
	} else {
		fmt.Fprintf(w, "(%d entries)\n", len(found))
	}
	return nil
}

func compactJSON(s string) string {
	var b bytes.Buffer
	if json.Compact(&b, []byte(s)) != nil {
		return s
	}
	return b.String()
}

// storageKeyText renders the map keys recoverable from a full storage key
// (JSON array), or its hex.
func storageKeyText(md *metadata.Decoded, s *metadata.StorageEntry, key []byte) string {
	kt := keyTypes(md, s)
	d := scale.NewDecoder(key)
	d.Raw(32)
	var parts []string
	for i, t := range kt {
		n := hashPrefixLen(s.Hashers[i])
		if n < 0 {
			return "0x" + hex.EncodeToString(key)
		}
		d.Raw(n)
		v, err := decodeValueJSON(md, t, d)
		if err != nil {
			return "0x" + hex.EncodeToString(key)
		}
		parts = append(parts, v)
	}
	if d.Err() != nil || d.Remaining() != 0 {
		return "0x" + hex.EncodeToString(key)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// storageValueText decodes a storage value (or the entry's default when
// missing) as indented JSON; a missing optional value is "none".
func storageValueText(md *metadata.Decoded, s *metadata.StorageEntry, val []byte, found bool) (string, error) {
	if !found {
		if s.Optional {
			return "none", nil
		}
		val = s.Default
	}
	d := scale.NewDecoder(val)
	out, err := decodeValueJSON(md, s.Value, d)
	if err != nil {
		return "", err
	}
	if d.Remaining() != 0 {
		return "", fmt.Errorf("%d bytes left after the value", d.Remaining())
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(out), "", "  ") != nil {
		return out, nil
	}
	return b.String(), nil
}

// decodeValueJSON reads one value of type t as JSON text (field order
// kept).
func decodeValueJSON(md *metadata.Decoded, t metadata.TypeID, d *scale.Decoder) (string, error) {
	var b strings.Builder
	steps := 0
	dv := &valueDecoder{md: md, d: d, b: &b, steps: &steps}
	dv.value(t, 0)
	if err := d.Err(); err != nil {
		return "", err
	}
	return b.String(), nil
}

type valueDecoder struct {
	md    *metadata.Decoded
	d     *scale.Decoder
	b     *strings.Builder
	steps *int
}

func (v *valueDecoder) str(s string) {
	j, _ := json.Marshal(s)
	v.b.Write(j)
}

func (v *valueDecoder) fields(fs []metadata.Field, depth int) {
	switch {
	case len(fs) == 0:
		v.b.WriteString("null")
	case len(fs) == 1 && fs[0].Name == "":
		v.value(fs[0].Type, depth+1)
	case fs[0].Name == "":
		v.b.WriteByte('[')
		for i, f := range fs {
			if i > 0 {
				v.b.WriteByte(',')
			}
			v.value(f.Type, depth+1)
		}
		v.b.WriteByte(']')
	default:
		v.b.WriteByte('{')
		for i, f := range fs {
			if i > 0 {
				v.b.WriteByte(',')
			}
			v.str(f.Name)
			v.b.WriteByte(':')
			v.value(f.Type, depth+1)
		}
		v.b.WriteByte('}')
	}
}

func (v *valueDecoder) value(t metadata.TypeID, depth int) {
	d := v.d
	if d.Err() != nil {
		return
	}
	if *v.steps++; depth > 128 || *v.steps > 1<<20 || int(t) >= len(v.md.Types) {
		d.Fail(fmt.Errorf("type %d too deep, too large or unknown", t))
		return
	}
	ty := v.md.Type(t)
	switch ty.Def {
	case metadata.DefComposite:
		if pathIs(ty, "AccountId32") {
			raw := d.Raw(32)
			if d.Err() == nil {
				v.str(types.AccountID(raw).SS58(types.SS58Generic))
			}
			return
		}
		v.fields(ty.Fields, depth)
	case metadata.DefVariant:
		idx := d.U8()
		if d.Err() != nil {
			return
		}
		vr := v.md.Variant(t, idx)
		if vr == nil {
			d.Fail(fmt.Errorf("%s has no variant %d", strings.Join(ty.Path, "::"), idx))
			return
		}
		if pathIs(ty, "Option") {
			if len(vr.Fields) == 0 {
				v.b.WriteString("null")
			} else {
				v.fields(vr.Fields, depth)
			}
			return
		}
		if len(vr.Fields) == 0 {
			v.str(vr.Name)
			return
		}
		v.b.WriteByte('{')
		v.str(vr.Name)
		v.b.WriteByte(':')
		v.fields(vr.Fields, depth)
		v.b.WriteByte('}')
	case metadata.DefSequence, metadata.DefArray:
		n := int(ty.Len)
		if ty.Def == metadata.DefSequence {
			n = d.Len(0)
		}
		if et := v.md.Type(ty.Elem); et.Def == metadata.DefPrimitive && et.Prim == metadata.U8 {
			raw := d.Raw(n)
			if d.Err() == nil {
				v.str("0x" + hex.EncodeToString(raw))
			}
			return
		}
		v.b.WriteByte('[')
		for i := 0; i < n && d.Err() == nil; i++ {
			if i > 0 {
				v.b.WriteByte(',')
			}
			off := d.Offset()
			v.value(ty.Elem, depth+1)
			if d.Offset() == off && i > 1<<16 {
				d.Fail(errors.New("too many zero-sized elements"))
			}
		}
		v.b.WriteByte(']')
	case metadata.DefTuple:
		if len(ty.Tuple) == 0 {
			v.b.WriteString("null")
			return
		}
		v.b.WriteByte('[')
		for i, e := range ty.Tuple {
			if i > 0 {
				v.b.WriteByte(',')
			}
			v.value(e, depth+1)
		}
		v.b.WriteByte(']')
	case metadata.DefPrimitive:
		v.primitive(ty.Prim)
	case metadata.DefCompact:
		if in := v.md.Type(ty.Elem); in.Def == metadata.DefTuple && len(in.Tuple) == 0 {
			v.b.WriteString("null")
			return
		}
		n := d.CompactBig()
		if d.Err() == nil {
			v.b.WriteString(n.String())
		}
	default:
		d.Fail(fmt.Errorf("cannot decode type kind %d", ty.Def))
	}
}

func (v *valueDecoder) primitive(p metadata.Primitive) {
	d := v.d
	switch p {
	case metadata.Bool:
		b := d.Bool()
		if d.Err() == nil {
			v.b.WriteString(strconv.FormatBool(b))
		}
		return
	case metadata.Str:
		s := d.String()
		if d.Err() == nil {
			v.str(s)
		}
		return
	case metadata.Char:
		r := d.U32()
		if d.Err() == nil {
			v.str(string(rune(r)))
		}
		return
	}
	bits, ok := primBits[p]
	if !ok {
		d.Fail(fmt.Errorf("unknown primitive %d", p))
		return
	}
	raw := d.Raw(bits / 8)
	if d.Err() != nil {
		return
	}
	be := make([]byte, len(raw))
	for i := range raw {
		be[len(raw)-1-i] = raw[i]
	}
	n := new(big.Int).SetBytes(be)
	if isSigned(p) && n.Bit(bits-1) == 1 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	}
	v.b.WriteString(n.String())
}
