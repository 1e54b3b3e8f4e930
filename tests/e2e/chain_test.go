package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/runtime/relay"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// MSCA has 12 decimals.
const oneMSCA = 1_000_000_000_000

// Balances calls and events (runtime/relay).
const (
	callTransferAllowDeath = 0
	callTransferKeepAlive  = 3
	eventBalancesTransfer  = 2
)

// systemEventsKey is twox128("System") ++ twox128("Events").
const systemEventsKey = "0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7"

func pair(t *testing.T, uri string) keystore.KeyPair {
	t.Helper()
	kp, err := keystore.FromURI(keystore.Sr25519, uri)
	if err != nil {
		t.Fatalf("key %s: %v", uri, err)
	}
	return kp
}

func accountID(kp keystore.KeyPair) types.AccountID { return types.AccountID(kp.Public()) }

// accountKey is System.Account(id)'s storage key.
func accountKey(id types.AccountID) []byte {
	sys, acc := types.Twox128([]byte("System")), types.Twox128([]byte("Account"))
	k := append(append(sys[:], acc[:]...), types.Blake2_128Concat(id[:])...)
	return k
}

// accountInfo is the decoded System.Account value.
type accountInfo struct {
	Nonce, Consumers, Providers, Sufficients uint32
	Free, Reserved, Frozen, Flags            *big.Int
	raw                                      []byte
}

func decodeAccount(b []byte) (accountInfo, error) {
	if b == nil {
		return accountInfo{Free: new(big.Int), Reserved: new(big.Int), Frozen: new(big.Int), Flags: new(big.Int)}, nil
	}
	d := scale.NewDecoder(b)
	a := accountInfo{raw: b}
	a.Nonce, a.Consumers, a.Providers, a.Sufficients = d.U32(), d.U32(), d.U32(), d.U32()
	a.Free, a.Reserved, a.Frozen, a.Flags = d.U128().Big(), d.U128().Big(), d.U128().Big(), d.U128().Big()
	if err := d.Err(); err != nil {
		return a, fmt.Errorf("System.Account value %x: %w", b, err)
	}
	if d.Remaining() != 0 {
		return a, fmt.Errorf("System.Account value %x: %d bytes left over", b, d.Remaining())
	}
	return a, nil
}

// account reads System.Account(id) at block at ("" = best).
func (n *node) account(ctx context.Context, id types.AccountID, at string) (accountInfo, error) {
	b, err := n.storage(ctx, accountKey(id), at)
	if err != nil {
		return accountInfo{}, fmt.Errorf("System.Account(%s) at %q: %w", id, at, err)
	}
	return decodeAccount(b)
}

// nextIndex is system_accountNextIndex(id).
func (n *node) nextIndex(ctx context.Context, id types.AccountID) (uint32, error) {
	var v uint32
	err := n.callInto(ctx, &v, "system_accountNextIndex", id.String())
	return v, err
}

// chainInfo holds what signing needs.
type chainInfo struct {
	genesis     types.Hash
	specVersion uint32
	txVersion   uint32
}

func (n *node) chainInfo(ctx context.Context) (chainInfo, error) {
	var ci chainInfo
	g, err := n.blockHash(ctx, 0)
	if err != nil {
		return ci, err
	}
	ci.genesis = hashOf(g)
	var v struct {
		SpecName           string `json:"specName"`
		SpecVersion        uint32 `json:"specVersion"`
		TransactionVersion uint32 `json:"transactionVersion"`
	}
	if err := n.callInto(ctx, &v, "state_getRuntimeVersion"); err != nil {
		return ci, err
	}
	ci.specVersion, ci.txVersion = v.SpecVersion, v.TransactionVersion
	if want := relay.Version(); v.SpecVersion != want.SpecVersion {
		return ci, fmt.Errorf("state_getRuntimeVersion specVersion %d, runtime/relay says %d", v.SpecVersion, want.SpecVersion)
	}
	return ci, nil
}

// transferCall encodes Balances.transfer_* (dest, amount).
func transferCall(callIndex uint8, dest types.AccountID, amount *big.Int) []byte {
	e := scale.NewEncoder(64)
	e.PutU8(relay.IndexBalances)
	e.PutU8(callIndex)
	types.NewAddress(dest).EncodeTo(e)
	v, ok := scale.U128FromBig(amount)
	if !ok {
		panic("amount does not fit u128")
	}
	e.PutCompactU128(v)
	return e.Bytes()
}

