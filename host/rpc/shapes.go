package rpc

import (
	"encoding/hex"
	"encoding/json"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// headerJSON is a header as Substrate serialises it: hex hashes, the
// number as minimal hex, each digest item as its SCALE encoding.
type headerJSON struct {
	ParentHash     types.Hash `json:"parentHash"`
	Number         string     `json:"number"`
	StateRoot      types.Hash `json:"stateRoot"`
	ExtrinsicsRoot types.Hash `json:"extrinsicsRoot"`
	Digest         digestJSON `json:"digest"`
}

type digestJSON struct {
	Logs []Bytes `json:"logs"`
}

func toHeaderJSON(h *types.Header) headerJSON {
	logs := make([]Bytes, len(h.Digest))
	for i, d := range h.Digest {
		logs[i] = scale.Encode(d)
	}
	return headerJSON{
		ParentHash:     h.ParentHash,
		Number:         hexNumber(uint64(h.Number)),
		StateRoot:      h.StateRoot,
		ExtrinsicsRoot: h.ExtrinsicsRoot,
		Digest:         digestJSON{Logs: logs},
	}
}

type blockJSON struct {
	Block struct {
		Header     headerJSON `json:"header"`
		Extrinsics []Bytes    `json:"extrinsics"`
	} `json:"block"`
	Justifications json.RawMessage `json:"justifications"`
}

// apiEntry marshals as ["0x<8-byte id>", version].
type apiEntry types.APIVersion

func (a apiEntry) MarshalJSON() ([]byte, error) {
	out := make([]byte, 0, 40)
	out = append(out, `["0x`...)
	out = hex.AppendEncode(out, a.ID[:])
	out = append(out, `",`...)
	out = appendUint(out, uint64(a.Version))
	return append(out, ']'), nil
}

func appendUint(b []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// runtimeVersionJSON is sp_version::RuntimeVersion's serde form, which
// carries the system version under both its new and its old name.
type runtimeVersionJSON struct {
	SpecName           string     `json:"specName"`
	ImplName           string     `json:"implName"`
	AuthoringVersion   uint32     `json:"authoringVersion"`
	SpecVersion        uint32     `json:"specVersion"`
	ImplVersion        uint32     `json:"implVersion"`
	APIs               []apiEntry `json:"apis"`
	TransactionVersion uint32     `json:"transactionVersion"`
	SystemVersion      uint8      `json:"systemVersion"`
	StateVersion       uint8      `json:"stateVersion"`
}

func toRuntimeVersionJSON(v *types.RuntimeVersion) runtimeVersionJSON {
	apis := make([]apiEntry, len(v.APIs))
	for i, a := range v.APIs {
		apis[i] = apiEntry(a)
	}
	return runtimeVersionJSON{
		SpecName: v.SpecName, ImplName: v.ImplName,
		AuthoringVersion: v.AuthoringVersion, SpecVersion: v.SpecVersion, ImplVersion: v.ImplVersion,
		APIs: apis, TransactionVersion: v.TransactionVersion,
		SystemVersion: v.SystemVersion, StateVersion: v.SystemVersion,
	}
}

// changeSetJSON is StorageChangeSet: {"block":h,"changes":[[key, value|null],…]}.
type changeSetJSON struct {
	Block   types.Hash   `json:"block"`
	Changes []changeJSON `json:"changes"`
}

type changeJSON struct {
	Key   []byte
	Value []byte
	Found bool
}

func (c changeJSON) MarshalJSON() ([]byte, error) {
	k, _ := Bytes(c.Key).MarshalJSON()
	out := make([]byte, 0, len(k)+2*len(c.Value)+8)
	out = append(out, '[')
	out = append(out, k...)
	out = append(out, ',')
	if c.Found {
		v, _ := Bytes(c.Value).MarshalJSON()
		out = append(out, v...)
	} else {
		out = append(out, "null"...)
	}
	return append(out, ']'), nil
}

// txStatusJSON is author_extrinsicUpdate's result.
type txStatusJSON TxStatus

var txStatusNames = [...]string{
	TxFuture: "future", TxReady: "ready", TxBroadcast: "broadcast", TxInBlock: "inBlock",
	TxRetracted: "retracted", TxFinalityTimeout: "finalityTimeout", TxFinalized: "finalized",
	TxUsurped: "usurped", TxDropped: "dropped", TxInvalid: "invalid",
}

func (s txStatusJSON) MarshalJSON() ([]byte, error) {
	if int(s.Kind) >= len(txStatusNames) {
		return json.Marshal("invalid")
	}
	name := txStatusNames[s.Kind]
	switch s.Kind {
	case TxFuture, TxReady, TxDropped, TxInvalid:
		return json.Marshal(name)
	case TxBroadcast:
		peers := s.Peers
		if peers == nil {
			peers = []string{}
		}
		return json.Marshal(map[string][]string{name: peers})
	}
	return json.Marshal(map[string]types.Hash{name: s.Hash})
}