// signImmortal signs call by kp with nonce and an immortal era.
func signImmortal(ci chainInfo, kp keystore.KeyPair, call []byte, nonce uint32) []byte {
	return txbuilder.Sign(call, kp, txbuilder.Params{Nonce: nonce, Era: types.ImmortalEra,
		GenesisHash: ci.genesis, BirthHash: ci.genesis, SpecVersion: ci.specVersion, TxVersion: ci.txVersion})
}

// submit is author_submitExtrinsic; it returns the transaction hash.
func (n *node) submit(ctx context.Context, ext []byte) (string, error) {
	var h string
	err := n.callInto(ctx, &h, "author_submitExtrinsic", hexOf(ext))
	return h, err
}

// txStatus is one author_extrinsicUpdate result, reduced to kind and hash.
type txStatus struct {
	kind string // future, ready, broadcast, inBlock, retracted, finalityTimeout, finalized, usurped, dropped, invalid
	hash string
}

func parseTxStatus(raw json.RawMessage) (txStatus, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return txStatus{kind: s}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return txStatus{}, fmt.Errorf("unexpected author_extrinsicUpdate result %s", raw)
	}
	for k, v := range m {
		var h string
		_ = json.Unmarshal(v, &h)
		return txStatus{kind: k, hash: h}, nil
	}
	panic("unreachable")
}

// watch submits ext with author_submitAndWatchExtrinsic on w and collects
// statuses until a final one (or max).
func watch(ctx context.Context, w *wsClient, ext []byte, max time.Duration) ([]txStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	_, ch, err := w.subscribe(ctx, "author_submitAndWatchExtrinsic", hexOf(ext))
	if err != nil {
		return nil, err
	}
	var out []txStatus
	for {
		select {
		case raw, ok := <-ch:
			if !ok {
				return out, fmt.Errorf("subscription closed after %v", out)
			}
			st, err := parseTxStatus(raw)
			if err != nil {
				return out, err
			}
			out = append(out, st)
			switch st.kind {
			case "finalized", "usurped", "dropped", "invalid", "finalityTimeout":
				return out, nil
			}
		case <-ctx.Done():
			return out, fmt.Errorf("statuses so far %v: %w", out, ctx.Err())
		}
	}
}

// findTransferEvent looks in an encoded System.Events value for a
// Balances.Transfer{from, to, amount} record in phase ApplyExtrinsic: it
// does not decode unknown events, it finds the event's exact bytes
// (pallet 6, variant 2, from, to, u128 amount) right after an
// ApplyExtrinsic(u32) phase, inside a Vec whose length prefix decodes.
func findTransferEvent(events []byte, from, to types.AccountID, amount *big.Int) (extIndex uint32, found bool, err error) {
	d := scale.NewDecoder(events)
	count := d.Compact()
	if d.Err() != nil {
		return 0, false, fmt.Errorf("System.Events: bad length prefix: %w", d.Err())
	}
	if count == 0 {
		return 0, false, fmt.Errorf("System.Events is empty")
	}
	v, _ := scale.U128FromBig(amount)
	e := scale.NewEncoder(82)
	e.PutU8(relay.IndexBalances)
	e.PutU8(eventBalancesTransfer)
	e.PutRaw(from[:])
	e.PutRaw(to[:])
	e.PutU128(v)
	pat := e.Bytes()
	for off := 0; ; {
		i := bytes.Index(events[off:], pat)
		if i < 0 {
			return 0, false, nil
		}
		at := off + i
		if at >= 5 && events[at-5] == 0 { // phase ApplyExtrinsic(u32)
			ph := scale.NewDecoder(events[at-4 : at])
			return ph.U32(), true, nil
		}
		off = at + 1
	}
}

// eventsAt reads System.Events at block hash.
func (n *node) eventsAt(ctx context.Context, hash string) ([]byte, error) {
	k, _ := unhex(systemEventsKey)
	return n.storage(ctx, k, hash)
}

func bigSub(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }

func msca(x int64) *big.Int { return new(big.Int).Mul(big.NewInt(x), big.NewInt(oneMSCA)) }

func statusKinds(s []txStatus) string {
	var k []string
	for _, x := range s {
		k = append(k, x.kind)
	}
	return strings.Join(k, "→")
}
